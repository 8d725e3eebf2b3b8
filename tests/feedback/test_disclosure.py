"""Disclosure control at its boundaries: the NCHS presentation standard rule by rule, and complementary
suppression (one suppressed sibling beside a published total never stays alone)."""

from __future__ import annotations

import numpy as np

from msmelens.feedback import disclosure
from msmelens.feedback.disclosure import FLAGGED, SHOWN, SUPPRESSED, complementary, presentation
from msmelens.feedback.results import arrays_from_columns, tabulate
from msmelens.lens.taxonomy import CATEGORIES


def _one(n, n_eff, p, lo, hi, numerator=None, df=None) -> tuple[int, str]:
    numerator = round(p * n) if numerator is None else numerator
    status, reason = presentation(
        np.array([n]), np.array([n_eff]), np.array([p]), np.array([lo]), np.array([hi]), np.array([numerator]),
        None if df is None else np.array([df]),
    )
    return int(status[0]), disclosure.REASONS[int(reason[0])]


def test_four_respondents_are_never_shown_five_go_on_to_the_next_rule():
    assert _one(4, 400.0, 0.5, 0.45, 0.55) == (SUPPRESSED, "fewer than 5 respondents")
    # five respondents pass rule 1 (and with 5 effective respondents stop at rule 2)
    assert _one(5, 5.0, 0.4, 0.05, 0.85) == (
        SUPPRESSED, "too few respondents once weighted (effective sample size under 30)")
    assert _one(5, 400.0, 0.4, 0.38, 0.42, numerator=2) == (
        FLAGGED, "interpret with caution: fewer than 8 degrees of freedom")


def test_effective_size_29_is_suppressed_30_is_not():
    assert _one(100, 29.0, 0.5, 0.40, 0.60)[1] == "too few respondents once weighted (effective sample size under 30)"
    assert _one(100, 29.99, 0.5, 0.40, 0.60)[0] == SUPPRESSED
    assert _one(100, 30.0, 0.5, 0.40, 0.60) == (SHOWN, "")


def test_width_exactly_030_is_suppressed_just_under_is_not():
    assert _one(100, 100.0, 0.5, 0.35, 0.65) == (
        SUPPRESSED, "too uncertain: the 95% interval is 30 percentage points wide or more")
    assert _one(100, 100.0, 0.5, 0.351, 0.65) == (SHOWN, "")


def test_width_005_is_shown_even_when_relatively_wide():
    # width 0.05 around 3%: relative width 167% but rule 4 comes first
    assert _one(1000, 1000.0, 0.03, 0.01, 0.06) == (SHOWN, "")
    # width 0.051 around 3%: rule 5 suppresses it
    assert _one(1000, 1000.0, 0.03, 0.01, 0.061) == (
        SUPPRESSED, "too uncertain: the 95% interval is wider than 130% of the estimate")
    # relative width exactly 130% is still shown
    assert _one(1000, 1000.0, 0.1, 0.05, 0.18)[0] == SHOWN


def test_flagged_cases():
    # complement: width 0.24 against 1 − 0.9 = 0.1 -> 240%
    assert _one(100, 100.0, 0.9, 0.75, 0.99) == (
        FLAGGED, "interpret with caution: the 95% interval is wide compared with the share not in the figure")
    assert _one(100, 100.0, 0.5, 0.45, 0.55, df=7) == (
        FLAGGED, "interpret with caution: fewer than 8 degrees of freedom")
    assert _one(100, 100.0, 0.5, 0.45, 0.55, df=8) == (SHOWN, "")
    assert _one(2000, 2000.0, 0.0, 0.0, 0.002, numerator=0) == (
        FLAGGED, "interpret with caution: the estimate is 0% or 100%")
    # an estimate of 0 with a wider interval is infinitely wide relative to it: suppressed
    assert _one(60, 60.0, 0.0, 0.0, 0.06, numerator=0) == (
        SUPPRESSED, "too uncertain: the 95% interval is wider than 130% of the estimate")


def test_one_suppressed_sibling_takes_the_smallest_other_with_it():
    suppressed = np.array([True, False, False, False])
    present = np.ones(4, dtype=bool)
    n = np.array([3, 50, 20, 80])
    added = complementary(suppressed, present, n, [np.array(False)])
    assert added.tolist() == [False, False, True, False]
    # the total is itself suppressed: nothing can be worked out, nothing added
    assert not complementary(suppressed, present, n, [np.array(True)]).any()
    # two suppressed already: nothing added
    assert not complementary(np.array([True, True, False, False]), present, n, [np.array(False)]).any()
    # an absent group is not a sibling
    assert complementary(suppressed, np.array([True, True, False, True]), n, [np.array(False)]).tolist() == [
        False, True, False, False]


def test_complementary_suppression_repeats_until_stable_across_dimensions():
    # 2 countries × 2 sizes, one category; (0, 0) suppressed. Along sizes, row 0 loses (0, 1); then along
    # countries, both columns have exactly one suppressed: (1, 0) and (1, 1) go too.
    suppressed = np.array([[[True], [False]], [[False], [False]]])
    present = np.ones((2, 2, 1), dtype=bool)
    n = np.array([[[2], [40]], [[60], [70]]])
    parents = [np.zeros((2, 1), dtype=bool), np.zeros((2, 1), dtype=bool), None]
    added = complementary(suppressed, present, n, parents)
    assert added[..., 0].tolist() == [[False, True], [True, True]]


def test_breakdown_suppresses_a_sibling_of_a_small_cell():
    # Peru: 100 micro, 60 small, 3 medium; Kenya: 100 micro, 100 small
    country = ["PER"] * 163 + ["KEN"] * 200
    size = ["micro"] * 100 + ["small"] * 60 + ["medium"] * 3 + ["micro"] * 100 + ["small"] * 100
    n = len(country)
    ratings = np.where(np.arange(n)[:, None] % 2 == 0, 4, 1) * np.ones((1, len(CATEGORIES)), dtype=np.int8)
    biggest = (np.arange(n) % 2).astype(np.int8)
    arrays = arrays_from_columns({"country": country, "size_class": size}, ratings=ratings, biggest=biggest)
    table = tabulate(arrays, ["country", "size_class"])
    status = {(c.group["country"], c.group["size_class"]): (c.status, c.reason) for c in table.cells
              if c.category == "finance"}
    assert status[("PER", "medium")] == ("suppressed", "fewer than 5 respondents")
    assert status[("PER", "small")] == (
        "suppressed", "suppressed so that the suppressed cell cannot be worked out from the others")
    assert status[("PER", "micro")][0] == "shown"
    assert status[("KEN", "micro")][0] == "shown"
    # Peru small is the only suppressed small cell, but the total of small firms is itself suppressed (beside
    # the 3 medium ones): Kenya small cannot reveal anything and stays shown
    totals = {c.group["size_class"]: c.status for c in tabulate(arrays, ["size_class"]).cells
              if c.category == "finance"}
    assert totals == {"micro": "shown", "small": "suppressed", "medium": "suppressed"}
    assert status[("KEN", "small")][0] == "shown"
    # order: Kenya before Peru, sizes in their natural order
    assert list(dict.fromkeys(tuple(c.group.values()) for c in table.cells)) == [
        ("KEN", "micro"), ("KEN", "small"), ("PER", "micro"), ("PER", "small"), ("PER", "medium")]


def test_biggest_obstacle_answers_are_siblings_within_their_group():
    # 100 respondents: 60 name skills, 39 market_information, 1 border_procedures
    n = 100
    biggest = np.array([0] * 60 + [1] * 39 + [2] * 1, dtype=np.int8)
    ratings = np.full((n, len(CATEGORIES)), 2, dtype=np.int8)
    table = tabulate(arrays_from_columns({}, ratings=ratings, biggest=biggest), [])
    shares = {s.answer: s for s in table.biggest}
    assert (shares["skills"].status, shares["skills"].share) == ("shown", 0.6)
    assert shares["market_information"].status == "shown"
    # 1 in 100: interval (0.0003, 0.0545) is 5 times the estimate -> suppressed; it could be worked out as
    # 1 − the others, so the smallest other answer (finance, named by nobody, first in order) goes too
    assert shares["border_procedures"].reason == "too uncertain: the 95% interval is wider than 130% of the estimate"
    assert shares["finance"].status == "suppressed"
    assert shares["finance"].reason == "suppressed so that the suppressed cell cannot be worked out from the others"
    assert shares["digital"].status == "flagged"  # 0 of 100 with a narrow interval: shown with caution
    assert [s.answer for s in table.biggest if s.status == "suppressed"] == ["border_procedures", "finance"]
    assert all(s.to_dict()["share"] is None and s.n is None for s in table.biggest if s.status == "suppressed")
