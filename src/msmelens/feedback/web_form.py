"""The web form's page logic, without HTTP: drafts, page relevance, navigation, per-page checks, page views.

One page per XLSForm group (``FormSpec.pages``). A page is shown when its group's ``relevant`` holds for the
answers so far and it has at least one question to show; within a page, questions whose own ``relevant`` is
false are left out (worked out on the server after each submit of the page, so the web form needs no
JavaScript). Answers are checked by :func:`msmelens.feedback.answers.check_answers`, the same checks every
other channel uses; this module only picks which of its problems belong to the page on screen.

The draft (answers as typed, the page reached, the instance id of the eventual submission) lives in the
Django session under one key per survey, so that a person who closes the tab resumes where they stopped, and
a double-clicked Submit is stored once (the instance id is made once per draft).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from msmelens.feedback import expressions
from msmelens.feedback.answers import AnswerProblem, check_answers
from msmelens.feedback.formspec import METADATA_TYPES, FormSpec, Question

DRAFT_KEY = "msmelens.feedback.draft:{slug}"
SUBMITTED_KEY = "msmelens.feedback.submitted:{slug}"
COUNTED_KEY = "msmelens.feedback.counted_elsewhere:{slug}"
MANY_CHOICES = 12  # a select_one with more choices is a drop-down list, a select_multiple a multi-select list
_HIDDEN_TYPES = frozenset({"calculate", "hidden"}) | METADATA_TYPES
_REQUIRED_TRUE = ("yes", "true", "true()")
_REQUIRED_FALSE = ("", "no", "false", "false()")

Raw = str | list[str]


class FormData(Protocol):
    """What a page submit provides (Django's ``QueryDict`` fits)."""

    def getlist(self, key: str) -> list[str]: ...


# --- the draft ----------------------------------------------------------------------------------------------


@dataclass
class Draft:
    """Answers as typed (strings, lists of strings for select_multiple) and the page reached."""

    instance_id: str = field(default_factory=lambda: f"uuid:{uuid.uuid4()}")
    answers: dict[str, Raw] = field(default_factory=dict)
    page: int = 0
    moved: bool = False  # True right after a page submit: the next page view is navigation, not a return
    saved: bool = False  # False for a draft that is not in the session yet

    def to_session(self) -> dict[str, Any]:
        return {"instance_id": self.instance_id, "answers": self.answers, "page": self.page, "moved": self.moved}


def load_draft(session: Mapping[str, Any], slug: str) -> Draft:
    """The survey's draft from the session, or a new empty one (not saved until :func:`save_draft`)."""
    data = session.get(DRAFT_KEY.format(slug=slug))
    if not isinstance(data, dict) or not str(data.get("instance_id", "")).startswith("uuid:"):
        return Draft()
    answers = data.get("answers")
    clean: dict[str, Raw] = {}
    if isinstance(answers, dict):
        for name, value in answers.items():
            if isinstance(value, list):
                clean[str(name)] = [str(v) for v in value]
            elif isinstance(value, str):
                clean[str(name)] = value
    page = data.get("page")
    page = page if isinstance(page, int) and page >= 0 else 0
    return Draft(str(data["instance_id"]), clean, page, data.get("moved") is True, True)


def save_draft(session: MutableMapping[str, Any], slug: str, draft: Draft) -> None:
    session[DRAFT_KEY.format(slug=slug)] = draft.to_session()
    draft.saved = True


def returning(session: MutableMapping[str, Any], slug: str, draft: Draft) -> bool:
    """Whether showing the draft's page is a return (a new visit, a reload) rather than the step after a page
    submit; the welcome-back line is shown only then."""
    if draft.moved:
        draft.moved = False
        save_draft(session, slug, draft)
        return False
    return draft.saved and bool(draft.answers)


def clear_draft(session: MutableMapping[str, Any], slug: str) -> None:
    session.pop(DRAFT_KEY.format(slug=slug), None)


def mark_submitted(session: MutableMapping[str, Any], slug: str, instance_id: str) -> None:
    """Remember the last stored submission, so that a second click on Submit lands on the thank-you page."""
    session[SUBMITTED_KEY.format(slug=slug)] = instance_id


def last_submitted(session: Mapping[str, Any], slug: str) -> str:
    return str(session.get(SUBMITTED_KEY.format(slug=slug)) or "")


def mark_counted_elsewhere(session: MutableMapping[str, Any], slug: str, instance_id: str) -> None:
    """Remember that this browser's respondent is already counted by ``instance_id`` (sent by another pillar,
    e.g. the firm guide): the survey form's own submission then replaces that response instead of adding one."""
    session[COUNTED_KEY.format(slug=slug)] = instance_id


def counted_elsewhere(session: Mapping[str, Any], slug: str) -> str:
    return str(session.get(COUNTED_KEY.format(slug=slug)) or "")


def forget_counted_elsewhere(session: MutableMapping[str, Any], slug: str) -> None:
    session.pop(COUNTED_KEY.format(slug=slug), None)


# --- relevance and navigation --------------------------------------------------------------------------------


def known_values(spec: FormSpec, answers: Mapping[str, Raw]) -> dict[str, Any]:
    """The answers as the form's expressions see them: normalised, calculations done, invalid ones left out."""
    checked = check_answers(spec, answers, strict=False, enforce_required=False)
    return {**checked.answers, **checked.contact}


def is_shown(question: Question) -> bool:
    """Whether the question is something to show on a page (not a calculation or metadata)."""
    return question.type not in _HIDDEN_TYPES and not question.repeat and (
        question.is_value or question.type == "note"
    )


def question_relevant(spec: FormSpec, question: Question, values: Mapping[str, Any]) -> bool:
    context = expressions.Context(values)
    for i in range(len(question.group_relevant)):
        if not expressions.is_true(spec.parsed.get(f"{question.name}:group{i}"), context):
            return False
    return expressions.is_true(spec.parsed.get(f"{question.name}:relevant"), context)


def question_required(spec: FormSpec, question: Question, values: Mapping[str, Any]) -> bool:
    text = question.required.strip().lower()
    if text in _REQUIRED_TRUE:
        return True
    if text in _REQUIRED_FALSE:
        return False
    return expressions.is_true(
        spec.parsed.get(f"{question.name}:required"), expressions.Context(values), default=False
    )


def visible_questions(spec: FormSpec, index: int, values: Mapping[str, Any]) -> list[Question]:
    """The questions of page ``index`` to show given the answers so far."""
    page = spec.pages[index]
    context = expressions.Context(values)
    for i in range(len(page.relevant)):
        if not expressions.is_true(spec.parsed.get(f"page:{page.name}:{i}"), context):
            return []
    out = []
    for name in page.questions:
        question = spec.by_name.get(name)
        if question is not None and is_shown(question) and question_relevant(spec, question, values):
            out.append(question)
    return out


def relevant_pages(spec: FormSpec, values: Mapping[str, Any]) -> list[int]:
    """Indexes of the pages to show, in order, given the answers so far."""
    return [i for i in range(len(spec.pages)) if visible_questions(spec, i, values)]


def next_page(spec: FormSpec, index: int, values: Mapping[str, Any]) -> int | None:
    """The first relevant page after ``index``, or None when ``index`` is the last one."""
    return next((i for i in relevant_pages(spec, values) if i > index), None)


def previous_page(spec: FormSpec, index: int, values: Mapping[str, Any]) -> int | None:
    return next((i for i in reversed(relevant_pages(spec, values)) if i < index), None)


def page_to_show(spec: FormSpec, wanted: int, values: Mapping[str, Any]) -> int:
    """``wanted`` if it is relevant, else the next relevant page, else the last one (a page can stop being
    relevant when an earlier answer changes, or when the form gets a new version)."""
    pages = relevant_pages(spec, values) or [0]
    return next((i for i in pages if i >= wanted), pages[-1])


def _undecided(spec: FormSpec, index: int, values: Mapping[str, Any]) -> bool:
    """Whether page ``index``'s relevance reads an answer that is not given yet."""
    page = spec.pages[index]
    for i in range(len(page.relevant)):
        node = spec.parsed.get(f"page:{page.name}:{i}")
        if node is not None and any(name not in values for name in expressions.references(node)):
            return True
    return False


def progress(spec: FormSpec, index: int, values: Mapping[str, Any]) -> tuple[int, int]:
    """(position of page ``index`` among the pages to show, 1-based; how many pages there are to show).

    Later pages whose relevance depends on answers not given yet are counted, so the total only shrinks as
    the person goes on (an "of 16" that becomes "of 10"), never grows under them."""
    pages = set(relevant_pages(spec, values))
    pages |= {i for i in range(index + 1, len(spec.pages)) if i not in pages and _undecided(spec, i, values)}
    position = sum(1 for i in pages if i < index) + 1
    return position, max(len(pages | {index}), position)


# --- reading and checking a page --------------------------------------------------------------------------


def read_page(spec: FormSpec, index: int, shown: list[str], data: FormData, draft: Draft) -> list[str]:
    """Copy the submitted values of the questions that were on screen (``shown``, limited to page ``index``)
    into the draft, as typed; a question left empty (or all boxes unticked) clears its answer. Returns the
    names read."""
    names = [n for n in shown if n in spec.pages[index].questions]
    read = []
    for name in names:
        question = spec.by_name.get(name)
        if question is None or not question.is_value or not is_shown(question):
            continue
        items = [v for v in data.getlist(name) if isinstance(v, str)]
        if question.type == "select_multiple":
            value: Raw = [v.strip() for v in items if v.strip()]
        else:
            value = items[0] if items else ""
        if value in ("", []) or (isinstance(value, str) and not value.strip()):
            draft.answers.pop(name, None)
        else:
            draft.answers[name] = value
        read.append(name)
    return read


def check_page(spec: FormSpec, answers: Mapping[str, Raw], names: list[str], language: str) -> list[AnswerProblem]:
    """Problems (required enforced) of the questions ``names`` only; the rest of the form is not judged."""
    wanted = set(names)
    checked = check_answers(spec, answers, language=language, strict=False, enforce_required=True)
    return [p for p in checked.problems if p.name in wanted]


def relevant_answers(spec: FormSpec, answers: Mapping[str, Raw]) -> dict[str, Raw]:
    """The draft's answers to questions that are relevant given the others, in form order: what is submitted.
    Answers left behind when an earlier answer changed (for example an e-mail address typed before saying no
    to being contacted) are not sent, so they reach neither the stored answers nor the raw payload."""
    values = known_values(spec, answers)
    out: dict[str, Raw] = {}
    for question in spec.questions:
        name = question.name
        if name in answers and question.is_value and question_relevant(spec, question, values):
            out[name] = answers[name]
    return out


def first_problem_page(spec: FormSpec, problems: list[AnswerProblem], values: Mapping[str, Any]) -> int | None:
    """The relevant page holding the first question with a problem, in form order."""
    names = {p.name for p in problems}
    for index in relevant_pages(spec, values):
        if names & set(spec.pages[index].questions):
            return index
    return None


def payload(answers: Mapping[str, Raw]) -> str:
    """The raw JSON kept with a web submission."""
    return json.dumps(dict(answers), ensure_ascii=False, sort_keys=True)


# --- what a page shows ---------------------------------------------------------------------------------------


@dataclass(slots=True)
class ChoiceView:
    value: str
    label: str
    selected: bool
    id: str


@dataclass(slots=True)
class FieldView:
    name: str
    id: str
    kind: str  # radio, select, checkboxes, multiselect, integer, decimal, text, email, tel, textarea, date, note
    label: str
    hint: str
    required: bool
    contact: bool
    value: str = ""
    choices: list[ChoiceView] = field(default_factory=list)
    error: str = ""
    first_contact: bool = False  # the first contact question of the page: the privacy line goes above it

    @property
    def described_by(self) -> str:
        """Ids of the hint, the list help and the problem, for ``aria-describedby``."""
        ids = [f"{self.id}-hint"] if self.hint else []
        if self.kind == "multiselect":
            ids.append(f"{self.id}-help")
        if self.error:
            ids.append(f"{self.id}-error")
        return " ".join(ids)


@dataclass(slots=True)
class PageView:
    index: int
    name: str
    title: str
    position: int
    total: int
    fields: list[FieldView]
    is_first: bool
    is_last: bool
    errors: list[FieldView]  # the fields with a problem, for the summary at the top

    @property
    def shown(self) -> str:
        return " ".join(f.name for f in self.fields if f.kind != "note")

    @property
    def percent(self) -> int:
        return round(100 * (self.position - 1) / self.total) if self.total else 0


def widget(question: Question) -> str:
    """Which control a question gets: radios or checkboxes for short lists, lists for long ones."""
    qtype = question.type
    if qtype == "note":
        return "note"
    if qtype == "select_one":
        return "select" if len(question.choices) > MANY_CHOICES else "radio"
    if qtype == "select_multiple":
        return "multiselect" if len(question.choices) > MANY_CHOICES else "checkboxes"
    if qtype == "integer":
        return "integer"
    if qtype in ("decimal", "range"):
        return "decimal"
    if qtype == "date":
        return "date"
    if qtype == "email" or (question.is_contact and "email" in question.name):
        return "email"
    if qtype == "phone" or (question.is_contact and "phone" in question.name):
        return "tel"
    if qtype == "text" and "multiline" in question.appearance:
        return "textarea"
    return "text"


def build_page(
    spec: FormSpec,
    index: int,
    answers: Mapping[str, Raw],
    language: str,
    problems: list[AnswerProblem] | None = None,
) -> PageView:
    """Everything the template needs for page ``index``: labels in ``language``, values as typed, problems
    next to their fields."""
    values = known_values(spec, answers)
    errors = {}
    for problem in problems or []:
        errors.setdefault(problem.name, problem.message)
    fields: list[FieldView] = []
    seen_contact = False
    for question in visible_questions(spec, index, values):
        kind = widget(question)
        given = answers.get(question.name, [] if question.type == "select_multiple" else "")
        selected = set(given) if isinstance(given, list) else {given}
        choices = [
            ChoiceView(c.name, spec.text(c.label, language) or c.name, c.name in selected, f"q-{question.name}-{i}")
            for i, c in enumerate(question.choices)
        ]
        view = FieldView(
            name=question.name,
            id=f"q-{question.name}",
            kind=kind,
            label=spec.text(question.label, language) or question.name,
            hint=spec.text(question.hint, language) if question.hint else "",
            required=question.is_value and question_required(spec, question, values),
            contact=question.is_contact,
            value=given if isinstance(given, str) else "",
            choices=choices,
            error=errors.get(question.name, ""),
        )
        if view.contact and not seen_contact:
            view.first_contact = seen_contact = True
        fields.append(view)
    position, total = progress(spec, index, values)
    page = spec.pages[index]
    return PageView(
        index=index,
        name=page.name,
        title=spec.text(page.label, language) if page.label else "",
        position=position,
        total=total,
        fields=fields,
        is_first=previous_page(spec, index, values) is None,
        is_last=next_page(spec, index, values) is None,
        errors=[f for f in fields if f.error],
    )
