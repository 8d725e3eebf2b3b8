"""Wave-to-wave change: Newcomb intervals on effective counts, plain-words direction, suppression carried over."""

from __future__ import annotations

import math

import pytest
from scipy import stats

from msmelens.feedback.change import compare, difference_interval, direction
from msmelens.feedback.result_types import CLEARLY_DOWN, CLEARLY_UP, NO_CLEAR_CHANGE, Cell


def _wilson(x: float, n: float) -> tuple[float, float]:
    z = stats.norm.ppf(0.975)
    p = x / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def _newcomb(x1: float, n1: float, x2: float, n2: float) -> tuple[float, float]:
    """Newcomb's method 10, by hand: p1 − p2 with the Wilson limits of each."""
    p1, p2 = x1 / n1, x2 / n2
    l1, u1 = _wilson(x1, n1)
    l2, u2 = _wilson(x2, n2)
    d = p1 - p2
    return d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2), d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)


def _cell(share: float | None, n_eff: float | None, status: str = "shown", **group: str) -> Cell:
    return Cell(group=group or {"country": "PER"}, category="finance", status=status, share_major=share,
                n_eff=n_eff, ci=None if share is None else (0.0, 1.0), n=None if n_eff is None else int(n_eff))


def test_newcomb_interval_matches_the_hand_formula():
    # 20 of 100 before, 60 of 100 after
    lo, hi = difference_interval([0.2], [100.0], [0.6], [100.0])
    assert (lo[0], hi[0]) == (pytest.approx(_newcomb(60, 100, 20, 100)[0]), pytest.approx(_newcomb(60, 100, 20, 100)[1]))
    # Wilson 60/100 = (0.5020, 0.6906), 20/100 = (0.1333, 0.2888): 0.4 - 0.1323, 0.4 + 0.1125
    assert lo[0] == pytest.approx(0.2677, abs=1e-4) and hi[0] == pytest.approx(0.5125, abs=1e-4)
    # effective counts need not be whole numbers
    lo, hi = difference_interval([0.3], [45.5], [0.35], [70.2])
    expected = _newcomb(0.35 * 70.2, 70.2, 0.3 * 45.5, 45.5)
    assert (lo[0], hi[0]) == (pytest.approx(expected[0]), pytest.approx(expected[1]))


def test_direction_in_plain_words():
    assert direction(0.01, 0.2) == CLEARLY_UP
    assert direction(-0.3, -0.001) == CLEARLY_DOWN
    assert direction(-0.05, 0.1) == NO_CLEAR_CHANGE
    assert direction(0.0, 0.1) == NO_CLEAR_CHANGE


def test_compare_builds_changes_and_carries_suppression():
    before = [_cell(0.5, 200.0, country="PER"), _cell(0.4, 100.0, country="KEN"),
              _cell(None, None, "suppressed", country="COL"), _cell(0.3, 80.0, "flagged", country="MEX")]
    after = [_cell(0.3, 200.0, country="PER"), _cell(0.45, 100.0, country="KEN"),
             _cell(0.2, 90.0, country="COL"), _cell(0.3, 90.0, country="MEX"), _cell(0.6, 50.0, country="GHA")]
    changes = {c.group["country"]: c for c in compare(before, after, from_wave="2026-1", to_wave="2026-2")}
    peru = changes["PER"]
    assert (peru.status, peru.direction) == ("shown", CLEARLY_DOWN)
    assert peru.difference == pytest.approx(-0.2)
    assert peru.ci == (pytest.approx(_newcomb(60, 200, 100, 200)[0]), pytest.approx(_newcomb(60, 200, 100, 200)[1]))
    assert changes["KEN"].direction == NO_CLEAR_CHANGE
    assert changes["MEX"].status == "flagged" and changes["MEX"].difference == pytest.approx(0.0)
    for hidden in ("COL", "GHA"):  # suppressed in one wave, or missing from it
        change = changes[hidden]
        assert change.status == "suppressed"
        assert all(v is None for k, v in change.to_dict().items()
                   if k in ("direction", "difference", "ci", "from_share", "to_share"))
    assert list(changes) == ["PER", "KEN", "COL", "MEX", "GHA"]
    assert all(c.from_wave == "2026-1" and c.to_wave == "2026-2" for c in changes.values())
