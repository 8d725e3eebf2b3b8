"""Import responses from KoboToolbox and ODK Central exports (CSV or XLSX), one row per submission.

Export headers carry the question's group path: Kobo writes ``firm/country``, ODK Central ``firm-country``.
:func:`plan_columns` reduces every header to a question of the survey's form (or to an instance id, a
submission time, one ticked choice of a split select_multiple column, or a bookkeeping column to ignore);
:func:`row_answers` turns one row into answers by question name; :func:`import_responses` stores each row
through :func:`msmelens.feedback.services.submit_response` in its own transaction, so one bad row never
stops the others, and the same file imported twice stores nothing new (rows are identified by instance id).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from msmelens.feedback import selectors, services
from msmelens.feedback.formspec import METADATA_TYPES, FormSpec, Question
from msmelens.feedback.models import Survey, Wave

# where the instance id comes from, in order of preference (Kobo's ``_uuid`` lacks the ``uuid:`` prefix)
ID_COLUMNS = ("meta/instanceID", "meta-instanceID", "instanceID", "KEY", "_uuid")
TIME_COLUMNS = ("_submission_time", "SubmissionDate", "end")
DEPRECATED_COLUMNS = ("meta/deprecatedID", "meta-deprecatedID", "deprecatedID")
# columns the export tools add about the submission rather than its answers
BOOKKEEPING = frozenset(
    {
        "_id", "_index", "_validation_status", "_notes", "_status", "_submitted_by", "__version__", "_version_",
        "_tags", "_attachments", "_geolocation", "_xform_id_string", "_parent_index", "_parent_table_name",
        "_submission__id", "_submission__uuid", "_submission__submission_time", "_media_all_received",
        "_total_media", "_media_count",
        "start", "end", "today", "deviceid", "username", "phonenumber", "simserial", "subscriberid", "audit",
        "formhub/uuid", "meta/rootUuid", "meta/instanceName", "meta-instanceName", "meta-rootUuid",
        "SubmitterID", "SubmitterName", "AttachmentsPresent", "AttachmentsExpected", "Status", "ReviewState",
        "DeviceID", "Edits", "FormVersion", "UserAgent",
    }
)
CSV_SUFFIXES = (".csv", ".txt", ".tsv")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
_TICKED = frozenset({"1", "1.0", "true", "yes", "x"})


class ImportFileError(ValueError):
    """The file cannot be read as an export; the message is one line for the person importing it."""


# --- reading the table --------------------------------------------------------------------------------


@dataclass(slots=True)
class Table:
    """A file's header and its rows (cells as text), each with its row number as a spreadsheet shows it."""

    headers: list[str]
    rows: Iterator[tuple[int, list[str]]]


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


def _decode(path: Path, content: bytes) -> str:
    if b"\x00" in content[:4096]:
        raise ImportFileError(f"{path.name}: this is not a CSV text file (it holds binary data).")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(f"{path.name}: the text is neither UTF-8 nor Windows-1252; save the file as UTF-8 CSV.")


def _csv_table(path: Path, content: bytes) -> Table:
    text = _decode(path, content)
    first_line = text.split("\n", 1)[0]
    try:
        dialect: Any = csv.Sniffer().sniff(first_line, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        headers = next(reader)
    except StopIteration:
        raise ImportFileError(f"{path.name}: the file is empty.") from None
    except csv.Error as exc:
        raise ImportFileError(f"{path.name}: this is not a readable CSV file ({exc}).") from None

    def rows() -> Iterator[tuple[int, list[str]]]:
        for number, row in enumerate(reader, start=2):
            if any(cell.strip() for cell in row):
                yield number, [cell.strip() for cell in row]

    return Table([h.strip() for h in headers], rows())


def _xlsx_table(path: Path, content: bytes) -> Table:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds of errors for a damaged workbook
        raise ImportFileError(f"{path.name}: the workbook cannot be opened ({type(exc).__name__}).") from None
    sheet = workbook.worksheets[0]  # Kobo puts the main table first, repeats after it
    values = sheet.iter_rows(values_only=True)
    header_row = next(values, None)
    if header_row is None or not any(c is not None for c in header_row):
        workbook.close()
        raise ImportFileError(f"{path.name}: the first sheet is empty.")
    headers = [_cell_text(c) for c in header_row]

    def rows() -> Iterator[tuple[int, list[str]]]:
        try:
            for number, row in enumerate(values, start=2):
                cells = [_cell_text(c) for c in row]
                if any(cells):
                    yield number, cells
        finally:
            workbook.close()

    return Table(headers, rows())


def read_table(path: Path) -> Table:
    """Open a CSV (UTF-8, else Windows-1252; comma, semicolon or tab) or XLSX export."""
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise ImportFileError(f"{path}: cannot be read ({exc.strerror or exc}).") from None
    if not content.strip():
        raise ImportFileError(f"{path.name}: the file is empty.")
    suffix = path.suffix.lower()
    is_zip = zipfile.is_zipfile(io.BytesIO(content))
    if suffix in XLSX_SUFFIXES or (is_zip and suffix not in CSV_SUFFIXES):
        if not is_zip:
            raise ImportFileError(f"{path.name}: this is not an Excel workbook (.xlsx); export again as XLSX or CSV.")
        return _xlsx_table(path, content)
    if suffix == ".xls":
        raise ImportFileError(f"{path.name}: old Excel files (.xls) are not read; save it as .xlsx or CSV.")
    if suffix and suffix not in CSV_SUFFIXES:
        raise ImportFileError(f"{path.name}: '{suffix}' is not an export this command reads; use CSV or XLSX.")
    return _csv_table(path, content)


# --- reducing headers to questions ---------------------------------------------------------------------


@dataclass(slots=True)
class ColumnPlan:
    """What each column of an export means for a form."""

    questions: dict[int, str] = field(default_factory=dict)  # column index → question name
    splits: dict[int, tuple[str, str]] = field(default_factory=dict)  # index → (select_multiple, choice)
    id_columns: list[int] = field(default_factory=list)  # in order of preference
    time_columns: list[int] = field(default_factory=list)
    deprecated_columns: list[int] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # headers that are no question of the form
    headers: list[str] = field(default_factory=list)

    def header_of(self, name: str) -> str:
        """The export column a question's answer came from (its name if the export had none)."""
        for index, question in self.questions.items():
            if question == name:
                return self.headers[index]
        for question, _choice in self.splits.values():
            if question == name:
                return f"{name}/…"
        return name


def _answerable(question: Question | None) -> bool:
    return (
        question is not None
        and question.is_value
        and not question.repeat
        and question.type != "calculate"
        and question.type not in METADATA_TYPES
    )


def reduce_header(header: str, spec: FormSpec) -> tuple[str, str]:
    """``("question", name)``, ``("split", "name choice")`` or ``("", "")`` for one export header.

    ``firm/country`` (Kobo), ``firm-country`` (ODK Central) and ``country`` all give ``country``;
    ``trade/markets/KOR`` or ``markets/KOR`` give the ``KOR`` tick of ``markets``."""
    by_name = spec.by_name
    paths = {q.path: q.name for q in spec.questions if q.path}
    for candidate in (header, paths.get(header), paths.get(header.replace("-", "/"))):
        if candidate and _answerable(by_name.get(candidate)):
            return "question", candidate
    if "/" in header:
        head, _, last = header.rpartition("/")
        if _answerable(by_name.get(last)):
            return "question", last
        kind, name = reduce_header(head, spec)
        question = by_name.get(name) if kind == "question" else None
        if question is not None and question.type == "select_multiple" and (
            not question.choices or last in question.choice_names
        ):
            return "split", f"{name} {last}"
    position = header.find("-")
    while position != -1:  # ODK Central joins groups with "-"; names may hold "-" too, so try each cut
        if _answerable(by_name.get(header[position + 1:])):
            return "question", header[position + 1:]
        position = header.find("-", position + 1)
    return "", ""


def plan_columns(headers: Sequence[str], spec: FormSpec) -> ColumnPlan:
    """Decide what every column of an export is, for the form ``spec``."""
    plan = ColumnPlan(headers=list(headers))
    index_of = {h: i for i, h in reversed(list(enumerate(headers)))}
    plan.id_columns = [index_of[h] for h in ID_COLUMNS if h in index_of]
    plan.time_columns = [index_of[h] for h in TIME_COLUMNS if h in index_of]
    plan.deprecated_columns = [index_of[h] for h in DEPRECATED_COLUMNS if h in index_of]
    special = set(plan.id_columns) | set(plan.time_columns) | set(plan.deprecated_columns)
    seen: set[str] = set()
    for index, header in enumerate(headers):
        if index in special or not header:
            continue
        kind, name = reduce_header(header, spec)
        if kind == "question" and name not in seen:
            plan.questions[index] = name
            seen.add(name)
        elif kind == "split":
            question, choice = name.split(" ", 1)
            plan.splits[index] = (question, choice)
        elif kind == "" and header not in BOOKKEEPING and not header.startswith("_") and not (
            header.startswith(("meta/", "meta-")) or header.split("/")[-1] in BOOKKEEPING
        ):
            plan.unknown.append(header)
    # a split tick counts only when the export lacks the select_multiple's own column
    plan.splits = {i: qc for i, qc in plan.splits.items() if qc[0] not in seen}
    return plan


# --- one row -------------------------------------------------------------------------------------------


def row_answers(plan: ColumnPlan, cells: Sequence[str]) -> dict[str, Any]:
    """Answers by question name for one row (split ticks folded into lists, empty cells left out)."""
    answers: dict[str, Any] = {}
    for index, name in plan.questions.items():
        value = cells[index] if index < len(cells) else ""
        if value != "":
            answers[name] = value
    for index, (name, choice) in plan.splits.items():
        value = cells[index] if index < len(cells) else ""
        if value.strip().lower() in _TICKED:
            answers.setdefault(name, []).append(choice)
    return answers


def _first(plan_columns_: list[int], cells: Sequence[str]) -> tuple[int, str]:
    for index in plan_columns_:
        value = cells[index].strip() if index < len(cells) else ""
        if value:
            return index, value
    return -1, ""


def row_instance_id(plan: ColumnPlan, cells: Sequence[str], row: Mapping[str, str]) -> str:
    """The row's instance id; Kobo's bare ``_uuid`` gets the ``uuid:`` prefix; without any id column, a
    stable id from a hash of the row (the same row always gets the same id)."""
    index, value = _first(plan.id_columns, cells)
    if value:
        if plan.headers[index] == "_uuid" and not value.startswith("uuid:"):
            value = "uuid:" + value
        return value
    text = json.dumps(dict(row), sort_keys=True, ensure_ascii=False)
    return "row:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def parse_time(value: str) -> dt.datetime | None:
    """``2024-03-05T10:12:33`` (Kobo, UTC), ``2024-03-05T10:12:33.123Z`` (Central), ``…+01:00`` (``end``)."""
    text = (value or "").strip()
    if not text:
        return None
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    try:
        moment = dt.datetime.fromisoformat(text.replace(" ", "T", 1))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


# --- the import ----------------------------------------------------------------------------------------


@dataclass(slots=True)
class RowIssue:
    row: int  # as a spreadsheet numbers it: the header is row 1
    column: str
    reason: str
    instance_id: str = ""
    kind: str = "rejected"  # rejected or conflict


@dataclass(slots=True)
class ImportReport:
    filename: str
    rows_read: int = 0
    stored: int = 0
    already_stored: int = 0
    conflicts: int = 0
    rejected: int = 0
    issues: list[RowIssue] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.rows_read} rows read: {self.stored} stored, {self.already_stored} already stored, "
            f"{self.conflicts} conflicts, {self.rejected} rejected"
        )

    def issue_lines(self) -> list[str]:
        return [
            f"row {i.row}, column '{i.column}': {i.reason}" + (f" ({i.instance_id})" if i.instance_id else "")
            for i in self.issues
        ]

    def write_csv(self, path: Path) -> None:
        """The row-by-row problems as a CSV for the people who fix the data."""
        from msmelens.lens.tabular import csv_cell

        with path.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(["row", "column", "outcome", "instance_id", "reason"])
            for issue in self.issues:
                writer.writerow([issue.row, csv_cell(issue.column), issue.kind, csv_cell(issue.instance_id),
                                 csv_cell(issue.reason)])


def import_responses(*, survey: Survey, path: Path, wave: Wave | None = None) -> ImportReport:
    """Store every row of a Kobo or ODK Central export as a response of ``survey``.

    Not one transaction: each row is stored in its own, so a batch survives bad rows. With ``wave``, every
    row goes into that wave whatever its date (rows without a submission time are dated to its first day);
    without, each row goes into the wave running on its submission date.
    Raises :class:`ImportFileError` when the file cannot be read as an export of this form."""
    path = Path(path)
    table = read_table(path)
    form = selectors.current_form(survey)
    spec = selectors.form_spec(form)
    plan = plan_columns(table.headers, spec)
    if not plan.questions and not plan.splits:
        raise ImportFileError(
            f"{path.name}: no column matches a question of form '{spec.form_id}'; is this an export of "
            f"survey '{survey.slug}'?"
        )
    report = ImportReport(path.name)
    if not plan.id_columns:
        report.notes.append(
            "The file has no instance-id column (meta/instanceID, KEY or _uuid): each row got a stable id "
            "made from a hash of its cells, so importing the same file again stores nothing twice."
        )
    if plan.unknown:
        shown = ", ".join(plan.unknown[:10]) + (" …" if len(plan.unknown) > 10 else "")
        report.notes.append(f"Columns that are no question of this form were kept only in the raw row: {shown}.")
    answer_columns = sorted(set(plan.questions) | set(plan.splits) | set(plan.id_columns))
    for number, cells in table.rows:
        report.rows_read += 1
        row = {h: (cells[i] if i < len(cells) else "") for i, h in enumerate(table.headers) if h}
        instance_id = row_instance_id(plan, cells, row)
        _, when_text = _first(plan.time_columns, cells)
        received_at = parse_time(when_text)
        if received_at is None and wave is not None:
            received_at = dt.datetime.combine(wave.starts_on, dt.time(12), tzinfo=dt.UTC)
        identity = {table.headers[i]: cells[i] for i in answer_columns if i < len(cells) and cells[i] != ""}
        try:
            with transaction.atomic():
                outcome = services.submit_response(
                    survey=survey,
                    instance_id=instance_id,
                    answers=row_answers(plan, cells),
                    raw=json.dumps(row, ensure_ascii=False),
                    raw_format="csv",
                    channel="import",
                    payload_hash=services.canonical_hash(identity),
                    deprecated_id=_first(plan.deprecated_columns, cells)[1],
                    received_at=received_at,
                    form=form,
                    strict=False,
                    wave=wave,
                )
        except services.FeedbackError as exc:
            report.rejected += 1
            column = table.headers[plan.id_columns[0]] if plan.id_columns else "instance id"
            report.issues.append(RowIssue(number, column, str(exc), ""))
            continue
        if outcome.status == "created":
            report.stored += 1
        elif outcome.status == "duplicate":
            report.already_stored += 1
        elif outcome.status == "conflict":
            report.conflicts += 1
            column = table.headers[plan.id_columns[0]] if plan.id_columns else "instance id"
            report.issues.append(RowIssue(
                number, column, "a response with this instance id is already stored with other answers; "
                "it was kept and this row was not stored", instance_id, "conflict"))
        else:
            report.rejected += 1
            for problem in outcome.problems:
                report.issues.append(RowIssue(number, plan.header_of(problem.name), problem.message, instance_id))
    if report.rows_read == 0:
        report.notes.append("The file has a header but no rows.")
    if report.already_stored:
        report.notes.append(f"{report.already_stored} already stored (same instance id and the same answers).")
    return report
