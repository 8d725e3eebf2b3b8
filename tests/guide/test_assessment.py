"""The assessment data module: scoring, the stage, strengths and gaps, and unanswered questions."""

from __future__ import annotations

from msmelens.guide import assessment as spec
from msmelens.lens.taxonomy import CATEGORIES

ALL_GOOD = {
    "aware_agreements": "yes",
    "aware_sme_provisions": ["sme_website", "contact_point", "advance_rulings"],
    "digital_awareness": "good",
    **{name: "good" for name in ("skill_literacy", "skill_ict", "skill_language", "skill_business", "skill_social")},
    "digital_infrastructure": "yes",
    "digital_legal": "yes",
    **{f"obstacle_{c}": "0" for c in CATEGORIES},
}


def test_every_scored_question_has_a_stage_categories_and_sentences() -> None:
    assert {q.stage for q in spec.SCORED} == {"awareness", "skills", "infrastructure"}
    for q in spec.SCORED:
        assert q.categories and set(q.categories) <= set(CATEGORIES), q.name
        assert q.strength and q.gap, q.name
    # every obstacle category can become a gap
    assert {c for q in spec.SCORED for c in q.categories} == set(CATEGORIES)


def test_nothing_answered_is_awareness_with_everything_not_yet_known() -> None:
    result = spec.assess({})
    assert result.stage == "awareness"
    assert result.strengths == []
    assert len(result.gaps) == len(spec.SCORED)
    assert all(not g.known and g.text.startswith("Not yet known") for g in result.gaps)
    assert set(result.stage_scores.values()) == {0.0}


def test_all_good_answers_are_ready_with_no_gap() -> None:
    result = spec.assess(ALL_GOOD)
    assert result.stage == "ready"
    assert result.gaps == []
    assert len(result.strengths) == len(spec.SCORED)
    assert result.stage_scores == {"awareness": 1.0, "skills": 1.0, "infrastructure": 1.0}


def test_the_first_step_not_reached_is_the_stage() -> None:
    skills_weak = {**ALL_GOOD, **{n: "none" for n in ("skill_literacy", "skill_ict", "skill_language")}}
    result = spec.assess(skills_weak)
    # skills: 3 of 6 questions at 0, one rating at 1 -> (0+0+0+1+1+1)/6 = 0.5 < 0.6
    assert result.stage_scores["skills"] == 0.5
    assert result.stage == "skills"
    assert [g.name for g in result.gaps] == ["skill_literacy", "skill_ict", "skill_language"]
    assert "skills" in result.gap_categories and "digital" in result.gap_categories
    unaware = {**skills_weak, "aware_agreements": "no", "aware_sme_provisions": ["none"], "digital_awareness": "none"}
    assert spec.assess(unaware).stage == "awareness"


def test_dont_know_and_dk_count_as_not_known_not_as_zero() -> None:
    result = spec.assess({**ALL_GOOD, "aware_agreements": "dont_know", "obstacle_finance": "dk"})
    unknown = {g.name for g in result.gaps if not g.known}
    assert unknown == {"aware_agreements", "obstacle_finance"}
    assert spec.score_item(spec.BY_NAME["obstacle_finance"], "3") == 0.25
    assert spec.score_item(spec.BY_NAME["obstacle_finance"], "dk") is None


def test_sme_provisions_score_by_how_many_are_known() -> None:
    q = spec.BY_NAME["aware_sme_provisions"]
    assert spec.score_item(q, ["none"]) == 0.0
    assert abs((spec.score_item(q, ["de_minimis"]) or 0.0) - 1 / 3) < 1e-9
    assert spec.score_item(q, ["sme_chapter", "sme_website", "contact_point", "de_minimis"]) == 1.0
    assert spec.score_item(q, []) is None


def test_the_biggest_obstacle_comes_first_among_gap_categories_and_named_obstacles() -> None:
    answers = {**ALL_GOOD, "obstacle_border_procedures": "4", "obstacle_finance": "2", "biggest_obstacle": "finance"}
    result = spec.assess(answers)
    assert result.gap_categories[0] == "finance"
    assert set(result.gap_categories) == {"finance", "border_procedures"}
    assert result.named_obstacles == ["border_procedures", "finance"]
    assert result.stage == "ready"  # (6 + 0 + 0.5) / 8 infrastructure questions = 0.81
