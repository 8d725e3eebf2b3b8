"""A survey form as plain data: questions in order, their groups (pages), labels by language and checks.

Built from pyxform's internal representation by :func:`from_pyxform` (in ``xlsform``, the only module that
touches pyxform), stored as JSON with the form version (:meth:`FormSpec.to_dict`), and read by the answer
checker, the web form, the importers and the exporters. Language keys are two-letter codes ("en", "fr",
"es"); a form without languages has its labels under "default".
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from functools import cached_property
from typing import Any

from msmelens.feedback import expressions

# question types the server stores an answer for (others are structure or notes)
VALUE_TYPES = frozenset(
    {"integer", "decimal", "text", "select_one", "select_multiple", "date", "datetime", "time", "calculate",
     "range", "geopoint", "barcode", "acknowledge", "hidden", "email", "phone"}
)
METADATA_TYPES = frozenset({"start", "end", "today", "deviceid", "username", "phonenumber", "audit"})
# answers that identify a person: kept apart from the answers, never exported or published
CONTACT_PREFIX = "contact_"
SIZE_CLASSES: tuple[tuple[str, int, int | None], ...] = (
    ("micro", 0, 9),
    ("small", 10, 49),
    ("medium", 50, 249),
    ("large", 250, None),
)


def size_class(employees: int | None) -> str:
    """micro 1–9 (and firms with no employee besides the owner), small 10–49, medium 50–249, large 250+."""
    if employees is None or employees < 0:
        return ""
    for name, low, high in SIZE_CLASSES:
        if employees >= low and (high is None or employees <= high):
            return name
    return ""  # pragma: no cover


@dataclass(slots=True)
class Choice:
    name: str
    label: dict[str, str]


@dataclass
class Question:
    name: str
    type: str  # "integer", "select_one", "note", ... (see VALUE_TYPES)
    label: dict[str, str] = field(default_factory=dict)
    hint: dict[str, str] = field(default_factory=dict)
    group: str = ""  # name of the innermost group ("" at the top level)
    page: int = 0  # index into FormSpec.pages
    list_name: str = ""
    choices: list[Choice] = field(default_factory=list)
    required: str = ""  # "yes" or an expression
    required_message: dict[str, str] = field(default_factory=dict)
    relevant: str = ""  # own expression, without the groups'
    group_relevant: list[str] = field(default_factory=list)  # enclosing groups' expressions
    constraint: str = ""
    constraint_message: dict[str, str] = field(default_factory=dict)
    calculation: str = ""
    appearance: str = ""
    default: str = ""
    repeat: str = ""  # name of the enclosing repeat, if any (answers kept raw)
    path: str = ""  # XForm path below the root, "grp/name"

    @property
    def is_value(self) -> bool:
        return self.type in VALUE_TYPES

    @property
    def is_contact(self) -> bool:
        return self.name.startswith(CONTACT_PREFIX)

    @property
    def choice_names(self) -> frozenset[str]:
        names = self.__dict__.get("_choice_names")
        if names is None:
            names = self.__dict__["_choice_names"] = frozenset(choice.name for choice in self.choices)
        return names


@dataclass(slots=True)
class Page:
    name: str  # the group's name, or "page-N" for loose questions
    label: dict[str, str]
    relevant: list[str]
    questions: list[str]  # names


@dataclass
class FormSpec:
    form_id: str
    title: str
    version: str
    default_language: str
    languages: list[str]
    questions: list[Question]
    pages: list[Page]
    root: str = "data"
    titles: dict[str, str] = field(default_factory=dict)  # settings msmelens_title::<language>, by code

    def to_dict(self) -> dict[str, Any]:
        return {
            "form_id": self.form_id,
            "title": self.title,
            "version": self.version,
            "default_language": self.default_language,
            "languages": self.languages,
            "root": self.root,
            "titles": self.titles,
            "questions": [asdict(q) for q in self.questions],
            "pages": [asdict(p) for p in self.pages],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FormSpec:
        questions = []
        for item in data["questions"]:
            item = dict(item)
            item["choices"] = [Choice(**c) for c in item.get("choices", [])]
            questions.append(Question(**item))
        return cls(
            form_id=data["form_id"],
            title=data["title"],
            version=data["version"],
            default_language=data["default_language"],
            languages=list(data["languages"]),
            root=data.get("root", "data"),
            titles=dict(data.get("titles") or {}),
            questions=questions,
            pages=[Page(**p) for p in data["pages"]],
        )

    @cached_property
    def by_name(self) -> dict[str, Question]:
        return {q.name: q for q in self.questions}

    @cached_property
    def value_questions(self) -> list[Question]:
        return [q for q in self.questions if q.is_value and not q.repeat]

    @cached_property
    def answer_names(self) -> list[str]:
        """Column names of an export: every stored answer, contact details excluded."""
        return [q.name for q in self.value_questions if not q.is_contact]

    @cached_property
    def parsed(self) -> dict[str, expressions.Node]:
        """Every expression of the form, parsed once: key "name:relevant", "name:constraint", ..."""
        out: dict[str, expressions.Node] = {}
        for q in self.questions:
            for kind in ("relevant", "constraint", "calculation"):
                text = getattr(q, kind)
                if text:
                    out[f"{q.name}:{kind}"] = expressions.parse(text)
            if q.required and q.required.lower() not in ("yes", "true", "true()", "no", "false", "false()"):
                out[f"{q.name}:required"] = expressions.parse(q.required)
            for i, text in enumerate(q.group_relevant):
                out[f"{q.name}:group{i}"] = expressions.parse(text)
        for page in self.pages:
            for i, text in enumerate(page.relevant):
                out[f"page:{page.name}:{i}"] = expressions.parse(text)
        return out

    def title_in(self, language: str) -> str:
        """The form's title in ``language`` where the settings sheet gives one, else its ``form_title``."""
        return self.text(self.titles, language) if self.titles else self.title

    def text(self, labels: dict[str, str], language: str) -> str:
        """The label in ``language``, else the form's default language, else any."""
        for key in (language, self.default_language, "default", "en"):
            if labels.get(key):
                return labels[key]
        return next(iter(labels.values()), "")


_LANG_CODE = re.compile(r"\(([A-Za-z]{2,3})(?:[-_][A-Za-z]+)?\)\s*$")
_LANG_NAMES = {"english": "en", "french": "fr", "français": "fr", "francais": "fr", "spanish": "es",
               "español": "es", "espanol": "es", "portuguese": "pt", "português": "pt", "arabic": "ar"}


def language_code(key: str) -> str:
    """``English (en)`` → ``en``; ``Français`` → ``fr``; ``default`` stays ``default``."""
    match = _LANG_CODE.search(key)
    if match:
        return match.group(1).lower()
    return _LANG_NAMES.get(key.strip().lower(), key.strip().lower() or "default")
