"""Published survey results: weighted estimates, broken down, with disclosure control applied (a read module).

:func:`survey_results` reads a survey's current responses through :mod:`msmelens.feedback.selectors` (answers
only, never contact details), weights each wave by its design (:mod:`~msmelens.feedback.weighting`),
estimates every group × category (:mod:`~msmelens.feedback.estimation`), applies the presentation standard
and complementary suppression (:mod:`~msmelens.feedback.disclosure`), and returns a
:class:`~msmelens.feedback.result_types.ResultTable`. :func:`wave_changes` compares two waves
(:mod:`~msmelens.feedback.change`). Everything that publishes results (CLI, API, CSV, pages, charts) uses
these two functions and the objects they return, nothing else.

How it works, so that a breakdown costs one pass over the responses:

- responses become arrays (:class:`ResponseArrays`): one integer code per dimension (−1 = no answer), one
  weight, the eight ratings (−1 = ``dk``/missing) and the biggest obstacle;
- :func:`tabulate` reduces them once to sums per finest group (a "no answer" code included), then adds these
  up into every total the breakdown relies on (each dimension left out in turn, down to the overall figure),
  so that complementary suppression can see exactly what the totals publish.

Pooling waves: each wave's weights are scaled to sum to its number of respondents before waves are pooled,
so that a wave weighted to population counts and an unweighted wave combine on one scale (shares within a
wave are unchanged by the scaling).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from msmelens.feedback import disclosure, selectors, weighting
from msmelens.feedback.change import compare
from msmelens.feedback.estimation import Sums, choice_estimates, choice_sums, rating_estimates, rating_sums
from msmelens.feedback.models import Survey, Wave
from msmelens.feedback.result_types import DIMENSIONS, Cell, Change, ResultTable, ShareCell
from msmelens.lens.taxonomy import CATEGORIES

MAX_DIMENSIONS = 3
ORDER: dict[str, tuple[str, ...]] = {  # natural order of answers; others alphabetical, waves by start date
    "size_class": ("micro", "small", "medium", "large"),
    "owner_gender": ("female", "male", "other", "no_answer"),
    "exporter": ("yes", "no"),
    "location": ("urban", "rural"),
}
RATING_VALUES = {str(level): level for level in range(5)}
CATEGORY_INDEX = {c: i for i, c in enumerate(CATEGORIES)}


class ResultsError(ValueError):
    """A request for results that cannot be answered (unknown breakdown, unknown wave...), in plain words."""


@dataclass(slots=True)
class ResponseArrays:
    """Responses as arrays: ``codes[d][i]`` indexes ``labels[d]`` (−1 = no answer), ``ratings`` is
    respondents × CATEGORIES (0..4, −1 missing), ``biggest`` indexes CATEGORIES (−1 missing)."""

    labels: dict[str, list[str]]
    codes: dict[str, np.ndarray]
    weights: np.ndarray
    ratings: np.ndarray
    biggest: np.ndarray

    @property
    def size(self) -> int:
        return int(self.weights.shape[0])


@dataclass(slots=True)
class Tabulation:
    cells: list[Cell] = field(default_factory=list)
    biggest: list[ShareCell] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def check_by(by: Sequence[str]) -> list[str]:
    """The breakdown as a list, or :class:`ResultsError` naming what is wrong and what is allowed."""
    dims = [d.strip() for d in by if d.strip()]
    unknown = [d for d in dims if d not in DIMENSIONS]
    if unknown:
        raise ResultsError(
            f"Results cannot be broken down by {', '.join(repr(d) for d in unknown)}. "
            f"Choose up to {MAX_DIMENSIONS} of: {', '.join(DIMENSIONS)}."
        )
    if len(set(dims)) != len(dims):
        raise ResultsError("Each breakdown may be named only once (for example 'country,size_class').")
    if len(dims) > MAX_DIMENSIONS:
        raise ResultsError(
            f"Results can be broken down by at most {MAX_DIMENSIONS} of {', '.join(DIMENSIONS)} at once; "
            f"{len(dims)} were asked for."
        )
    return dims


def order_labels(dimension: str, values: set[str], wave_order: Sequence[str] = ()) -> list[str]:
    """Answers of a dimension in display order (natural order where there is one, else alphabetical)."""
    natural = tuple(wave_order) if dimension == "wave" else ORDER.get(dimension, ())
    first = [v for v in natural if v in values]
    return first + sorted(values - set(first))


# ---------------------------------------------------------------------------------------------------------
# the engine: arrays in, cells out


def _status_name(code: int) -> str:
    return disclosure.STATUS_NAMES[code]


def _f(value: Any) -> float:
    return float(value)


def tabulate(arrays: ResponseArrays, by: Sequence[str]) -> Tabulation:
    """Cells for the breakdown ``by`` (dimensions present in ``arrays.labels``), with every total it relies
    on computed and disclosure control applied. Cells come in group order (the order of ``by``, answers in
    their label order), then category in CATEGORIES order."""
    by = list(by)
    canonical = [d for d in DIMENSIONS if d in by] + [d for d in by if d not in DIMENSIONS]
    sizes = tuple(len(arrays.labels[d]) + 1 for d in canonical)  # the last code: no answer
    n_groups = int(np.prod(sizes)) if sizes else 1
    if canonical:
        coords = [np.where(arrays.codes[d] >= 0, arrays.codes[d], len(arrays.labels[d])) for d in canonical]
        gid = np.ravel_multi_index(coords, sizes).astype(np.int64)
    else:
        gid = np.zeros(arrays.size, dtype=np.int64)
    w = arrays.weights.astype(float)
    rsums = rating_sums(gid, n_groups, w, arrays.ratings).reshape(sizes)
    csums = choice_sums(gid, n_groups, w, arrays.biggest, len(CATEGORIES)).reshape(sizes)
    rows = np.bincount(gid, minlength=n_groups).reshape(sizes) if sizes else np.array(arrays.size)

    axes = tuple(range(len(canonical)))
    rating_status: dict[tuple[int, ...], np.ndarray] = {}
    choice_status: dict[tuple[int, ...], np.ndarray] = {}
    final: dict[str, Any] = {}
    for k in range(len(axes) + 1):
        for kept in itertools.combinations(axes, k):
            dropped = tuple(a for a in axes if a not in kept)
            inner = tuple(slice(0, sizes[a] - 1) for a in kept)  # answered groups only
            r = rsums.total(dropped)
            c = csums.total(dropped)
            present = np.asarray(np.asarray(rows.sum(axis=dropped) if dropped else rows)[inner] > 0)
            r_est = rating_estimates(Sums(r.count[inner], r.w[inner], r.w2[inner]))
            c_est = choice_estimates(Sums(c.count[inner], c.w[inner], c.w2[inner]))
            share = r_est.share
            r_code, r_reason = disclosure.presentation(share.n, share.n_eff, share.p, share.lo, share.hi,
                                                      share.numerator)
            c_code, c_reason = disclosure.presentation(c_est.n, c_est.n_eff, c_est.p, c_est.lo, c_est.hi,
                                                      c_est.numerator)
            n_cat = len(CATEGORIES)
            cell_present = np.broadcast_to(present[..., None], present.shape + (n_cat,))
            parents_r = [rating_status[tuple(x for x in kept if x != a)] for a in kept]
            parents_c: list[np.ndarray | None] = [choice_status[tuple(x for x in kept if x != a)] for a in kept]
            extra = disclosure.complementary(r_code == disclosure.SUPPRESSED, cell_present, share.n,
                                             [*parents_r, None])
            r_code[extra], r_reason[extra] = disclosure.SUPPRESSED, disclosure.COMPLEMENTARY
            extra = disclosure.complementary(c_code == disclosure.SUPPRESSED, cell_present, c_est.numerator,
                                             [*parents_c, None])
            c_code[extra], c_reason[extra] = disclosure.SUPPRESSED, disclosure.COMPLEMENTARY
            # a parent only counts as suppressed where its group exists (absent groups publish nothing)
            rating_status[kept] = (r_code == disclosure.SUPPRESSED) | ~cell_present
            choice_status[kept] = (c_code == disclosure.SUPPRESSED) | ~cell_present
            if kept == axes:
                final = {"present": present, "r": r_est, "rc": r_code, "rr": r_reason,
                         "c": c_est, "cc": c_code, "cr": c_reason}
    return _cells(arrays, by, canonical, final)


def _cells(arrays: ResponseArrays, by: list[str], canonical: list[str], final: dict[str, Any]) -> Tabulation:
    """Cell objects in the requested order; suppressed cells carry no figures at all."""
    out = Tabulation()
    present = final["present"]
    shape = tuple(len(arrays.labels[d]) for d in by)
    r, c = final["r"], final["c"]
    share = r.share
    for idx in np.ndindex(*shape) if shape else [()]:
        pos = tuple(idx[by.index(d)] for d in canonical)
        if not present[pos]:
            continue
        group = {d: arrays.labels[d][idx[i]] for i, d in enumerate(by)}
        for k, category in enumerate(CATEGORIES):
            at = pos + (k,)
            code = int(final["rc"][at])
            reason = disclosure.REASONS[int(final["rr"][at])]
            if code == disclosure.SUPPRESSED:
                out.cells.append(Cell(group=dict(group), category=category, status=_status_name(code),
                                      reason=reason))
            else:
                has_mean_ci = not np.isnan(r.mean_lo[at])
                out.cells.append(Cell(
                    group=dict(group),
                    category=category,
                    status=_status_name(code),
                    reason=reason,
                    share_major=_f(share.p[at]),
                    ci=(_f(share.lo[at]), _f(share.hi[at])),
                    mean_severity=_f(r.mean[at]),
                    mean_ci=(_f(r.mean_lo[at]), _f(r.mean_hi[at])) if has_mean_ci else None,
                    n=int(share.n[at]),
                    n_eff=_f(share.n_eff[at]),
                ))
        for k, answer in enumerate(CATEGORIES):
            at = pos + (k,)
            code = int(final["cc"][at])
            reason = disclosure.REASONS[int(final["cr"][at])]
            if code == disclosure.SUPPRESSED:
                out.biggest.append(ShareCell(group=dict(group), answer=answer, status=_status_name(code),
                                             reason=reason))
            else:
                out.biggest.append(ShareCell(
                    group=dict(group), answer=answer, status=_status_name(code), reason=reason,
                    share=_f(c.p[at]), ci=(_f(c.lo[at]), _f(c.hi[at])), n=int(c.n[at]), n_eff=_f(c.n_eff[at]),
                ))
    for d in by:
        missing = int((arrays.codes[d] < 0).sum())
        if missing:
            out.notes.append(
                f"{missing} response{'s' if missing != 1 else ''} without an answer for {d} "
                f"{'are' if missing != 1 else 'is'} not in this breakdown (but count in the totals)."
            )
    return out


# ---------------------------------------------------------------------------------------------------------
# reading the database


def _rating(value: Any) -> int:
    return RATING_VALUES.get(str(value), -1) if value is not None else -1


@dataclass(slots=True)
class _Loaded:
    arrays: ResponseArrays
    n_responses: int
    weighted: bool
    weighting: str
    synthetic: bool
    notes: list[str]


def _load(survey: Survey, wave: Wave | None, include_synthetic: bool) -> _Loaded:
    """Current responses as weighted arrays: each wave weighted by its design, then pooled."""
    all_waves = selectors.waves(survey)
    designs = {w.name: w.design for w in all_waves}
    questions = sorted({q for d in designs.values() for q in weighting.design_questions(d)})
    answer_dims = [d for d in DIMENSIONS if d != "wave"]
    raw: dict[str, list[str | None]] = {d: [] for d in DIMENSIONS}
    design_values: dict[str, list[Any]] = {q: [] for q in questions}
    ratings: list[list[int]] = []
    biggest: list[int] = []
    synthetic: list[bool] = []
    for row in selectors.iter_answer_rows(survey, wave=wave, include_synthetic=include_synthetic):
        answers = row["answers"] or {}
        for d in answer_dims:
            value = answers.get(d)
            raw[d].append(None if value in (None, "") else str(value))
        raw["wave"].append(row["wave"] or None)
        for q in questions:
            design_values[q].append(answers.get(q))
        ratings.append([_rating(answers.get(f"obstacle_{c}")) for c in CATEGORIES])
        biggest.append(CATEGORY_INDEX.get(str(answers.get("biggest_obstacle")), -1))
        synthetic.append(bool(row["synthetic"]))
    n = len(biggest)
    weights = np.zeros(n)
    used = np.zeros(n, dtype=bool)
    weighted = np.zeros(n, dtype=bool)
    methods: set[str] = set()
    notes: list[str] = []
    wave_of = np.array([w or "" for w in raw["wave"]], dtype=object)
    for name in dict.fromkeys(wave_of.tolist()):
        rows = np.flatnonzero(wave_of == name)
        design = designs.get(name) if name else None
        values = {q: [design_values[q][i] for i in rows] for q in weighting.design_questions(design)}
        try:
            result = weighting.weights_for(design, values, len(rows))
        except weighting.WeightingError as exc:
            raise ResultsError(f"Wave '{name}' cannot be weighted: {exc}") from exc
        total = result.weights.sum()
        kept = int(result.used.sum())
        scaled = result.weights * (kept / total) if total > 0 else result.weights
        weights[rows] = scaled
        used[rows] = result.used
        weighted[rows] = result.method != weighting.UNWEIGHTED
        methods.add(result.method)
        notes.extend(f"Wave {name}: {note}" if name else note for note in result.notes)
    labels: dict[str, list[str]] = {}
    codes: dict[str, np.ndarray] = {}
    wave_order = [w.name for w in all_waves]
    for d in DIMENSIONS:
        column = [raw[d][i] for i in np.flatnonzero(used)]
        labels[d] = order_labels(d, {v for v in column if v is not None}, wave_order)
        lookup = {v: i for i, v in enumerate(labels[d])}
        codes[d] = np.fromiter((lookup[v] if v is not None else -1 for v in column), dtype=np.int64,
                               count=len(column))
    arrays = ResponseArrays(
        labels=labels,
        codes=codes,
        weights=weights[used],
        ratings=np.array(ratings, dtype=np.int8).reshape(n, len(CATEGORIES))[used],
        biggest=np.array(biggest, dtype=np.int8)[used],
    )
    n_used = int(used.sum())
    all_weighted = bool(n_used) and bool(weighted[used].all())
    used_methods = {m for m in methods if m != weighting.UNWEIGHTED} if all_weighted else methods
    weighting_name = (
        weighting.UNWEIGHTED if not weighted[used].any()
        else used_methods.pop() if all_weighted and len(used_methods) == 1
        else "mixed"
    )
    return _Loaded(arrays=arrays, n_responses=n_used, weighted=all_weighted, weighting=weighting_name,
                   synthetic=bool(np.asarray(synthetic, dtype=bool)[used].any()) if n else False, notes=notes)


def _wave(survey: Survey, name: str | None) -> Wave | None:
    if name is None:
        return None
    found = selectors.get_wave(survey, name)
    if found is None:
        names = [w.name for w in selectors.waves(survey)]
        known = f"Its waves are: {', '.join(names)}." if names else "It has no waves yet."
        raise ResultsError(f"Survey '{survey.slug}' has no wave named '{name}'. {known}")
    return found


def survey_results(
    *, survey: Survey, by: Sequence[str] = (), wave: str | None = None, include_synthetic: bool = False
) -> ResultTable:
    """Weighted, disclosure-controlled results of ``survey`` broken down by ``by`` (up to 3 of
    :data:`DIMENSIONS`), for one wave or (``wave=None``) every wave together. Synthetic (demo) responses
    count only with ``include_synthetic``."""
    dims = check_by(by)
    wave_obj = _wave(survey, wave)
    loaded = _load(survey, wave_obj, include_synthetic)
    table = tabulate(loaded.arrays, dims)
    return ResultTable(
        survey=survey.slug,
        wave=wave,
        by=dims,
        weighted=loaded.weighted,
        weighting=loaded.weighting,
        n_responses=loaded.n_responses,
        synthetic=loaded.synthetic,
        cells=table.cells,
        biggest=table.biggest,
        notes=loaded.notes + table.notes,
    )


def wave_changes(
    *,
    survey: Survey,
    by: Sequence[str] = (),
    from_wave: str,
    to_wave: str,
    include_synthetic: bool = False,
) -> list[Change]:
    """The change of each group × category's share rating the obstacle major or very severe, from
    ``from_wave`` to ``to_wave``, with its 95% interval and direction (see :mod:`msmelens.feedback.change`)."""
    dims = check_by(by)
    if "wave" in dims:
        raise ResultsError("A comparison between two waves cannot also be broken down by wave.")
    if from_wave == to_wave:
        raise ResultsError("Choose two different waves to compare.")
    _wave(survey, from_wave)
    _wave(survey, to_wave)
    before = survey_results(survey=survey, by=dims, wave=from_wave, include_synthetic=include_synthetic)
    after = survey_results(survey=survey, by=dims, wave=to_wave, include_synthetic=include_synthetic)
    return compare(before.cells, after.cells, from_wave=from_wave, to_wave=to_wave)


def arrays_from_columns(
    columns: Mapping[str, Sequence[str | None] | np.ndarray],
    *,
    weights: np.ndarray | None = None,
    ratings: np.ndarray,
    biggest: np.ndarray,
) -> ResponseArrays:
    """Build :class:`ResponseArrays` from plain columns (tests and the benchmark)."""
    labels: dict[str, list[str]] = {}
    codes: dict[str, np.ndarray] = {}
    n = int(ratings.shape[0])
    for d, values in columns.items():
        seen = {str(v) for v in values if v is not None and v != ""}
        labels[d] = order_labels(d, seen)
        lookup = {v: i for i, v in enumerate(labels[d])}
        codes[d] = np.fromiter((lookup.get(str(v), -1) if v is not None else -1 for v in values),
                               dtype=np.int64, count=n)
    return ResponseArrays(labels=labels, codes=codes, weights=np.ones(n) if weights is None else weights,
                          ratings=np.asarray(ratings, dtype=np.int8), biggest=np.asarray(biggest, dtype=np.int8))
