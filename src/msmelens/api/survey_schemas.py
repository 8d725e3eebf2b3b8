"""Request and response schemas of the surveys API (``/api/v1/surveys``): plain pydantic models.

A client builds a form from :class:`SurveyDetail` (questions with their labels in every language, choices and
the ODK ``required``/``relevant``/``constraint`` expressions) and posts one :class:`SubmissionIn` per
respondent. The server re-checks every answer (``msmelens.feedback.answers``), so these schemas only state
the envelope; answers are an open object by question name.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import ConfigDict

from msmelens.api.schemas import ErrorOut, Out

MAX_ANSWERS = 500  # the default instrument has 54 questions; far more names is not a survey response
Language = Literal["en", "fr", "es"]
Labels = dict[str, str]
QuestionName = Annotated[str, Field(min_length=1, max_length=200)]

_INSTANCE_ID = r"^[^\x00-\x1f\x7f]+$"


class SlugPath(Schema):
    slug: str = Field(
        ...,
        max_length=100,
        pattern=r"^[-a-zA-Z0-9_]+$",
        description="The survey's address, e.g. 'msme-trade-obstacles'.",
    )


class LangParams(Schema):
    lang: Language | None = Field(
        None,
        description="Language of the error messages: 'en', 'fr' or 'es' (else the body's 'language', "
        "else Accept-Language, else English).",
    )


# ---------- survey descriptions ----------


class WaveOut(Out):
    name: str = Field(description="The wave's name, e.g. '2026-Q1'.")
    starts_on: dt.date = Field(description="First day of the wave.")
    ends_on: dt.date | None = Field(description="Last day of the wave; null while open-ended.")


class SurveyLinks(Out):
    self: str = Field(description="This survey in the API.")
    responses: str = Field(description="Where to POST a response (JSON).")
    xform: str = Field(description="The current form as ODK XForm XML.")
    web_form: str = Field(description="The web form respondents fill in.")


class SurveyItem(Out):
    slug: str = Field(description="The survey's address, used in every URL.")
    title: str
    form_id: str = Field(description="The XForm id (what ODK Collect and OpenRosa servers call the form).")
    access: Literal["open", "restricted"] = Field(
        description="'open': anyone may respond; 'restricted': collector accounts only (API token)."
    )
    version: str = Field(description="Version of the current form (the XLSForm settings 'version').")
    default_language: str
    languages: list[str] = Field(description="Languages the labels are given in: two-letter codes.")
    waves: list[WaveOut] = Field(description="Rounds of collection, oldest first.")
    links: SurveyLinks


class SurveyList(Out):
    count: int
    items: list[SurveyItem]


class ChoiceOut(Out):
    name: str = Field(description="The value to send as the answer.")
    label: Labels = Field(description="Label by language code.")


class QuestionOut(Out):
    name: str = Field(description="The answer's key in a response's 'answers'.")
    type: str = Field(description="XLSForm type: integer, decimal, text, select_one, select_multiple, date, "
                      "calculate (computed by the server), note (nothing to answer), ...")
    label: Labels = Field(description="Question text by language code.")
    hint: Labels
    page: int = Field(description="Index into 'pages': the questions shown together.")
    group: str = Field(description="Name of the innermost group ('' at the top level).")
    choices: list[ChoiceOut] = Field(description="For select questions, the answers offered (in order).")
    required: str = Field(description="'yes', or an ODK expression; '' when optional.")
    required_message: Labels
    relevant: str = Field(description="ODK expression: ask only when true ('' = always). Groups' conditions "
                          "are in 'group_relevant'.")
    group_relevant: list[str]
    constraint: str = Field(description="ODK expression the answer ('.') must satisfy ('' = none).")
    constraint_message: Labels
    calculation: str = Field(description="For calculate questions, the expression the server evaluates.")
    appearance: str
    default: str


class PageOut(Out):
    name: str
    label: Labels
    relevant: list[str] = Field(description="ODK expressions: the page is shown when all are true.")
    questions: list[str] = Field(description="Names of the page's questions, in order.")


class SurveyDetail(SurveyItem):
    questions: list[QuestionOut] = Field(description="Every question of the current form, in order.")
    pages: list[PageOut]


# ---------- submissions ----------


class SubmissionIn(Schema):
    """One response. Send the same ``instance_id`` again after a lost connection: it is stored once."""

    model_config = ConfigDict(extra="forbid")

    instance_id: str = Field(
        ...,
        min_length=1,
        max_length=200,
        pattern=_INSTANCE_ID,
        description="A unique id the client makes once per response, e.g. 'uuid:6f1b2c3d-…'. Resending it "
        "with the same answers is safe.",
    )
    answers: dict[QuestionName, Any] = Field(
        ...,
        max_length=MAX_ANSWERS,
        description="Answers by question name: numbers as numbers or text ('12'), select_one as the choice "
        "name, select_multiple as a list (or space-separated text), dates as YYYY-MM-DD.",
    )
    language: Language | None = Field(
        None, description="The respondent's language ('en', 'fr', 'es'): error messages use it."
    )


class SubmissionOut(Out):
    instance_id: str
    status: Literal["created", "duplicate"] = Field(
        description="'created': stored now; 'duplicate': this response was already stored (nothing changed)."
    )
    wave: str | None = Field(description="The wave the response belongs to, if any.")
    received_at: dt.datetime = Field(description="When the server first stored it (UTC).")


class AnswerErrorOut(Out):
    field: str = Field(description="The question's name.")
    code: str = Field(description="required, constraint, integer, decimal, date, choice, text or unknown.")
    message: str = Field(description="What is wrong, in the respondent's language.")


class InvalidAnswersOut(ErrorOut):
    """A 422: ``code`` 'invalid_answers' lists each faulty answer in ``errors``; 'invalid_parameter' (a
    malformed body or parameter) may leave it empty."""

    errors: list[AnswerErrorOut] = Field(
        default_factory=list, description="One entry per faulty answer, in the respondent's language."
    )

