"""Wave-to-wave change of the share rating an obstacle major or very severe, with a 95% interval.

The difference is *later − earlier* in share points (0..1). Its interval is Newcomb's hybrid score interval
for a difference of two independent proportions (statsmodels ``confint_proportions_2indep(...,
method="newcomb")``), computed on effective counts: each wave's share p with its Kish effective sample size
n_eff as p·n_eff successes out of n_eff — the same substitution the Korn–Graubard interval makes for one
wave. Waves are separate samples, so independence holds.

The plain-words direction: ``clearly_up`` when the whole interval is above 0, ``clearly_down`` when it is
below 0, otherwise ``no_clear_change``. A change is suppressed (no figures) when either wave's cell is
suppressed or missing, and flagged when either is flagged: it is built only from published cells.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from statsmodels.stats.proportion import confint_proportions_2indep

from msmelens.feedback.result_types import (
    CLEARLY_DOWN,
    CLEARLY_UP,
    FLAGGED,
    NO_CLEAR_CHANGE,
    SHOWN,
    SUPPRESSED,
    Cell,
    Change,
)


def difference_interval(
    p_from: np.ndarray, n_eff_from: np.ndarray, p_to: np.ndarray, n_eff_to: np.ndarray, alpha: float = 0.05
) -> tuple[np.ndarray, np.ndarray]:
    """Newcomb 95% interval of p_to − p_from on effective counts (arrays, one element per cell)."""
    p_from, p_to = np.asarray(p_from, dtype=float), np.asarray(p_to, dtype=float)
    n_from, n_to = np.asarray(n_eff_from, dtype=float), np.asarray(n_eff_to, dtype=float)
    lo, hi = confint_proportions_2indep(
        p_to * n_to, n_to, p_from * n_from, n_from, method="newcomb", compare="diff", alpha=alpha
    )
    return np.asarray(lo, dtype=float), np.asarray(hi, dtype=float)


def direction(lo: float, hi: float) -> str:
    """clearly_up when the interval is above 0, clearly_down when below, otherwise no_clear_change."""
    if lo > 0:
        return CLEARLY_UP
    if hi < 0:
        return CLEARLY_DOWN
    return NO_CLEAR_CHANGE


def _key(cell: Cell) -> tuple[tuple[tuple[str, str], ...], str]:
    return tuple(cell.group.items()), cell.category


def compare(before: Sequence[Cell], after: Sequence[Cell], *, from_wave: str, to_wave: str) -> list[Change]:
    """One :class:`Change` per group × category found in either wave (in the later wave's order, then the
    groups only the earlier wave has)."""
    earlier = {_key(c): c for c in before}
    later = {_key(c): c for c in after}
    keys = list(later) + [k for k in earlier if k not in later]
    comparable = [
        k for k in keys
        if k in earlier and k in later and SUPPRESSED not in (earlier[k].status, later[k].status)
    ]
    intervals: dict[tuple[tuple[tuple[str, str], ...], str], tuple[float, float]] = {}
    if comparable:
        lo, hi = difference_interval(
            np.array([earlier[k].share_major for k in comparable], dtype=float),
            np.array([earlier[k].n_eff for k in comparable], dtype=float),
            np.array([later[k].share_major for k in comparable], dtype=float),
            np.array([later[k].n_eff for k in comparable], dtype=float),
        )
        intervals = {k: (float(a), float(b)) for k, a, b in zip(comparable, lo, hi, strict=True)}
    changes: list[Change] = []
    for key in keys:
        group, category = dict(key[0]), key[1]
        if key not in intervals:
            changes.append(Change(group=group, category=category, from_wave=from_wave, to_wave=to_wave,
                                  status=SUPPRESSED))
            continue
        a, b = earlier[key], later[key]
        assert a.share_major is not None and b.share_major is not None
        lo_, hi_ = intervals[key]
        changes.append(Change(
            group=group,
            category=category,
            from_wave=from_wave,
            to_wave=to_wave,
            status=FLAGGED if FLAGGED in (a.status, b.status) else SHOWN,
            direction=direction(lo_, hi_),
            difference=b.share_major - a.share_major,
            ci=(lo_, hi_),
            from_share=a.share_major,
            to_share=b.share_major,
        ))
    return changes
