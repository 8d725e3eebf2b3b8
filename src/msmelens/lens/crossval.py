"""Cross-validation grouped by agreement: honest figures for the rules, a learned model, and both together.

``cross_validate(examples, k, seed)`` splits the examples with ``StratifiedGroupKFold`` (groups: agreements,
strata: gold relevance; shuffled with ``seed``), so every article of an agreement is in the same fold. For
each fold, the learned models (``msmelens.lens.learned.fit_model``: vectorisers, coefficients, thresholds) are
fitted on the training folds only and predict the held-out fold. The held-out predictions of all folds are
pooled and scored with ``msmelens.lens.evaluate.evaluate``: overall, per language and per category, for

- ``rules``: the rules pipeline alone (nothing is fitted; its figures are the same with or without CV);
- ``learned``: the model on text features alone;
- ``combined``: the model with the rules' cues and decisions as features, the rules deciding ``explicit``.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sklearn.model_selection import StratifiedGroupKFold

from msmelens.lens.calibration import Reliability, reliability
from msmelens.lens.evaluate import EvaluationReport, evaluate
from msmelens.lens.learned import Example, fit_model
from msmelens.lens.record import ProvisionResult

METHODS: tuple[str, ...] = ("rules", "learned", "combined")
LANGUAGES: tuple[str, ...] = ("en", "es", "fr")


def grouped_folds(examples: Sequence[Example], k: int, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """``k`` (train, test) index pairs, grouped by agreement and stratified by gold relevance.

    Raises ValueError when there are fewer agreements than folds.
    """
    groups = np.array([ex.agreement for ex in examples])
    if k < 2:
        raise ValueError(f"--cv needs at least 2 folds (got {k}).")
    if len(set(groups)) < k:
        raise ValueError(
            f"--cv {k}: only {len(set(groups))} agreements in the gold rows, fewer than the folds."
        )
    y = np.array([ex.relevance for ex in examples])
    splitter = StratifiedGroupKFold(n_splits=k, shuffle=True, random_state=seed)
    return [(tr, te) for tr, te in splitter.split(np.zeros(len(examples)), y, groups)]


def _result(ex: Example, relevance: str, categories: list[str], binding: str | None) -> ProvisionResult:
    return ProvisionResult(
        agreement_id=ex.agreement,
        provision_id=ex.article_id,
        source_ref=ex.article_id,
        path=[],
        unit="article",
        text=ex.text,
        relevance=relevance,
        categories=categories,
        binding=binding,
        language=ex.language,
    )


def _key(ex: Example) -> str:
    return f"{ex.agreement}/{ex.article_id}"


@dataclass
class CVReport:
    """Pooled held-out figures per method: ``overall[method]`` and ``by_language[method][lang]``."""

    k: int
    seed: int
    n: int
    n_agreements: int
    overall: dict[str, EvaluationReport]
    by_language: dict[str, dict[str, EvaluationReport]]
    fold_sizes: list[int] = field(default_factory=list)
    seconds: float = 0.0
    reliability: dict[str, Reliability] = field(default_factory=dict)  # learned methods' held-out scores

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready figures (the overall report of each method includes per-category figures)."""
        return {
            "k": self.k,
            "seed": self.seed,
            "n": self.n,
            "n_agreements": self.n_agreements,
            "fold_sizes": list(self.fold_sizes),
            "seconds": round(self.seconds, 1),
            "overall": {m: r.to_dict() for m, r in self.overall.items()},
            "reliability": {m: r.to_dict() for m, r in self.reliability.items()},
            "by_language": {
                m: {lang: r.to_dict() for lang, r in langs.items()} for m, langs in self.by_language.items()
            },
        }

    def format_table(self) -> str:
        """A plain-text report: headline figures per method and language, then per-category F1."""
        lines = [
            f"{self.k}-fold cross-validation grouped by agreement (seed {self.seed}): {self.n} rows, "
            f"{self.n_agreements} agreements; figures of the held-out folds, pooled.",
            "",
            f"{'method':<10}{'rows':<10}{'n':>6}{'explicit':>10}{'relevant':>10}{'category':>10}{'binding':>10}",
        ]
        for m in self.overall:
            rows = [("all", self.overall[m])] + list(self.by_language[m].items())
            for name, r in rows:
                if not _has_relevant_gold(r):  # F1 is undefined: say what happened instead of printing 0
                    false_pos = sum(r.confusion["none"][p] for p in ("explicit", "implicit"))
                    lines.append(
                        f"{m:<10}{name:<10}{r.n:>6}   no relevant gold rows; {false_pos} marked relevant"
                    )
                    continue
                lines.append(
                    f"{m:<10}{name:<10}{r.n:>6}{r.explicit_f1:>10.3f}{r.relevant_f1:>10.3f}"
                    f"{r.category_micro_f1:>10.3f}{r.binding_macro_f1:>10.3f}"
                )
        lines += ["", "per-category F1 (precision / recall), all rows"]
        lines.append(f"{'category':<22}{'gold':>6}" + "".join(f"{m:>22}" for m in self.overall))
        first = next(iter(self.overall.values()))
        for cat, d in first.per_category.items():
            cells = ""
            for m in self.overall:
                c = self.overall[m].per_category[cat]
                cells += f"{c['f1']:>10.3f} ({c['precision']:.2f}/{c['recall']:.2f})"
            lines.append(f"{cat:<22}{int(d['support']):>6}{cells}")
        for m, rel in self.reliability.items():
            lines += ["", f"reliability of the {m} score (held-out): probability that the relevance call is right"]
            lines.append(rel.format_table())
        lines.append(f"\n({self.seconds:.0f} s)")
        return "\n".join(lines)


def _has_relevant_gold(report: EvaluationReport) -> bool:
    return any(report.confusion[g][p] for g in ("explicit", "implicit") for p in report.confusion[g])


def cross_validate(
    examples: Sequence[Example],
    k: int = 5,
    seed: int = 0,
    methods: Sequence[str] = METHODS,
    *,
    scoped: bool = True,
) -> CVReport:
    """Run the grouped K-fold CV and score ``methods`` (rules, learned, combined) on the pooled held-out folds.

    ``scoped=False`` lets the models see every row (texts without lens cues, in tests)."""
    t0 = time.perf_counter()
    folds = grouped_folds(examples, k, seed)
    preds: dict[str, dict[str, ProvisionResult]] = {m: {} for m in METHODS}
    scores: dict[str, list[tuple[float, bool]]] = {m: [] for m in ("learned", "combined") if m in methods}
    for ex in examples:
        if ex.rule is not None:
            preds["rules"][_key(ex)] = _result(
                ex, ex.rule.relevance, list(ex.rule.categories), ex.rule.binding
            )
    for train_idx, test_idx in folds:
        train = [examples[i] for i in train_idx]
        test = [examples[i] for i in test_idx]
        for method, use_rules in (("learned", False), ("combined", True)):
            if method not in methods:
                continue
            model = fit_model(train, use_rules=use_rules, scoped=scoped)
            for ex, p in zip(test, model.predict(test), strict=True):
                preds[method][_key(ex)] = _result(ex, p.relevance, p.categories, p.binding)
                right = (p.relevance != "none") == (ex.relevance != "none")
                scores[method].append((p.score, right))
    gold: list[dict[str, Any]] = [
        {
            "article_id": _key(ex),
            "relevance": ex.relevance,
            "categories": ex.categories,
            "binding": ex.binding,
        }
        for ex in examples
    ]
    langs = {_key(ex): ex.language for ex in examples}
    overall = {m: evaluate(gold, preds[m]) for m in METHODS if m in methods}
    by_language = {
        m: {
            lang: evaluate([g for g in gold if langs[str(g["article_id"])] == lang], preds[m])
            for lang in LANGUAGES
            if any(ex.language == lang for ex in examples)
        }
        for m in METHODS
        if m in methods
    }
    return CVReport(
        k=k,
        seed=seed,
        n=len(examples),
        n_agreements=len({ex.agreement for ex in examples}),
        overall=overall,
        by_language=by_language,
        fold_sizes=[len(te) for _tr, te in folds],
        seconds=time.perf_counter() - t0,
        reliability={m: reliability([s for s, _ in v], [c for _, c in v]) for m, v in scores.items()},
    )
