"""Survey weights from a wave's sampling design: post-stratification and raking (numpy).

A wave's ``design`` (see ``docs/feedback.md``) takes one of two shapes:

- ``{"type": "poststratification", "strata": [...], "population": [{..., "count": N}, ...]}``: every
  respondent in stratum *h* gets the weight N_h / n_h (population count over respondents), so the weights
  reproduce the population counts exactly. Respondents in a stratum without a population count cannot be
  weighted: they are left out, and a note says how many.
- ``{"type": "raking", "margins": {"size_class": {"micro": 0.9, ...}, ...}}``: iterative proportional fitting
  adjusts the weights, one margin after the other, until every known margin is reproduced (within a relative
  tolerance, with an iteration cap). A margin may give totals or shares (values summing to 1); shares are
  scaled to the population total that the other margins give, or to the number of respondents when every
  margin is a share.

Respondents' answers come in as plain arrays of strings (``None`` for no answer), one per question the
design names; the functions return a :class:`Weights` with one weight per respondent (0 for those left out)
and the plain-English notes to publish with the results.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

POSTSTRATIFICATION, RAKING, UNWEIGHTED = "poststratification", "raking", "unweighted"
RAKING_TOLERANCE = 1e-8  # largest relative gap between a weighted margin and its target
RAKING_MAX_ITERATIONS = 200
SHARE_SUM_TOLERANCE = 1e-6  # margins whose values sum to 1 within this are shares
TOTALS_AGREEMENT = 0.005  # margins given as totals must agree on the population total within 0.5%


class WeightingError(ValueError):
    """The design cannot weight these respondents; the message says why, in plain words."""


@dataclass(slots=True)
class Weights:
    """One weight per respondent (0 = left out: ``used`` is False) and the notes that explain exclusions."""

    weights: np.ndarray
    used: np.ndarray  # bool
    method: str
    notes: list[str] = field(default_factory=list)
    iterations: int = 0  # raking only


def _column(values: Mapping[str, Sequence[Any] | np.ndarray], name: str, n: int) -> list[str | None]:
    if name not in values:
        return [None] * n
    return [None if v is None or v == "" else str(v) for v in values[name]]


def _length(values: Mapping[str, Sequence[Any] | np.ndarray]) -> int:
    lengths = {len(v) for v in values.values()}
    if len(lengths) > 1:
        raise ValueError("every answer column must have one value per respondent")
    return lengths.pop() if lengths else 0


def unweighted(n: int) -> Weights:
    """Weight 1 for everyone (a wave without a design)."""
    return Weights(weights=np.ones(n), used=np.ones(n, dtype=bool), method=UNWEIGHTED)


def poststratify(
    values: Mapping[str, Sequence[Any] | np.ndarray],
    *,
    strata: Sequence[str],
    population: Sequence[Mapping[str, Any]],
    n: int | None = None,
) -> Weights:
    """Post-stratification weights N_h / n_h.

    ``values`` maps each stratum question to the respondents' answers. Respondents whose stratum has no
    population count (or who did not answer a stratum question) get weight 0 and are counted in a note; so
    are population strata without a respondent (their firms are not represented).
    """
    size = _length(values) if n is None else n
    counts: dict[tuple[str, ...], float] = {}
    for row in population:
        key = tuple(str(row[s]) for s in strata)
        counts[key] = counts.get(key, 0.0) + float(row["count"])
    keys = list(counts)
    index = {key: i for i, key in enumerate(keys)}
    columns = [_column(values, s, size) for s in strata]
    stratum = np.fromiter(
        (index.get(tuple(col[i] or "" for col in columns), -1) if all(col[i] is not None for col in columns)
         else -1 for i in range(size)),
        dtype=np.int64,
        count=size,
    )
    used = stratum >= 0
    respondents = np.bincount(stratum[used], minlength=len(keys)).astype(float)
    targets = np.array([counts[k] for k in keys], dtype=float)
    per_stratum = np.divide(targets, respondents, out=np.zeros_like(targets), where=respondents > 0)
    weights = np.where(used, per_stratum[np.where(used, stratum, 0)], 0.0)
    notes: list[str] = []
    left_out = int(size - used.sum())
    if left_out:
        notes.append(
            f"{left_out} response{'s' if left_out != 1 else ''} in strata without a population count "
            f"({' × '.join(strata)}) {'were' if left_out != 1 else 'was'} left out."
        )
    empty = int((respondents == 0).sum())
    if empty:
        notes.append(
            f"{empty} population strat{'a have' if empty != 1 else 'um has'} no respondent: "
            f"{int(targets[respondents == 0].sum()):,} firms are not represented."
        )
    if not used.any():
        raise WeightingError(
            "No response falls in a stratum of the design's population table: check that the strata "
            f"({', '.join(strata)}) use the same codes as the answers."
        )
    return Weights(weights=weights, used=used, method=POSTSTRATIFICATION, notes=notes)


def _margin_targets(margins: Mapping[str, Mapping[str, float]], respondents: int) -> dict[str, dict[str, float]]:
    """Turn each margin into totals: shares are scaled to the population total the totals give."""
    totals = {name: float(sum(m.values())) for name, m in margins.items()}
    shares = {name for name, total in totals.items() if abs(total - 1.0) <= SHARE_SUM_TOLERANCE}
    given = [totals[name] for name in margins if name not in shares]
    if given:
        population = given[0]
        for name in margins:
            if name not in shares and abs(totals[name] - population) > TOTALS_AGREEMENT * population:
                first = next(m for m in margins if m not in shares)
                raise WeightingError(
                    f"The raking margins give different population totals: {population:,.0f} for '{first}' "
                    f"and {totals[name]:,.0f} for '{name}'. Give totals that agree, or shares that sum to 1."
                )
    else:
        population = float(respondents)
    return {
        name: {str(k): float(v) / totals[name] * population for k, v in m.items()}
        for name, m in margins.items()
    }


def rake(
    values: Mapping[str, Sequence[Any] | np.ndarray],
    *,
    margins: Mapping[str, Mapping[str, float]],
    tolerance: float = RAKING_TOLERANCE,
    max_iterations: int = RAKING_MAX_ITERATIONS,
    n: int | None = None,
) -> Weights:
    """Raking (iterative proportional fitting) from weight 1 to the known ``margins``.

    Respondents whose answer to a margin's question is not one of its categories are left out (note). A
    margin category without any respondent, or margins that cannot all be met at once, raise
    :class:`WeightingError`.
    """
    size = _length(values) if n is None else n
    names = list(margins)
    codes: list[np.ndarray] = []
    labels: list[list[str]] = []
    used = np.ones(size, dtype=bool)
    for name in names:
        cats = [str(k) for k in margins[name]]
        lookup = {c: i for i, c in enumerate(cats)}
        col = _column(values, name, size)
        code = np.fromiter((lookup.get(v, -1) if v is not None else -1 for v in col), dtype=np.int64, count=size)
        used &= code >= 0
        codes.append(code)
        labels.append(cats)
    notes: list[str] = []
    left_out = int(size - used.sum())
    if left_out:
        notes.append(
            f"{left_out} response{'s' if left_out != 1 else ''} with an answer outside the raking margins "
            f"({', '.join(names)}) {'were' if left_out != 1 else 'was'} left out."
        )
    kept = int(used.sum())
    if kept == 0:
        raise WeightingError(
            f"No response has answers in every raking margin ({', '.join(names)}): check the margins' codes."
        )
    targets = _margin_targets(margins, kept)
    target_arrays = [np.array([targets[name][c] for c in labels[i]]) for i, name in enumerate(names)]
    kept_codes = [c[used] for c in codes]
    for i, name in enumerate(names):
        present = np.bincount(kept_codes[i], minlength=len(labels[i]))
        if (present == 0).any():
            missing = [labels[i][j] for j in np.flatnonzero(present == 0)]
            raise WeightingError(
                f"Raking cannot reach the margin for {name} = {', '.join(missing)}: no respondent in this wave "
                "gave that answer. Remove the category from the design or collect more responses."
            )
    w = np.ones(kept)
    gap = np.inf
    iterations = 0
    while gap > tolerance:
        if iterations == max_iterations:
            raise WeightingError(
                f"Raking did not converge after {max_iterations} rounds (the margins are still {gap:.2%} "
                "apart): the margins cannot all be met by these respondents. Check that they describe the same "
                "population."
            )
        iterations += 1
        for code, target in zip(kept_codes, target_arrays, strict=True):
            sums = np.bincount(code, weights=w, minlength=len(target))
            w *= (target / sums)[code]
        gap = max(
            float(np.max(np.abs(np.bincount(code, weights=w, minlength=len(t)) / t - 1.0)))
            for code, t in zip(kept_codes, target_arrays, strict=True)
        )
    weights = np.zeros(size)
    weights[used] = w
    return Weights(weights=weights, used=used, method=RAKING, notes=notes, iterations=iterations)


def design_questions(design: Mapping[str, Any] | None) -> list[str]:
    """The questions a design weights by (what the caller must supply in ``values``)."""
    if not design:
        return []
    if design.get("type") == POSTSTRATIFICATION:
        return [str(s) for s in design.get("strata", [])]
    if design.get("type") == RAKING:
        return [str(s) for s in design.get("margins", {})]
    return []


def weights_for(design: Mapping[str, Any] | None, values: Mapping[str, Sequence[Any] | np.ndarray], n: int) -> Weights:
    """Weights for ``n`` respondents under ``design`` (weight 1 each when there is no design)."""
    if not design:
        return unweighted(n)
    kind = design.get("type")
    if kind == POSTSTRATIFICATION:
        return poststratify(values, strata=design["strata"], population=design["population"], n=n)
    if kind == RAKING:
        return rake(values, margins=design["margins"], n=n)
    raise WeightingError(f"Unknown design type '{kind}': use 'poststratification' or 'raking'.")
