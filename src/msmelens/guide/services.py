"""Writes of the firm guide: check a firm's answers, save an assessment under a private token, and (with the
firm's consent) add its answers to the default survey through the feedback app's submission service.

Every function is keyword-only; those that write are atomic. No double counting: an assessment joins the survey
under an instance id derived from its token and revision, so saving the same answers again is a duplicate the
survey stores once, and changed answers replace the earlier response (``deprecated_id``) instead of adding one.
A firm that already answered the survey's own form in the same browser session is counted by that response;
one that answers the survey's form after sharing (same browser session) replaces the guide's response, and
the assessment then points at the survey's response instead of adding another.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from msmelens.countries.names import is_known
from msmelens.guide.assessment import ANSWER_NAMES, BY_NAME, MAX_MARKETS, allowed_values
from msmelens.guide.models import Assessment
from msmelens.lens.taxonomy import CATEGORIES

MAX_EMPLOYEES = 1_000_000
TOKEN_BYTES = 32
INSTANCE_NAMESPACE = uuid.UUID("5b0d6a52-7c1e-4d8e-9a43-2f6f3c1b7e10")
SHARED, ALREADY_COUNTED, INCOMPLETE, REFUSED = "shared", "already_counted", "incomplete", "refused"

# survey questions the guide fills when the firm left them unanswered, with the survey's own "no answer" value
SURVEY_DEFAULTS: dict[str, Any] = {
    "owner_gender": "no_answer",
    "manager_gender": "no_answer",
    "aware_agreements": "dont_know",
    **{f"obstacle_{c}": "dk" for c in CATEGORIES},
}
# required by the survey, with no honest default: without them the answers cannot join it
SURVEY_REQUIRED: tuple[str, ...] = (
    "sector", "employees", "exporter", "importer", "online_sales", "location", "biggest_obstacle",
    "digital_awareness",
)


class GuideError(ValueError):
    """Answers the guide cannot use, with a message for non-programmers."""


@dataclass(slots=True)
class Firm:
    country: str
    sector: str = ""
    employees: int | None = None
    markets: list[str] = field(default_factory=list)


def token_hash(token: str) -> str:
    return hashlib.sha256((token or "").encode("utf-8")).hexdigest()


def _country(value: Any, what: str) -> str:
    code = str(value or "").strip().upper()
    if len(code) != 3 or not code.isalpha() or not is_known(code):
        raise GuideError(_("%(what)s must be a country's three-letter ISO code, such as PER or KOR, not "
                           "'%(value)s'.") % {"what": what, "value": str(value or "")[:40]})
    return code


def clean_firm(*, country: Any, sector: Any = "", employees: Any = None, markets: Any = ()) -> Firm:
    """The firm's country, sector (ISIC section letter), size and markets, checked; raises :class:`GuideError`."""
    code = _country(country, _("The country"))
    letter = str(sector or "").strip().upper()
    if letter and letter not in allowed_values(BY_NAME["sector"]):
        raise GuideError(_("The sector must be an ISIC section letter from A to U, not '%(value)s'.")
                         % {"value": letter[:40]})
    size: int | None = None
    if employees not in (None, ""):
        try:
            size = int(str(employees))
        except ValueError:
            size = -1
        if not 0 <= size <= MAX_EMPLOYEES:
            raise GuideError(_("The number of people must be a whole number from 0 to 1,000,000."))
    if isinstance(markets, str):
        markets = [m for m in markets.replace(",", " ").split() if m]
    if not isinstance(markets, list | tuple):
        raise GuideError(_("The markets must be a list of three-letter country codes."))
    seen: list[str] = []
    for market in markets:
        m = _country(market, _("Each market"))
        if m != code and m not in seen:
            seen.append(m)
    if len(seen) > MAX_MARKETS:
        raise GuideError(_("Choose at most %(n)d markets.") % {"n": MAX_MARKETS})
    return Firm(country=code, sector=letter, employees=size, markets=seen)


def clean_answers(answers: Mapping[str, Any] | None) -> dict[str, Any]:
    """The answers, checked against the guide's questions (unanswered ones left out); raises :class:`GuideError`
    naming the first question whose answer cannot be used."""
    out: dict[str, Any] = {}
    for name, value in (answers or {}).items():
        if name not in ANSWER_NAMES:
            raise GuideError(_("The guide has no question '%(name)s'.") % {"name": str(name)[:60]})
        if value is None or value == "" or value == []:
            continue
        question = BY_NAME[name]
        allowed = allowed_values(question)
        if question.kind == "many":
            values = value if isinstance(value, list | tuple) else str(value).split()
            values = [str(v) for v in values]
            if any(v not in allowed for v in values) or ("none" in values and len(values) > 1):
                raise GuideError(_("The answer to '%(name)s' must be a list of: %(allowed)s ('none' alone).")
                                 % {"name": name, "allowed": ", ".join(sorted(allowed))})
            out[name] = list(dict.fromkeys(values))
        else:
            text = str(value).strip()
            if text not in allowed:
                raise GuideError(_("The answer to '%(name)s' must be one of: %(allowed)s.")
                                 % {"name": name, "allowed": ", ".join(k for k, _l in question.choices)})
            out[name] = text
    return out


def survey_answers(*, firm: Firm, answers: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The assessment as answers to the default survey (its question names), and the survey's required
    questions still unanswered (when any is, the answers cannot join the survey)."""
    out: dict[str, Any] = {"country": firm.country, "consent_followup": "no"}
    if firm.sector:
        out["sector"] = firm.sector
    if firm.employees is not None:
        out["employees"] = firm.employees
    if firm.markets:
        out["markets"] = list(firm.markets)
    for name in ANSWER_NAMES:
        if name in answers:
            out[name] = answers[name]
    for name, default in SURVEY_DEFAULTS.items():
        out.setdefault(name, default)
    missing = [name for name in SURVEY_REQUIRED if name not in out]
    return out, missing


def instance_id(assessment: Assessment, revision: int | None = None) -> str:
    """The survey instance id of an assessment's revision: stable, and unguessable without the token."""
    number = assessment.revision if revision is None else revision
    return f"uuid:{uuid.uuid5(INSTANCE_NAMESPACE, f'{assessment.token_hash}:{number}')}"


@transaction.atomic
def create_assessment(
    *, firm: Firm, answers: Mapping[str, Any], language: str = "", consent: bool = False,
    counted_as: str = "",
) -> tuple[Assessment, str]:
    """Save an assessment; returns it and its private token (shown once, in the firm's link). With
    ``consent`` the answers join the survey (see :func:`share_with_survey`); ``counted_as`` is the instance id
    of a survey response the same firm already sent (then nothing is added)."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    now = timezone.now()
    assessment = Assessment.objects.create(
        token_hash=token_hash(token), country=firm.country, sector=firm.sector, employees=firm.employees,
        markets=list(firm.markets), answers=clean_answers(answers), language=(language or "")[:8],
        created_at=now, updated_at=now,
    )
    if consent:
        share_with_survey(assessment=assessment, counted_as=counted_as)
    return assessment, token


@transaction.atomic
def update_assessment(
    *, assessment: Assessment, firm: Firm, answers: Mapping[str, Any], language: str = "",
    consent: bool | None = None, counted_as: str = "",
) -> Assessment:
    """Change an assessment's answers (a new revision when anything changed). A shared assessment stays
    shared: its survey response is replaced by the new answers, never added to."""
    cleaned = clean_answers(answers)
    changed = (
        cleaned != assessment.answers or firm.country != assessment.country or firm.sector != assessment.sector
        or firm.employees != assessment.employees or list(firm.markets) != list(assessment.markets)
    )
    if changed:
        assessment.country, assessment.sector, assessment.employees = firm.country, firm.sector, firm.employees
        assessment.markets, assessment.answers = list(firm.markets), cleaned
        assessment.revision += 1
    assessment.language = (language or assessment.language)[:8]
    assessment.updated_at = timezone.now()
    assessment.save()
    if consent or (consent is None and assessment.consent):
        share_with_survey(assessment=assessment, counted_as=counted_as)
    elif consent is False and assessment.consent:
        assessment.consent = False
        assessment.save(update_fields=["consent"])
    return assessment


@dataclass(slots=True)
class ShareOutcome:
    status: str  # shared, already_counted, incomplete, refused
    missing: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _replaced_by_the_survey(survey: Any, instance: str) -> str:
    """The instance id of the survey-form response that replaced the guide's response ``instance``, if any."""
    from msmelens.feedback.selectors import find_response

    old = find_response(survey, instance) if instance else None
    newer = getattr(old, "replaced_by", None) if old is not None and not old.is_current else None
    return str(newer.instance_id) if newer is not None else ""


@transaction.atomic
def share_with_survey(*, assessment: Assessment, counted_as: str = "") -> ShareOutcome:
    """Add the assessment's answers to the default survey as one response (the firm consented).

    ``counted_as``: the instance id of the survey response this firm already sent through the survey's own
    form; the assessment then points at it and adds nothing. Otherwise the response's instance id comes
    from the assessment's token and revision, and a new revision replaces the response of the one before."""
    from msmelens.feedback import services as feedback
    from msmelens.feedback.selectors import find_response

    assessment.consent = True
    survey = feedback.ensure_default_survey()
    if (counted_as and assessment.survey_status in ("", INCOMPLETE, ALREADY_COUNTED)
            and find_response(survey, counted_as) is not None):
        assessment.survey_instance_id, assessment.survey_status = counted_as, ALREADY_COUNTED
        assessment.save(update_fields=["consent", "survey_instance_id", "survey_status"])
        return ShareOutcome(ALREADY_COUNTED)
    if assessment.survey_status == ALREADY_COUNTED:
        assessment.save(update_fields=["consent"])
        return ShareOutcome(ALREADY_COUNTED)
    firm = Firm(assessment.country, assessment.sector, assessment.employees, list(assessment.markets))
    answers, missing = survey_answers(firm=firm, answers=assessment.answers)
    if missing:
        assessment.survey_status = INCOMPLETE
        assessment.save(update_fields=["consent", "survey_status"])
        return ShareOutcome(INCOMPLETE, missing=missing)
    new_id = instance_id(assessment)
    previous = assessment.survey_instance_id if assessment.survey_status == SHARED else ""
    replacement = _replaced_by_the_survey(survey, previous)
    if replacement:  # the firm answered the survey's own form since: those answers count, nothing is added
        assessment.survey_instance_id, assessment.survey_status = replacement, ALREADY_COUNTED
        assessment.save(update_fields=["consent", "survey_instance_id", "survey_status"])
        return ShareOutcome(ALREADY_COUNTED)
    outcome = feedback.submit_response(
        survey=survey, instance_id=new_id, answers=answers,
        raw=json.dumps(answers, sort_keys=True, ensure_ascii=False), raw_format="json", channel="web",
        payload_hash=feedback.canonical_hash(answers), language=assessment.language,
        deprecated_id=previous if previous != new_id else "",
    )
    if not outcome.stored:
        assessment.save(update_fields=["consent"])
        return ShareOutcome(REFUSED, problems=[f"{p.name}: {p.message}" for p in outcome.problems])
    assessment.survey_instance_id, assessment.survey_status = new_id, SHARED
    assessment.save(update_fields=["consent", "survey_instance_id", "survey_status"])
    return ShareOutcome(SHARED)
