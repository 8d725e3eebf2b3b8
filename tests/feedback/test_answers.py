"""check_answers against the default instrument: coercion, relevance, calculations, required, constraints,
contact details kept apart, and messages in the respondent's language."""

from __future__ import annotations

import pytest
from tests.feedback.conftest import valid_answers

from msmelens.feedback.answers import check_answers
from msmelens.feedback.formspec import FormSpec, size_class
from msmelens.feedback.xlsform import convert_xlsform, default_instrument_path


@pytest.fixture(scope="module")
def spec() -> FormSpec:
    path = default_instrument_path()
    return convert_xlsform(path.name, path.read_bytes()).spec


def test_valid_answers_are_normalised(spec: FormSpec) -> None:
    result = check_answers(spec, valid_answers(employees="12", markets="KOR NPL KOR", item_customs_time=4))
    assert result.ok, result.problems
    assert result.answers["employees"] == 12
    assert result.answers["size_class"] == "small"  # computed on the server from the XLSForm calculation
    assert result.answers["markets"] == ["KOR", "NPL"]
    assert result.answers["item_customs_time"] == "4"
    assert result.contact == {}


@pytest.mark.parametrize(
    ("employees", "expected"), [(0, "micro"), (9, "micro"), (10, "small"), (49, "small"), (50, "medium"),
                                (249, "medium"), (250, "large"), (100000, "large")]
)
def test_size_class_boundaries(spec: FormSpec, employees: int, expected: str) -> None:
    assert check_answers(spec, valid_answers(employees=employees)).answers["size_class"] == expected
    assert size_class(employees) == expected


def test_client_calculations_are_not_trusted(spec: FormSpec) -> None:
    result = check_answers(spec, valid_answers(employees=3, size_class="large"), strict=False)
    assert result.answers["size_class"] == "micro"


def test_irrelevant_answers_are_dropped(spec: FormSpec) -> None:
    # the border-procedure items are asked only when that obstacle is rated 1 or more
    given = valid_answers(obstacle_border_procedures="0", item_customs_time="4", aware_agreements="no")
    result = check_answers(spec, given)
    assert result.ok
    assert "item_customs_time" not in result.answers
    assert "aware_sme_provisions" not in result.answers  # relevant only when aware of the agreements


def test_each_problem_names_its_field(spec: FormSpec) -> None:
    given = valid_answers(employees="many", sector="Z", markets=["XXX"], year_started=1500, country=None)
    given["nonsense"] = 1
    result = check_answers(spec, given)
    problems = {p.name: p.code for p in result.problems}
    assert problems == {
        "nonsense": "unknown",
        "country": "required",
        "sector": "choice",
        "employees": "integer",
        "year_started": "constraint",
        "markets": "choice",
    }


def test_messages_follow_the_language(spec: FormSpec) -> None:
    given = valid_answers(country=None, year_started=1500)
    french = {p.name: p.message for p in check_answers(spec, given, language="fr").problems}
    spanish = {p.name: p.message for p in check_answers(spec, given, language="es").problems}
    assert french["country"] == "Cette question demande une réponse."
    assert french["year_started"] == "Indiquez une année entre 1800 et cette année."  # the form's own message
    assert spanish["year_started"] == "Indique un año entre 1800 y este año."


def test_contact_details_are_kept_apart_and_only_with_consent(spec: FormSpec) -> None:
    with_consent = check_answers(
        spec, valid_answers(consent_followup="yes", contact_email="owner@example.pe", contact_phone="+51 1 234567")
    )
    assert with_consent.ok, with_consent.problems
    assert with_consent.contact == {"contact_email": "owner@example.pe", "contact_phone": "+51 1 234567"}
    assert "contact_email" not in with_consent.answers
    without = check_answers(spec, valid_answers(consent_followup="no", contact_email="owner@example.pe"))
    assert without.contact == {} and "contact_email" not in without.answers


def test_bad_email_is_refused(spec: FormSpec) -> None:
    result = check_answers(spec, valid_answers(consent_followup="yes", contact_email="not an address"))
    assert [(p.name, p.code) for p in result.problems] == [("contact_email", "constraint")]


def test_none_of_these_cannot_be_combined(spec: FormSpec) -> None:
    result = check_answers(spec, valid_answers(aware_sme_provisions=["none", "sme_website"]))
    assert [p.name for p in result.problems] == ["aware_sme_provisions"]


@pytest.mark.parametrize("value", [True, [1], {"a": 1}, 1.5, "1e3", "", "  "])
def test_integer_rejects_what_is_not_a_whole_number(spec: FormSpec, value: object) -> None:
    result = check_answers(spec, valid_answers(employees=value))
    codes = {p.name: p.code for p in result.problems}
    assert codes["employees"] in ("integer", "required", "text")


def test_required_can_be_relaxed_for_a_draft(spec: FormSpec) -> None:
    result = check_answers(spec, {"country": "PER"}, enforce_required=False)
    assert result.ok
    assert result.answers == {"country": "PER"}
