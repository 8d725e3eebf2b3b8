"""The one CSV shape of provision records."""

from __future__ import annotations

import csv
import io
import json

from msmelens.lens import analyze_text
from msmelens.lens.tabular import CSV_FIELDS, csv_cell, csv_row


def test_cells_join_lists_encode_evidence_and_neutralise_formulas() -> None:
    assert csv_cell(["skills", "finance"]) == "skills;finance"
    assert csv_cell(None) == "" and csv_cell(True) == "true" and csv_cell(0.5) == "0.5"
    assert csv_cell([{"start": 0, "end": 3, "text": "SME", "supports": "explicit"}]) == (
        '[{"start":0,"end":3,"text":"SME","supports":"explicit"}]'
    )
    for dangerous in ("=SUM(A1)", "+1", "-2", "@cmd", "\tx"):
        assert csv_cell(dangerous) == "'" + dangerous


def test_a_lens_record_round_trips_through_csv() -> None:
    record = analyze_text(
        "The Parties shall cooperate to help small and medium-sized enterprises use electronic commerce."
    ).to_dict()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_FIELDS)
    writer.writerow(csv_row(record))
    (row,) = csv.DictReader(io.StringIO(buffer.getvalue()))
    assert row["relevance"] == "explicit"
    assert row["categories"].split(";") == record["categories"]
    evidence = json.loads(row["evidence"])
    assert evidence == record["evidence"]
    assert all(record["text"][e["start"] : e["end"]] == e["text"] for e in evidence)
    assert row["language"] == record["language"]
