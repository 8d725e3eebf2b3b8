"""Reads for the feedback app. Other apps (and part 2's results) read surveys and responses only through here."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any

from django.db.models import QuerySet

from msmelens.feedback.formspec import FormSpec
from msmelens.feedback.models import FormVersion, Response, Survey, Wave

DEFAULT_SURVEY_SLUG = "msme-trade-obstacles"


# Surveys, their current form and their waves are read on every submission and change rarely: each process
# keeps them for CACHE_SECONDS. The services that change them clear this process's copy at once; another
# process (a CLI command beside a running server) sees the change within CACHE_SECONDS.
CACHE_SECONDS = 5.0
_cache: dict[tuple[str, Any], tuple[float, Any]] = {}


def _cached(key: tuple[str, Any], load: Callable[[], Any]) -> Any:
    now = time.monotonic()
    hit = _cache.get(key)
    if hit is not None and now - hit[0] < CACHE_SECONDS:
        return hit[1]
    value = load()
    if value is not None:
        _cache[key] = (now, value)
    return value


def forget_cached() -> None:
    """Drop this process's cached surveys, forms and waves (the services call it after every change)."""
    _cache.clear()


def get_survey(slug: str) -> Survey | None:
    return _cached(("slug", slug), lambda: Survey.objects.filter(slug=slug)[:1].first())  # type: ignore[no-any-return]


def get_survey_by_form_id(form_id: str) -> Survey | None:
    return _cached(  # type: ignore[no-any-return]
        ("form_id", form_id), lambda: Survey.objects.filter(form_id=form_id)[:1].first()
    )


def list_surveys(*, active_only: bool = True) -> list[Survey]:
    qs = Survey.objects.all()
    if active_only:
        qs = qs.filter(is_active=True)
    return list(qs.order_by("slug"))


HEAVY_FORM_FIELDS = ("xlsform", "xform", "definition")


def current_form(survey: Survey) -> FormVersion:
    """The survey's newest form version (every survey has at least one). The workbook, the XForm and the
    definition are loaded only when read: a submission needs none of them (see :func:`form_spec`)."""
    form = _cached(
        ("form", survey.pk),
        lambda: survey.form_versions.defer(*HEAVY_FORM_FIELDS).order_by("-created_at", "-id").first(),
    )
    if form is None:  # pragma: no cover - services never create a survey without a form
        raise LookupError(f"survey {survey.slug} has no form")
    return form


def form_version(survey: Survey, version: str) -> FormVersion | None:
    return survey.form_versions.defer(*HEAVY_FORM_FIELDS).filter(version=version).first()


@lru_cache(maxsize=64)
def _spec(form_version_id: int, xform_md5: str) -> FormSpec:
    definition = FormVersion.objects.values_list("definition", flat=True).get(pk=form_version_id)
    return FormSpec.from_dict(definition)


def form_spec(form: FormVersion) -> FormSpec:
    """The plain-data form of a stored version (parsed once per process and version)."""
    return _spec(form.pk, form.xform_md5)


def user_can_collect(survey: Survey, user: Any) -> bool:
    """Whether ``user`` may submit to a restricted survey (collectors of the survey, and superusers)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.is_superuser or survey.collectors.filter(pk=user.pk).exists())


def surveys_for(user: Any) -> list[Survey]:
    """Active surveys ``user`` may submit to: every open survey, and restricted ones they collect for."""
    return [s for s in list_surveys() if s.access == Survey.OPEN or user_can_collect(s, user)]


def waves(survey: Survey) -> list[Wave]:
    return list(survey.waves.order_by("starts_on", "name"))


def get_wave(survey: Survey, name: str) -> Wave | None:
    return survey.waves.filter(name=name).first()


def wave_on(survey: Survey, day: dt.date) -> Wave | None:
    """The wave running on ``day`` (the latest-starting one if several overlap)."""
    running: list[Wave] = _cached(
        ("waves", survey.pk), lambda: list(survey.waves.order_by("-starts_on", "-id"))
    )
    for wave in running:
        if wave.starts_on <= day and (wave.ends_on is None or wave.ends_on >= day):
            return wave
    return None


def find_response(survey: Survey, instance_id: str) -> Response | None:
    return Response.objects.filter(survey=survey, instance_id=instance_id)[:1].first()


def responses(
    survey: Survey,
    *,
    wave: Wave | None = None,
    include_replaced: bool = False,
    include_synthetic: bool = True,
) -> QuerySet[Response]:
    """A survey's responses in the order received; replaced submissions only when asked for."""
    qs = Response.objects.filter(survey=survey)
    if wave is not None:
        qs = qs.filter(wave=wave)
    if not include_replaced:
        qs = qs.filter(is_current=True)
    if not include_synthetic:
        qs = qs.filter(synthetic=False)
    return qs.order_by("received_at", "id")


def response_count(survey: Survey, *, wave: Wave | None = None) -> int:
    return responses(survey, wave=wave).count()


def iter_answer_rows(
    survey: Survey, *, wave: Wave | None = None, include_synthetic: bool = True, chunk_size: int = 1000
) -> Iterator[dict[str, Any]]:
    """One dict per current response: ``instance_id``, ``wave``, ``received_at``, ``channel``, ``synthetic``,
    ``language`` and ``answers``. Never contact details, never the raw payload."""
    qs = responses(survey, wave=wave, include_synthetic=include_synthetic).values_list(
        "instance_id", "wave__name", "received_at", "channel", "synthetic", "language", "answers"
    )
    for instance_id, wave_name, received_at, channel, synthetic, language, answers in qs.iterator(
        chunk_size=chunk_size
    ):
        yield {
            "instance_id": instance_id,
            "wave": wave_name or "",
            "received_at": received_at,
            "channel": channel,
            "synthetic": synthetic,
            "language": language,
            "answers": answers,
        }
