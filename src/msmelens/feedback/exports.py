"""Export a survey's current responses as CSV or JSON Lines: one row per response, answers by question name.

Rows come from :func:`msmelens.feedback.selectors.iter_answer_rows`, which never reads contact details or the
raw payload, and are written as they are read, so memory stays flat however large the survey. Columns:
``instance_id``, ``wave``, ``received_at``, ``channel``, ``synthetic``, then the answers in form order
(:attr:`FormSpec.answer_names`, which leaves contact questions out). In CSV a select_multiple answer is its
choices separated by spaces (as in XForms) and a text cell a spreadsheet would run as a formula gets a
leading apostrophe (:func:`msmelens.lens.tabular.csv_cell`); in JSONL it is a list.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterator
from typing import Any, TextIO

from msmelens.feedback import selectors
from msmelens.feedback.models import Survey, Wave
from msmelens.lens.tabular import csv_cell

FORMATS = ("csv", "jsonl")
LEAD_FIELDS: tuple[str, ...] = ("instance_id", "wave", "received_at", "channel", "synthetic")


def export_fields(survey: Survey) -> list[str]:
    """The export's columns: the lead fields, then every answer of the current form in form order."""
    spec = selectors.form_spec(selectors.current_form(survey))
    return [*LEAD_FIELDS, *spec.answer_names]


def _moment(value: Any) -> str:
    return value.isoformat() if isinstance(value, dt.datetime | dt.date) else str(value or "")


def export_records(
    survey: Survey, *, wave: Wave | None = None, include_synthetic: bool = True
) -> Iterator[dict[str, Any]]:
    """One plain dict per current response, keys as :func:`export_fields` (unanswered questions: None)."""
    names = export_fields(survey)[len(LEAD_FIELDS):]
    for row in selectors.iter_answer_rows(survey, wave=wave, include_synthetic=include_synthetic):
        answers = row["answers"] or {}
        record: dict[str, Any] = {
            "instance_id": row["instance_id"],
            "wave": row["wave"],
            "received_at": _moment(row["received_at"]),
            "channel": row["channel"],
            "synthetic": bool(row["synthetic"]),
        }
        for name in names:
            record[name] = answers.get(name)
        yield record


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)  # numbers are data, never formulas: "-3" stays a number
    if isinstance(value, list):
        value = " ".join(str(v) for v in value)
    return csv_cell(str(value))


def write_csv(
    out: TextIO, survey: Survey, *, wave: Wave | None = None, include_synthetic: bool = True
) -> int:
    """Write the header and one row per response to ``out``; returns the number of rows."""
    fields = export_fields(survey)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(fields)
    count = 0
    for record in export_records(survey, wave=wave, include_synthetic=include_synthetic):
        writer.writerow([_csv_value(record[name]) for name in fields])
        count += 1
    return count


def write_jsonl(
    out: TextIO, survey: Survey, *, wave: Wave | None = None, include_synthetic: bool = True
) -> int:
    """Write one JSON object per line to ``out``; returns the number of lines."""
    count = 0
    for record in export_records(survey, wave=wave, include_synthetic=include_synthetic):
        out.write(json.dumps(record, ensure_ascii=False))
        out.write("\n")
        count += 1
    return count


def write_export(
    out: TextIO, survey: Survey, *, fmt: str, wave: Wave | None = None, include_synthetic: bool = True
) -> int:
    """Write ``survey``'s responses in ``fmt`` (csv or jsonl); returns how many were written."""
    if fmt == "csv":
        return write_csv(out, survey, wave=wave, include_synthetic=include_synthetic)
    if fmt == "jsonl":
        return write_jsonl(out, survey, wave=wave, include_synthetic=include_synthetic)
    raise ValueError(f"Unknown export format '{fmt}': use {' or '.join(FORMATS)}.")
