"""Saving assessments and joining the survey: one response per firm, however often it saves."""

from __future__ import annotations

import pytest
from tests.guide.conftest import PERU_FIRM

from msmelens.feedback import selectors as feedback
from msmelens.guide import selectors, services
from msmelens.guide.models import Assessment

SURVEY_READY = {
    **PERU_FIRM["answers"],
    "exporter": "yes", "importer": "no", "online_sales": "no", "location": "urban",
}


def _firm(**extra: object) -> services.Firm:
    return services.clean_firm(country="PER", sector="C", employees=12, markets=["KOR", "NPL"], **extra)  # type: ignore[arg-type]


def _responses() -> list:
    survey = feedback.get_survey(feedback.DEFAULT_SURVEY_SLUG)
    return list(feedback.responses(survey, include_replaced=True)) if survey else []


def test_clean_firm_and_answers_refuse_bad_input_in_plain_words() -> None:
    with pytest.raises(services.GuideError, match="three-letter ISO code"):
        services.clean_firm(country="Peru")
    with pytest.raises(services.GuideError, match="Each market"):
        services.clean_firm(country="PER", markets=["KOR", "XXQ"])
    with pytest.raises(services.GuideError, match="at most 10"):
        services.clean_firm(country="PER", markets=["KOR", "NPL", "CHL", "JPN", "USA", "CAN", "MEX", "BRA", "ARG",
                                                    "COL", "ECU"])
    with pytest.raises(services.GuideError, match="ISIC section"):
        services.clean_firm(country="PER", sector="Z")
    with pytest.raises(services.GuideError, match="no question 'favourite_colour'"):
        services.clean_answers({"favourite_colour": "blue"})
    with pytest.raises(services.GuideError, match="must be one of"):
        services.clean_answers({"obstacle_finance": "7"})
    with pytest.raises(services.GuideError, match="'none' alone"):
        services.clean_answers({"aware_sme_provisions": ["none", "sme_website"]})
    firm = services.clean_firm(country="per", markets=["kor", "PER", "KOR"], employees="3")
    assert (firm.country, firm.markets, firm.employees) == ("PER", ["KOR"], 3)  # own country and repeats dropped
    assert services.clean_answers({"obstacle_finance": "", "skill_ict": "good"}) == {"skill_ict": "good"}


@pytest.mark.django_db
def test_an_assessment_is_found_by_its_token_only() -> None:
    assessment, token = services.create_assessment(firm=_firm(), answers=PERU_FIRM["answers"], language="en")
    assert len(token) >= 43
    assert Assessment.objects.get().token_hash == services.token_hash(token) != token
    assert selectors.assessment_by_token(token) == assessment
    assert selectors.assessment_by_token(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    assert selectors.assessment_by_token("") is None
    assert assessment.consent is False and _responses() == []


@pytest.mark.django_db
def test_without_the_survey_required_answers_nothing_joins_and_the_missing_ones_are_named() -> None:
    assessment, _token = services.create_assessment(firm=_firm(), answers=PERU_FIRM["answers"], consent=True)
    assessment.refresh_from_db()
    assert assessment.consent and assessment.survey_status == services.INCOMPLETE
    _answers, missing = services.survey_answers(firm=_firm(), answers=assessment.answers)
    assert missing == ["exporter", "importer", "online_sales", "location"]
    assert _responses() == []


@pytest.mark.django_db
def test_consent_adds_one_response_and_saving_again_never_double_counts() -> None:
    assessment, token = services.create_assessment(firm=_firm(), answers=SURVEY_READY, consent=True, language="fr")
    rows = _responses()
    assert len(rows) == 1
    first = rows[0]
    assert first.instance_id == assessment.survey_instance_id == services.instance_id(assessment)
    assert first.channel == "web" and first.language == "fr"
    answers = first.answers
    assert answers["country"] == "PER" and answers["markets"] == ["KOR", "NPL"] and answers["size_class"] == "small"
    assert answers["obstacle_border_procedures"] == "4" and answers["obstacle_digital"] == "dk"
    assert answers["owner_gender"] == "no_answer" and answers["consent_followup"] == "no"
    # the same answers again: stored once
    assert services.share_with_survey(assessment=assessment).status == services.SHARED
    services.update_assessment(assessment=assessment, firm=_firm(), answers=SURVEY_READY)
    assert len(_responses()) == 1 and assessment.revision == 1
    # changed answers: the response is replaced, not added to
    services.update_assessment(assessment=assessment, firm=_firm(), answers={**SURVEY_READY, "obstacle_finance": "3"})
    rows = _responses()
    current = [r for r in rows if r.is_current]
    assert len(rows) == 2 and len(current) == 1
    assert current[0].instance_id == assessment.survey_instance_id != first.instance_id
    assert current[0].answers["obstacle_finance"] == "3"
    assert selectors.survey_response_current(assessment.survey_instance_id)
    assert not selectors.survey_response_current(first.instance_id)
    assert selectors.assessment_by_token(token).revision == 2  # type: ignore[union-attr]


@pytest.mark.django_db
def test_a_firm_that_already_answered_the_survey_is_not_counted_twice() -> None:
    from msmelens.feedback import services as feedback_services

    survey = feedback_services.ensure_default_survey()
    own, _missing = services.survey_answers(firm=_firm(), answers=SURVEY_READY)
    outcome = feedback_services.submit_response(
        survey=survey, instance_id="uuid:firm-own-form", answers=own, raw="{}", raw_format="json", channel="web",
        payload_hash=feedback_services.canonical_hash(own),
    )
    assert outcome.status == "created"
    assessment, _token = services.create_assessment(
        firm=_firm(), answers=SURVEY_READY, consent=True, counted_as="uuid:firm-own-form"
    )
    assert assessment.survey_status == services.ALREADY_COUNTED
    assert assessment.survey_instance_id == "uuid:firm-own-form"
    assert [r.instance_id for r in _responses()] == ["uuid:firm-own-form"]
    # an id the survey does not hold is not trusted: the assessment joins with its own
    other, _token = services.create_assessment(firm=_firm(), answers=SURVEY_READY, consent=True,
                                               counted_as="uuid:made-up")
    assert other.survey_status == services.SHARED and len(_responses()) == 2
