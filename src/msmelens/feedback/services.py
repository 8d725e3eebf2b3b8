"""Writes for the feedback app: forms, waves, submissions, collectors, contact erasure.

Every function is keyword-only and atomic. A submission is acknowledged by its channel only after
:func:`submit_response` has returned, that is after its transaction committed; the same instance id with the
same payload is stored once (``duplicate``), with another payload it is refused (``conflict``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from msmelens.feedback import selectors
from msmelens.feedback.answers import AnswerProblem, check_answers
from msmelens.feedback.models import (
    CollectorToken,
    ContactDetail,
    FormVersion,
    Response,
    SubmissionCounter,
    Survey,
    Wave,
)
from msmelens.feedback.xlsform import (
    ConvertedForm,
    FormError,
    FormProblem,
    convert_xlsform,
    default_instrument_path,
)

CHANNELS = ("web", "api", "openrosa", "import", "simulate")
MAX_INSTANCE_ID = 200
ERASED = "[erased]"


class FeedbackError(ValueError):
    """A request the feedback app refuses, with a message for non-programmers."""


# --- forms ------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class FormAdded:
    survey: Survey
    form: FormVersion
    status: str  # "created" (new survey), "new_version", "unchanged"
    warnings: list[str] = field(default_factory=list)


def _md5(text: str) -> str:
    return hashlib.md5(text.encode("utf-8"), usedforsecurity=False).hexdigest()


def create_survey_from_form(
    *,
    survey_model: type[models.Model],
    form_model: type[models.Model],
    converted: ConvertedForm,
    filename: str,
    content: bytes,
    slug: str,
    access: str,
    now: dt.datetime,
) -> tuple[Any, Any]:
    """Create a survey and its first form version. Takes the model classes so that the data migration that
    installs the default survey can pass its historical models."""
    spec = converted.spec
    survey = survey_model.objects.create(  # type: ignore[attr-defined]
        slug=slug, form_id=spec.form_id, title=spec.title, access=access, created_at=now
    )
    form = form_model.objects.create(  # type: ignore[attr-defined]
        survey=survey, **_form_fields(converted, filename, content), created_at=now
    )
    return survey, form


def _form_fields(converted: ConvertedForm, filename: str, content: bytes) -> dict[str, Any]:
    return {
        "version": converted.spec.version or _md5(converted.xform)[:12],
        "xlsform": content,
        "xlsform_name": filename,
        "xform": converted.xform,
        "definition": converted.spec.to_dict(),
        "xform_md5": _md5(converted.xform),
    }


@transaction.atomic
def add_form(
    *, filename: str, content: bytes, slug: str | None = None, access: str | None = None
) -> FormAdded:
    """Add an XLSForm: a new survey for a new ``form_id``, else a new version of that survey's form.

    Raises :class:`FormError` (sheet, row, column) for a form pyxform or our checks refuse, and
    :class:`FeedbackError` for a version clash."""
    converted = convert_xlsform(filename, content)
    spec = converted.spec
    if access is not None and access not in (Survey.OPEN, Survey.RESTRICTED):
        raise FeedbackError(f"Access must be '{Survey.OPEN}' or '{Survey.RESTRICTED}', not '{access}'.")
    now = timezone.now()
    survey = selectors.get_survey_by_form_id(spec.form_id)
    if survey is None:
        new_slug = slugify(slug or spec.form_id.replace("_", "-"))[:100] or "survey"
        if selectors.get_survey(new_slug) is not None:
            raise FeedbackError(f"A survey with the address '{new_slug}' already exists: choose another slug.")
        survey, form = create_survey_from_form(
            survey_model=Survey,
            form_model=FormVersion,
            converted=converted,
            filename=filename,
            content=content,
            slug=new_slug,
            access=access or Survey.OPEN,
            now=now,
        )
        selectors.forget_cached()
        return FormAdded(survey, form, "created", converted.warnings)
    version = spec.version or _md5(converted.xform)[:12]
    existing = selectors.form_version(survey, version)
    if existing is not None:
        if existing.xform_md5 == _md5(converted.xform):
            return FormAdded(survey, existing, "unchanged", converted.warnings)
        raise FormError(filename, [FormProblem(
            "MSL309", f"version '{version}' of form '{spec.form_id}' is already stored with other questions; "
            "raise the version in the settings sheet (for example to today's date, 2026120701).",
            "settings", 2, "version")])
    form = FormVersion.objects.create(
        survey=survey, **_form_fields(converted, filename, content), created_at=now
    )
    survey.title = spec.title
    if access:
        survey.access = access
    survey.save(update_fields=["title", "access"])
    selectors.forget_cached()
    return FormAdded(survey, form, "new_version", converted.warnings)


def ensure_default_survey() -> Survey:
    """The default survey, created from the shipped XLSForm if a database lacks it (the data migration
    normally installs it)."""
    survey = selectors.get_survey(selectors.DEFAULT_SURVEY_SLUG)
    if survey is not None:
        return survey
    path = default_instrument_path()
    return add_form(filename=path.name, content=path.read_bytes(), slug=selectors.DEFAULT_SURVEY_SLUG).survey


@transaction.atomic
def set_survey_access(*, survey: Survey, access: str) -> Survey:
    if access not in (Survey.OPEN, Survey.RESTRICTED):
        raise FeedbackError(f"Access must be '{Survey.OPEN}' or '{Survey.RESTRICTED}', not '{access}'.")
    survey.access = access
    survey.save(update_fields=["access"])
    selectors.forget_cached()
    return survey


@transaction.atomic
def set_survey_active(*, survey: Survey, active: bool) -> Survey:
    """Open or close a survey to new submissions (a closed survey is not listed and takes nothing)."""
    survey.is_active = active
    survey.save(update_fields=["is_active"])
    selectors.forget_cached()
    return survey


# --- waves ------------------------------------------------------------------------------------------------

DESIGN_TYPES = ("poststratification", "raking")


def validate_design(design: Mapping[str, Any]) -> dict[str, Any]:
    """Check a sampling design. Two shapes:

    ``{"type": "poststratification", "strata": ["country", "size_class"],
       "population": [{"country": "PER", "size_class": "micro", "count": 120000}, ...]}``
    ``{"type": "raking", "margins": {"size_class": {"micro": 0.9, "small": 0.08, ...}, ...}}``
    """
    if not isinstance(design, Mapping):
        raise FeedbackError("The sampling design must be a JSON object.")
    kind = design.get("type")
    if kind not in DESIGN_TYPES:
        raise FeedbackError(f"The design's 'type' must be one of {', '.join(DESIGN_TYPES)}, not '{kind}'.")
    if kind == "poststratification":
        strata = design.get("strata")
        population = design.get("population")
        if not isinstance(strata, list) or not strata or not all(isinstance(s, str) for s in strata):
            raise FeedbackError("A post-stratification design needs 'strata': a list of question names.")
        if not isinstance(population, list) or not population:
            raise FeedbackError("A post-stratification design needs 'population': one row per stratum.")
        for index, cell in enumerate(population, start=1):
            if not isinstance(cell, Mapping) or any(s not in cell for s in strata):
                raise FeedbackError(f"Population row {index} must give {', '.join(strata)} and 'count'.")
            count = cell.get("count")
            if isinstance(count, bool) or not isinstance(count, int | float) or count <= 0:
                raise FeedbackError(f"Population row {index}: 'count' must be a number above 0.")
    else:
        margins = design.get("margins")
        if not isinstance(margins, Mapping) or not margins:
            raise FeedbackError("A raking design needs 'margins': known totals or shares per question.")
        for name, values in margins.items():
            if not isinstance(values, Mapping) or not values:
                raise FeedbackError(f"Margin '{name}' must map each answer to its total or share.")
            for key, value in values.items():
                if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
                    raise FeedbackError(f"Margin '{name}', answer '{key}': the total must be a number above 0.")
    return dict(design)


@transaction.atomic
def add_wave(
    *,
    survey: Survey,
    name: str,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    design: Mapping[str, Any] | None = None,
    assign_existing: bool = True,
) -> Wave:
    """Add a wave; responses received within its dates that have no wave yet are assigned to it."""
    name = name.strip()
    if not name or len(name) > 100:
        raise FeedbackError("A wave needs a name of 1 to 100 characters.")
    if ends_on is not None and ends_on < starts_on:
        raise FeedbackError(f"Wave '{name}' ends ({ends_on}) before it starts ({starts_on}).")
    if selectors.get_wave(survey, name) is not None:
        raise FeedbackError(f"Survey '{survey.slug}' already has a wave named '{name}'.")
    wave = Wave.objects.create(
        survey=survey,
        name=name,
        starts_on=starts_on,
        ends_on=ends_on,
        design=validate_design(design) if design is not None else None,
        created_at=timezone.now(),
    )
    if assign_existing:
        start = dt.datetime.combine(starts_on, dt.time.min, tzinfo=dt.UTC)
        qs = Response.objects.filter(survey=survey, wave__isnull=True, received_at__gte=start)
        if ends_on is not None:
            qs = qs.filter(received_at__lt=dt.datetime.combine(ends_on + dt.timedelta(days=1), dt.time.min,
                                                               tzinfo=dt.UTC))
        qs.update(wave=wave)
    selectors.forget_cached()
    return wave


# --- submissions ------------------------------------------------------------------------------------------


@dataclass(slots=True)
class SubmitOutcome:
    status: str  # "created", "duplicate", "conflict", "invalid"
    response: Response | None = None
    problems: list[AnswerProblem] = field(default_factory=list)

    @property
    def stored(self) -> bool:
        return self.status in ("created", "duplicate")


def canonical_hash(answers: Mapping[str, Any]) -> str:
    """The identity of a JSON submission: the same answers in any key order hash alike."""
    text = json.dumps(answers, sort_keys=True, ensure_ascii=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def check_instance_id(instance_id: str) -> str:
    value = (instance_id or "").strip()
    if not value or len(value) > MAX_INSTANCE_ID or any(ord(c) < 32 for c in value):
        raise FeedbackError(
            "Each submission needs an instance id of 1 to 200 printable characters, for example "
            "'uuid:6f1b2c3d-…'."
        )
    return value


def submit_response(
    *,
    survey: Survey,
    instance_id: str,
    answers: Mapping[str, Any],
    raw: str,
    raw_format: str,
    channel: str,
    payload_hash: str,
    language: str = "",
    user: Any = None,
    synthetic: bool = False,
    deprecated_id: str = "",
    received_at: dt.datetime | None = None,
    form: FormVersion | None = None,
    strict: bool = True,
    wave: Wave | None = None,
) -> SubmitOutcome:
    """Check and store one submission. Nothing is stored when the answers are invalid.

    ``payload_hash`` says what "the same submission" means for the channel (the canonical answers for JSON,
    the XML document for OpenRosa, the row for imports). Safe under concurrency: two workers storing the same
    instance id race on the database's unique constraint and the loser reports ``duplicate`` or
    ``conflict``. ``wave`` puts the response in that wave whatever its date (an import of a round collected
    elsewhere); otherwise the wave running on the day it was received takes it."""
    if channel not in CHANNELS:
        raise FeedbackError(f"Unknown channel '{channel}'.")
    instance_id = check_instance_id(instance_id)
    form = form or selectors.current_form(survey)
    spec = selectors.form_spec(form)
    checked = check_answers(spec, answers, language=language or spec.default_language, strict=strict)
    if not checked.ok:
        # a resend of something stored under an earlier form version is still the same submission
        existing = selectors.find_response(survey, instance_id)
        if existing is not None:
            return SubmitOutcome("duplicate" if existing.payload_hash == payload_hash else "conflict", existing)
        return SubmitOutcome("invalid", None, checked.problems)
    when = received_at or timezone.now()
    try:
        with transaction.atomic():
            replaced = None
            if deprecated_id and deprecated_id != instance_id:
                replaced = (
                    Response.objects.select_for_update().filter(survey=survey, instance_id=deprecated_id).first()
                )
                if replaced is not None:
                    Response.objects.filter(pk=replaced.pk).update(is_current=False)
                    if hasattr(replaced, "replaced_by"):
                        replaced = None  # already replaced once: keep the chain, do not steal the link
            response = Response.objects.create(
                survey=survey,
                form_version=form,
                wave=wave if wave is not None else selectors.wave_on(survey, when.date()),
                instance_id=instance_id,
                channel=channel,
                answers=checked.answers,
                raw=raw,
                raw_format=raw_format,
                payload_hash=payload_hash,
                language=(language or "")[:8],
                synthetic=synthetic,
                submitted_by=user if getattr(user, "is_authenticated", False) else None,
                replaces=replaced,
                received_at=when,
            )
            if any(checked.contact.values()):
                ContactDetail.objects.create(
                    response=response,
                    email=checked.contact.get("contact_email", "")[:254],
                    phone=checked.contact.get("contact_phone", "")[:64],
                )
    except IntegrityError:
        existing = selectors.find_response(survey, instance_id)
        if existing is None:
            raise
        return SubmitOutcome("duplicate" if existing.payload_hash == payload_hash else "conflict", existing)
    return SubmitOutcome("created", response)


# --- contact details ------------------------------------------------------------------------------------


def _redact(raw: str, values: list[str]) -> str:
    for value in values:
        if not value:
            continue
        variants = {value, json.dumps(value)[1:-1], value.replace("&", "&amp;").replace("<", "&lt;")}
        for variant in variants:
            raw = raw.replace(variant, ERASED)
    return raw


@transaction.atomic
def erase_contact(
    *, survey: Survey | None = None, instance_id: str = "", email: str = "", phone: str = ""
) -> int:
    """Erase contact details on request, by instance id or by the e-mail address or phone number given.
    The answers stay; the contact row is blanked and the values are struck from the raw payload too.
    Returns how many responses were affected."""
    if not (instance_id or email or phone):
        raise FeedbackError("Say whose contact details to erase: an instance id, an e-mail address or a phone.")
    qs = ContactDetail.objects.select_related("response").filter(erased_at__isnull=True)
    if survey is not None:
        qs = qs.filter(response__survey=survey)
    if instance_id:
        qs = qs.filter(response__instance_id=instance_id.strip())
    if email:
        qs = qs.filter(email__iexact=email.strip())
    if phone:
        qs = qs.filter(phone=phone.strip())
    count = 0
    now = timezone.now()
    for contact in qs:
        response = contact.response
        response.raw = _redact(response.raw, [contact.email, contact.phone])
        response.save(update_fields=["raw"])
        contact.email = ""
        contact.phone = ""
        contact.erased_at = now
        contact.save(update_fields=["email", "phone", "erased_at"])
        count += 1
    return count


# --- collectors and tokens ------------------------------------------------------------------------------


def _token_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@transaction.atomic
def add_collector(*, username: str, survey: Survey, password: str | None = None) -> tuple[Any, str]:
    """Create (or reuse) a collector account for ``survey`` and issue it a new API token.

    The password, when given, is for OpenRosa clients (HTTP Basic); the token is returned once and only its
    hash is kept."""
    user_model = get_user_model()
    username = username.strip()
    if not re.fullmatch(r"[\w.@+-]{1,150}", username):
        raise FeedbackError("A collector's user name may use letters, digits and . @ + - _ (at most 150).")
    user, created = user_model.objects.get_or_create(username=username)
    if password:
        user.set_password(password)
        user.save(update_fields=["password"])
    elif created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    survey.collectors.add(user)
    key = secrets.token_urlsafe(32)
    CollectorToken.objects.create(user=user, key_hash=_token_hash(key), created_at=timezone.now())
    return user, key


def user_for_token(key: str) -> Any:
    """The active user an API token belongs to, or None."""
    if not key or len(key) > 200:
        return None
    token = (
        CollectorToken.objects.select_related("user")
        .filter(key_hash=_token_hash(key.strip()), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    return token.user


@transaction.atomic
def revoke_tokens(*, username: str) -> int:
    return CollectorToken.objects.filter(user__username=username, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


# --- rate limit -----------------------------------------------------------------------------------------

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(text: str) -> tuple[int, int]:
    """``"600/m"`` → (600, 60); ``"0"`` or empty → (0, 0), meaning no limit."""
    value = (text or "").strip().lower()
    if value in ("", "0", "off", "none"):
        return 0, 0
    match = re.fullmatch(r"(\d+)\s*/\s*(\d*)\s*([smhd])", value)
    if not match:
        raise FeedbackError(
            f"MSMELENS_SUBMISSION_RATE must look like 600/m (per s, m, h or d) or 0 for no limit, not '{text}'."
        )
    count, multiple, unit = int(match.group(1)), int(match.group(2) or 1), match.group(3)
    return count, multiple * _PERIODS[unit]


def allow_submission(*, address: str, now: float | None = None) -> bool:
    """Count one anonymous submission from ``address``; False once its window's quota is used up.
    Counts live in the database, so every worker process shares them."""
    limit, period = parse_rate(getattr(settings, "MSMELENS_SUBMISSION_RATE", ""))
    if not limit:
        return True
    moment = time.time() if now is None else now
    window = int(moment // period) * period
    address = (address or "unknown")[:64]
    with transaction.atomic():
        updated = SubmissionCounter.objects.filter(address=address, window=window).update(count=F("count") + 1)
        if not updated:
            try:
                with transaction.atomic():
                    SubmissionCounter.objects.create(address=address, window=window, count=1)
            except IntegrityError:
                SubmissionCounter.objects.filter(address=address, window=window).update(count=F("count") + 1)
        count = SubmissionCounter.objects.filter(address=address, window=window).values_list("count", flat=True)
        current = next(iter(count), 1)
    if secrets.randbelow(200) == 0:  # now and then, forget old windows
        SubmissionCounter.objects.filter(window__lt=window - 10 * period).delete()
    return current <= limit
