"""Weights from a wave's design: post-stratification reproduces the population exactly, raking reproduces the
margins within its tolerance, both sum to the population total; plain errors when a design cannot work."""

from __future__ import annotations

import numpy as np
import pytest

from msmelens.feedback.weighting import (
    POSTSTRATIFICATION,
    RAKING,
    WeightingError,
    poststratify,
    rake,
    weights_for,
)


def _margin(values: list[str], weights: np.ndarray) -> dict[str, float]:
    out: dict[str, float] = {}
    for value, w in zip(values, weights, strict=True):
        out[value] = out.get(value, 0.0) + float(w)
    return out


def test_poststratification_reproduces_the_population_exactly():
    country = ["PER"] * 3 + ["PER"] * 2 + ["KEN"] * 4 + ["KEN"]
    size = ["micro"] * 3 + ["small"] * 2 + ["micro"] * 4 + ["small"]
    population = [
        {"country": "PER", "size_class": "micro", "count": 9000},
        {"country": "PER", "size_class": "small", "count": 1000},
        {"country": "KEN", "size_class": "micro", "count": 4000},
        {"country": "KEN", "size_class": "small", "count": 250},
    ]
    result = poststratify({"country": country, "size_class": size}, strata=["country", "size_class"],
                          population=population)
    assert result.method == POSTSTRATIFICATION and result.notes == []
    assert result.weights.tolist() == [3000.0] * 3 + [500.0] * 2 + [1000.0] * 4 + [250.0]
    cells = _margin([f"{c}/{s}" for c, s in zip(country, size, strict=True)], result.weights)
    assert cells == {"PER/micro": 9000, "PER/small": 1000, "KEN/micro": 4000, "KEN/small": 250}
    assert result.weights.sum() == 14250


def test_respondents_without_a_population_count_are_left_out_and_counted():
    result = weights_for(
        {"type": "poststratification", "strata": ["size_class"],
         "population": [{"size_class": "micro", "count": 80}, {"size_class": "small", "count": 20},
                        {"size_class": "large", "count": 5}]},
        {"size_class": ["micro", "micro", "small", "medium", None]},
        5,
    )
    assert result.weights.tolist() == [40.0, 40.0, 20.0, 0.0, 0.0]
    assert result.used.tolist() == [True, True, True, False, False]
    assert result.notes[0] == "2 responses in strata without a population count (size_class) were left out."
    assert result.notes[1] == "1 population stratum has no respondent: 5 firms are not represented."


def test_raking_reproduces_every_margin_within_tolerance():
    rng = np.random.default_rng(4)
    n = 500
    size = rng.choice(["micro", "small", "medium"], n, p=[0.5, 0.3, 0.2]).tolist()
    location = rng.choice(["urban", "rural"], n, p=[0.8, 0.2]).tolist()
    margins = {"size_class": {"micro": 0.9, "small": 0.08, "medium": 0.02},
               "location": {"urban": 600_000, "rural": 400_000}}
    result = rake({"size_class": size, "location": location}, margins=margins, tolerance=1e-9)
    assert result.method == RAKING and result.iterations > 1
    assert result.weights.sum() == pytest.approx(1_000_000, rel=1e-9)
    got_size = _margin(size, result.weights)
    assert got_size["micro"] == pytest.approx(900_000, rel=1e-9)
    assert got_size["small"] == pytest.approx(80_000, rel=1e-9)
    assert got_size["medium"] == pytest.approx(20_000, rel=1e-9)
    got_location = _margin(location, result.weights)
    assert got_location == {"urban": pytest.approx(600_000, rel=1e-9), "rural": pytest.approx(400_000, rel=1e-9)}


def test_raking_with_shares_only_scales_to_the_respondents():
    size = ["micro"] * 6 + ["small"] * 4
    result = rake({"size_class": size}, margins={"size_class": {"micro": 0.9, "small": 0.1}})
    assert result.weights.sum() == pytest.approx(10)
    assert result.weights[:6] == pytest.approx([1.5] * 6)  # 9 / 6
    assert result.weights[6:] == pytest.approx([0.25] * 4)  # 1 / 4


def test_raking_refuses_a_margin_category_without_respondents():
    with pytest.raises(WeightingError, match="size_class = large: no respondent"):
        rake({"size_class": ["micro", "small"]}, margins={"size_class": {"micro": 5, "small": 3, "large": 2}})


def test_raking_that_cannot_converge_says_so():
    # every micro firm is urban and every small one rural: 90% micro and 90% rural cannot both hold
    values = {"size_class": ["micro", "micro", "small"], "location": ["urban", "urban", "rural"]}
    margins = {"size_class": {"micro": 0.9, "small": 0.1}, "location": {"urban": 0.1, "rural": 0.9}}
    with pytest.raises(WeightingError, match="did not converge after 50 rounds"):
        rake(values, margins=margins, max_iterations=50)


def test_totals_that_disagree_are_refused():
    with pytest.raises(WeightingError, match="different population totals"):
        rake({"size_class": ["micro", "small"], "location": ["urban", "rural"]},
             margins={"size_class": {"micro": 90, "small": 10}, "location": {"urban": 500, "rural": 500}})


def test_no_design_means_weight_one():
    result = weights_for(None, {}, 3)
    assert result.weights.tolist() == [1.0, 1.0, 1.0] and result.method == "unweighted"
