"""Words and Snowball stems for search, in English, French and Spanish (pure Python, no Django).

Search indexes each provision as the stems of its words in the provision's language, and stems a query
word with all three stemmers (the query's language is not known), so "rulings" finds "ruling" and "rules",
"empresa" finds "empresas" and "décisions" finds "décision". Words are lower-cased and stripped of accents
*before* stemming, on both sides, so a query typed without accents stems exactly like the accented text.
A text in another language (or of unknown language) is indexed by its folded words, unstemmed.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache

import snowballstemmer

LANGUAGES: tuple[str, ...] = ("en", "fr", "es")
_ALGORITHMS = {"en": "english", "fr": "french", "es": "spanish"}
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
MAX_WORD = 60


def _set(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words too common to carry meaning in a query (they are still indexed, so phrases keep matching).
STOPWORDS: dict[str, frozenset[str]] = {
    "en": _set(
        "a an and are as at be by for from in into is it its of on or such that the their this to was which "
        "will with shall any all other"
    ),
    "fr": _set(
        "a au aux avec ce ces dans de des du en est et il ils la le les leur leurs par pour que qui sa se ses "
        "son sont sur un une ou d l"
    ),
    "es": _set("a al con de del el en es esta este la las lo los o para por que se su sus un una y e u"),
}
ALL_STOPWORDS: frozenset[str] = frozenset().union(*STOPWORDS.values())


def fold(text: str) -> str:
    """Lower-case ``text`` and strip its accents (lengths may change)."""
    low = text.lower()
    if low.isascii():
        return low
    return _COMBINING.sub("", unicodedata.normalize("NFKD", low))


def words(text: str) -> list[str]:
    """The folded words of ``text``, in order (underscores and punctuation separate words)."""
    return [w[:MAX_WORD] for w in _WORD.findall(fold(text or ""))]


def language_of(code: str | None) -> str:
    """``code`` cut to a supported language ("en-GB" -> "en"), or "" when it is not one of them."""
    short = (code or "").strip().lower()[:2]
    return short if short in _ALGORITHMS else ""


_PER_THREAD = threading.local()


def _stemmer(language: str) -> snowballstemmer.Stemmer:
    """This thread's stemmer for ``language``: a Snowball stemmer keeps the word it works on in itself, so
    two threads sharing one (web threads) corrupt each other's words."""
    stemmers: dict[str, snowballstemmer.Stemmer] | None = getattr(_PER_THREAD, "stemmers", None)
    if stemmers is None:
        stemmers = _PER_THREAD.stemmers = {}
    found = stemmers.get(language)
    if found is None:
        found = stemmers[language] = snowballstemmer.stemmer(_ALGORITHMS[language])
    return found


# Where Snowball joins words that trade texts keep apart: an advance *ruling* is no *rule*, an *informal*
# sector no *information*, a *règlement* (regulation) no *règle*. Folded words -> their stem.
EXCEPTIONS: dict[str, dict[str, str]] = {
    "en": {"ruling": "ruling", "rulings": "ruling", "informal": "informal", "informality": "informal"},
    "fr": {"reglement": "reglement", "reglements": "reglement"},
    "es": {},
}


@lru_cache(maxsize=400_000)
def stem(word: str, language: str) -> str:
    """The Snowball stem of a folded ``word`` in ``language`` ("en", "fr", "es"); the word itself otherwise."""
    if language not in _ALGORITHMS or not word.isalpha():
        return word
    exception = EXCEPTIONS[language].get(word)
    if exception:
        return exception
    return fold(_stemmer(language).stemWord(word)) or word


def stems(text: str, language: str) -> list[str]:
    """The stems of the words of ``text``, in order, for a text written in ``language``."""
    lang = language_of(language)
    return [stem(w, lang) for w in words(text)]


def index_text(text: str, language: str) -> str:
    """What the search index stores for a provision: its stems, separated by spaces."""
    return " ".join(stems(text, language))


def query_stems(word: str) -> tuple[str, ...]:
    """Every stem a folded query ``word`` may have in an indexed text: its stem in each language, and itself
    (texts of other languages are indexed unstemmed). Distinct, in a stable order."""
    out: list[str] = []
    for candidate in (word, *(stem(word, lang) for lang in LANGUAGES)):
        if candidate and candidate not in out:
            out.append(candidate)
    return tuple(out)
