"""Full-text search over provisions: stems in three languages, concepts across them, two backends.

Each provision is indexed as the Snowball stems of its heading and text in its own language
(``corpus.stemming``): SQLite in the FTS5 table of migration 0006 (bm25 ranking), PostgreSQL in the side
table of migration 0003 holding ``to_tsvector('simple', stems)`` (ts_rank_cd: cover density, the words of a
phrase close together rank higher). ``index_provisions`` fills both when the import service stores
provisions; ``rebuild_index`` re-stems every stored provision (migration 0006 runs it). Case and accents
never matter: words are folded before they are stemmed, on both sides.

Each provision's entry also holds one token for each mention of a shared concept (``concept_token``; found
at index time by ``lens.concepts.concepts_in`` in the provision's stems). A query is cut into units
(``lens.concepts.parse_query``): a concept phrase ("ventanilla única") matches its concept's token, that is
any of its phrases in English, French or Spanish; any other word matches its stem in any of the three
languages. A hit must match every unit. User input never reaches the query language: units are stems
(letters and digits only), each quoted (FTS5) or passed through ``phraseto_tsquery`` (PostgreSQL). Snippets
are built here, HTML-escaped, with ``<mark>`` around the words whose stem was looked for.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.db import connection

from msmelens.agreements.search_sql import SEARCH_TABLE, STEM_TABLE
from msmelens.corpus import stemming
from msmelens.lens.concepts import (
    QueryUnit,
    concept_token,
    concepts_in,
    highlight_stems,
    parse_query,
    query_language,
)

MAX_TERMS = 12
MAX_TERM_LENGTH = 60
SNIPPET_CHARS = 240
INDEX_BATCH = 1000
LANGUAGES = stemming.LANGUAGES
PREFER_BOOST = 1.25  # rank factor of a cross-lingual query's hits in its own language
# ``lens.concepts.fingerprint()`` of the concept table the stored index's concept tokens come from: a test
# fails when the table changes, until a migration rebuilds the index (as 0007 does) and this is updated
INDEXED_CONCEPTS = "29ae745b7a00d808"
LANGUAGE_TOKEN = "zzlang"  # + "en", "fr", "es" or "xx": no word of the three languages looks like it
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(slots=True)
class Filters:
    relevance: str | None = None
    category: str | None = None
    party: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    language: str | None = None  # "en", "fr" or "es": only provisions written in that language


@lru_cache(maxsize=8192)
def _fold_char(ch: str) -> str:
    low = ch.lower()
    if len(low) != 1:
        low = ch
    base = unicodedata.normalize("NFKD", low)
    return base[0] if base and not unicodedata.combining(base[0]) else low


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _fold_match(match: re.Match[str]) -> str:
    return _fold_char(match.group(0))


def fold(text: str) -> str:
    """Lower-case and strip accents, keeping one output character per input character."""
    if text.isascii():
        return text.lower()
    low = text.lower()  # in one pass; then only the non-ASCII characters (a few in a hundred) one by one
    if len(low) != len(text) or "\u03a3" in text:  # a letter whose lower case is longer; Greek final sigma
        return "".join(map(_fold_char, text))
    return _NON_ASCII.sub(_fold_match, low)


def _heading(path: object) -> str:
    """The last heading of a provision's stored path (a list, or its JSON text on a raw SQLite cursor)."""
    if isinstance(path, str):
        try:
            path = json.loads(path)
        except ValueError:
            return ""
    if isinstance(path, list) and path:
        return str(path[-1])[:500]
    return ""


def _context(pks: list[int]) -> dict[int, tuple[str, str]]:
    """Provision pk -> (its language, or its agreement's when it has none; its heading)."""
    from msmelens.agreements.models import Provision

    out: dict[int, tuple[str, str]] = {}
    for i in range(0, len(pks), INDEX_BATCH):
        rows = Provision.objects.filter(pk__in=pks[i : i + INDEX_BATCH]).values_list(
            "pk", "language", "agreement__language", "path"
        )
        for pk, own, agreement, path in rows:
            out[int(pk)] = (own or agreement or "", _heading(path))
    return out


def language_token(language: str) -> str:
    """The token the index adds to each provision to tell its language ("zzlangen"; "zzlangxx": unknown)."""
    return LANGUAGE_TOKEN + (stemming.language_of(language) or "xx")


def document_stems(text: str, heading: str, language: str) -> str:
    """What the index holds for a provision: its language token, the stems of its heading and text, then a
    token for each mention of a shared concept (``lens.concepts.concepts_in``)."""
    found = stemming.stems(f"{heading}\n{text}" if heading else text, language)
    mentions = " ".join(concept_token(key) for key in concepts_in(found))
    return f"{language_token(language)} {' '.join(found)} {mentions}".rstrip()


def _write(conn: Any, rows: list[tuple[int, str]]) -> None:
    """Store ``(provision pk, stems)`` rows in the index of ``conn``'s database, replacing older ones."""
    if not rows:
        return
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            cursor.executemany(
                f"INSERT INTO {SEARCH_TABLE} (provision_id, tsv) VALUES (%s, to_tsvector('simple'::regconfig, %s)) "
                "ON CONFLICT (provision_id) DO UPDATE SET tsv = EXCLUDED.tsv",
                rows,
            )
        elif conn.vendor == "sqlite":
            marks = ", ".join(["%s"] * len(rows))
            cursor.execute(f"DELETE FROM {STEM_TABLE} WHERE rowid IN ({marks})", [pk for pk, _ in rows])
            cursor.executemany(f"INSERT INTO {STEM_TABLE} (rowid, terms) VALUES (%s, %s)", rows)


def index_provisions(rows: Sequence[tuple[int, str]]) -> None:
    """Index stored provisions for search (both databases): ``(provision pk, text)`` pairs, the text as
    stored. Each provision's heading and language (or its agreement's) are read from the database."""
    if not rows:
        return
    context = _context([int(pk) for pk, _ in rows])
    stemmed = []
    for pk, text in rows:
        language, heading = context.get(int(pk), ("", ""))
        stemmed.append((int(pk), document_stems(text or "", heading, language)))
    for i in range(0, len(stemmed), INDEX_BATCH):
        _write(connection, stemmed[i : i + INDEX_BATCH])


def rebuild_index(conn: Any = None) -> int:
    """Re-stem every stored provision into the search index (after a change of index format); returns how
    many. ``conn``: a Django database connection (the default one when None), e.g. a migration's."""
    conn = conn or connection
    done, last = 0, 0
    while True:
        with conn.cursor() as cursor:
            cursor.execute(
                "SELECT p.id, p.text, p.language, a.language, p.path FROM agreements_provision p "
                "JOIN agreements_agreement a ON a.id = p.agreement_id WHERE p.id > %s ORDER BY p.id LIMIT %s",
                [last, INDEX_BATCH],
            )
            batch = cursor.fetchall()
        if not batch:
            return done
        _write(
            conn,
            [
                (int(pk), document_stems(text or "", _heading(path), own or agr or ""))
                for pk, text, own, agr, path in batch
            ],
        )
        done += len(batch)
        last = int(batch[-1][0])


def query_terms(q: str) -> list[str]:
    """The distinct, folded word terms of a user query (operators, quotes and brackets are dropped)."""
    terms: list[str] = []
    for match in _WORD.finditer(fold(q or "")):
        term = match.group(0).strip("_")[:MAX_TERM_LENGTH]
        if term and term not in terms:
            terms.append(term)
    return terms[:MAX_TERMS]


def query_units(q: str, *, cross_lingual: bool = True) -> list[QueryUnit]:
    """The units a hit must all match (see the module docstring); empty for a query without words."""
    return parse_query((q or "")[:1000], max_units=MAX_TERMS, cross_lingual=cross_lingual)


def _where(filters: Filters) -> tuple[list[str], list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if filters.relevance:
        clauses.append("p.relevance = %s")
        params.append(filters.relevance)
    if filters.category:
        clauses.append("p.categories_key LIKE %s")
        params.append(f"%|{filters.category}|%")
    if filters.party:
        clauses.append("a.parties_key LIKE %s")
        params.append(f"%|{filters.party.upper()}|%")
    if filters.year_from is not None:
        clauses.append("a.year_signed >= %s")
        params.append(int(filters.year_from))
    if filters.year_to is not None:
        clauses.append("a.year_signed <= %s")
        params.append(int(filters.year_to))
    if filters.language:
        clauses.append("(p.language = %s OR (p.language = '' AND a.language = %s))")
        params += [filters.language, filters.language]
    return clauses, params


@dataclass(frozen=True, slots=True)
class Plan:
    """What a hit must match: every unit in the query's language; elsewhere only the concept units (plain
    words have no translation: they rank the hits written in another language, they do not exclude them)."""

    units: tuple[QueryUnit, ...]
    language: str = ""  # the query's language; "" when unknown or when every unit is required everywhere
    prefer: str = ""  # the query's language when it crosses languages: its hits rank a little higher

    @property
    def concepts(self) -> tuple[QueryUnit, ...]:
        return tuple(u for u in self.units if u.concept)


def plan(q: str, units: list[QueryUnit]) -> Plan:
    """Every unit required everywhere, unless the query mixes concepts and plain words in a known language."""
    kept = tuple(u for u in units if u.alternatives)
    crossing = any(u.concept for u in kept)
    prefer = query_language(q, list(kept)) if crossing else ""
    mixed = crossing and any(not u.concept for u in kept)
    return Plan(units=kept, language=prefer if mixed else "", prefer=prefer)


def _unit_sequences(unit: QueryUnit) -> tuple[tuple[str, ...], ...]:
    """What the index is asked for a unit: a concept's token (the index marks each of its mentions), or
    each stem of a plain word."""
    return ((concept_token(unit.concept),),) if unit.concept else unit.alternatives


def _fts5_all(units: Sequence[QueryUnit]) -> str:
    parts = []
    for unit in units:
        phrases = ['"' + " ".join(seq).replace('"', "") + '"' for seq in _unit_sequences(unit)]
        parts.append("(" + " OR ".join(phrases) + ")")
    return " AND ".join(parts)


def _fts5_query(p: Plan) -> str:
    """``("a" OR "b c") AND ("d")``: every unit, each any of its stem sequences as a phrase; with a query
    language, ``(all units AND its token) OR (concepts NOT its token)``."""
    if not p.language:
        return _fts5_all(p.units)
    token = f'"{language_token(p.language)}"'
    return f"(({_fts5_all(p.units)}) AND {token}) OR (({_fts5_all(p.concepts)}) NOT {token})"


def _tsquery_all(units: Sequence[QueryUnit]) -> tuple[str, list[str]]:
    parts, args = [], []
    for unit in units:
        ors = []
        for seq in _unit_sequences(unit):
            ors.append("phraseto_tsquery('simple'::regconfig, %s)")
            args.append(" ".join(seq))
        parts.append("(" + " || ".join(ors) + ")")
    return "(" + " && ".join(parts) + ")", args


def _tsquery(p: Plan) -> tuple[str, list[str]]:
    """A PostgreSQL tsquery expression (with its parameters) of the same meaning as ``_fts5_query``."""
    every, every_args = _tsquery_all(p.units)
    if not p.language:
        return every, every_args
    concepts, concept_args = _tsquery_all(p.concepts)
    token = "phraseto_tsquery('simple'::regconfig, %s)"
    lang = language_token(p.language)
    return f"(({every} && {token}) || ({concepts} && !!{token}))", [*every_args, lang, *concept_args, lang]


def _boost(p: Plan) -> tuple[str, list[Any]]:
    """A factor on the rank of the hits written in the query's language (the reader's, most likely)."""
    if not p.prefer:
        return "", []
    return (
        f" * (CASE WHEN COALESCE(NULLIF(p.language, ''), a.language) = %s THEN {PREFER_BOOST} ELSE 1.0 END)",
        [p.prefer],
    )


def search_units(
    units: list[QueryUnit] | Plan, filters: Filters, *, limit: int, offset: int
) -> tuple[int, list[tuple[int, float]]]:
    """``(total, [(provision pk, rank), ...])`` best first; rank is larger for better matches. ``units``:
    all required everywhere, or a ``Plan``."""
    p = units if isinstance(units, Plan) else Plan(units=tuple(u for u in units if u.alternatives))
    if not p.units:
        return 0, []
    clauses, params = _where(filters)
    if connection.vendor == "postgresql":
        tsq, tsq_args = _tsquery(p)
        base = (
            f"FROM {SEARCH_TABLE} s JOIN agreements_provision p ON p.id = s.provision_id "
            "JOIN agreements_agreement a ON a.id = p.agreement_id "
            f"WHERE {' AND '.join([f's.tsv @@ {tsq}', *clauses])}"
        )
        args: list[Any] = [*tsq_args, *params]
        boost, boost_args = _boost(p)
        hits = f"SELECT p.id AS id, ts_rank_cd(s.tsv, {tsq}){boost} AS rank {base}"
        select_args = [*tsq_args, *boost_args, *args, limit, offset]
    elif connection.vendor == "sqlite":
        base = (
            f"FROM {STEM_TABLE} JOIN agreements_provision p ON p.id = {STEM_TABLE}.rowid "
            "JOIN agreements_agreement a ON a.id = p.agreement_id "
            f"WHERE {' AND '.join([f'{STEM_TABLE} MATCH %s', *clauses])}"
        )
        args = [_fts5_query(p), *params]
        boost, boost_args = _boost(p)
        hits = f"SELECT p.id AS id, -bm25({STEM_TABLE}){boost} AS rank {base}"
        select_args = [*boost_args, *args, limit, offset]
    else:  # pragma: no cover - only SQLite and PostgreSQL are supported
        raise NotImplementedError(connection.vendor)
    # one pass for the page and the total (a window count over the hits; bm25 cannot sit in a window query)
    select = f"SELECT id, rank, COUNT(*) OVER () FROM ({hits}) AS hits ORDER BY rank DESC, id LIMIT %s OFFSET %s"
    with connection.cursor() as cursor:
        cursor.execute(select, select_args)
        fetched = cursor.fetchall()
        if fetched:
            total = int(fetched[0][2])
        else:  # past the last hit (or none): count on its own
            cursor.execute(f"SELECT COUNT(*) {base}", args)
            total = int(cursor.fetchone()[0])
    return total, [(int(pk), float(rank or 0.0)) for pk, rank, _ in fetched]


def _stem_start(stem: str) -> str:
    """The start a word must have to stem to ``stem``: Snowball rewrites at most the stem's last letter of
    what it keeps ("possibility" -> "possibl", "ruling" -> "rule"), so all but that, at most 4 letters."""
    return stem[: max(2, min(4, len(stem) - 1))]


class _Marker:
    """Tells whether a word of a text is a hit: its stem (in the text's language, or in any of the three) is
    wanted. Words that begin like no wanted stem are skipped without stemming (``_stem_start``), and each
    distinct word is decided once."""

    def __init__(self, wanted: frozenset[str], language: str) -> None:
        self.wanted = wanted
        self.languages = (language,) if language else LANGUAGES
        self.starts = tuple(sorted({_stem_start(w) for w in wanted}, key=len, reverse=True))
        self.seen: dict[str, bool] = {}
        starts = "|".join(re.escape(p) for p in self.starts)
        # no word-start test inside the expression: its alternation of literals is then searched quickly;
        # a match inside a word runs to the word's end, so it never hides the next word's start
        self._candidate = re.compile(rf"(?:{starts})\w*" if starts else r"(?!x)x")

    def candidates(self, folded: str) -> Iterator[re.Match[str]]:
        """The words of a folded text that begin like a wanted stem (found by one regular expression)."""
        for match in self._candidate.finditer(folded):
            start = match.start()
            if start == 0 or not (folded[start - 1].isalnum() or folded[start - 1] == "_"):
                yield match

    def __call__(self, word: str) -> bool:
        known = self.seen.get(word)
        if known is not None:
            return known
        folded = stemming.fold(word)
        hit = folded.startswith(self.starts) and (
            folded in self.wanted or any(stemming.stem(folded, lang) in self.wanted for lang in self.languages)
        )
        self.seen[word] = hit
        return hit


def snippet_html(
    text: str,
    terms: list[str] | None = None,
    *,
    width: int = SNIPPET_CHARS,
    units: list[QueryUnit] | None = None,
    language: str = "",
) -> str:
    """An HTML-escaped excerpt of ``text`` around the densest run of hits, each hit in ``<mark>``.

    A hit is a word whose stem (in ``language``, or in any of the three when unknown) was looked for: the
    stems of ``units``, or of the plain words ``terms``."""
    if not text:
        return ""
    if units is None:
        units = query_units(" ".join(terms or []), cross_lingual=False)
    marked = _Marker(highlight_stems(units), stemming.language_of(language))
    folded = fold(text)
    hits = [(m.start(), m.end()) for m in marked.candidates(folded) if marked(m.group(0).strip("_"))]
    if not hits:
        start = 0
    else:
        best_start, best_count, j = hits[0][0], 0, 0
        for i, (s, _) in enumerate(hits):  # hits in order: j runs ahead to the first hit past the window
            j = max(j, i)
            while j < len(hits) and hits[j][0] < s + width:
                j += 1
            if j - i > best_count:
                best_start, best_count = s, j - i
        start = max(0, best_start - width // 4)
    end = min(len(text), start + width)
    # widen to word boundaries (at most 30 characters each way)
    lo = start
    while lo > 0 and start - lo < 30 and not text[lo - 1].isspace():
        lo -= 1
    start = lo
    hi = end
    while hi < len(text) and hi - end < 30 and not text[hi].isspace():
        hi += 1
    end = hi
    parts: list[str] = ["…" if start > 0 else ""]
    cursor = start
    for s, e in hits:
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        parts.append(html.escape(text[cursor:s]))
        parts.append("<mark>" + html.escape(text[s:e]) + "</mark>")
        cursor = e
    parts.append(html.escape(text[cursor:end]))
    if end < len(text):
        parts.append("…")
    return " ".join("".join(parts).split())
