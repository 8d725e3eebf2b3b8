"""``lens.tfidf.fast_transform`` gives exactly the rows scikit-learn's ``TfidfVectorizer.transform`` gives."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from msmelens.corpus.readers import read_path
from msmelens.lens.learned_stage import current_model
from msmelens.lens.tfidf import fast_transform, supported

TOTA = Path(__file__).resolve().parents[2].parent / "shared" / "tota" / "xml"
ODD = ["", "a b c", "İstanbul ÇAĞ Straße ǅemal", "x" * 5000, "word word word", "l'article 5.1 (a)-(b)", "_ __ a_b"]


def corpus_texts() -> list[str]:
    if not TOTA.is_dir():
        pytest.skip("the ToTA corpus is not here")
    texts: list[str] = []
    for number in (1, 88, 339, 449, 450):  # English, French and Spanish agreements
        document = read_path(TOTA / f"pta_{number}.xml", paragraphs=False)
        texts += [a.text for chapter in document.chapters for a in chapter.articles]
    return texts


def same(a, b) -> bool:  # type: ignore[no-untyped-def]
    return (
        a.shape == b.shape
        and np.array_equal(a.indptr, b.indptr)
        and np.array_equal(a.indices, b.indices)
        and np.array_equal(a.data, b.data)  # bit for bit: the heads' dot products depend on it
    )


def test_the_shipped_model_rows_are_scikit_learns_bit_for_bit() -> None:
    model = current_model()
    assert model is not None
    texts = corpus_texts() + ODD
    for vec in model.featuriser.vectorisers.values():
        assert supported(vec)
        assert same(fast_transform(vec, texts), vec.transform(texts))


def test_a_freshly_fitted_vectoriser_too_and_others_go_to_scikit_learn() -> None:
    texts = corpus_texts()[:300] + ODD
    for params in ({"ngram_range": (1, 2), "sublinear_tf": True}, {"ngram_range": (1, 1), "min_df": 2}):
        vec = TfidfVectorizer(**params).fit(texts[:200])
        assert supported(vec) and same(fast_transform(vec, texts), vec.transform(texts))
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 3)).fit(texts[:50])
    assert not supported(chars) and same(fast_transform(chars, texts[:60]), chars.transform(texts[:60]))
    stop = TfidfVectorizer(stop_words=["the"]).fit(texts[:50])
    assert not supported(stop)
