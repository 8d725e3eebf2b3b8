"""Evaluation of the lens against hand-labelled provisions (``lens-gold/dev.jsonl`` format).

Figures (all over the gold rows that have a prediction):

- ``explicit_f1``: F1 of the class ``explicit`` (gold vs predicted relevance).
- ``relevant_f1``: F1 of *relevant* (explicit or implicit) against ``none``.
- ``category_micro_f1``: micro-averaged F1 over the eight categories, pooled over all rows (a ``none`` row
  contributes its predicted categories as false positives, if any).
- ``binding_macro_f1``: mean of the F1 of ``binding`` and of ``soft`` over rows where both gold and predicted
  relevance are not ``none`` (rows the lens misses are already counted in ``relevant_f1``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from msmelens.lens.record import ProvisionResult
from msmelens.lens.taxonomy import CATEGORIES, RELEVANCE_LEVELS


def load_gold(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """Read a gold JSONL file; raises ValueError naming the file and line for a malformed row."""
    rows: list[dict[str, Any]] = []
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{Path(path).name}, line {lineno}: not valid JSON ({exc.msg}).") from exc
            for key in ("agreement", "article_id", "relevance"):
                if key not in row:
                    raise ValueError(f"{Path(path).name}, line {lineno}: the field '{key}' is missing.")
            row["article_id"] = str(row["article_id"])
            rows.append(row)
    return rows


def _f1(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


@dataclass
class EvaluationReport:
    n: int
    explicit_f1: float
    relevant_f1: float
    category_micro_f1: float
    binding_macro_f1: float
    per_category: dict[str, dict[str, float]] = field(default_factory=dict)
    confusion: dict[str, dict[str, int]] = field(default_factory=dict)
    binding_f1: dict[str, float] = field(default_factory=dict)
    n_binding_rows: int = 0
    missing: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "explicit_f1": round(self.explicit_f1, 4),
            "relevant_f1": round(self.relevant_f1, 4),
            "category_micro_f1": round(self.category_micro_f1, 4),
            "binding_macro_f1": round(self.binding_macro_f1, 4),
            "per_category": {k: {m: round(v, 4) for m, v in d.items()} for k, d in self.per_category.items()},
            "confusion": {g: dict(row) for g, row in self.confusion.items()},
            "binding_f1": {k: round(v, 4) for k, v in self.binding_f1.items()},
            "n_binding_rows": self.n_binding_rows,
            "missing": list(self.missing),
        }

    def format_table(self) -> str:
        lines = [
            f"rows evaluated           {self.n}",
            f"explicit F1              {self.explicit_f1:.3f}",
            f"relevant F1              {self.relevant_f1:.3f}",
            f"category micro-F1        {self.category_micro_f1:.3f}",
            f"bindingness macro-F1     {self.binding_macro_f1:.3f}  (over {self.n_binding_rows} rows)",
            "",
            f"{'category':<22}{'precision':>10}{'recall':>8}{'f1':>7}{'gold':>6}",
        ]
        for cat, d in self.per_category.items():
            lines.append(
                f"{cat:<22}{d['precision']:>10.3f}{d['recall']:>8.3f}{d['f1']:>7.3f}{int(d['support']):>6}"
            )
        lines += ["", "relevance confusion (rows = gold, columns = predicted)"]
        lines.append(f"{'':<10}" + "".join(f"{c:>10}" for c in RELEVANCE_LEVELS))
        for g in RELEVANCE_LEVELS:
            lines.append(f"{g:<10}" + "".join(f"{self.confusion[g][c]:>10}" for c in RELEVANCE_LEVELS))
        if self.missing:
            lines.append(f"\n{len(self.missing)} gold rows had no prediction")
        return "\n".join(lines)


def evaluate(
    gold_rows: Iterable[Mapping[str, Any]], predictions: Mapping[str, ProvisionResult]
) -> EvaluationReport:
    """Compare predictions (keyed by gold ``article_id``) with the gold rows."""
    conf = {g: {p: 0 for p in RELEVANCE_LEVELS} for g in RELEVANCE_LEVELS}
    cat_counts = {cat: [0, 0, 0] for cat in CATEGORIES}  # tp, fp, fn
    bind = {"binding": [0, 0, 0], "soft": [0, 0, 0]}
    n = n_bind = 0
    missing: list[str] = []
    for row in gold_rows:
        pred = predictions.get(str(row["article_id"]))
        if pred is None:
            missing.append(str(row["article_id"]))
            continue
        n += 1
        conf[row["relevance"]][pred.relevance] += 1
        gold_cats, pred_cats = set(row.get("categories") or []), set(pred.categories)
        for cat in CATEGORIES:
            g, p = cat in gold_cats, cat in pred_cats
            if g and p:
                cat_counts[cat][0] += 1
            elif p:
                cat_counts[cat][1] += 1
            elif g:
                cat_counts[cat][2] += 1
        if row["relevance"] != "none" and pred.relevance != "none":
            n_bind += 1
            for label, c in bind.items():
                g, p = row.get("binding") == label, pred.binding == label
                if g and p:
                    c[0] += 1
                elif p:
                    c[1] += 1
                elif g:
                    c[2] += 1
    _, _, explicit_f1 = _f1(
        conf["explicit"]["explicit"],
        conf["implicit"]["explicit"] + conf["none"]["explicit"],
        conf["explicit"]["implicit"] + conf["explicit"]["none"],
    )
    rel_tp = sum(conf[g][p] for g in ("explicit", "implicit") for p in ("explicit", "implicit"))
    rel_fp = conf["none"]["explicit"] + conf["none"]["implicit"]
    rel_fn = conf["explicit"]["none"] + conf["implicit"]["none"]
    _, _, relevant_f1 = _f1(rel_tp, rel_fp, rel_fn)
    per_category: dict[str, dict[str, float]] = {}
    for cat, (tp, fp, fn) in cat_counts.items():
        prec, rec, f = _f1(tp, fp, fn)
        per_category[cat] = {"precision": prec, "recall": rec, "f1": f, "support": float(tp + fn)}
    _, _, micro = _f1(*(sum(c[i] for c in cat_counts.values()) for i in range(3)))
    binding_f1 = {label: _f1(*c)[2] for label, c in bind.items()}
    return EvaluationReport(
        n=n,
        explicit_f1=explicit_f1,
        relevant_f1=relevant_f1,
        category_micro_f1=micro,
        binding_macro_f1=sum(binding_f1.values()) / len(binding_f1),
        per_category=per_category,
        confusion=conf,
        binding_f1=binding_f1,
        n_binding_rows=n_bind,
        missing=missing,
    )


def predict_gold(
    gold_rows: Iterable[Mapping[str, Any]], tota_dir: str | os.PathLike[str], *, rules_only: bool = False
) -> dict[str, ProvisionResult]:
    """Read only the ToTA files the gold rows need (``pta_N.xml``), run the lens, key results by article id.

    The shipped learned model was trained on the gold rows: with it, these figures are a fit. Honest figures
    come from ``msmelens.lens.crossval``; ``rules_only=True`` scores the rules alone.
    """
    from msmelens.corpus.readers import read_path
    from msmelens.lens import analyze

    wanted: dict[str, set[str]] = {}
    for row in gold_rows:
        number = str(row["agreement"]).rsplit("-", 1)[-1]
        wanted.setdefault(number, set()).add(str(row["article_id"]))
    out: dict[str, ProvisionResult] = {}
    for number in sorted(wanted, key=lambda s: (len(s), s)):
        document = read_path(Path(tota_dir) / f"pta_{number}.xml", paragraphs=False)
        for result in analyze(document, rules_only=rules_only):
            if result.source_ref in wanted[number]:
                out[result.source_ref] = result
    return out
