"""A learned layer beside the rules: TF-IDF features + logistic regression, stored as inspectable JSON.

Not wired into the default pipeline (``analyze`` is unchanged); ``msmelens lens evaluate --cv`` and
``msmelens lens train`` use it.

Features of one article (``Example``):

- word 1–2-grams of the article text (its first ``MAX_TEXT_CHARS`` characters);
- word 1–2-grams of its context: the article heading and the chapter it sits in;
- optionally (the *combined* model) the rules' cues and decisions as binary features
  (``rule_rel=implicit``, ``rule_cat=digital``, ``cue=topic:finance``, ...).

Heads (one binary logistic regression each, ``LinearHead``):

- ``relevant``: explicit or implicit against none (all rows);
- ``explicit``: explicit against the rest (all rows);
- one head per category (trained on the gold-relevant rows, so it learns *which* obstacle, not *whether*);
- ``binding``: binding against soft (gold-relevant rows).

Each head's decision threshold is chosen on out-of-fold probabilities of an inner cross-validation grouped
by agreement, inside the training rows only. Coefficients are rounded to six decimals when the head is built,
so the model in memory and the model read back from JSON are the same numbers and give the same predictions.

Decisions (``Model.predict``): relevant when ``p(relevant)`` reaches its threshold, explicit when
``p(explicit)`` does (in the combined model the rules decide explicit, where they are strong); categories
whose probability reaches their threshold and half the top category's (the most probable one when none
does); binding or soft.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from threadpoolctl import threadpool_limits

from msmelens.corpus.model import Document
from msmelens.lens.calibration import Calibrator, fit_calibrator, score_of_call
from msmelens.lens.record import Evidence, ProvisionResult
from msmelens.lens.taxonomy import CATEGORIES
from msmelens.lens.tfidf import TOKEN, fast_transform

MODEL_FORMAT = "msmelens-lens-learned/1"
_ROUND = 6
_GRID = tuple(round(0.05 * i, 2) for i in range(1, 20))  # candidate thresholds 0.05 .. 0.95

# The vectorisers: (name, field of Example, TfidfVectorizer parameters). Kept small so the JSON stays < 5 MB.
# Character n-grams were tried: they cost ~1 s of CPU per MB of text (7x the word n-grams) for a gain within
# the noise of the cross-validation, so the lens would no longer keep within 3x the stdlib floor.
VECTORISERS: tuple[tuple[str, str, dict[str, Any]], ...] = (
    (
        "text_word",
        "model_text",
        {"analyzer": "word", "ngram_range": (1, 2), "min_df": 2, "max_features": 12000, "sublinear_tf": True},
    ),
    (
        "context_word",
        "context",
        {"analyzer": "word", "ngram_range": (1, 2), "min_df": 2, "max_features": 3000, "sublinear_tf": True},
    ),
)
# A category is kept only when its probability is at least this share of the most probable category's:
# categories were over-assigned (2.4 per relevant row against 2.15 in the gold); +0.004 category micro-F1 in
# grouped CV on two splits.
RELATIVE_CATEGORY = 0.5
# Texts shorter than this (in words) keep the rules' bindingness when the rules decided one: the model was
# trained on whole articles, and on a one-sentence provision ("Each Party shall publish ...") its bindingness
# head has too few words to go on. Grouped CV is unchanged by it (0.901 / 0.891 on two splits).
SHORT_TEXT_WORDS = 40


def _is_short(text: str) -> bool:
    return len(text.split()) < SHORT_TEXT_WORDS


_RULE_WEIGHT = 1.0  # value of a present rule feature (TF-IDF rows are L2-normalised, so of the same order)
# The model reads the first MAX_TEXT_CHARS characters of a text: long schedules and annexes cost time and
# tell it nothing more (grouped CV: the same figures at 4,000 characters as on whole texts; 2,000 loses 0.01).
MAX_TEXT_CHARS = 4000


@dataclass(slots=True)
class Example:
    """One labelled article: its text, heading, chapter, the rules' result and cues, and the gold labels."""

    agreement: str
    article_id: str
    language: str
    text: str
    heading: str = ""
    chapter: str = ""
    rule: ProvisionResult | None = None
    rule_features: list[str] = field(default_factory=list)
    relevance: str = "none"
    categories: list[str] = field(default_factory=list)
    binding: str | None = None

    @property
    def in_scope(self) -> bool:
        """Whether the learned layer looks at it: its text or heading holds a gate cue (``cue_hit``)."""
        from msmelens.lens.matcher import cue_hit
        from msmelens.lens.normalize import normalise

        return cue_hit(normalise(self.text), normalise(self.heading) if self.heading else "")

    @property
    def model_text(self) -> str:
        """The part of the text the model reads (its first ``MAX_TEXT_CHARS`` characters)."""
        return self.text[:MAX_TEXT_CHARS]

    @property
    def context(self) -> str:
        """Heading and chapter name, the place of the article in its agreement."""
        return f"{self.heading} | {self.chapter}"


def rule_features(result: ProvisionResult, cue_labels: Iterable[str]) -> list[str]:
    """The rules' decisions and cue labels of one article as feature names (sorted, unique)."""
    feats = {f"rule_rel={result.relevance}"}
    feats.update(f"rule_cat={c}" for c in result.categories)
    if result.binding:
        feats.add(f"rule_bind={result.binding}")
    feats.update(f"cue={label}" for label in cue_labels)
    return sorted(feats)


def rules_for(text: str, heading: str, language: str | None) -> tuple[ProvisionResult, list[str]]:
    """Run the rules pipeline on one article; return its result and its rule features."""
    from msmelens.lens import rules_result

    result, cues = rules_result(text, language or None, heading)
    return result, rule_features(result, cues)


def examples_from_documents(
    gold_rows: Sequence[Mapping[str, Any]], documents: Iterable[Document]
) -> tuple[list[Example], list[str]]:
    """Match gold rows to the articles of ``documents`` (by agreement id and article ``source_ref``).

    Returns the examples in gold-row order and the ids (``agreement/article``) of rows whose article was not
    found. The rules are run on each matched article with its heading and the document's language.
    """
    wanted: dict[str, set[str]] = {}
    for row in gold_rows:
        wanted.setdefault(str(row["agreement"]), set()).add(str(row["article_id"]))
    found: dict[tuple[str, str], tuple[str, str, str, str]] = {}
    for doc in documents:
        ids = wanted.get(doc.id)
        if not ids:
            continue
        for chapter in doc.chapters:
            for article in chapter.articles:
                if article.source_ref in ids:
                    found[(doc.id, article.source_ref)] = (
                        article.text,
                        article.heading,
                        chapter.heading,
                        doc.meta.language,
                    )
    examples: list[Example] = []
    missing: list[str] = []
    for row in gold_rows:
        key = (str(row["agreement"]), str(row["article_id"]))
        if key not in found:
            missing.append("/".join(key))
            continue
        text, heading, chapter_name, doc_language = found[key]
        language = str(row.get("language") or doc_language or "")
        rule, feats = rules_for(text, heading, doc_language or language)
        examples.append(
            Example(
                agreement=key[0],
                article_id=key[1],
                language=language,
                text=text,
                heading=heading,
                chapter=chapter_name,
                rule=rule,
                rule_features=feats,
                relevance=str(row["relevance"]),
                categories=[c for c in row.get("categories") or [] if c in CATEGORIES],
                binding=row.get("binding"),
            )
        )
    return examples, missing


def example_from_row(row: Mapping[str, Any]) -> Example:
    """An example from a row that carries its own ``text`` (``heading``, ``chapter``): exported curations."""
    text = str(row["text"])
    heading = str(row.get("heading") or "")
    language = str(row.get("language") or "")
    rule, feats = rules_for(text, heading, language or None)
    return Example(
        agreement=str(row["agreement"]),
        article_id=str(row["article_id"]),
        language=language or rule.language,
        text=text,
        heading=heading,
        chapter=str(row.get("chapter") or ""),
        rule=rule,
        rule_features=feats,
        relevance=str(row["relevance"]),
        categories=[c for c in row.get("categories") or [] if c in CATEGORIES],
        binding=row.get("binding"),
    )


def merge_labels(
    gold_rows: Sequence[Mapping[str, Any]], curated_rows: Sequence[Mapping[str, Any]]
) -> tuple[list[Mapping[str, Any]], int]:
    """Gold rows with curators' rows added; a curated row replaces the gold row of the same article.

    Returns the merged rows (gold order, then the new curated rows) and how many gold rows were replaced.
    """
    curated = {(str(r["agreement"]), str(r["article_id"])): r for r in curated_rows}
    merged: list[Mapping[str, Any]] = []
    replaced = 0
    for row in gold_rows:
        key = (str(row["agreement"]), str(row["article_id"]))
        if key in curated:
            merged.append(curated.pop(key))
            replaced += 1
        else:
            merged.append(row)
    merged.extend(r for r in curated_rows if (str(r["agreement"]), str(r["article_id"])) in curated)
    return merged, replaced


def load_examples(
    gold_rows: Sequence[Mapping[str, Any]], tota_dir: str | os.PathLike[str]
) -> tuple[list[Example], list[str]]:
    """Examples for the gold rows, in order: rows carrying their ``text`` directly, the others from the ToTA
    files they name (``pta_N.xml`` in ``tota_dir``, matched by ``examples_from_documents``)."""
    with_text = {i for i, r in enumerate(gold_rows) if r.get("text")}
    if with_text:
        rest = [r for i, r in enumerate(gold_rows) if i not in with_text]
        from_files, missing = load_examples(rest, tota_dir)
        by_key = {(ex.agreement, ex.article_id): ex for ex in from_files}
        out: list[Example] = []
        for i, row in enumerate(gold_rows):
            if i in with_text:
                out.append(example_from_row(row))
            elif (key := (str(row["agreement"]), str(row["article_id"]))) in by_key:
                out.append(by_key[key])
        return out, missing
    from msmelens.corpus.readers import read_path

    numbers = sorted({str(r["agreement"]).rsplit("-", 1)[-1] for r in gold_rows}, key=lambda s: (len(s), s))
    docs = (
        read_path(Path(tota_dir) / f"pta_{n}.xml", paragraphs=False)
        for n in numbers
        if (Path(tota_dir) / f"pta_{n}.xml").exists()
    )
    return examples_from_documents(gold_rows, docs)


def training_hash(examples: Sequence[Example]) -> str:
    """sha256 of the training data as the model sees it (ids, texts, contexts and labels, in order)."""
    h = hashlib.sha256()
    for ex in examples:
        record: list[Any] = [ex.agreement, ex.article_id, ex.language, ex.text, ex.context, ex.relevance]
        record += [sorted(ex.categories), ex.binding]
        h.update(json.dumps(record, ensure_ascii=False, sort_keys=True).encode("utf-8"))
        h.update(b"\n")
    return h.hexdigest()


# ---------------------------------------------------------------- model


@dataclass
class LinearHead:
    """One binary decision: ``sigmoid(x . coef + intercept) >= threshold``."""

    coef: np.ndarray
    intercept: float
    threshold: float = 0.5

    def proba(self, X: Any) -> np.ndarray:
        """Probability of the positive class for each row of ``X`` (sparse or dense)."""
        z = np.asarray(X @ self.coef).ravel() + self.intercept
        return 1.0 / (1.0 + np.exp(-z))


class Featuriser:
    """The fitted vectorisers plus the rule-feature vocabulary; ``transform`` gives one sparse row per example."""

    def __init__(self, vectorisers: dict[str, TfidfVectorizer], rule_vocab: list[str] | None) -> None:
        self.vectorisers = vectorisers
        self.rule_vocab = rule_vocab
        self._rule_index = {f: i for i, f in enumerate(rule_vocab or [])}
        self._terms: dict[str, list[str]] = {}

    def terms(self, name: str) -> list[str]:
        """The terms of vectoriser ``name`` in column order (computed once)."""
        if name not in self._terms:
            self._terms[name] = [str(t) for t in self.vectorisers[name].get_feature_names_out()]
        return self._terms[name]

    @classmethod
    def fit(cls, examples: Sequence[Example], use_rules: bool) -> Featuriser:
        """Fit the vectorisers (and rule vocabulary when ``use_rules``) on ``examples`` only."""
        vecs: dict[str, TfidfVectorizer] = {}
        for name, attr, params in VECTORISERS:
            vec = TfidfVectorizer(**params, dtype=np.float64)
            vec.fit([getattr(ex, attr) for ex in examples])
            vecs[name] = vec
        rule_vocab = sorted({f for ex in examples for f in ex.rule_features}) if use_rules else None
        return cls(vecs, rule_vocab)

    def names(self) -> list[str]:
        """Feature names, in column order, prefixed with their vectoriser (``text_word:small``)."""
        out: list[str] = []
        for name, vec in self.vectorisers.items():
            out += [f"{name}:{t}" for t in vec.get_feature_names_out()]
        out += [f"rules:{f}" for f in self.rule_vocab or []]
        return out

    def transform(self, examples: Sequence[Example]) -> sparse.csr_matrix:
        """The feature matrix of ``examples`` (rows in order)."""
        blocks = []
        for (_name, attr, _params), vec in zip(VECTORISERS, self.vectorisers.values(), strict=True):
            blocks.append(fast_transform(vec, [getattr(ex, attr) for ex in examples]))
        if self.rule_vocab is not None:
            rows, cols = [], []
            for i, ex in enumerate(examples):
                for f in ex.rule_features:
                    j = self._rule_index.get(f)
                    if j is not None:
                        rows.append(i)
                        cols.append(j)
            data = np.full(len(rows), _RULE_WEIGHT)
            blocks.append(
                sparse.csr_matrix((data, (rows, cols)), shape=(len(examples), len(self.rule_vocab)))
            )
        return sparse.hstack(blocks, format="csr")

    def to_dict(self) -> dict[str, Any]:
        """Vocabulary (terms in column order) and idf of each vectoriser, plus the rule vocabulary."""
        out: dict[str, Any] = {"vectorisers": {}, "rule_vocab": self.rule_vocab}
        for (name, _attr, params), vec in zip(VECTORISERS, self.vectorisers.values(), strict=True):
            out["vectorisers"][name] = {
                "params": {k: list(v) if isinstance(v, tuple) else v for k, v in params.items()},
                "vocabulary": [str(t) for t in vec.get_feature_names_out()],
                "idf": [float(x) for x in vec.idf_],
            }
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Featuriser:
        """Rebuild fitted vectorisers from ``to_dict`` output (fixed vocabulary, stored idf)."""
        vecs: dict[str, TfidfVectorizer] = {}
        for name, _attr, params in VECTORISERS:
            stored = data["vectorisers"][name]
            kwargs = {k: v for k, v in params.items() if k not in ("min_df", "max_features")}
            vocab = {t: i for i, t in enumerate(stored["vocabulary"])}
            vec = TfidfVectorizer(**kwargs, vocabulary=vocab, dtype=np.float64)
            vec.idf_ = np.asarray(stored["idf"], dtype=np.float64)
            vecs[name] = vec
        return cls(vecs, data.get("rule_vocab"))


@dataclass
class Prediction:
    """The model's decision for one article, with the probabilities it came from."""

    relevance: str
    categories: list[str]
    binding: str | None
    p_relevant: float
    p_explicit: float
    p_categories: dict[str, float]
    p_binding: float
    score: float = 0.5  # calibrated probability that the relevance call (relevant or none) is right


@dataclass
class Model:
    """Featuriser + heads; ``use_rules`` says whether rule features are used (the combined model)."""

    featuriser: Featuriser
    heads: dict[str, LinearHead]
    use_rules: bool
    meta: dict[str, Any] = field(default_factory=dict)
    calibrator: Calibrator = field(default_factory=Calibrator)
    # share of relevant rows among the training rows out of scope (smoothed): their score is 1 - this
    out_of_scope_relevant: float = 0.0
    scoped: bool = True  # False: every example is in scope (models of texts without lens cues, in tests)

    def _explicit_flags(self, examples: Sequence[Example], p_explicit: np.ndarray) -> np.ndarray:
        if self.use_rules:
            return np.array([ex.rule is not None and ex.rule.relevance == "explicit" for ex in examples])
        return p_explicit >= self.heads["explicit"].threshold

    def predict(
        self, examples: Sequence[Example], scope: Sequence[bool] | None = None, X: Any = None
    ) -> list[Prediction]:
        """Decide relevance, categories and bindingness for each example.

        Examples out of scope (``scope[i]`` false; by default ``Example.in_scope``) are not looked at: they
        are ``none``, with the score the training rows out of scope earned. ``X`` may give the feature rows of
        the examples in scope (``featuriser.transform``), so that a caller who needs them too computes them once.
        """
        if not examples:
            return []
        if not self.scoped:
            scope = [True] * len(examples)
        elif scope is None:
            scope = [ex.in_scope for ex in examples]
        inside = [ex for ex, s in zip(examples, scope, strict=True) if s]
        decided = iter(self._predict(inside, X))
        rest = round(1.0 - self.out_of_scope_relevant, 4)
        empty = dict.fromkeys(CATEGORIES, 0.0)
        return [
            next(decided) if s else Prediction("none", [], None, 0.0, 0.0, dict(empty), 0.0, rest)
            for s in scope
        ]

    def _predict(self, examples: Sequence[Example], X: Any = None) -> list[Prediction]:
        """``X``: the feature rows of ``examples`` when the caller has them already."""
        if not examples:
            return []
        if X is None:
            X = self.featuriser.transform(examples)
        probs = {name: head.proba(X) for name, head in self.heads.items()}
        flags = self._explicit_flags(examples, probs["explicit"])
        calibrated = self.calibrator.probability(probs["relevant"], flags)
        out = []
        for i, _ex in enumerate(examples):
            p_rel, p_exp = float(probs["relevant"][i]), float(probs["explicit"][i])
            explicit = bool(flags[i])
            relevant = explicit or p_rel >= self.heads["relevant"].threshold
            p_cats = {c: float(probs[f"cat:{c}"][i]) for c in CATEGORIES}
            p_bind = float(probs["binding"][i])
            if relevant:
                top = max(p_cats.values())
                cats = [
                    c
                    for c in CATEGORIES
                    if p_cats[c] >= self.heads[f"cat:{c}"].threshold and p_cats[c] >= RELATIVE_CATEGORY * top
                ]
                if not cats:
                    cats = [max(CATEGORIES, key=lambda c: p_cats[c])]
                binding: str | None = "binding" if p_bind >= self.heads["binding"].threshold else "soft"
                rule = examples[i].rule
                if self.use_rules and rule is not None and rule.binding and _is_short(examples[i].text):
                    binding = rule.binding  # one sentence: the rules read its modal verb; the model has too little
                relevance = "explicit" if explicit else "implicit"
            else:
                cats, binding, relevance = [], None, "none"
            score = round(score_of_call(float(calibrated[i]), relevance != "none"), 4)
            out.append(Prediction(relevance, cats, binding, p_rel, p_exp, p_cats, p_bind, score))
        return out

    def to_dict(self) -> dict[str, Any]:
        """The whole model as JSON-ready data (no pickle): vocabularies, idf, coefficients, thresholds."""
        return {
            "format": MODEL_FORMAT,
            "meta": dict(self.meta),
            "use_rules": self.use_rules,
            "calibration": self.calibrator.to_dict(),
            "out_of_scope_relevant": self.out_of_scope_relevant,
            "scoped": self.scoped,
            "features": self.featuriser.to_dict(),
            "heads": {
                name: {"intercept": h.intercept, "threshold": h.threshold, "coef": [float(x) for x in h.coef]}
                for name, h in self.heads.items()
            },
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Model:
        """Inverse of ``to_dict``; raises ValueError when the data is not a model of this format."""
        if data.get("format") != MODEL_FORMAT:
            raise ValueError(f"not a lens model of format {MODEL_FORMAT} (found {data.get('format')!r})")
        featuriser = Featuriser.from_dict(data["features"])
        heads = {
            name: LinearHead(
                np.asarray(h["coef"], dtype=np.float64), float(h["intercept"]), float(h["threshold"])
            )
            for name, h in data["heads"].items()
        }
        calibrator = Calibrator.from_dict(data["calibration"]) if "calibration" in data else Calibrator()
        return cls(
            featuriser,
            heads,
            bool(data["use_rules"]),
            dict(data.get("meta") or {}),
            calibrator,
            float(data.get("out_of_scope_relevant", 0.0)),
            bool(data.get("scoped", False)),
        )


def save_model(model: Model, path: str | os.PathLike[str]) -> int:
    """Write the model as compact JSON; returns the number of bytes written."""
    text = json.dumps(model.to_dict(), ensure_ascii=False, separators=(",", ":"))
    Path(path).write_text(text, encoding="utf-8")
    return len(text.encode("utf-8"))


def load_model(path: str | os.PathLike[str]) -> Model:
    """Read a model written by ``save_model``; raises ValueError naming the file when it is not one."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return Model.from_dict(data)
    except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"{Path(path).name}: cannot read the lens model ({exc}).") from exc


# ---------------------------------------------------------------- training


def _fit_head(X: Any, y: np.ndarray, C: float) -> LinearHead:
    """Logistic regression (lbfgs, balanced classes: deterministic); a constant head when y has one class."""
    if y.min() == y.max():
        return LinearHead(np.zeros(X.shape[1]), 20.0 if y[0] else -20.0)
    clf = LogisticRegression(C=C, class_weight="balanced", max_iter=3000)
    clf.fit(X, y)
    return LinearHead(
        np.round(clf.coef_[0].astype(np.float64), _ROUND), round(float(clf.intercept_[0]), _ROUND)
    )


def _f1_at(y: np.ndarray, p: np.ndarray, t: float) -> float:
    pred = p >= t
    tp = int(np.sum(pred & (y == 1)))
    fp = int(np.sum(pred & (y == 0)))
    fn = int(np.sum(~pred & (y == 1)))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def _macro_f1_at(y: np.ndarray, p: np.ndarray, t: float) -> float:
    return (_f1_at(y, p, t) + _f1_at(1 - y, 1 - p, 1 - t + 1e-12)) / 2


def choose_threshold(
    y: np.ndarray, p: np.ndarray, score: Callable[[np.ndarray, np.ndarray, float], float] = _f1_at
) -> float:
    """The grid threshold with the best score on out-of-fold probabilities (ties: the one nearest 0.5)."""
    if len(y) == 0 or y.min() == y.max():
        return 0.5
    return max(_GRID, key=lambda t: (round(score(y, p, t), 9), -abs(t - 0.5)))


@dataclass(frozen=True)
class _Task:
    name: str
    rows: Callable[[Example], bool]  # which examples train this head
    label: Callable[[Example], bool]
    score: Callable[[np.ndarray, np.ndarray, float], float] = _f1_at


def _relevant(ex: Example) -> bool:
    return ex.relevance != "none"


def _tasks() -> list[_Task]:
    tasks = [
        _Task("relevant", lambda ex: True, _relevant),
        _Task("explicit", lambda ex: True, lambda ex: ex.relevance == "explicit"),
    ]
    for c in CATEGORIES:
        tasks.append(_Task(f"cat:{c}", _relevant, lambda ex, c=c: c in ex.categories))  # type: ignore[misc]
    tasks.append(
        _Task(
            "binding",
            lambda ex: _relevant(ex) and ex.binding in ("binding", "soft"),
            lambda ex: ex.binding == "binding",
            _macro_f1_at,
        )
    )
    return tasks


def fit_model(
    examples: Sequence[Example], *, use_rules: bool, C: float = 3.0, inner_folds: int = 3, scoped: bool = True
) -> Model:
    """Fit a model on ``examples`` only: features, one head per task, thresholds from an inner grouped CV.

    Deterministic: the solver is deterministic and the inner folds are GroupKFold over agreements (no
    shuffling). Nothing outside ``examples`` is looked at. Only the examples in scope train the heads; the
    others give the (smoothed) share of relevant rows out of scope.
    """
    with threadpool_limits(1):  # BLAS threads only contend on small dense vectors: 100x slower under load
        return _fit_model(examples, use_rules=use_rules, C=C, inner_folds=inner_folds, scoped=scoped)


def _fit_model(examples: Sequence[Example], *, use_rules: bool, C: float, inner_folds: int, scoped: bool) -> Model:
    scope = [ex.in_scope for ex in examples] if scoped else [True] * len(examples)  # one normalisation each
    outside = [ex for ex, inside in zip(examples, scope, strict=True) if not inside]
    examples = [ex for ex, inside in zip(examples, scope, strict=True) if inside]
    if not examples:
        raise ValueError("none of the training rows holds a lens cue: nothing for the model to learn from")
    oos = round((sum(ex.relevance != "none" for ex in outside) + 1) / (len(outside) + 2), 4)
    featuriser = Featuriser.fit(examples, use_rules)
    X = featuriser.transform(examples)
    groups = np.array([ex.agreement for ex in examples])
    heads: dict[str, LinearHead] = {}
    calibrator = Calibrator()
    for task in _tasks():
        idx = np.array([i for i, ex in enumerate(examples) if task.rows(ex)], dtype=int)
        y = np.array([int(task.label(examples[i])) for i in idx], dtype=int)
        if len(idx) == 0:
            heads[task.name] = LinearHead(np.zeros(X.shape[1]), -20.0)
            continue
        head = _fit_head(X[idx], y, C)
        n_groups = len(set(groups[idx]))
        if inner_folds >= 2 and n_groups >= inner_folds and y.min() != y.max():
            oof = np.zeros(len(idx))
            for tr, va in GroupKFold(n_splits=inner_folds).split(idx, y, groups[idx]):
                oof[va] = _fit_head(X[idx[tr]], y[tr], C).proba(X[idx[va]])
            head.threshold = choose_threshold(y, oof, task.score)
            if task.name == "relevant":
                calibrator = _calibrate(examples, idx, y, oof, use_rules, X, groups, C, inner_folds)
        heads[task.name] = head
    return Model(
        featuriser, heads, use_rules, calibrator=calibrator, out_of_scope_relevant=oos if scoped else 0.0, scoped=scoped
    )


def _calibrate(
    examples: Sequence[Example],
    idx: np.ndarray,
    y: np.ndarray,
    oof: np.ndarray,
    use_rules: bool,
    X: Any,
    groups: np.ndarray,
    C: float,
    inner_folds: int,
) -> Calibrator:
    """Platt calibration of the relevance head on its out-of-fold probabilities (training rows only).

    The explicit flag is the rules' call in the combined model; in the text-only model it is the explicit
    head's out-of-fold call (fitted on the same inner folds, with its threshold left at 0.5).
    """
    if use_rules:
        flags = np.array([examples[i].rule is not None and examples[i].rule.relevance == "explicit" for i in idx])
    else:
        y_exp = np.array([int(examples[i].relevance == "explicit") for i in idx])
        flags = np.zeros(len(idx), dtype=bool)
        if y_exp.min() != y_exp.max():
            for tr, va in GroupKFold(n_splits=inner_folds).split(idx, y_exp, groups[idx]):
                flags[va] = _fit_head(X[idx[tr]], y_exp[tr], C).proba(X[idx[va]]) >= 0.5
    return fit_calibrator(oof, flags, y)


def train_full(examples: Sequence[Example], *, lens_version: str, scoped: bool = True) -> Model:
    """The combined model (rule features on) fitted on every example, with provenance in ``meta``."""
    model = fit_model(examples, use_rules=True, scoped=scoped)
    model.meta = {
        "lens_version": lens_version,
        "training_sha256": training_hash(examples),
        "n_examples": len(examples),
        "n_agreements": len({ex.agreement for ex in examples}),
        "n_features": len(model.featuriser.names()),
    }
    return model


# ---------------------------------------------------------------- evidence

def row_entries(X: Any, i: int) -> tuple[np.ndarray, np.ndarray]:
    """Columns and values of row ``i`` of a CSR matrix, without building a new matrix."""
    start, end = X.indptr[i], X.indptr[i + 1]
    return X.indices[start:end], X.data[start:end]


def evidence_spans(
    model: Model,
    example: Example,
    *,
    head: str = "relevant",
    top: int = 5,
    supports: str | None = None,
    row: tuple[np.ndarray, np.ndarray] | None = None,
) -> list[Evidence]:
    """Spans of the article text for the word n-grams that weighed most in ``head``'s decision.

    The weight of a term is its TF-IDF value times the head's coefficient; the ``top`` terms that pushed the
    decision the way it went (towards positive when the head said yes, towards negative otherwise) are kept
    (``row``: the example's feature columns and values, ``row_entries(X, i)``, when the caller has them),
    and every occurrence of each is returned as an ``Evidence`` with offsets into ``example.text`` (so
    ``text[start:end]`` quotes the article). ``supports`` is what the span supports (``supports``, by default
    ``implicit`` for the relevance head and the category for a category head) and ``by`` is ``"model"``.
    """
    if row is None:
        cols, vals = row_entries(model.featuriser.transform([example]), 0)
    else:
        cols, vals = row
    h = model.heads[head]
    cols, vals = np.asarray(cols), np.asarray(vals)
    p = 1.0 / (1.0 + np.exp(-(float(vals @ h.coef[cols]) + h.intercept)))
    sign = 1.0 if p >= h.threshold else -1.0
    terms = model.featuriser.terms("text_word")  # text_word is the first block of columns
    words = cols < len(terms)
    columns = cols[words]
    weights = vals[words] * h.coef[columns] * sign
    pushing = weights > 0
    columns, weights = columns[pushing], weights[pushing]
    heaviest = np.lexsort((columns, -weights))[:top]  # by weight, then column
    chosen = {terms[int(j)] for j in columns[heaviest]}
    if not chosen:
        return []
    if supports is None:
        supports = head.split(":", 1)[1] if head.startswith("cat:") else "implicit"
    # the model read the first MAX_TEXT_CHARS characters: the spans are the occurrences it read
    return [Evidence(s, e, example.text[s:e], supports, "model") for s, e in _term_spans(example.model_text, chosen)]


def _term_spans(text: str, chosen: set[str]) -> list[tuple[int, int]]:
    """Where the words and word pairs ``chosen`` occur in ``text`` as the vectoriser reads it (lower-cased
    tokens of two or more word characters; a pair is two tokens in a row), sorted."""
    lowered = text.lower()
    spans: list[tuple[int, int]] = []
    if len(lowered) != len(text):  # a letter whose lower case is longer: offsets shift, go token by token
        tokens = [(m.group(0).lower(), m.start(), m.end()) for m in TOKEN.finditer(text)]
        for i, (tok, start, end) in enumerate(tokens):
            if tok in chosen:
                spans.append((start, end))
            if i + 1 < len(tokens) and f"{tok} {tokens[i + 1][0]}" in chosen:
                spans.append((start, tokens[i + 1][2]))
        return sorted(spans)
    firsts = {term.split(" ", 1)[0] for term in chosen}
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in sorted(firsts, key=len, reverse=True)) + r")\b")
    for match in pattern.finditer(lowered):  # a whole run of word characters: a token, as TOKEN finds it
        start, end = match.span()
        word = match.group(0)
        if word in chosen:
            spans.append((start, end))
        after = TOKEN.search(lowered, end)
        if after is not None and f"{word} {after.group(0)}" in chosen:
            spans.append((start, after.end()))
    return sorted(spans)
