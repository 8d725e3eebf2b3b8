"""The guide's pages: the form in three languages, posting it, the private report and changing the answers."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from tests.guide.conftest import PERU_FIRM

from msmelens.feedback import selectors as feedback
from msmelens.guide import services
from msmelens.guide.models import Assessment

FORM = {
    "country": "PER", "sector": "C", "employees": "12", "market_1": "KOR", "market_2": "NPL",
    **{k: v for k, v in PERU_FIRM["answers"].items()},  # type: ignore[union-attr]
}


def _token(response) -> str:  # type: ignore[no-untyped-def]
    match = re.search(r"/guide/r/([A-Za-z0-9_-]+)/", response["Location"])
    assert match, response["Location"]
    return match.group(1)


@pytest.mark.django_db
@pytest.mark.parametrize(("prefix", "lang", "heading"), [
    ("", "en", "What do trade agreements do for your firm?"),
    ("/fr", "fr", None),
    ("/es", "es", None),
])
def test_the_form_in_three_languages(client: Client, prefix: str, lang: str, heading: str | None) -> None:
    response = client.get(f"{prefix}/guide/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}"' in html
    if heading:
        assert heading in html
    # the country list is in the page's language
    assert {"en": ">Peru<", "fr": ">Pérou<", "es": ">Perú<"}[lang] in html
    for name in ("country", "market_1", "market_5", "aware_agreements", "skill_ict", "obstacle_finance", "consent"):
        assert f'name="{name}"' in html
    # one list of countries for the five markets (suggestions), not one per field
    assert html.count('list="country-names"') == 5 and html.count('<datalist id="country-names">') == 1
    assert "<script" not in html
    assert "X-MSME-Lens-Cache" not in response


@pytest.mark.django_db
def test_posting_the_form_saves_and_opens_the_private_report(client: Client, guide_db) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/guide/", FORM)
    assert response.status_code == 302
    token = _token(response)
    assessment = Assessment.objects.get()
    assert assessment.markets == ["KOR", "NPL"] and assessment.answers["obstacle_border_procedures"] == "4"
    assert assessment.consent is False
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert page["Referrer-Policy"] == "same-origin"
    assert "noindex" in page["X-Robots-Tag"]
    assert "no-store" in page["Cache-Control"] or "max-age=0" in page["Cache-Control"]
    html = page.content.decode()
    assert 'data-stage="awareness"' in html
    assert 'data-agreement="tota-380"' in html and 'data-status="in_force"' in html
    assert 'id="market-NPL"' in html and "No trade agreement between Peru and Nepal" in html
    assert f"/guide/r/{token}/" in html
    assert 'data-status="not_shared"' in html
    # a wrong token is a plain 404
    assert client.get(f"/guide/r/{token[:-2]}xx/").status_code == 404


@pytest.mark.django_db
def test_the_form_keeps_what_was_typed_and_says_what_is_wrong(client: Client) -> None:
    response = client.post("/guide/", {**FORM, "country": "", "employees": "-3"})
    assert response.status_code == 200
    html = response.content.decode()
    assert Assessment.objects.count() == 0
    assert 'class="field-error"' in html
    assert 'name="market_1" value="KOR"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", ["", "/fr", "/es"])
def test_the_report_page_in_three_languages(client: Client, guide_db, prefix: str) -> None:  # type: ignore[no-untyped-def]
    token = _token(client.post(f"{prefix}/guide/", FORM))
    html = client.get(f"{prefix}/guide/r/{token}/").content.decode()
    lang = prefix.strip("/") or "en"
    assert f'<html lang="{lang}"' in html
    assert {"en": "South Korea", "fr": "Corée du Sud", "es": "Corea del Sur"}[lang] in html
    assert 'data-agreement="tota-380"' in html


@pytest.mark.django_db
def test_consent_from_the_report_and_changing_answers_never_double_count(client: Client, guide_db) -> None:  # type: ignore[no-untyped-def]
    ready = {**FORM, "exporter": "yes", "importer": "no", "online_sales": "yes", "location": "rural"}
    token = _token(client.post("/guide/", ready))
    survey = feedback.get_survey(feedback.DEFAULT_SURVEY_SLUG)
    assert feedback.response_count(survey) == 0  # type: ignore[arg-type]
    shared = client.post(f"/guide/r/{token}/", {"action": "share"})
    assert shared.status_code == 302 and shared["Location"] == f"/guide/r/{token}/#survey"
    page = client.get(f"/guide/r/{token}/")
    assert page.status_code == 200 and 'data-status="counted"' in page.content.decode()
    assert feedback.response_count(survey) == 1  # type: ignore[arg-type]
    client.post(f"/guide/r/{token}/", {"action": "share"})
    assert feedback.response_count(survey) == 1  # type: ignore[arg-type]
    edit = client.get(f"/guide/r/{token}/edit/")
    assert edit.status_code == 200
    edit_html = edit.content.decode()
    assert 'name="market_1" value="South Korea"' in edit_html and re.search(r'value="rural"[^>]*checked', edit_html)
    changed = client.post(f"/guide/r/{token}/edit/", {**ready, "consent": "on", "obstacle_finance": "4"})
    assert changed.status_code == 302
    assert feedback.response_count(survey) == 1  # type: ignore[arg-type]
    current = list(feedback.responses(survey))  # type: ignore[arg-type]
    assert current[0].answers["obstacle_finance"] == "4"
    assert Assessment.objects.get().revision == 2


@pytest.mark.django_db
def test_a_firm_that_sent_the_survey_form_in_the_same_session_is_counted_once(client: Client, guide_db) -> None:  # type: ignore[no-untyped-def]
    from msmelens.feedback import services as feedback_services
    from msmelens.feedback import web_form

    survey = feedback_services.ensure_default_survey()
    answers, _missing = services.survey_answers(
        firm=services.clean_firm(country="PER", sector="C", employees=12),
        answers={**PERU_FIRM["answers"], "exporter": "yes", "importer": "no", "online_sales": "yes",  # type: ignore[dict-item]
                 "location": "urban"},
    )
    feedback_services.submit_response(survey=survey, instance_id="uuid:session-form", answers=answers, raw="{}",
                                      raw_format="json", channel="web",
                                      payload_hash=feedback_services.canonical_hash(answers))
    session = client.session
    web_form.mark_submitted(session, survey.slug, "uuid:session-form")
    session.save()
    token = _token(client.post("/guide/", {**FORM, "consent": "on"}))
    assert feedback.response_count(survey) == 1
    html = client.get(f"/guide/r/{token}/").content.decode()
    assert "already counted in the survey" in html


@pytest.mark.django_db
def test_actions_on_the_obstacles_named_are_shown(client: Client, guide_db) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    from msmelens.feedback import actions
    from msmelens.feedback import services as feedback_services

    survey = feedback_services.ensure_default_survey()
    actions.record_action(
        survey=survey, country="PER", categories=["border_procedures"], title="Express lane for small exporters",
        description="A customs lane for shipments under USD 2,000.", responsible="SUNAT",
        started_on=dt.date(2026, 3, 1),
    )
    actions.record_action(
        survey=survey, country="PER", categories=["finance"], title="Credit line", description="",
        responsible="COFIDE", started_on=dt.date(2026, 3, 1),
    )
    token = _token(client.post("/guide/", FORM))
    html = client.get(f"/guide/r/{token}/").content.decode()
    assert "Express lane for small exporters" in html and "SUNAT" in html
    assert "Credit line" not in html  # finance was rated 0: not an obstacle the firm named


@pytest.mark.django_db
def test_markets_are_typed_as_names_in_the_page_language_or_as_codes(client: Client, guide_db) -> None:  # type: ignore[no-untyped-def]
    from msmelens.guide.forms import resolve_country

    assert resolve_country("corée du sud") == resolve_country("Corea del Sur") == resolve_country("kor") == "KOR"
    assert resolve_country("Perou") == "PER" and resolve_country("Atlantis") is None
    response = client.post("/fr/guide/", {**FORM, "market_1": "Corée du Sud", "market_2": "Népal"})
    assert response.status_code == 302 and response["Location"].startswith("/fr/guide/r/")
    assert Assessment.objects.get().markets == ["KOR", "NPL"]
    refused = client.post("/guide/", {**FORM, "market_1": "Atlantis"})
    assert refused.status_code == 200
    assert "We do not know the country &#x27;Atlantis&#x27;" in refused.content.decode()


@pytest.mark.django_db
def test_saving_is_rate_limited_per_address_and_keeps_the_answers(client: Client, guide_db, settings) -> None:  # type: ignore[no-untyped-def]
    settings.MSMELENS_SUBMISSION_RATE = "2/m"
    assert client.post("/guide/", FORM).status_code == 302
    assert client.post("/guide/", FORM).status_code == 302
    refused = client.post("/guide/", FORM)
    assert refused.status_code == 429
    assert Assessment.objects.count() == 2
    html = refused.content.decode()
    assert "wait a minute" in html and 'name="market_1" value="KOR"' in html


@pytest.mark.django_db
def test_once_in_the_survey_the_edit_form_says_so_instead_of_asking_again(client: Client, guide_db) -> None:  # type: ignore[no-untyped-def]
    ready = {**FORM, "exporter": "yes", "importer": "no", "online_sales": "yes", "location": "rural", "consent": "on"}
    token = _token(client.post("/guide/", ready))
    assert Assessment.objects.get().survey_status == services.SHARED
    html = client.get(f"/guide/r/{token}/edit/").content.decode()
    assert 'id="in-survey"' in html and 'name="consent"' not in html
    fresh = _token(client.post("/guide/", FORM))
    assert 'name="consent"' in client.get(f"/guide/r/{fresh}/edit/").content.decode()


@pytest.mark.django_db
def test_the_survey_form_after_the_guide_replaces_the_guides_response(client: Client, guide_db) -> None:  # type: ignore[no-untyped-def]
    """Guide first (with consent), then the survey's own form in the same browser: the firm counts once, with
    its survey answers, and a later change of the guide's answers adds nothing."""
    from tests.feedback.conftest import valid_answers
    from tests.feedback.test_web_form import walk

    from msmelens.feedback import services as feedback_services

    survey = feedback_services.ensure_default_survey()
    ready = {**FORM, "exporter": "yes", "importer": "no", "online_sales": "yes", "location": "rural", "consent": "on"}
    token = _token(client.post("/guide/", ready))
    assessment = Assessment.objects.get(survey_status=services.SHARED)
    guide_id = assessment.survey_instance_id
    assert feedback.response_count(survey) == 1
    walk(client, valid_answers())
    assert feedback.response_count(survey) == 1  # replaced, not added
    survey_response = feedback.find_response(survey, guide_id).replaced_by
    assert survey_response.is_current and survey_response.channel == "web"
    client.post(f"/guide/r/{token}/edit/", {**ready, "obstacle_finance": "4"})
    assessment.refresh_from_db()
    assert assessment.survey_status == services.ALREADY_COUNTED
    assert assessment.survey_instance_id == survey_response.instance_id
    assert feedback.response_count(survey) == 1
