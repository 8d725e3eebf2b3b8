"""Weighted estimates with 95% intervals, vectorised over groups (numpy, statsmodels, scipy).

Two steps, so that a breakdown and all the totals it needs cost one pass over the responses:

1. :func:`rating_sums` / :func:`choice_sums` reduce the respondents to sufficient statistics per group,
   category and answer (counts, Σw and Σw², one ``np.bincount`` each). These add up: the statistics of a
   total (a parent group) are the sums of its children's, so totals never need another pass.
2. :func:`rating_estimates` / :func:`choice_estimates` turn statistics into estimates, all cells at once.

Conventions (``../shared/reference/statistics.md``):

- Ratings are 0 no obstacle … 4 very severe; a missing rating (``dk``, unanswered) is coded -1 and left out.
  ``n`` counts the respondents with a 0–4 rating.
- Share "major" = weighted share rating 3 or 4. Kish's effective sample size n_eff = (Σw)² / Σw².
- Korn–Graubard 95% interval: the Clopper–Pearson interval on n_eff trials with p·n_eff successes
  (statsmodels ``proportion_confint(method="beta")``, which accepts non-integer counts); with equal weights
  n_eff = n and it is exactly Clopper–Pearson.
- Mean severity: the weighted mean, with a t interval on n_eff − 1 degrees of freedom and the standard error
  sqrt(Σw(x − x̄)² / Σw / (n_eff − 1)) (the weighted variance with Kish's correction; with equal weights
  the usual s / √n). No interval when n_eff ≤ 1.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

LEVELS = 5  # ratings 0..4
MAJOR_FROM = 3  # 3 major, 4 very severe
ALPHA = 0.05


@dataclass(slots=True)
class Sums:
    """Sufficient statistics. Leading axes: groups; then category (ratings) or answer (choices); for ratings
    a last axis of the 5 levels. ``count`` is respondents, ``w`` is Σw, ``w2`` is Σw²."""

    count: np.ndarray
    w: np.ndarray
    w2: np.ndarray

    def reshape(self, shape: tuple[int, ...]) -> Sums:
        """The same statistics with the group axis split into one axis per dimension."""
        tail = self.count.shape[1:]
        return Sums(self.count.reshape(shape + tail), self.w.reshape(shape + tail), self.w2.reshape(shape + tail))

    def total(self, axes: tuple[int, ...]) -> Sums:
        """Sum out group ``axes`` (a parent table: those dimensions left out)."""
        if not axes:
            return self
        return Sums(self.count.sum(axis=axes), self.w.sum(axis=axes), self.w2.sum(axis=axes))


def rating_sums(group: np.ndarray, n_groups: int, weights: np.ndarray, ratings: np.ndarray) -> Sums:
    """Per group × category × level: respondents, Σw and Σw². ``group`` holds each respondent's group
    (0..n_groups-1; negative = not counted), ``ratings`` is respondents × categories with -1 for missing."""
    n, k = ratings.shape
    size = n_groups * k * LEVELS
    valid = (ratings >= 0) & (group >= 0)[:, None]
    base = (group.astype(np.int64) * (k * LEVELS))[:, None] + np.arange(k, dtype=np.int64) * LEVELS
    index = (base + ratings)[valid]
    w = np.broadcast_to(weights[:, None], (n, k))[valid]
    count = np.bincount(index, minlength=size)
    wsum = np.bincount(index, weights=w, minlength=size)
    w2sum = np.bincount(index, weights=w * w, minlength=size)
    shape = (n_groups, k, LEVELS)
    return Sums(count.reshape(shape), wsum.reshape(shape), w2sum.reshape(shape))


def choice_sums(group: np.ndarray, n_groups: int, weights: np.ndarray, choice: np.ndarray, n_choices: int) -> Sums:
    """Per group × answer of a single-choice question (``choice`` -1 = no answer): respondents, Σw, Σw²."""
    valid = (choice >= 0) & (group >= 0)
    index = group[valid].astype(np.int64) * n_choices + choice[valid]
    w = weights[valid]
    size = n_groups * n_choices
    shape = (n_groups, n_choices)
    return Sums(
        np.bincount(index, minlength=size).reshape(shape),
        np.bincount(index, weights=w, minlength=size).reshape(shape),
        np.bincount(index, weights=w * w, minlength=size).reshape(shape),
    )


def kish_n_eff(wsum: np.ndarray, w2sum: np.ndarray) -> np.ndarray:
    """(Σw)² / Σw² (0 where there is nobody)."""
    return np.divide(wsum * wsum, w2sum, out=np.zeros_like(wsum, dtype=float), where=w2sum > 0)


def korn_graubard(p: np.ndarray, n_eff: np.ndarray, alpha: float = ALPHA) -> tuple[np.ndarray, np.ndarray]:
    """Clopper–Pearson on ``n_eff`` trials with ``p·n_eff`` successes (NaN where n_eff is 0)."""
    p = np.asarray(p, dtype=float)
    n_eff = np.asarray(n_eff, dtype=float)
    ok = n_eff > 0
    trials = np.where(ok, n_eff, 1.0)
    successes = np.clip(np.where(ok, p, 0.0) * trials, 0.0, trials)
    lo, hi = proportion_confint(successes, trials, alpha=alpha, method="beta")
    lo = np.where(ok, np.nan_to_num(np.asarray(lo, dtype=float), nan=0.0), np.nan)
    hi = np.where(ok, np.nan_to_num(np.asarray(hi, dtype=float), nan=1.0), np.nan)
    return lo, hi


@dataclass(slots=True)
class Proportions:
    """Estimates for a proportion per cell (arrays of one shape)."""

    n: np.ndarray  # respondents in the denominator
    numerator: np.ndarray  # respondents in the numerator (unweighted)
    p: np.ndarray
    n_eff: np.ndarray
    lo: np.ndarray
    hi: np.ndarray


@dataclass(slots=True)
class RatingEstimates:
    share: Proportions  # rating 3–4
    mean: np.ndarray
    mean_lo: np.ndarray
    mean_hi: np.ndarray


def _proportions(n: np.ndarray, numerator: np.ndarray, w_yes: np.ndarray, w_all: np.ndarray,
                 w2_all: np.ndarray, alpha: float) -> Proportions:
    p = np.divide(w_yes, w_all, out=np.full_like(w_all, np.nan, dtype=float), where=w_all > 0)
    n_eff = kish_n_eff(w_all, w2_all)
    lo, hi = korn_graubard(p, n_eff, alpha)
    return Proportions(n=n, numerator=numerator, p=p, n_eff=n_eff, lo=lo, hi=hi)


def rating_estimates(sums: Sums, alpha: float = ALPHA) -> RatingEstimates:
    """Share rating 3–4 (Korn–Graubard interval) and mean severity (t interval) for every cell of ``sums``
    (any leading axes, then the 5 levels)."""
    count, w, w2 = sums.count, sums.w, sums.w2
    n = count.sum(axis=-1)
    numerator = count[..., MAJOR_FROM:].sum(axis=-1)
    w_all = w.sum(axis=-1)
    share = _proportions(n, numerator, w[..., MAJOR_FROM:].sum(axis=-1), w_all, w2.sum(axis=-1), alpha)
    levels = np.arange(LEVELS, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(w_all > 0, (w * levels).sum(axis=-1) / np.where(w_all > 0, w_all, 1.0), np.nan)
        spread = (w * (levels - mean[..., None]) ** 2).sum(axis=-1)  # Σw(x − x̄)²
        df = share.n_eff - 1.0
        has_ci = df > 0
        se = np.sqrt(np.where(has_ci, spread / np.where(w_all > 0, w_all, 1.0) / np.where(has_ci, df, 1.0), np.nan))
        t = stats.t.ppf(1 - alpha / 2, np.where(has_ci, df, 1.0))
        mean_lo = np.where(has_ci, np.clip(mean - t * se, 0.0, LEVELS - 1.0), np.nan)
        mean_hi = np.where(has_ci, np.clip(mean + t * se, 0.0, LEVELS - 1.0), np.nan)
    return RatingEstimates(share=share, mean=mean, mean_lo=mean_lo, mean_hi=mean_hi)


def choice_estimates(sums: Sums, alpha: float = ALPHA) -> Proportions:
    """The share naming each answer (last axis) among the group's respondents who answered, with
    Korn–Graubard intervals on the group's n_eff."""
    n = sums.count.sum(axis=-1, keepdims=True)
    w_all = sums.w.sum(axis=-1, keepdims=True)
    w2_all = sums.w2.sum(axis=-1, keepdims=True)
    shape = sums.count.shape
    return _proportions(
        np.broadcast_to(n, shape).copy(),
        sums.count,
        sums.w,
        np.broadcast_to(w_all, shape).astype(float),
        np.broadcast_to(w2_all, shape).astype(float),
        alpha,
    )
