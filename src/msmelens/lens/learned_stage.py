"""Stage ``learned``: the shipped model decides beside the rules, over every provision of a document at once.

The rules stages run provision by provision (``msmelens.lens.pipeline``); this stage then takes all of a
document's provisions together (one sparse matrix, so it stays fast) and, with the combined model
(``msmelens.lens.learned``, rule cues as features):

- keeps the rules' ``explicit`` call (the model never overrides an explicit mention, nor makes one);
- decides ``implicit`` against ``none``, the categories and bindingness from the model's heads;
- sets ``score`` to the calibrated probability that the relevance call is right;
- keeps the rules' evidence where the rules agree, and adds, for each decision the model made that the
  rules did not, the spans of the terms that weighed most in it (``supports`` = ``model:relevant``,
  ``model:<category>``);
- recomputes the WTO bodies from the final categories (``committees`` keeps the rules' topic bodies only
  for the categories that remain).

The model file ships in the package (``lens/data/lens-model.json``, written by ``msmelens lens train``).
``MSMELENS_LENS_MODEL`` may name another model file, or ``rules`` to switch the stage off.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from msmelens.lens.committees import CATEGORY_COMMITTEE
from msmelens.lens.record import Evidence, ProvisionResult
from msmelens.lens.taxonomy import COMMITTEES

if TYPE_CHECKING:  # scikit-learn is imported on first use only, so `msmelens --help` stays quick
    from msmelens.lens.learned import Example, Model

MODEL_PATH = Path(__file__).with_name("data") / "lens-model.json"
ENV_VAR = "MSMELENS_LENS_MODEL"


def model_path() -> Path | None:
    """The model file the lens uses: ``$MSMELENS_LENS_MODEL``, or the shipped one; None for rules only."""
    choice = os.environ.get(ENV_VAR, "").strip()
    if choice.lower() == "rules":
        return None
    path = Path(choice) if choice else MODEL_PATH
    return path if path.is_file() else None


@functools.lru_cache(maxsize=4)
def _load(path: str, mtime: float) -> Model:
    from msmelens.lens.learned import load_model

    return load_model(path)


def current_model() -> Model | None:
    """The learned model in use (read once per file version), or None when the lens runs on rules only."""
    path = model_path()
    if path is None:
        return None
    return _load(str(path), path.stat().st_mtime)


@dataclass(slots=True)
class Item:
    """One provision as the stage sees it: the rules' record, its cues, and its place in the agreement."""

    result: ProvisionResult
    cue_labels: list[str]
    heading: str = ""
    chapter: str = ""
    in_scope: bool | None = None  # whether the learned stage looks at it (None: work it out from the text)


def _example(item: Item) -> Example:
    from msmelens.lens.learned import Example, rule_features

    r = item.result
    return Example(
        agreement=r.agreement_id,
        article_id=r.provision_id,
        language=r.language,
        text=r.text,
        heading=item.heading,
        chapter=item.chapter,
        rule=r,
        rule_features=rule_features(r, item.cue_labels),
    )


def _committees(rule: ProvisionResult, relevance: str, categories: list[str]) -> list[str]:
    """WTO bodies of the final decision: MSME group for explicit, each category's body, the rules' topic bodies."""
    keys = {"msme_iwg"} if relevance == "explicit" else set()
    keys.update(CATEGORY_COMMITTEE[c] for c in categories if c in CATEGORY_COMMITTEE)
    if set(rule.categories) & set(categories):  # the rules' topic bodies, unless only dropped categories had them
        dropped = {CATEGORY_COMMITTEE[c] for c in rule.categories if c not in categories and c in CATEGORY_COMMITTEE}
        keys.update(k for k in rule.committees if k not in dropped)
    return [k for k in COMMITTEES if k in keys]


def apply_learned(items: Sequence[Item], model: Model | None = None) -> list[ProvisionResult]:
    """Run the stage over ``items`` (one document's provisions, in order); returns their final records.

    With no model (rules only) the rules' records are returned unchanged.
    """
    model = model if model is not None else current_model()
    if model is None or not items:
        return [it.result for it in items]
    from msmelens.lens.learned import evidence_spans, row_entries

    outside_score = round(1.0 - model.out_of_scope_relevant, 4) if model.scoped else None
    examples: dict[int, Example] = {}  # the items the model looks at, by position
    for i, it in enumerate(items):
        if outside_score is None or it.in_scope:
            examples[i] = _example(it)
        elif it.in_scope is None and (ex := _example(it)).in_scope:  # not said: ask its text
            examples[i] = ex
    inside = list(examples)  # in document order
    X = model.featuriser.transform([examples[i] for i in inside]) if inside else None
    decided = model.predict([examples[i] for i in inside], [True] * len(inside), X)
    position = {i: n for n, i in enumerate(inside)}
    out: list[ProvisionResult] = []
    for index, item in enumerate(items):
        rule = item.result
        if index not in position:  # out of scope: the rules' "none", with the score such rows earned
            rule.score = outside_score if outside_score is not None else rule.score
            rule.evidence = [e for e in rule.evidence if e.supports == "exclusion"]
            out.append(rule)
            continue
        pred, ex = decided[position[index]], examples[index]
        final = replace(
            rule,
            relevance=pred.relevance,
            categories=list(pred.categories),
            binding=pred.binding,
            score=pred.score,
            committees=[],
            evidence=[],
        )
        if pred.relevance == "none":
            # keep evidence of exclusions the rules found; nothing else supports a "none"
            final.evidence = [e for e in rule.evidence if e.supports == "exclusion"]
            out.append(final)
            continue
        evidence: list[Evidence] = [
            e
            for e in rule.evidence
            if e.supports in ("explicit", "implicit", "binding", "soft")
            or e.supports in final.categories
            or e.supports.startswith("committee:")
        ]
        row = row_entries(X, position[index]) if X is not None else None
        if rule.relevance == "none":
            evidence += evidence_spans(model, ex, head="relevant", row=row)
        for cat in final.categories:
            if cat not in rule.categories:
                evidence += evidence_spans(model, ex, head=f"cat:{cat}", top=3, row=row)
        if rule.binding != final.binding:
            evidence = [e for e in evidence if e.supports not in ("binding", "soft")]
        final.committees = _committees(rule, final.relevance, final.categories)
        evidence = [
            e for e in evidence if not e.supports.startswith("committee:") or e.supports[10:] in final.committees
        ]
        evidence.sort(key=lambda e: (e.start, e.end, e.supports))
        final.evidence = evidence
        out.append(final)
    return out
