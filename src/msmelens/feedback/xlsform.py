"""XLSForm in, XForm and :class:`FormSpec` out, through pyxform. The only module that imports pyxform.

Errors are gathered into :class:`FormError` with the sheet, row and column they concern and a sentence for
people who write forms, not programs (pyxform's own messages say ``[row : 3]``; we say
``survey sheet, row 3, column 'constraint'``). Codes MSL301–MSL312 are listed in docs/errors.md.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from msmelens.feedback import expressions
from msmelens.feedback.formspec import (
    METADATA_TYPES,
    Choice,
    FormSpec,
    Page,
    Question,
    language_code,
)

LOOSE_QUESTIONS_PER_PAGE = 5
RESERVED_NAMES = frozenset({"instance_id", "wave", "synthetic", "channel", "received_at", "form_version"})
SUPPORTED_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv", ".md")
_TYPE_NAMES = {
    "select one": "select_one",
    "select all that apply": "select_multiple",
    "dateTime": "datetime",
    "int": "integer",
}


@dataclass(slots=True)
class FormProblem:
    code: str
    message: str
    sheet: str = ""
    row: int | None = None
    column: str = ""

    def __str__(self) -> str:
        where = []
        if self.sheet:
            where.append(f"{self.sheet} sheet")
        if self.row:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        place = ", ".join(where)
        return f"{self.code} {place + ': ' if place else ''}{self.message}"


class FormError(ValueError):
    """The XLSForm cannot be used; ``problems`` says where and why, one line each."""

    def __init__(self, filename: str, problems: list[FormProblem]) -> None:
        self.filename = filename
        self.problems = problems
        super().__init__(self.describe())

    def describe(self) -> str:
        lines = [f"{self.filename}: this XLSForm cannot be used."]
        lines += [f"  {problem}" for problem in self.problems]
        return "\n".join(lines)


@dataclass(slots=True)
class ConvertedForm:
    spec: FormSpec
    xform: str
    warnings: list[str] = field(default_factory=list)


# pyxform messages we can place more precisely: (pattern, column, plain message)
_PYXFORM_HINTS: list[tuple[re.Pattern[str], str, str]] = [
    (re.compile(r"List name not in choices sheet: (\S+)", re.I), "type",
     "the choice list '{0}' is used here but the choices sheet has no list_name '{0}'."),
    (re.compile(r"Unknown question type '([^']+)'", re.I), "type", "'{0}' is not an XLSForm question type."),
    (re.compile(r"Question or group with no name", re.I), "name", "this row has a type but no name."),
    (re.compile(r"Invalid question name \[([^\]]+)\]", re.I), "name",
     "'{0}' is not a valid question name: start with a letter or _, then letters, digits, _, - or ."),
    (re.compile(r"There are more than one survey elements named '([^']+)'", re.I), "name",
     "the name '{0}' is used twice; every question needs its own name."),
    (re.compile(r"Unmatched begin statement: (\w+)", re.I), "type",
     "a begin_{0} has no matching end_{0}."),
    (re.compile(r"Unmatched end statement", re.I), "type", "an end_group or end_repeat has no matching begin."),
]


def _place_pyxform_error(message: str) -> FormProblem:
    row_match = re.search(r"\[row\s*:\s*(\d+)\]", message)
    row = int(row_match.group(1)) if row_match else None
    sheet = "choices" if re.search(r"choices sheet.*duplicate|\[choices\]", message, re.I) else "survey"
    text = re.sub(r"\[row\s*:\s*\d+\]\s*", "", message).strip()
    placed = re.match(r"On the '(\w+)' sheet, the '([^']+)' value is invalid\.\s*(.*)", text, re.S)
    if placed:
        detail = placed.group(3).replace("Reference variables must contain a name from the 'survey' sheet. ", "")
        detail = re.sub(r"Could not find the name '([^']+)'\.?", r"${\1} is not a question of this form.", detail)
        return FormProblem("MSL307" if "${" in detail else "MSL303", detail.strip() or "this value is invalid.",
                           placed.group(1), row, placed.group(2))
    for pattern, column, plain in _PYXFORM_HINTS:
        found = pattern.search(text)
        if found:
            return FormProblem("MSL303", plain.format(*found.groups()), sheet, row, column)
    return FormProblem("MSL303", text.rstrip(".") + ".", sheet if row else "", row, "")


def _suffix(filename: str) -> str:
    suffix = Path(filename).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise FormError(
            filename,
            [FormProblem("MSL301", f"'{suffix or 'no extension'}' is not an XLSForm file: upload .xlsx "
                         "(Excel), .xls, .csv or .md.")],
        )
    return suffix


def _check_container(filename: str, content: bytes, suffix: str) -> None:
    if not content:
        raise FormError(filename, [FormProblem("MSL301", "the file is empty.")])
    if suffix in (".xlsx", ".xlsm") and not zipfile.is_zipfile(io.BytesIO(content)):
        raise FormError(
            filename,
            [FormProblem("MSL301", "this is not an Excel workbook (.xlsx): save it again from Excel, "
                         "LibreOffice or Google Sheets as .xlsx.")],
        )


def read_workbook(filename: str, content: bytes) -> dict[str, list[dict[str, Any]]]:
    """The workbook's sheets as lists of row dicts (pyxform's reader), for locating problems by row."""
    from pyxform.errors import PyXFormError
    from pyxform.xls2json_backends import get_xlsform

    suffix = _suffix(filename)
    _check_container(filename, content, suffix)
    try:
        data = content.decode("utf-8") if suffix in (".csv", ".md") else io.BytesIO(content)
        workbook = get_xlsform(xlsform=data, file_type=suffix)
    except UnicodeDecodeError:
        raise FormError(filename, [FormProblem("MSL301", "the file is not UTF-8 text.")]) from None
    except PyXFormError as exc:
        raise FormError(filename, [_place_pyxform_error(str(exc))]) from None
    except Exception as exc:  # a corrupt workbook makes openpyxl/xlrd raise many kinds of errors
        raise FormError(
            filename, [FormProblem("MSL301", f"the workbook cannot be opened ({type(exc).__name__}).")]
        ) from None
    sheets = ("survey", "choices", "settings", "external_choices", "entities")
    return {name: [dict(row) for row in (getattr(workbook, name, None) or [])] for name in sheets}


def _row_of(workbook: dict[str, list[dict[str, Any]]], name: str) -> int | None:
    for index, row in enumerate(workbook.get("survey") or []):
        if str(row.get("name", "")).strip() == name:
            return index + 2  # row 1 is the header
    return None


def _labels(value: Any) -> dict[str, str]:
    if not value:
        return {}
    if isinstance(value, str):
        return {"default": value}
    return {language_code(str(k)): str(v) for k, v in value.items() if v not in (None, "", "-")}


def _bind_text(value: Any) -> str:
    return str(value).strip() if value not in (None, "") else ""


class _Builder:
    def __init__(self) -> None:
        self.questions: list[Question] = []
        self.pages: list[Page] = []
        self._loose: list[str] = []

    def _close_loose(self) -> None:
        if self._loose:
            self.pages.append(Page(f"page-{len(self.pages) + 1}", {}, [], self._loose))
            self._loose = []

    def walk(
        self,
        children: list[dict[str, Any]],
        *,
        path: str = "",
        group: str = "",
        group_relevant: list[str] | None = None,
        repeat: str = "",
        page: Page | None = None,
    ) -> None:
        group_relevant = group_relevant or []
        for child in children:
            ctype = str(child.get("type", ""))
            name = str(child.get("name", ""))
            bind = child.get("bind") or {}
            child_path = f"{path}/{name}" if path else name
            if ctype in ("group", "repeat"):
                if name == "meta" and (child.get("control") or {}).get("bodyless"):
                    continue
                relevant = _bind_text(bind.get("relevant"))
                inner_relevant = group_relevant + ([relevant] if relevant else [])
                own_page = page
                if page is None and ctype == "group":
                    self._close_loose()
                    own_page = Page(name, _labels(child.get("label")), inner_relevant, [])
                    self.pages.append(own_page)
                self.walk(
                    child.get("children") or [],
                    path=child_path,
                    group=name,
                    group_relevant=inner_relevant,
                    repeat=repeat or (name if ctype == "repeat" else ""),
                    page=own_page,
                )
                continue
            qtype = _TYPE_NAMES.get(ctype, ctype)
            choices = [Choice(str(c["name"]), _labels(c.get("label"))) for c in child.get("choices") or []]
            question = Question(
                name=name,
                type=qtype,
                label=_labels(child.get("label")),
                hint=_labels(child.get("hint")),
                group=group,
                list_name=str(child.get("list_name") or child.get("itemset") or ""),
                choices=choices,
                required=_bind_text(bind.get("required")),
                required_message=_labels(bind.get("jr:requiredMsg")),
                relevant=_bind_text(bind.get("relevant")),
                group_relevant=list(group_relevant),
                constraint=_bind_text(bind.get("constraint")),
                constraint_message=_labels(bind.get("jr:constraintMsg")),
                calculation=_bind_text(bind.get("calculate") or child.get("calculation")),
                appearance=str((child.get("control") or {}).get("appearance", "")),
                default=str(child.get("default", "") or ""),
                repeat=repeat,
                path=child_path,
            )
            self.questions.append(question)
            if qtype in METADATA_TYPES or qtype in ("calculate", "hidden") or repeat:
                continue  # never shown on a page
            if page is not None:
                page.questions.append(name)
            else:
                self._loose.append(name)
                if len(self._loose) >= LOOSE_QUESTIONS_PER_PAGE:
                    self._close_loose()

    def finish(self) -> list[Page]:
        self._close_loose()
        pages = [p for p in self.pages if p.questions]
        for index, page in enumerate(pages):
            for name in page.questions:
                next(q for q in self.questions if q.name == name).page = index
        return pages


def _check_spec(spec: FormSpec, workbook: dict[str, list[dict[str, Any]]]) -> list[FormProblem]:
    problems: list[FormProblem] = []
    seen: set[str] = set()
    for q in spec.questions:
        row = _row_of(workbook, q.name)
        if q.name in seen:
            problems.append(FormProblem("MSL304", f"the name '{q.name}' is used twice (in different "
                            "groups); MSME Lens keys answers by name, so every name must be unique.",
                            "survey", row, "name"))
        seen.add(q.name)
        if q.name in RESERVED_NAMES:
            problems.append(FormProblem("MSL305", f"'{q.name}' is a column MSME Lens adds to every export; "
                            "give this question another name.", "survey", row, "name"))
        for column, text in (("relevant", q.relevant), ("constraint", q.constraint),
                             ("calculation", q.calculation), ("required", q.required)):
            if not text or (column == "required" and text.lower() in ("yes", "no", "true()", "false()",
                                                                       "true", "false")):
                continue
            try:
                node = expressions.parse(text)
            except expressions.ExpressionError as exc:
                problems.append(FormProblem("MSL306", f"{exc} in '{text}'.", "survey", row, column))
                continue
            unknown = sorted(expressions.references(node) - {x.name for x in spec.questions})
            if unknown:
                problems.append(FormProblem("MSL307", f"'{text}' refers to ${{{unknown[0]}}}, which is not "
                                "a question of this form.", "survey", row, column))
    if not spec.value_questions:
        problems.append(FormProblem("MSL308", "the form has no question that takes an answer.", "survey"))
    return problems


def convert_xlsform(filename: str, content: bytes) -> ConvertedForm:
    """Validate and convert an XLSForm; raises :class:`FormError` listing every problem found."""
    from pyxform.errors import PyXFormError
    from pyxform.xls2xform import convert

    workbook = read_workbook(filename, content)
    if not workbook.get("survey"):
        raise FormError(filename, [FormProblem("MSL302", "the workbook needs a sheet named 'survey' with "
                                               "the columns type, name and label.")])
    suffix = Path(filename).suffix.lower()
    warnings: list[str] = []
    try:
        data = content.decode("utf-8") if suffix in (".csv", ".md") else content
        result = convert(xlsform=data, warnings=warnings, file_type=suffix, form_name="data")
    except PyXFormError as exc:
        raise FormError(filename, [_place_pyxform_error(str(exc))]) from None
    except Exception as exc:
        raise FormError(
            filename, [FormProblem("MSL303", f"pyxform could not convert the form ({exc}).")]
        ) from None
    tree = result._pyxform
    builder = _Builder()
    builder.walk(tree.get("children") or [])
    pages = builder.finish()
    languages: list[str] = []
    for q in builder.questions:
        for code in q.label:
            if code not in languages:
                languages.append(code)
    default = language_code(str(tree.get("default_language") or "")) if tree.get("default_language") else ""
    if not default or default == "default":
        default = languages[0] if languages else "default"
    spec = FormSpec(
        form_id=str(tree.get("id_string") or ""),
        title=str(tree.get("title") or tree.get("id_string") or ""),
        version=str(tree.get("version") or ""),
        default_language=default,
        languages=languages,
        questions=builder.questions,
        pages=pages,
        root=str(tree.get("name") or "data"),
    )
    if not spec.form_id or spec.form_id == "data":
        stem = re.sub(r"[^\w]+", "_", Path(filename).stem).strip("_").lower() or "form"
        spec.form_id = stem
    settings_rows = workbook.get("settings") or [{}]
    spec.titles = {
        language_code(key.split("::", 1)[1]): str(value).strip()
        for key, value in settings_rows[0].items()
        if key.startswith("msmelens_title::") and value and str(value).strip()
    }
    problems = _check_spec(spec, workbook)
    if problems:
        raise FormError(filename, problems)
    return ConvertedForm(spec=spec, xform=result.xform, warnings=[str(w) for w in warnings])


def default_instrument_path() -> Path:
    """The XLSForm of the default instrument ``msme-trade-obstacles``, shipped with the package."""
    return Path(__file__).resolve().parent / "instrument" / "msme_trade_obstacles.xlsx"
