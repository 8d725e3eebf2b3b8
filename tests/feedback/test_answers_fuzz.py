"""Property-based tests of ``check_answers`` against the default instrument's FormSpec (hypothesis).

* Arbitrary JSON-like answer dicts (real question names and stray ones, any JSON values): never raises; every
  problem names a field that was given or is a question of the form, with a known code and a message; kept
  answers are only stored questions, contact details only ``contact_*``.
* Valid answers (drawn from the form's own choices and ranges) are accepted, and their normalised form is
  accepted again unchanged, also after a JSON round trip (what the database stores and an export re-imports).
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.feedback.conftest import CATEGORIES, valid_answers

from msmelens.feedback.answers import MESSAGES, check_answers
from msmelens.feedback.formspec import METADATA_TYPES, FormSpec
from msmelens.feedback.xlsform import convert_xlsform, default_instrument_path

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@cache
def spec() -> FormSpec:
    path = default_instrument_path()
    return convert_xlsform(path.name, path.read_bytes()).spec


NAMES = [q.name for q in spec().questions]
# ODK metadata (start, end): stored as given when sent, though not an export column
METADATA = {q.name for q in spec().questions if q.type in METADATA_TYPES}
json_scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30)
json_values = st.recursive(
    json_scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)
# plausible values too, so that relevance and constraints get exercised, not only type errors
plausible = st.sampled_from(["0", "1", "4", "dk", "yes", "no", "PER", "KOR NPL", "12", "-1", "2015", "", " "])
answer_dicts = st.dictionaries(
    st.sampled_from(NAMES) | st.text(max_size=12), json_values | plausible, max_size=40
)


@given(given_answers=answer_dicts, language=st.sampled_from(["en", "fr", "es", "de", ""]))
@FUZZ
def test_arbitrary_answers_never_raise_and_problems_name_fields(given_answers: dict[str, Any], language: str) -> None:
    form = spec()
    for strict in (True, False):
        checked = check_answers(form, given_answers, language=language, strict=strict)
        for problem in checked.problems:
            assert problem.name in given_answers or problem.name in form.by_name, problem
            assert problem.code in MESSAGES, problem
            assert isinstance(problem.message, str) and problem.message.strip(), problem
        named = [p.name for p in checked.problems]
        assert len(named) == len(set(named)), f"one problem per field: {named}"
        stored = set(form.answer_names) | METADATA
        assert set(checked.answers) <= stored
        assert all(name.startswith("contact_") for name in checked.contact)
        assert not set(checked.answers) & {p.name for p in checked.problems}
        if not strict:
            assert all(p.code != "unknown" for p in checked.problems)
        json.dumps(checked.answers)  # always storable as JSON


def test_metadata_question_is_not_unknown() -> None:
    checked = check_answers(spec(), valid_answers(start="2026-12-07T10:00:00Z"), strict=True)
    assert checked.ok, checked.problems
    assert checked.answers["start"] == "2026-12-07T10:00:00Z"


def _choice(name: str) -> st.SearchStrategy[str]:
    return st.sampled_from(sorted(spec().by_name[name].choice_names))


@st.composite
def valid_sets(draw: st.DrawFn) -> dict[str, Any]:
    employees = draw(st.integers(min_value=0, max_value=1_000_000))
    consent = draw(st.sampled_from(["yes", "no"]))
    changes: dict[str, Any] = {
        "country": draw(_choice("country")),
        "sector": draw(_choice("sector")),
        "employees": draw(st.sampled_from([employees, str(employees), float(employees)])),
        "year_started": draw(st.none() | st.integers(min_value=1800, max_value=2020)),
        "exporter": draw(_choice("exporter")),
        "markets": draw(st.lists(_choice("markets"), max_size=10, unique=True)) or None,
        "biggest_obstacle": draw(_choice("biggest_obstacle")),
        "digital_awareness": draw(_choice("digital_awareness")),
        "skill_ict": draw(st.none() | _choice("skill_ict")),
        "comment": draw(st.none() | st.text(max_size=200).filter(lambda t: "\x00" not in t)),
        "consent_followup": consent,
        "contact_email": "owner@example.org" if consent == "yes" and draw(st.booleans()) else None,
    }
    for key in CATEGORIES:
        changes[f"obstacle_{key}"] = draw(_choice(f"obstacle_{key}"))
    answers = valid_answers(**changes)
    if answers["obstacle_border_procedures"] in ("0", "dk"):
        answers.pop("item_customs_time")  # not asked then: strict mode would still accept it (dropped)
    return answers


@given(answers=valid_sets(), language=st.sampled_from(["en", "fr", "es"]))
@FUZZ
def test_valid_answers_stay_valid_after_a_round_trip(answers: dict[str, Any], language: str) -> None:
    form = spec()
    first = check_answers(form, answers, language=language)
    assert first.ok, first.problems
    assert first.answers["employees"] == int(answers["employees"])
    assert first.answers["size_class"] in ("micro", "small", "medium", "large")
    again = {**json.loads(json.dumps(first.answers)), **first.contact}
    again.pop("size_class")  # calculated: the server recomputes it
    second = check_answers(form, again, language=language)
    assert second.ok, second.problems
    assert second.answers == first.answers
    assert second.contact == first.contact
