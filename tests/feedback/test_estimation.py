"""Estimates and intervals against hand-computed values: Clopper–Pearson when unweighted, Korn–Graubard on
Kish's effective sample size when weighted, t intervals for the mean, and the biggest-obstacle shares."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from msmelens.feedback.estimation import (
    choice_estimates,
    choice_sums,
    kish_n_eff,
    korn_graubard,
    rating_estimates,
    rating_sums,
)


def _one_group(ratings: list[int], weights: list[float] | None = None):
    r = np.array(ratings, dtype=np.int8).reshape(-1, 1)
    w = np.ones(len(ratings)) if weights is None else np.array(weights, dtype=float)
    sums = rating_sums(np.zeros(len(ratings), dtype=np.int64), 1, w, r)
    return rating_estimates(sums)


def test_ten_unweighted_respondents_four_major_is_exact_clopper_pearson():
    est = _one_group([3, 4, 3, 4, 0, 1, 2, 0, 1, 2])
    share = est.share
    assert share.n[0, 0] == 10 and share.numerator[0, 0] == 4
    assert share.p[0, 0] == pytest.approx(0.4)
    assert share.n_eff[0, 0] == pytest.approx(10.0)
    assert share.lo[0, 0] == pytest.approx(0.1216, abs=5e-5)
    assert share.hi[0, 0] == pytest.approx(0.7376, abs=5e-5)
    # the same numbers from the beta quantiles directly
    assert share.lo[0, 0] == pytest.approx(stats.beta.ppf(0.025, 4, 7))
    assert share.hi[0, 0] == pytest.approx(stats.beta.ppf(0.975, 5, 6))


def test_missing_ratings_are_left_out_not_zeros():
    est = _one_group([4, -1, -1, 0])
    assert est.share.n[0, 0] == 2 and est.share.p[0, 0] == pytest.approx(0.5)
    assert est.mean[0, 0] == pytest.approx(2.0)


def test_weighted_case_by_hand():
    # weights 1, 1, 2, 4; ratings 4, 0, 3, 1
    est = _one_group([4, 0, 3, 1], [1, 1, 2, 4])
    n_eff = 8**2 / (1 + 1 + 4 + 16)  # 64 / 22
    p = (1 + 2) / 8
    assert est.share.n_eff[0, 0] == pytest.approx(n_eff)
    assert est.share.p[0, 0] == pytest.approx(0.375)
    x = p * n_eff
    assert est.share.lo[0, 0] == pytest.approx(stats.beta.ppf(0.025, x, n_eff - x + 1))
    assert est.share.hi[0, 0] == pytest.approx(stats.beta.ppf(0.975, x + 1, n_eff - x))
    mean = (4 * 1 + 0 * 1 + 3 * 2 + 1 * 4) / 8
    assert est.mean[0, 0] == pytest.approx(1.75)
    spread = 1 * 2.25**2 + 1 * 1.75**2 + 2 * 1.25**2 + 4 * 0.75**2  # Σw(x − x̄)² = 13.5
    se = math.sqrt(spread / 8 / (n_eff - 1))
    t = stats.t.ppf(0.975, n_eff - 1)
    assert est.mean_lo[0, 0] == pytest.approx(max(0.0, mean - t * se))
    assert est.mean_hi[0, 0] == pytest.approx(min(4.0, mean + t * se))


def test_unweighted_mean_interval_is_the_usual_t_interval():
    data = [0, 1, 2, 3, 4, 4, 2, 2]
    est = _one_group(data)
    mean, sem = np.mean(data), stats.sem(data)
    lo, hi = stats.t.interval(0.95, len(data) - 1, loc=mean, scale=sem)
    assert est.mean[0, 0] == pytest.approx(mean)
    assert (est.mean_lo[0, 0], est.mean_hi[0, 0]) == (pytest.approx(lo), pytest.approx(hi))


def test_equal_weights_of_any_size_give_the_unweighted_interval():
    a = _one_group([3, 4, 0, 1, 2, 3, 0, 0], [250.0] * 8)
    b = _one_group([3, 4, 0, 1, 2, 3, 0, 0])
    assert a.share.n_eff[0, 0] == pytest.approx(8.0)
    assert (a.share.lo[0, 0], a.share.hi[0, 0]) == (pytest.approx(b.share.lo[0, 0]), pytest.approx(b.share.hi[0, 0]))


def test_groups_are_estimated_separately_and_totals_add_up():
    ratings = np.array([[4, 0], [3, 1], [0, -1], [1, 2], [4, 4], [2, 3]], dtype=np.int8)
    group = np.array([0, 0, 0, 1, 1, 1])
    w = np.array([1.0, 2.0, 1.0, 1.0, 1.0, 3.0])
    sums = rating_sums(group, 2, w, ratings)
    est = rating_estimates(sums)
    assert est.share.p[0].tolist() == pytest.approx([3 / 4, 0.0])  # group 0: (1 + 2) / 4; category 2: 0 / 3
    assert est.share.n[0].tolist() == [3, 2]
    assert est.share.p[1].tolist() == pytest.approx([1 / 5, 4 / 5])
    total = rating_estimates(sums.total((0,)))
    assert total.share.p.tolist() == pytest.approx([4 / 9, 4 / 8])
    assert total.share.n.tolist() == [6, 5]
    assert total.share.n_eff[0] == pytest.approx(9**2 / (1 + 4 + 1 + 1 + 1 + 9))


def test_korn_graubard_at_the_edges():
    lo, hi = korn_graubard(np.array([0.0, 1.0, np.nan]), np.array([20.0, 20.0, 0.0]))
    assert lo[0] == 0.0 and hi[0] == pytest.approx(1 - 0.025 ** (1 / 20))
    assert hi[1] == 1.0 and lo[1] == pytest.approx(0.025 ** (1 / 20))
    assert np.isnan(lo[2]) and np.isnan(hi[2])
    assert kish_n_eff(np.array([0.0]), np.array([0.0]))[0] == 0.0


def test_biggest_obstacle_shares_per_group():
    group = np.array([0, 0, 0, 0, 0, 1, 1])
    choice = np.array([0, 0, 1, 2, -1, 1, 1], dtype=np.int8)
    w = np.array([1.0, 1.0, 2.0, 1.0, 5.0, 1.0, 1.0])
    est = choice_estimates(choice_sums(group, 2, w, choice, 3))
    assert est.p[0].tolist() == pytest.approx([2 / 5, 2 / 5, 1 / 5])
    assert est.n[0].tolist() == [4, 4, 4] and est.numerator[0].tolist() == [2, 1, 1]
    assert est.n_eff[0, 0] == pytest.approx(25 / 7)
    assert est.p[1].tolist() == pytest.approx([0.0, 1.0, 0.0])
    assert est.lo[1, 1] == pytest.approx(stats.beta.ppf(0.025, 2, 1))
