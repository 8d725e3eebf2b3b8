"""Practice records in and out of files: JSONL (the seed file's format) and CSV (for spreadsheets).

Reading yields ``(line, record)`` pairs, or ``(line, RowError)`` for a line that cannot be read at all, so
that the import service can reject that row and go on. Checking a record's fields is not done here but in
:mod:`msmelens.practices.records`. In CSV, list fields (countries, obstacles, target_groups) are cells
separated by ``;``, and outcomes, sources and translations are JSON cells; line numbers are those a
spreadsheet shows (the header is line 1, a cell with line breaks counts its lines).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from msmelens.practices.records import FIELDS, JSON_FIELDS, LIST_FIELDS, OPTIONAL_FIELDS

FORMATS: tuple[str, ...] = ("jsonl", "csv")
CSV_COLUMNS: tuple[str, ...] = FIELDS + OPTIONAL_FIELDS


class TransferError(ValueError):
    """A file that cannot be read or written at all; the message names it and says why."""


@dataclass(frozen=True, slots=True)
class RowError:
    """A row that could not be read (bad JSON, a bad cell): its reason, naming the field when known."""

    message: str


def format_of(path: Path) -> str:
    """``csv`` for a .csv file, ``jsonl`` for .jsonl/.ndjson/.json; otherwise guessed from the first character."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    try:
        with path.open(encoding="utf-8-sig") as handle:
            head = handle.read(1024).lstrip()
    except (OSError, UnicodeDecodeError) as exc:
        raise TransferError(f"Cannot read {path.name}: {exc}.") from exc
    return "jsonl" if head.startswith("{") else "csv"


def read_records(path: Path) -> Iterator[tuple[int, dict[str, Any] | RowError]]:
    """The file's records with their line numbers (JSONL or CSV, see :func:`format_of`)."""
    if not path.is_file():
        raise TransferError(f"There is no file {path}.")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TransferError(f"{path.name} is not UTF-8 text (save it as 'CSV UTF-8' or UTF-8 JSONL).") from exc
    except OSError as exc:
        raise TransferError(f"Cannot read {path.name}: {exc.strerror or exc}.") from exc
    if format_of(path) == "csv":
        return _read_csv(text, path.name)
    return _read_jsonl(text)


def _read_jsonl(text: str) -> Iterator[tuple[int, dict[str, Any] | RowError]]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, RowError(f"this line is not valid JSON ({exc.msg} at character {exc.colno}).")
            continue
        if not isinstance(value, dict):
            yield number, RowError("this line is not a record (a JSON object in braces {...}).")
            continue
        yield number, value


def _read_csv(text: str, name: str) -> Iterator[tuple[int, dict[str, Any] | RowError]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        return
    except csv.Error as exc:
        raise TransferError(f"{name}: the header row cannot be read ({exc}).") from exc
    unknown = [h for h in header if h and h not in CSV_COLUMNS]
    if "id" not in header or unknown:
        raise TransferError(
            f"{name}: the header row (line 1) must name the columns {', '.join(CSV_COLUMNS)}"
            + (f"; unknown column(s): {', '.join(unknown)}" if unknown else "; the column 'id' is missing")
            + "."
        )
    start = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield start, RowError(f"this row cannot be read as CSV ({exc}).")
            start = reader.line_num + 1
            continue
        line, start = start, reader.line_num + 1
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(header):
            yield line, RowError(f"this row has {len(cells)} cells but the header has {len(header)} columns.")
            continue
        yield line, _row(dict(zip(header, cells, strict=False)))


def _row(cells: Mapping[str, str]) -> dict[str, Any] | RowError:
    record: dict[str, Any] = {}
    for column, cell in cells.items():
        if not column:
            continue
        value = cell.strip()
        if column in JSON_FIELDS:
            if not value:
                record[column] = [] if column != "translations" else {}
                continue
            try:
                record[column] = json.loads(value)
            except json.JSONDecodeError as exc:
                return RowError(f"{column}: the cell is not valid JSON ({exc.msg} at character {exc.colno}); "
                                'write for example [{"indicator": "...", "value": 12, ...}].')
        elif column in LIST_FIELDS:
            record[column] = [part.strip() for part in value.split(";") if part.strip()]
        else:
            record[column] = value
    if "original_language" in record and not record["original_language"] and not record.get("translations"):
        del record["original_language"]
        record.pop("translations", None)
    return record


# --- writing ----------------------------------------------------------------------------------------------


def write_jsonl(records: Iterable[Mapping[str, Any]], handle: IO[str]) -> int:
    """Write records one JSON object a line, as in the seed file; returns how many."""
    count = 0
    for record in records:
        handle.write(json.dumps(dict(record), ensure_ascii=False) + "\n")
        count += 1
    return count


def write_csv(records: Iterable[Mapping[str, Any]], handle: IO[str]) -> int:
    """Write records as CSV with the columns :data:`CSV_COLUMNS` (lists ``;``-separated, JSON cells for
    outcomes, sources and translations); returns how many."""
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    count = 0
    for record in records:
        row: list[str] = []
        for column in CSV_COLUMNS:
            value = record.get(column)
            if column in JSON_FIELDS:
                row.append(json.dumps(value, ensure_ascii=False) if value else "")
            elif column in LIST_FIELDS:
                row.append(";".join(value or []))
            elif isinstance(value, bool):
                row.append("true" if value else "false")
            else:
                row.append("" if value is None else str(value))
        writer.writerow(row)
        count += 1
    return count


def write_records(records: Iterable[Mapping[str, Any]], handle: IO[str], *, fmt: str = "jsonl") -> int:
    """Write records in ``fmt`` (``jsonl`` or ``csv``); returns how many."""
    if fmt not in FORMATS:
        raise TransferError(f"Unknown format '{fmt}': use {' or '.join(FORMATS)}.")
    return write_csv(records, handle) if fmt == "csv" else write_jsonl(records, handle)
