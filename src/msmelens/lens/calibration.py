"""A score that means something: calibrated probability that a relevance call is right, and how to check it.

The learned model's relevance head gives ``p`` (logistic regression trained with balanced class weights, so
``p`` is a ranking, not a probability). ``Calibrator`` maps it to ``P(gold relevant)`` with Platt scaling on
two inputs, ``logit(p)`` and whether the rules found an explicit mention, fitted on *out-of-fold*
probabilities of the training rows only (never on the rows it will score).

The ``score`` of a provision is then the probability that its relevance call — relevant (explicit or
implicit) against none — is right: ``P`` when the call is relevant, ``1 - P`` when it is none.

``reliability(scores, correct)`` gives what ``docs/lens.md`` shows: the Brier score, the expected
calibration error (ECE, equal-width bins weighted by their counts) and the reliability table.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression

_EPS = 1e-6
_ROUND = 6


def _logit(p: np.ndarray) -> np.ndarray:
    q = np.clip(np.asarray(p, dtype=np.float64), _EPS, 1 - _EPS)
    return np.log(q / (1 - q))


@dataclass(frozen=True)
class Calibrator:
    """``P(relevant) = sigmoid(slope * logit(p) + explicit_weight * explicit + intercept)``."""

    slope: float = 1.0
    explicit_weight: float = 0.0
    intercept: float = 0.0

    def probability(self, p: Sequence[float] | np.ndarray, explicit: Sequence[bool] | np.ndarray) -> np.ndarray:
        """Calibrated probability that each row is relevant (gold explicit or implicit)."""
        z = self.slope * _logit(np.asarray(p)) + self.explicit_weight * np.asarray(explicit, dtype=np.float64)
        return 1.0 / (1.0 + np.exp(-(z + self.intercept)))

    def to_dict(self) -> dict[str, float]:
        return {"slope": self.slope, "explicit_weight": self.explicit_weight, "intercept": self.intercept}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Calibrator:
        return cls(float(data["slope"]), float(data["explicit_weight"]), float(data["intercept"]))


def fit_calibrator(p: np.ndarray, explicit: np.ndarray, y: np.ndarray) -> Calibrator:
    """Platt scaling on out-of-fold ``p`` (and the explicit flag) against gold relevance ``y`` (0/1).

    Mildly regularised (C=100) so that a flag that is always right does not get an infinite weight.
    Returns the identity mapping when ``y`` has one class only.
    """
    y = np.asarray(y, dtype=int)
    if len(y) == 0 or y.min() == y.max():
        return Calibrator()
    X = np.column_stack([_logit(p), np.asarray(explicit, dtype=np.float64)])
    clf = LogisticRegression(C=100.0, max_iter=1000)
    clf.fit(X, y)
    slope, weight = (round(float(v), _ROUND) for v in clf.coef_[0])
    return Calibrator(slope, weight, round(float(clf.intercept_[0]), _ROUND))


def score_of_call(p_relevant: float, called_relevant: bool) -> float:
    """Probability that the call is right, from the calibrated probability that the row is relevant."""
    return p_relevant if called_relevant else 1.0 - p_relevant


@dataclass(frozen=True)
class ReliabilityBin:
    """One row of the reliability table: scores in [low, high), how many, their mean, how often right."""

    low: float
    high: float
    n: int
    mean_score: float
    accuracy: float


@dataclass(frozen=True)
class Reliability:
    """Brier score, expected calibration error and the table, for scores against right/wrong outcomes."""

    n: int
    brier: float
    ece: float
    bins: tuple[ReliabilityBin, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "brier": round(self.brier, 4),
            "ece": round(self.ece, 4),
            "bins": [
                {
                    "low": b.low,
                    "high": b.high,
                    "n": b.n,
                    "mean_score": round(b.mean_score, 4),
                    "accuracy": round(b.accuracy, 4),
                }
                for b in self.bins
            ],
        }

    def format_table(self) -> str:
        """Markdown: the headline figures, then one line per non-empty bin."""
        lines = [
            f"Brier score {self.brier:.4f}, expected calibration error {self.ece:.4f} ({self.n} rows)",
            "",
            "| score | rows | mean score | share right |",
            "|---|---:|---:|---:|",
        ]
        for b in self.bins:
            if b.n:
                lines.append(f"| {b.low:.1f}–{b.high:.1f} | {b.n} | {b.mean_score:.3f} | {b.accuracy:.3f} |")
        return "\n".join(lines)


def reliability(scores: Sequence[float], correct: Sequence[bool], n_bins: int = 10) -> Reliability:
    """Reliability of ``scores`` (probability that each call is right) against whether it was right."""
    s = np.asarray(scores, dtype=np.float64)
    c = np.asarray(correct, dtype=np.float64)
    if len(s) != len(c):
        raise ValueError("scores and outcomes differ in length")
    n = len(s)
    if n == 0:
        return Reliability(0, math.nan, math.nan, ())
    brier = float(np.mean((s - c) ** 2))
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    index = np.minimum((s * n_bins).astype(int), n_bins - 1)
    bins: list[ReliabilityBin] = []
    ece = 0.0
    for i in range(n_bins):
        mask = index == i
        k = int(mask.sum())
        mean = float(s[mask].mean()) if k else 0.0
        acc = float(c[mask].mean()) if k else 0.0
        ece += k / n * abs(mean - acc)
        bins.append(ReliabilityBin(round(float(edges[i]), 2), round(float(edges[i + 1]), 2), k, mean, acc))
    return Reliability(n, brier, ece, tuple(bins))
