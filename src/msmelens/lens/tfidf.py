"""The TF-IDF rows of texts for a fitted scikit-learn ``TfidfVectorizer``, counted in C where it counts in Python.

``TfidfVectorizer.transform`` walks every word and word pair of every text in a Python loop
(``_count_vectorizer._count_vocab``): on the ~7,500 provisions of the corpus that the learned stage reads,
that loop was 40% of the whole lens. Here a text's words come from one ``re.findall``, its pairs from one
``map(" ".join, zip(...))`` and both are counted by ``collections.Counter`` (all C); only the terms also in
the vocabulary are looked up (by ``operator.itemgetter``). The counts then go through the arithmetic of the
vectoriser's own TF-IDF step in its order (sublinear tf, idf, scikit-learn's l2 normalisation), so the rows
are the very rows scikit-learn gives, bit for bit (a test compares them on corpus texts). Vectorisers this does not cover (other analysers, stop words, n-gram
ranges beyond pairs...) are left to scikit-learn.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from operator import itemgetter

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.utils.sparsefuncs_fast import inplace_csr_row_normalize_l2

DEFAULT_TOKEN_PATTERN = r"(?u)\b\w\w+\b"
TOKEN = re.compile(DEFAULT_TOKEN_PATTERN)  # scikit-learn's words: two or more word characters


def supported(vec: TfidfVectorizer) -> bool:
    """Whether ``fast_transform`` gives exactly what ``vec.transform`` gives."""
    return (
        vec.analyzer == "word"
        and vec.lowercase
        and vec.preprocessor is None
        and vec.tokenizer is None
        and vec.strip_accents is None
        and vec.stop_words is None
        and vec.token_pattern == DEFAULT_TOKEN_PATTERN
        and tuple(vec.ngram_range) in ((1, 1), (1, 2))
        and vec.input == "content"
        and hasattr(vec, "vocabulary_")
        and vec.norm in ("l2", None)
        and np.dtype(vec.dtype) == np.float64
    )


def _counts(vec: TfidfVectorizer, texts: Sequence[str]) -> sparse.csr_matrix:
    """Term counts of ``texts`` over ``vec``'s vocabulary, as ``CountVectorizer`` gives them (the columns of
    each row in increasing order)."""
    vocabulary: dict[str, int] = vec.vocabulary_
    vocabulary_terms = vocabulary.keys()
    pairs = tuple(vec.ngram_range) == (1, 2)
    findall = TOKEN.findall
    indptr = [0]
    indices: list[int] = []
    values: list[float] = []
    for text in texts:
        tokens = findall(text.lower())
        counts = Counter(tokens)
        if pairs:
            counts.update(map(" ".join, zip(tokens, tokens[1:], strict=False)))
        present = tuple(counts.keys() & vocabulary_terms)
        if len(present) > 1:  # looked up without a Python loop; each row's columns are sorted below
            indices += itemgetter(*present)(vocabulary)
            values += itemgetter(*present)(counts)
        elif present:
            indices.append(vocabulary[present[0]])
            values.append(counts[present[0]])
        indptr.append(len(indices))
    matrix = sparse.csr_matrix(
        (
            np.asarray(values, dtype=vec.dtype),
            np.asarray(indices, dtype=np.int32),
            np.asarray(indptr, dtype=np.int32),
        ),
        shape=(len(texts), len(vocabulary)),
        dtype=vec.dtype,
    )
    matrix.sort_indices()  # in place, in C: the column order scikit-learn gives
    return matrix


def _weigh(vec: TfidfVectorizer, counts: sparse.csr_matrix) -> sparse.csr_matrix:
    """``TfidfTransformer.transform``'s arithmetic, in its order, without its checks (100 µs a call)."""
    transformer = vec._tfidf
    if transformer.sublinear_tf:
        np.log(counts.data, counts.data)
        counts.data += 1.0
    if hasattr(transformer, "idf_"):
        counts.data *= transformer.idf_[counts.indices]
    if transformer.norm == "l2":
        inplace_csr_row_normalize_l2(counts)
    return counts


def fast_transform(vec: TfidfVectorizer, texts: Sequence[str]) -> sparse.csr_matrix:
    """``vec.transform(texts)``, with the words counted by ``_counts`` when ``supported(vec)``."""
    if not supported(vec):
        return vec.transform(texts)
    return _weigh(vec, _counts(vec, texts))
