"""Results speed benchmark: 1,000,000 synthetic responses, one weighted breakdown over country × size class.

Run: ``.venv/bin/python bench/bench_results.py [--n 1000000] [--seed 7] [--repeat 3] [--json]``.

The responses are generated directly as numpy arrays (no database): 34 countries and the size classes with
the simulation's shares, ratings that depend on the size class (about 4% ``dk``), a biggest obstacle, and
post-stratification weights N_h / n_h from a made-up population per country × size class. Two engines
compute the same thing in the same run:

- **msmelens** (:func:`msmelens.feedback.results.tabulate`): one ``np.bincount`` pass, every total the
  breakdown relies on (country, size class, overall), Korn–Graubard and t intervals, the presentation
  standard, complementary suppression and the result cells — everything ``survey_results`` does after
  reading the database;
- **pandas**: ``groupby([country, size_class]).sum()`` per category of the same weighted sums, then the same
  interval formulas (statsmodels / scipy), for the breakdown's own cells only (no totals, no disclosure).

Both must agree (share, interval, mean, its interval and n_eff within 1e-9 on every published cell). Prints
both timings (best of ``--repeat``) and the ratio; exit status 1 when the msmelens engine takes a second or
more, or when the engines disagree.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "msmelens.web.settings")

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from scipy import stats  # noqa: E402
from statsmodels.stats.proportion import proportion_confint  # noqa: E402

from msmelens.feedback.results import ResponseArrays, tabulate  # noqa: E402
from msmelens.feedback.simulate import COUNTRIES, MEAN_RATING, SIZE_SHARES  # noqa: E402
from msmelens.lens.taxonomy import CATEGORIES  # noqa: E402

LIMIT_SECONDS = 1.0
TOLERANCE = 1e-9
SIZES = [s for s, _ in SIZE_SHARES]


def synthetic_arrays(n: int, seed: int) -> ResponseArrays:
    """``n`` plausible responses as arrays, weighted by post-stratification to a made-up population."""
    rng = np.random.default_rng(seed)
    countries = sorted(COUNTRIES)
    c_prob = np.array([COUNTRIES[c] for c in countries], dtype=float)
    country = rng.choice(len(countries), n, p=c_prob / c_prob.sum())
    size = rng.choice(len(SIZES), n, p=[s for _, s in SIZE_SHARES])
    latent = rng.normal(0.0, 0.6, n)
    means = np.array([[MEAN_RATING[c][s] for c in CATEGORIES] for s in SIZES])  # size × category
    raw = np.rint(means[size] + latent[:, None] + rng.normal(0.0, 0.9, (n, len(CATEGORIES))))
    ratings = np.clip(raw, 0, 4).astype(np.int8)
    ratings[rng.random((n, len(CATEGORIES))) < 0.04] = -1  # don't know
    top = np.where(ratings >= 0, ratings + rng.random(ratings.shape), -1.0)
    biggest = top.argmax(axis=1).astype(np.int8)
    biggest[rng.random(n) < 0.02] = -1  # no answer
    # population per country × size class: firms are ~95% micro in the population, far fewer in the sample
    population = rng.uniform(0.5, 2.0, (len(countries), 1)) * np.array([950_000, 40_000, 8_000, 2_000])
    stratum = country * len(SIZES) + size
    respondents = np.bincount(stratum, minlength=population.size).astype(float)
    per_stratum = np.divide(population.ravel(), respondents, out=np.zeros(population.size), where=respondents > 0)
    weights = per_stratum[stratum]
    return ResponseArrays(
        labels={"country": countries, "size_class": SIZES},
        codes={"country": country.astype(np.int64), "size_class": size.astype(np.int64)},
        weights=weights,
        ratings=ratings,
        biggest=biggest,
    )


def pandas_breakdown(arrays: ResponseArrays) -> pd.DataFrame:
    """The same estimates with pandas: per category, weighted sums by country × size class, then the same
    Korn–Graubard and t interval formulas."""
    base = pd.DataFrame({
        "country": arrays.codes["country"],
        "size_class": arrays.codes["size_class"],
        "w": arrays.weights,
    })
    frames = []
    for k, category in enumerate(CATEGORIES):
        x = arrays.ratings[:, k]
        valid = x >= 0
        df = base[valid].copy()
        xv = x[valid].astype(float)
        df["n"] = 1
        df["w2"] = df["w"] ** 2
        df["w_major"] = df["w"] * (xv >= 3)
        df["wx"] = df["w"] * xv
        df["wx2"] = df["w"] * xv * xv
        g = df.groupby(["country", "size_class"], sort=True).sum()
        g["category"] = category
        frames.append(g)
    out = pd.concat(frames).reset_index()
    out["p"] = out["w_major"] / out["w"]
    out["n_eff"] = out["w"] ** 2 / out["w2"]
    lo, hi = proportion_confint(out["p"] * out["n_eff"], out["n_eff"], alpha=0.05, method="beta")
    out["lo"] = np.nan_to_num(np.asarray(lo, dtype=float), nan=0.0)
    out["hi"] = np.nan_to_num(np.asarray(hi, dtype=float), nan=1.0)
    out["mean"] = out["wx"] / out["w"]
    spread = out["wx2"] - out["w"] * out["mean"] ** 2
    df_t = out["n_eff"] - 1
    se = np.sqrt(spread / out["w"] / df_t)
    t = stats.t.ppf(0.975, df_t)
    out["mean_lo"] = np.clip(out["mean"] - t * se, 0, 4)
    out["mean_hi"] = np.clip(out["mean"] + t * se, 0, 4)
    return out


def best_of(repeat: int, fn: Callable[..., Any], *args: Any) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn(*args)
        best = min(best, time.perf_counter() - t0)
    return best, result


def compare(cells: list[Any], frame: pd.DataFrame, labels: dict[str, list[str]]) -> tuple[int, float]:
    """Published cells checked against pandas: (cells compared, largest absolute difference)."""
    keyed = frame.set_index(["country", "size_class", "category"])
    worst = 0.0
    compared = 0
    for cell in cells:
        if cell.share_major is None:
            continue
        row = keyed.loc[(labels["country"].index(cell.group["country"]),
                         labels["size_class"].index(cell.group["size_class"]), cell.category)]
        ours = [cell.share_major, cell.ci[0], cell.ci[1], cell.mean_severity, cell.n_eff, float(cell.n)]
        theirs = [row["p"], row["lo"], row["hi"], row["mean"], row["n_eff"], float(row["n"])]
        if cell.mean_ci is not None:
            ours += list(cell.mean_ci)
            theirs += [row["mean_lo"], row["mean_hi"]]
        scale = [1, 1, 1, 1, 1 / max(1.0, cell.n_eff), 1 / max(1.0, cell.n), 1, 1][: len(ours)]
        worst = max(worst, max(abs(a - b) * s for a, b, s in zip(ours, theirs, scale, strict=True)))
        compared += 1
    return compared, worst


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1_000_000, help="synthetic responses")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--repeat", type=int, default=3, help="runs of each engine; the best time counts")
    ap.add_argument("--json", action="store_true", help="print a JSON summary on stdout")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    arrays = synthetic_arrays(args.n, args.seed)
    generate = time.perf_counter() - t0
    by = ["country", "size_class"]
    ours_s, table = best_of(args.repeat, tabulate, arrays, by)
    pandas_s, frame = best_of(args.repeat, pandas_breakdown, arrays)
    compared, worst = compare(table.cells, frame, arrays.labels)
    statuses = {s: sum(1 for c in table.cells if c.status == s) for s in ("shown", "flagged", "suppressed")}
    summary = {
        "responses": args.n,
        "groups": len(table.cells) // len(CATEGORIES),
        "cells": len(table.cells),
        "cells_by_status": statuses,
        "generate_s": round(generate, 3),
        "msmelens_s": round(ours_s, 4),
        "pandas_s": round(pandas_s, 4),
        "pandas_over_msmelens": round(pandas_s / ours_s, 2),
        "cells_compared": compared,
        "largest_difference": worst,
        "limit_s": LIMIT_SECONDS,
    }
    problems = []
    if ours_s >= LIMIT_SECONDS:
        problems.append(f"the msmelens engine took {ours_s:.3f} s (limit {LIMIT_SECONDS:.0f} s)")
    if compared == 0 or worst > TOLERANCE:
        problems.append(f"the engines disagree: largest difference {worst:.2e} over {compared} cells")
    summary["ok"] = not problems
    summary["problems"] = problems
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        print(f"{args.n:,} synthetic responses (generated in {generate:.2f} s), weighted breakdown by "
              f"country × size class: {summary['groups']} groups, {len(table.cells)} cells "
              f"({statuses['shown']} shown, {statuses['flagged']} flagged, {statuses['suppressed']} suppressed)")
        print(f"  msmelens (numpy, with totals and disclosure control): {ours_s * 1000:8.1f} ms")
        print(f"  pandas groupby (estimates only):                       {pandas_s * 1000:8.1f} ms")
        print(f"  pandas / msmelens: {pandas_s / ours_s:.1f}x; {compared} published cells agree within "
              f"{worst:.1e}")
        for problem in problems:
            print(f"PROBLEM: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
