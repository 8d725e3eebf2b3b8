"""Import and export of practice records: JSONL and CSV round trips, rows rejected with line and field, and the
record checks of ``records.clean_record``."""

from __future__ import annotations

import csv
import io
import json

import pytest
from tests.practices.conftest import SEED_COUNT

from msmelens.practices import selectors, services, transfer
from msmelens.practices.models import Practice
from msmelens.practices.records import RecordInvalid, clean_record, region_of


def _seed(seed_path) -> list[dict]:
    return [json.loads(line) for line in seed_path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_jsonl_export_is_the_seed_format_and_reimports_as_a_no_op(seeded, seed_path, tmp_path):
    out = tmp_path / "export.jsonl"
    with out.open("w", encoding="utf-8") as handle:
        assert transfer.write_records(selectors.export_records(), handle, fmt="jsonl") == SEED_COUNT
    exported = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert exported == sorted(_seed(seed_path), key=lambda r: r["id"])
    assert all(list(r) == list(_seed(seed_path)[0]) for r in exported)  # the seed's field order
    history = Practice.history.count()
    report = services.import_practices(path=out)
    assert len(report.unchanged) == SEED_COUNT and not report.created and not report.updated
    assert Practice.history.count() == history


def test_csv_round_trip_is_a_no_op(seeded, tmp_path):
    out = tmp_path / "export.csv"
    with out.open("w", encoding="utf-8", newline="") as handle:
        transfer.write_csv(selectors.export_records(), handle)
    rows = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    assert len(rows) == SEED_COUNT and list(rows[0])[:3] == ["id", "title", "countries"]
    famex = next(r for r in rows if r["id"] == "tunisia-famex")
    assert famex["obstacles"] == "market_information;skills;finance" and famex["verified"] == "true"
    assert json.loads(famex["outcomes"])[0]["design"] == "comparison_group"
    history = Practice.history.count()
    report = services.import_practices(path=out)
    assert len(report.unchanged) == SEED_COUNT, (report.updated, [str(r) for r in report.rejected])
    assert Practice.history.count() == history


def test_csv_import_rejects_a_bad_row_with_its_line_and_field(db, seed_path, tmp_path):
    records = _seed(seed_path)[:4]
    buffer = io.StringIO()
    transfer.write_csv(records, buffer)
    lines = buffer.getvalue().splitlines(keepends=True)
    reader_rows = list(csv.reader(io.StringIO(buffer.getvalue())))
    assert len(reader_rows) == 5  # header + 4 (no cell in these records spans lines)
    bad_year = reader_rows[2][:]
    bad_year[0], bad_year[4] = "bad-year", "twenty twenty"
    bad_json = reader_rows[3][:]
    bad_json[0], bad_json[11] = "bad-json", '[{"indicator": "x",'
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows([reader_rows[0], reader_rows[1], bad_year, bad_json, reader_rows[4]])
    path = tmp_path / "sheet.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    assert len(lines) == 5
    report = services.import_practices(path=path)
    assert report.created == [records[0]["id"], records[3]["id"]]
    assert [(r.line, r.slug) for r in report.rejected] == [(3, "bad-year"), (4, None)]
    assert str(report.rejected[0]) == "line 3 (bad-year): start_year: 'twenty twenty' is not a whole number."
    assert report.rejected[1].reason.startswith("outcomes: the cell is not valid JSON")
    assert not Practice.objects.filter(slug__in=["bad-year", "bad-json"]).exists()


def test_csv_line_numbers_count_multiline_cells(db, seed_path, tmp_path):
    first, second = _seed(seed_path)[:2]
    first = dict(first, summary="Line one.\nLine two.")
    second = dict(second, scope="planetary")
    buffer = io.StringIO()
    transfer.write_csv([first, second], buffer)
    path = tmp_path / "multi.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    report = services.import_practices(path=path)
    assert report.created == [first["id"]]
    assert [(r.line, r.slug) for r in report.rejected] == [(4, second["id"])]  # row 2 starts on line 4
    assert report.rejected[0].reason.startswith("scope: 'planetary' is not known")


def test_unreadable_files_raise_transfer_error(db, tmp_path):
    with pytest.raises(transfer.TransferError, match="There is no file"):
        services.import_practices(path=tmp_path / "missing.jsonl")
    bad_header = tmp_path / "bad.csv"
    bad_header.write_text("id,title,colour\nx,y,z\n", encoding="utf-8")
    with pytest.raises(transfer.TransferError, match="unknown column"):
        services.import_practices(path=bad_header)
    latin = tmp_path / "latin.csv"
    latin.write_bytes("id,title\nx,Café\n".encode("latin-1"))
    with pytest.raises(transfer.TransferError, match="not UTF-8"):
        services.import_practices(path=latin)


def test_clean_record_names_every_field(seed_path):
    base = _seed(seed_path)[0]
    broken = dict(base, countries=["EGY", "ZZZ"], obstacles=["skills", "weather"], target_groups=["giants"],
                  evidence_level="6", end_year=2001, colour="blue",
                  outcomes=[{"indicator": "", "value": "15 %", "design": "guess"}],
                  sources=[{"title": "A", "url": "ftp://example.org"}])
    with pytest.raises(RecordInvalid) as caught:
        clean_record(broken)
    fields = [p.field for p in caught.value.problems]
    assert fields == ["colour", "countries", "obstacles", "target_groups", "outcomes[1].indicator",
                      "outcomes[1].design", "outcomes[1].value", "sources[1].url", "evidence_level", "end_year"]
    text = str(caught.value)
    assert "'ZZZ' is not a country code" in text and "'weather' is not known" in text
    assert "2001 is before the start year 2011" in text and "Maryland scale" in text


def test_clean_record_normalises_csv_cells(seed_path):
    base = _seed(seed_path)[0]
    cell_record = dict(base, countries="egy; EGY", obstacles="Skills;market information", start_year="2011",
                       end_year="", evidence_level="", verified="yes",
                       outcomes=[dict(base["outcomes"][0], value="15", year="2014")])
    clean = clean_record(cell_record)
    assert clean["countries"] == ["EGY"] and clean["obstacles"] == ["skills", "market_information"]
    assert (clean["start_year"], clean["end_year"], clean["evidence_level"], clean["verified"]) == (
        2011, None, None, True)
    assert clean["outcomes"][0]["value"] == 15 and clean["outcomes"][0]["year"] == 2014
    assert region_of("egy") == "africa" and region_of("PER") == "americas" and region_of("ATA") is None
