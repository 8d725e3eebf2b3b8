"""Feedback services on a real database: submissions, idempotency, waves, forms, contact erasure, rate limit."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.test import override_settings
from openpyxl import Workbook
from tests.feedback.conftest import valid_answers

from msmelens.feedback import selectors, services
from msmelens.feedback.models import ContactDetail, Response
from msmelens.feedback.xlsform import FormError


def submit(survey, instance_id: str = "uuid:1", **changes):  # type: ignore[no-untyped-def]
    answers = valid_answers(**changes)
    return services.submit_response(
        survey=survey,
        instance_id=instance_id,
        answers=answers,
        raw=json.dumps({"instance_id": instance_id, "answers": answers}),
        raw_format="json",
        channel="api",
        payload_hash=services.canonical_hash(answers),
    )


def test_default_survey_is_installed(default_survey) -> None:  # type: ignore[no-untyped-def]
    assert default_survey.slug == "msme-trade-obstacles"
    assert default_survey.form_id == "msme_trade_obstacles"
    assert default_survey.access == "open"
    form = selectors.current_form(default_survey)
    assert selectors.form_spec(form).form_id == "msme_trade_obstacles"
    assert form.xlsform_name == "msme_trade_obstacles.xlsx" and bytes(form.xlsform)[:2] == b"PK"


def test_created_duplicate_conflict(default_survey) -> None:  # type: ignore[no-untyped-def]
    first = submit(default_survey)
    assert first.status == "created"
    assert first.response is not None and first.response.answers["employees"] == 12
    again = submit(default_survey)
    assert again.status == "duplicate" and again.response.pk == first.response.pk
    other = submit(default_survey, employees=40)
    assert other.status == "conflict"
    assert Response.objects.filter(instance_id="uuid:1").count() == 1
    assert Response.objects.get(instance_id="uuid:1").answers["employees"] == 12


def test_invalid_answers_store_nothing(default_survey) -> None:  # type: ignore[no-untyped-def]
    outcome = submit(default_survey, employees="lots")
    assert outcome.status == "invalid"
    assert [(p.name, p.code) for p in outcome.problems] == [("employees", "integer")]
    assert not Response.objects.filter(survey=default_survey).exists()


def test_contact_details_are_stored_apart(default_survey) -> None:  # type: ignore[no-untyped-def]
    outcome = submit(default_survey, consent_followup="yes", contact_email="ana@example.pe")
    response = outcome.response
    assert "contact_email" not in response.answers
    assert ContactDetail.objects.get(response=response).email == "ana@example.pe"
    rows = list(selectors.iter_answer_rows(default_survey))
    assert "ana@example.pe" not in json.dumps(rows, default=str)


def test_erase_contact_blanks_the_details_and_the_raw_payload(default_survey) -> None:  # type: ignore[no-untyped-def]
    submit(default_survey, "uuid:a", consent_followup="yes", contact_email="ana@example.pe", contact_phone="+51 999 111")
    submit(default_survey, "uuid:b", consent_followup="yes", contact_email="luis@example.pe")
    assert services.erase_contact(email="ANA@example.pe") == 1
    erased = Response.objects.get(instance_id="uuid:a")
    assert "ana@example.pe" not in erased.raw and "+51 999 111" not in erased.raw
    assert services.ERASED in erased.raw
    contact = ContactDetail.objects.get(response=erased)
    assert (contact.email, contact.phone) == ("", "") and contact.erased_at is not None
    assert ContactDetail.objects.get(response__instance_id="uuid:b").email == "luis@example.pe"
    assert services.erase_contact(email="ana@example.pe") == 0
    with pytest.raises(services.FeedbackError):
        services.erase_contact()


def test_deprecated_submission_is_replaced(default_survey) -> None:  # type: ignore[no-untyped-def]
    submit(default_survey, "uuid:old")
    answers = valid_answers(employees=60)
    outcome = services.submit_response(
        survey=default_survey, instance_id="uuid:new", answers=answers, raw="<x/>", raw_format="xml",
        channel="openrosa", payload_hash="h2", deprecated_id="uuid:old", strict=False,
    )
    assert outcome.status == "created"
    old = Response.objects.get(instance_id="uuid:old")
    assert old.is_current is False and outcome.response.replaces_id == old.pk
    current = list(selectors.responses(default_survey).values_list("instance_id", flat=True))
    assert current == ["uuid:new"]


def test_waves_take_responses_by_date(default_survey) -> None:  # type: ignore[no-untyped-def]
    submit(default_survey, "uuid:before")
    today = dt.date.today()
    wave = services.add_wave(survey=default_survey, name="2026-1", starts_on=today - dt.timedelta(days=1))
    assert Response.objects.get(instance_id="uuid:before").wave == wave  # assigned after the fact
    later = submit(default_survey, "uuid:after")
    assert later.response.wave == wave
    with pytest.raises(services.FeedbackError, match="already has a wave"):
        services.add_wave(survey=default_survey, name="2026-1", starts_on=today)
    with pytest.raises(services.FeedbackError, match="ends"):
        services.add_wave(survey=default_survey, name="bad", starts_on=today, ends_on=today - dt.timedelta(days=3))


@pytest.mark.parametrize(
    ("design", "message"),
    [
        ({"type": "quota"}, "type"),
        ({"type": "poststratification", "strata": ["country"]}, "population"),
        ({"type": "poststratification", "strata": ["country"], "population": [{"country": "PER"}]}, "row 1"),
        ({"type": "poststratification", "strata": ["country"], "population": [{"country": "PER", "count": -3}]},
         "above 0"),
        ({"type": "raking", "margins": {"size_class": {"micro": "many"}}}, "micro"),
    ],
)
def test_bad_designs_are_refused(default_survey, design, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(services.FeedbackError, match=message):
        services.add_wave(survey=default_survey, name="w", starts_on=dt.date.today(), design=design)


def test_good_design_is_kept(default_survey) -> None:  # type: ignore[no-untyped-def]
    design = {"type": "poststratification", "strata": ["size_class"],
              "population": [{"size_class": "micro", "count": 9000}, {"size_class": "small", "count": 800}]}
    wave = services.add_wave(survey=default_survey, name="w", starts_on=dt.date.today(), design=design)
    assert selectors.get_wave(default_survey, "w").design == design == wave.design


def form_bytes(version: str, label: str = "Name") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "survey"
    sheet.append(["type", "name", "label", "required"])
    sheet.append(["text", "firm_name", label, "yes"])
    sheet.append(["integer", "employees", "Employees", ""])
    settings = book.create_sheet("settings")
    settings.append(["form_id", "form_title", "version"])
    settings.append(["field_check", "Field check", version])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_custom_forms_and_versions(db) -> None:  # type: ignore[no-untyped-def]
    added = services.add_form(filename="check.xlsx", content=form_bytes("1"), access="restricted")
    assert (added.status, added.survey.slug, added.survey.access) == ("created", "field-check", "restricted")
    assert services.add_form(filename="check.xlsx", content=form_bytes("1")).status == "unchanged"
    with pytest.raises(FormError) as caught:
        services.add_form(filename="check.xlsx", content=form_bytes("1", label="Firm name"))
    assert caught.value.problems[0].code == "MSL309" and caught.value.problems[0].column == "version"
    newer = services.add_form(filename="check.xlsx", content=form_bytes("2", label="Firm name"))
    assert newer.status == "new_version"
    assert selectors.current_form(newer.survey).version == "2"


def test_collector_tokens(default_survey) -> None:  # type: ignore[no-untyped-def]
    services.set_survey_access(survey=default_survey, access="restricted")
    user, token = services.add_collector(username="field-team-1", survey=default_survey)
    assert services.user_for_token(token) == user
    assert services.user_for_token(token + "x") is None
    assert selectors.user_can_collect(default_survey, user)
    assert services.revoke_tokens(username="field-team-1") == 1
    assert services.user_for_token(token) is None


@pytest.mark.parametrize(("text", "expected"), [("600/m", (600, 60)), ("5/s", (5, 1)), ("100/15m", (100, 900)),
                                                ("0", (0, 0)), ("", (0, 0))])
def test_parse_rate(text: str, expected: tuple[int, int]) -> None:
    assert services.parse_rate(text) == expected


def test_parse_rate_explains_a_bad_value() -> None:
    with pytest.raises(services.FeedbackError, match="600/m"):
        services.parse_rate("fast")


@override_settings(MSMELENS_SUBMISSION_RATE="3/m")
def test_rate_limit_counts_per_address(db) -> None:  # type: ignore[no-untyped-def]
    now = 1_000_000.0
    allowed = [services.allow_submission(address="10.0.0.1", now=now) for _ in range(5)]
    assert allowed == [True, True, True, False, False]
    assert services.allow_submission(address="10.0.0.2", now=now) is True
    assert services.allow_submission(address="10.0.0.1", now=now + 60) is True  # a new window
