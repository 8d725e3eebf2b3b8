"""survey_results and wave_changes end to end on the real database (SQLite and PostgreSQL): weighted shares
that match a hand computation, suppressed cells without figures, synthetic responses left out by default."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import uuid

import pytest
from scipy.stats import beta

from msmelens.feedback import services
from msmelens.feedback.result_types import CLEARLY_UP, SUPPRESSED, ResultTable
from msmelens.feedback.results import ResultsError, survey_results, wave_changes
from msmelens.feedback.simulate import simulate_responses
from msmelens.lens.taxonomy import CATEGORIES

from .conftest import valid_answers


def _submit(survey, *, synthetic: bool = False, wave=None, when: dt.datetime | None = None, **changes) -> None:
    answers = valid_answers(**changes)
    outcome = services.submit_response(
        survey=survey,
        instance_id=f"uuid:{uuid.uuid4()}",
        answers=answers,
        raw=json.dumps(answers),
        raw_format="json",
        channel="api",
        payload_hash=services.canonical_hash(answers),
        synthetic=synthetic,
        received_at=when,
        wave=wave,
    )
    assert outcome.status == "created", outcome.problems


def _cell(table: ResultTable, category: str, **group):
    matches = [c for c in table.cells if c.category == category and c.group == group]
    assert len(matches) == 1, (group, category)
    return matches[0]


def _wave(survey, name: str, start: dt.date, design=None):
    return services.add_wave(survey=survey, name=name, starts_on=start,
                             ends_on=start + dt.timedelta(days=30), design=design)


def test_unweighted_overall_share_matches_a_hand_count(default_survey):
    # 100 respondents: finance rated 3 by 30, 4 by 10, 1 by 50, dk by 10 -> n = 90, share = 40/90
    levels = ["3"] * 30 + ["4"] * 10 + ["1"] * 50 + ["dk"] * 10
    for level in levels:
        _submit(default_survey, obstacle_finance=level)
    table = survey_results(survey=default_survey)
    assert (table.weighted, table.weighting, table.n_responses, table.synthetic) == (False, "unweighted", 100, False)
    cell = _cell(table, "finance")
    assert (cell.status, cell.n) == ("shown", 90)
    assert cell.share_major == pytest.approx(40 / 90)
    assert cell.n_eff == pytest.approx(90.0)
    assert cell.mean_severity == pytest.approx((30 * 3 + 10 * 4 + 50 * 1) / 90)
    # unweighted: exactly Clopper-Pearson on 40 of 90
    assert cell.ci == (pytest.approx(beta.ppf(0.025, 40, 51)), pytest.approx(beta.ppf(0.975, 41, 50)))
    # every other category was rated 1 by everybody except border_procedures (4): estimates of 0% / 100%
    skills = _cell(table, "skills")
    assert skills.n == 100 and skills.share_major == 0.0
    assert skills.status == "flagged" and skills.reason == "interpret with caution: the estimate is 0% or 100%"
    assert [c.category for c in table.cells] == list(CATEGORIES)


def test_weighted_breakdown_matches_hand_computation(default_survey):
    # post-stratification by size class: population micro 900, small 100 (weights 900/60 = 15, 100/10 = 10)
    design = {"type": "poststratification", "strata": ["size_class"],
              "population": [{"size_class": "micro", "count": 900}, {"size_class": "small", "count": 100}]}
    wave = _wave(default_survey, "2026-1", dt.date(2026, 1, 1), design)
    when = dt.datetime(2026, 1, 10, 12, tzinfo=dt.UTC)
    for i in range(60):  # micro firms (5 employees): 24 of 60 rate finance 4, the others 2
        _submit(default_survey, wave=wave, when=when, employees=5, obstacle_finance="4" if i < 24 else "2")
    for i in range(10):  # small firms: 8 of 10 rate finance 3, the others 0
        _submit(default_survey, wave=wave, when=when, employees=20, obstacle_finance="3" if i < 8 else "0")
    table = survey_results(survey=default_survey, wave="2026-1")
    assert (table.weighted, table.weighting, table.n_responses) == (True, "poststratification", 70)
    overall = _cell(table, "finance")
    # weighted share = (24*15 + 8*10) / (60*15 + 10*10) = 440 / 1000
    assert overall.share_major == pytest.approx(0.44)
    # Kish: (Σw)² / Σw² = 1000² / (60*15² + 10*10²) = 1e6 / 14500
    assert overall.n_eff == pytest.approx(1e6 / 14500)
    assert overall.mean_severity == pytest.approx((24 * 4 * 15 + 36 * 2 * 15 + 8 * 3 * 10) / 1000)
    by_size = survey_results(survey=default_survey, wave="2026-1", by=["size_class"])
    micro = _cell(by_size, "finance", size_class="micro")
    small = _cell(by_size, "finance", size_class="small")  # 10 respondents: n_eff 10 < 30
    assert small.status == SUPPRESSED and small.share_major is None and small.n is None
    # the micro cell is the only other child of the published total: suppressed too, or small = total − micro
    assert micro.status == SUPPRESSED
    assert micro.reason == "suppressed so that the suppressed cell cannot be worked out from the others"
    assert [c.group["size_class"] for c in by_size.cells[:: len(CATEGORIES)]] == ["micro", "small"]


def test_suppressed_cells_publish_no_figures(default_survey):
    for _ in range(4):
        _submit(default_survey, country="KEN")
    for _ in range(40):
        _submit(default_survey, country="PER")
    table = survey_results(survey=default_survey, by=["country"])
    kenya = [c for c in table.cells if c.group == {"country": "KEN"}]
    assert kenya and all(c.status == SUPPRESSED for c in kenya)
    assert kenya[0].reason == "fewer than 5 respondents"
    for cell in kenya:
        data = cell.to_dict()
        assert all(data[k] is None for k in ("share_major", "ci", "mean_severity", "mean_ci", "n", "n_eff"))
    payload = json.dumps(table.to_dict())
    assert '"n": 4' not in payload
    for share in table.biggest:
        if share.group == {"country": "KEN"}:
            assert share.status == SUPPRESSED and share.to_dict()["share"] is None


def test_synthetic_responses_are_left_out_unless_asked_for(default_survey):
    report = simulate_responses(survey=default_survey, n=60, seed=3)
    assert report.created == 60
    for _ in range(40):
        _submit(default_survey, obstacle_finance="4")
    real = survey_results(survey=default_survey)
    assert real.n_responses == 40 and real.synthetic is False
    assert (_cell(real, "finance").n, _cell(real, "finance").share_major) == (40, 1.0)
    demo = survey_results(survey=default_survey, include_synthetic=True)
    assert demo.n_responses == 100 and demo.synthetic is True
    assert _cell(demo, "finance").n > 40 and _cell(demo, "finance").share_major < 1.0


def test_simulated_breakdown_is_complete_ordered_and_consistent(default_survey):
    simulate_responses(survey=default_survey, n=600, seed=5)
    table = survey_results(survey=default_survey, by=["size_class", "exporter"], include_synthetic=True)
    groups = list(dict.fromkeys(tuple(c.group.items()) for c in table.cells))
    sizes = [dict(g)["size_class"] for g in groups]
    order = ["micro", "small", "medium", "large"]
    assert sizes == sorted(sizes, key=order.index)
    for _, cells in itertools.groupby(table.cells, key=lambda c: tuple(c.group.items())):
        assert [c.category for c in cells] == list(CATEGORIES)
    micro_no = _cell(table, "finance", size_class="micro", exporter="no")
    assert micro_no.status != SUPPRESSED and 0 < micro_no.share_major < 1
    assert micro_no.ci[0] < micro_no.share_major < micro_no.ci[1]
    # biggest obstacle shares of a fully shown group sum to 1
    micro_shares = [s for s in table.biggest if s.group == {"size_class": "micro", "exporter": "no"}]
    assert len(micro_shares) == len(CATEGORIES)
    if all(s.status != SUPPRESSED for s in micro_shares):
        assert sum(s.share for s in micro_shares) == pytest.approx(1.0)


def test_bad_requests_raise_plain_errors(default_survey):
    with pytest.raises(ResultsError, match="cannot be broken down by 'region'"):
        survey_results(survey=default_survey, by=["region"])
    with pytest.raises(ResultsError, match="at most 3"):
        survey_results(survey=default_survey, by=["country", "sector", "size_class", "exporter"])
    with pytest.raises(ResultsError, match="no wave named '2031-9'"):
        survey_results(survey=default_survey, wave="2031-9")
    with pytest.raises(ResultsError, match="only once"):
        survey_results(survey=default_survey, by=["country", "country"])


def test_wave_changes_between_two_waves(default_survey):
    first = _wave(default_survey, "2026-1", dt.date(2026, 1, 1))
    second = _wave(default_survey, "2026-2", dt.date(2026, 7, 1))
    for i in range(100):  # customs a major obstacle for 20% then 60%
        _submit(default_survey, wave=first, when=dt.datetime(2026, 1, 5, tzinfo=dt.UTC),
                obstacle_border_procedures="4" if i < 20 else "1")
        _submit(default_survey, wave=second, when=dt.datetime(2026, 7, 5, tzinfo=dt.UTC),
                obstacle_border_procedures="4" if i < 60 else "1")
    changes = wave_changes(survey=default_survey, from_wave="2026-1", to_wave="2026-2")
    border = next(c for c in changes if c.category == "border_procedures")
    assert border.difference == pytest.approx(0.4)
    assert (border.from_share, border.to_share) == (pytest.approx(0.2), pytest.approx(0.6))
    assert border.direction == CLEARLY_UP and border.ci[0] > 0
    with pytest.raises(ResultsError, match="cannot also be broken down by wave"):
        wave_changes(survey=default_survey, by=["wave"], from_wave="2026-1", to_wave="2026-2")
    by_wave = survey_results(survey=default_survey, by=["wave"])
    assert [c.group["wave"] for c in by_wave.cells[:: len(CATEGORIES)]] == ["2026-1", "2026-2"]


def test_raking_wave_mixed_pooling_and_notes(default_survey):
    raking = {"type": "raking", "margins": {"location": {"urban": 0.5, "rural": 0.5}}}
    raked = _wave(default_survey, "2026-1", dt.date(2026, 1, 1), raking)
    plain = _wave(default_survey, "2026-2", dt.date(2026, 7, 1))
    when1, when2 = dt.datetime(2026, 1, 3, tzinfo=dt.UTC), dt.datetime(2026, 7, 3, tzinfo=dt.UTC)
    for i in range(60):  # 60 urban firms, 24 rate finance major; 30 rural firms, all rate it major
        _submit(default_survey, wave=raked, when=when1, location="urban", obstacle_finance="4" if i < 24 else "1")
    for _ in range(30):
        _submit(default_survey, wave=raked, when=when1, location="rural", obstacle_finance="3")
    for _ in range(40):
        _submit(default_survey, wave=plain, when=when2, obstacle_finance="0")
    first = survey_results(survey=default_survey, wave="2026-1")
    assert (first.weighted, first.weighting) == (True, "raking")
    # raked to half urban, half rural: 0.5 * 24/60 + 0.5 * 1 = 0.7 (unweighted it would be 54/90 = 0.6)
    assert _cell(first, "finance").share_major == pytest.approx(0.7)
    pooled = survey_results(survey=default_survey)
    assert (pooled.weighted, pooled.weighting, pooled.n_responses) == (False, "mixed", 130)
    # each wave's weights scaled to its respondents: (0.7 * 90 + 0 * 40) / 130
    assert _cell(pooled, "finance").share_major == pytest.approx(0.7 * 90 / 130)


def test_strata_without_population_count_are_left_out_with_a_note(default_survey):
    design = {"type": "poststratification", "strata": ["country"],
              "population": [{"country": "PER", "count": 5000}]}
    wave = _wave(default_survey, "2026-1", dt.date(2026, 1, 1), design)
    when = dt.datetime(2026, 1, 3, tzinfo=dt.UTC)
    for _ in range(35):
        _submit(default_survey, wave=wave, when=when)
    for _ in range(3):
        _submit(default_survey, wave=wave, when=when, country="KEN")
    table = survey_results(survey=default_survey, wave="2026-1", by=["country"])
    assert table.n_responses == 35
    assert table.notes == [
        "Wave 2026-1: 3 responses in strata without a population count (country) were left out."]
    assert {c.group["country"] for c in table.cells} == {"PER"}


def test_a_survey_without_responses_gives_an_empty_table(default_survey):
    table = survey_results(survey=default_survey, by=["country", "size_class"])
    assert (table.cells, table.biggest, table.n_responses, table.weighting) == ([], [], 0, "unweighted")
    assert table.to_dict()["cells"] == []
