"""Disclosure control for published proportions: the NCHS presentation standard and complementary suppression.

The presentation standard (Parker et al. 2017, as summarised in ``../shared/reference/statistics.md``) is
applied to every cell, in this order; the first rule that matches decides:

1. fewer than 5 respondents: suppressed (never shown);
2. effective sample size under 30: suppressed;
3. 95% interval 0.30 wide or wider: suppressed;
4. interval 0.05 wide or narrower: shown;
5. otherwise, interval wider than 130% of the estimate: suppressed.
6. A cell that is shown is *flagged* ("interpret with caution") when the interval is wider than 130% of the
   complement (1 − p), when there are fewer than 8 degrees of freedom, or when nobody or everybody in the
   cell is in the numerator (an estimate of 0% or 100%).

Complementary suppression then makes sure a suppressed cell cannot be worked out from what is published: where
a total (the same group with one dimension left out, or the overall figure) is published alongside its
children and exactly one child is suppressed, the smallest other child is suppressed too; this repeats until
nothing changes. Shares that sum to 1 within a group (the biggest obstacle) are siblings of each other, with the
known total 1.

Everything works on numpy arrays of any shape, all cells at once. Statuses are small integers
(:data:`SHOWN`, :data:`FLAGGED`, :data:`SUPPRESSED`, matching ``result_types``); reasons are plain English.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from msmelens.feedback import result_types

MIN_RESPONDENTS = 5
MIN_N_EFF = 30.0
MAX_WIDTH = 0.30
SMALL_WIDTH = 0.05
MAX_RELATIVE_WIDTH = 1.30
MIN_DF = 8

SHOWN, FLAGGED, SUPPRESSED = 0, 1, 2
STATUS_NAMES = (result_types.SHOWN, result_types.FLAGGED, result_types.SUPPRESSED)

# reason codes (index into REASONS)
NO_REASON, FEW, SMALL_N_EFF, WIDE, RELATIVE, COMPLEMENT, FEW_DF, EXTREME, COMPLEMENTARY = range(9)
REASONS = (
    "",
    "fewer than 5 respondents",
    "too few respondents once weighted (effective sample size under 30)",
    "too uncertain: the 95% interval is 30 percentage points wide or more",
    "too uncertain: the 95% interval is wider than 130% of the estimate",
    "interpret with caution: the 95% interval is wide compared with the share not in the figure",
    "interpret with caution: fewer than 8 degrees of freedom",
    "interpret with caution: the estimate is 0% or 100%",
    "suppressed so that the suppressed cell cannot be worked out from the others",
)


def presentation(
    n: np.ndarray,
    n_eff: np.ndarray,
    p: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    numerator: np.ndarray,
    df: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Status and reason code per cell under the NCHS presentation standard.

    ``n`` respondents in the denominator, ``numerator`` respondents in the numerator (unweighted), ``p``
    the estimate and ``lo``/``hi`` its 95% interval. ``df`` are the degrees of freedom; without it n − 1
    (every respondent is its own sampling unit in these surveys)."""
    n = np.asarray(n)
    n_eff = np.asarray(n_eff, dtype=float)
    p = np.asarray(p, dtype=float)
    numerator = np.asarray(numerator)
    df = np.asarray(n - 1 if df is None else df, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        width = np.round(np.asarray(hi, dtype=float) - np.asarray(lo, dtype=float), 12)
        relative = np.where(p > 0, width / np.where(p > 0, p, 1.0), np.inf)
        complement = np.where(p < 1, width / np.where(p < 1, 1.0 - p, 1.0), np.inf)
    status = np.full(n.shape, SHOWN, dtype=np.int8)
    reason = np.full(n.shape, NO_REASON, dtype=np.int8)
    decided = np.zeros(n.shape, dtype=bool)

    def rule(mask: np.ndarray, code: int, why: int) -> None:
        hit = mask & ~decided
        status[hit] = code
        reason[hit] = why
        decided[hit] = True

    rule(n < MIN_RESPONDENTS, SUPPRESSED, FEW)
    rule(~(n_eff >= MIN_N_EFF), SUPPRESSED, SMALL_N_EFF)
    rule(~(width < MAX_WIDTH), SUPPRESSED, WIDE)
    rule(width <= SMALL_WIDTH, SHOWN, NO_REASON)
    rule(relative > MAX_RELATIVE_WIDTH, SUPPRESSED, RELATIVE)
    published = status != SUPPRESSED
    for mask, why in (
        (complement > MAX_RELATIVE_WIDTH, COMPLEMENT),
        (df < MIN_DF, FEW_DF),
        ((numerator == 0) | (numerator == n), EXTREME),
    ):
        hit = published & mask & (status == SHOWN)
        status[hit] = FLAGGED
        reason[hit] = why
    return status, reason


def complementary(
    suppressed: np.ndarray,
    present: np.ndarray,
    size: np.ndarray,
    parents_suppressed: Sequence[np.ndarray | None],
) -> np.ndarray:
    """Cells to suppress as well, so that no suppressed cell can be worked out from its siblings and their
    published total.

    Arrays have one axis per sibling dimension (``parents_suppressed`` gives, per axis, whether the total over
    that axis is suppressed — an array shaped like ``suppressed`` without that axis — or None when the total
    is always published, e.g. shares that sum to 1). ``present`` marks the cells that exist (a group with
    respondents); ``size`` is what "smallest" means (respondents). Returns the mask of cells to add, chosen
    by the smallest ``size`` (the first in order on a tie), repeating until stable."""
    suppressed = np.asarray(suppressed, dtype=bool) & present
    added = np.zeros(suppressed.shape, dtype=bool)
    key = np.asarray(size, dtype=float)
    changed = True
    while changed:
        changed = False
        for axis, parent in enumerate(parents_suppressed):
            if suppressed.shape[axis] < 2:
                continue
            hidden = suppressed.sum(axis=axis)
            members = present.sum(axis=axis)
            need = (hidden == 1) & (members >= 2)
            if parent is not None:
                need &= ~np.asarray(parent, dtype=bool)
            if not need.any():
                continue
            candidates = present & ~suppressed
            choice = np.argmin(np.where(candidates, key, np.inf), axis=axis)
            pick = np.zeros(suppressed.shape, dtype=bool)
            np.put_along_axis(pick, np.expand_dims(choice, axis), np.expand_dims(need, axis), axis=axis)
            pick &= candidates
            if pick.any():
                suppressed |= pick
                added |= pick
                changed = True
    return added
