"""Normalise one response's answers and check them against its form, as ODK Collect would on the phone.

Every channel (web form, JSON API, OpenRosa, file import, simulation) goes through :func:`check_answers`:
values are coerced to their question's type (``"12"`` → 12 for an integer; ``"PER KOR"`` → ``["PER",
"KOR"]`` for a select_multiple), non-relevant answers are dropped (as ODK clears them), ``calculate``
questions are computed on the server, ``required`` and ``constraint`` are enforced, and contact details are
split off. Problems come back one per field, in the respondent's language (English, French or Spanish),
using the form's own ``constraint_message`` where it has one.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from msmelens.feedback import expressions
from msmelens.feedback.formspec import METADATA_TYPES, FormSpec, Question

MAX_TEXT = 10_000
_REQUIRED_TRUE = ("yes", "true", "true()")
_REQUIRED_FALSE = ("", "no", "false", "false()")

MESSAGES: dict[str, dict[str, str]] = {
    "required": {
        "en": "This question needs an answer.",
        "fr": "Cette question demande une réponse.",
        "es": "Esta pregunta necesita una respuesta.",
    },
    "constraint": {
        "en": "This answer is not allowed here.",
        "fr": "Cette réponse n'est pas acceptée ici.",
        "es": "Esta respuesta no está permitida aquí.",
    },
    "integer": {
        "en": "Enter a whole number, such as 12.",
        "fr": "Indiquez un nombre entier, par exemple 12.",
        "es": "Indique un número entero, por ejemplo 12.",
    },
    "decimal": {
        "en": "Enter a number, such as 2.5.",
        "fr": "Indiquez un nombre, par exemple 2,5.",
        "es": "Indique un número, por ejemplo 2,5.",
    },
    "date": {
        "en": "Enter a date as YYYY-MM-DD.",
        "fr": "Indiquez une date au format AAAA-MM-JJ.",
        "es": "Indique una fecha con el formato AAAA-MM-DD.",
    },
    "choice": {
        "en": "'{value}' is not one of the answers offered.",
        "fr": "« {value} » ne fait pas partie des réponses proposées.",
        "es": "«{value}» no es una de las respuestas ofrecidas.",
    },
    "text": {
        "en": "This answer is too long or is not text.",
        "fr": "Cette réponse est trop longue ou n'est pas du texte.",
        "es": "Esta respuesta es demasiado larga o no es texto.",
    },
    "unknown": {
        "en": "This form has no question with this name.",
        "fr": "Ce formulaire n'a pas de question portant ce nom.",
        "es": "Este formulario no tiene ninguna pregunta con este nombre.",
    },
}


def message(code: str, language: str, **values: str) -> str:
    table = MESSAGES[code]
    return table.get(language, table["en"]).format(**values)


@dataclass(frozen=True, slots=True)
class AnswerProblem:
    name: str  # question name
    code: str  # required, constraint, integer, decimal, date, choice, text, unknown
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"field": self.name, "code": self.code, "message": self.message}


@dataclass(slots=True)
class CheckedAnswers:
    answers: dict[str, Any] = field(default_factory=dict)  # by question name, contact details excluded
    contact: dict[str, str] = field(default_factory=dict)  # contact_email, contact_phone, ...
    problems: list[AnswerProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


class _Invalid(Exception):
    def __init__(self, code: str, value: str = "") -> None:
        self.code = code
        self.value = value


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or (isinstance(value, str) and not value.strip())


def _encodable(text: str) -> bool:
    """False for text with lone surrogates (broken Unicode), which no database column takes."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _coerce(question: Question, value: Any) -> Any:
    """The stored form of ``value`` for ``question``; raises :class:`_Invalid`."""
    qtype = question.type
    if isinstance(value, dict):
        raise _Invalid("text")
    if qtype == "integer":
        if isinstance(value, bool):
            raise _Invalid("integer")
        if isinstance(value, int):
            return value
        if isinstance(value, float):
            if math.isfinite(value) and value.is_integer():
                return int(value)
            raise _Invalid("integer")
        text = str(value).strip()
        if re.fullmatch(r"[+-]?\d{1,15}", text):
            return int(text)
        if re.fullmatch(r"[+-]?\d{1,15}\.0*", text):
            return int(float(text))
        raise _Invalid("integer")
    if qtype in ("decimal", "range"):
        if isinstance(value, bool):
            raise _Invalid("decimal")
        try:
            number = float(str(value).strip().replace(",", ".")) if not isinstance(value, int | float) else value
        except ValueError:
            raise _Invalid("decimal") from None
        if not math.isfinite(number):
            raise _Invalid("decimal")
        return int(number) if qtype == "range" and float(number).is_integer() else number
    if qtype == "select_one":
        text = str(value).strip() if not isinstance(value, list | bool) else ""
        if isinstance(value, bool | list):
            raise _Invalid("choice", str(value)[:40])
        if isinstance(value, float) and value.is_integer():
            text = str(int(value))
        if (question.choices and text not in question.choice_names) or not _encodable(text):
            raise _Invalid("choice", text[:40])
        return text
    if qtype == "select_multiple":
        if isinstance(value, list):
            items = [str(v).strip() for v in value if not isinstance(v, dict | list | bool)]
            if len(items) != len(value):
                raise _Invalid("choice", str(value)[:40])
        elif isinstance(value, str):
            items = value.split()
        else:
            raise _Invalid("choice", str(value)[:40])
        ordered: list[str] = []
        for item in items:
            if (question.choices and item not in question.choice_names) or not _encodable(item):
                raise _Invalid("choice", item[:40])
            if item and item not in ordered:
                ordered.append(item)
        return ordered
    if qtype == "date":
        text = str(value).strip()[:10]
        try:
            return dt.date.fromisoformat(text).isoformat()
        except ValueError:
            raise _Invalid("date") from None
    # text, datetime, time, geopoint, barcode, calculate, metadata...
    if isinstance(value, list | bool):
        raise _Invalid("text")
    text = str(value)
    if len(text) > MAX_TEXT or "\x00" in text or not _encodable(text):
        raise _Invalid("text")
    return text.strip() if qtype != "text" else text.strip("\r\n\t ")


def _required(spec: FormSpec, question: Question, context: expressions.Context) -> bool:
    text = question.required.strip().lower()
    if text in _REQUIRED_TRUE:
        return True
    if text in _REQUIRED_FALSE:
        return False
    node = spec.parsed.get(f"{question.name}:required")
    return expressions.is_true(node, context, default=False)


def _relevant(spec: FormSpec, question: Question, context: expressions.Context) -> bool:
    for i in range(len(question.group_relevant)):
        if not expressions.is_true(spec.parsed.get(f"{question.name}:group{i}"), context):
            return False
    return expressions.is_true(spec.parsed.get(f"{question.name}:relevant"), context)


def _calculate(node: expressions.Node, context: expressions.Context) -> Any:
    result = expressions.evaluate(node, context)
    if isinstance(result, float):
        if math.isnan(result) or math.isinf(result):
            return ""
        return int(result) if result.is_integer() else result
    if isinstance(result, bool):
        return "true" if result else "false"
    if isinstance(result, dt.date):
        return result.isoformat()
    if isinstance(result, list):
        return " ".join(result)
    return result


def check_answers(
    spec: FormSpec,
    given: Mapping[str, Any],
    *,
    language: str = "en",
    strict: bool = True,
    enforce_required: bool = True,
) -> CheckedAnswers:
    """Check ``given`` (answers by question name) against ``spec``.

    ``strict``: a name that is no question of the form is a problem (the JSON API); otherwise it is ignored
    and only kept in the raw payload (OpenRosa, imports: older form versions, export bookkeeping columns).
    ``enforce_required``: off for the web form's intermediate pages.
    """
    result = CheckedAnswers()
    lang = language if language in ("en", "fr", "es") else "en"
    values: dict[str, Any] = {}
    context = expressions.Context(values)
    if strict:
        for name in given:
            question = spec.by_name.get(name)
            known = question is not None and (
                (question.is_value and not question.repeat)
                or question.type in METADATA_TYPES
                or question.type == "note"
            )
            if not known:
                result.problems.append(AnswerProblem(name, "unknown", message("unknown", lang)))
    for question in spec.questions:
        if not question.is_value and question.type not in METADATA_TYPES:
            continue
        if question.repeat:
            continue
        name = question.name
        if not _relevant(spec, question, context):
            continue
        if question.type == "calculate":
            node = spec.parsed.get(f"{name}:calculation")
            value = _calculate(node, context) if node is not None else given.get(name, "")
            if not _is_empty(value):
                values[name] = value
            continue
        raw = given.get(name)
        if _is_empty(raw):
            if enforce_required and _required(spec, question, context):
                text = spec.text(question.required_message, lang) if question.required_message else ""
                result.problems.append(AnswerProblem(name, "required", text or message("required", lang)))
            continue
        try:
            value = _coerce(question, raw)
        except _Invalid as exc:
            result.problems.append(AnswerProblem(name, exc.code, message(exc.code, lang, value=exc.value)))
            continue
        if _is_empty(value):
            if enforce_required and _required(spec, question, context):
                result.problems.append(AnswerProblem(name, "required", message("required", lang)))
            continue
        values[name] = value
        node = spec.parsed.get(f"{name}:constraint")
        if node is not None:
            current = expressions.as_value(value)
            if not expressions.is_true(node, expressions.Context(values, current)):
                text = spec.text(question.constraint_message, lang) if question.constraint_message else ""
                result.problems.append(AnswerProblem(name, "constraint", text or message("constraint", lang)))
                del values[name]
    for name, value in values.items():
        question = spec.by_name[name]
        if question.is_contact:
            result.contact[name] = str(value)
        else:
            result.answers[name] = value
    return result
