"""Full-text search over provisions: one interface, two backends chosen by ``connection.vendor``.

SQLite uses the FTS5 table of migration 0002, kept current by triggers (bm25 ranking); PostgreSQL the
side table of migration 0003 holding ``to_tsvector('simple', folded text)`` per provision, filled by
``index_provisions`` when the import service stores provisions (ts_rank). Both are case- and accent-insensitive.
User input never reaches the query language: it is cut into word terms, each quoted (FTS5) or passed
through ``plainto_tsquery`` (PostgreSQL). Snippets are built here, HTML-escaped, with ``<mark>`` around hits.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

from django.db import connection

from msmelens.agreements.search_sql import FTS_TABLE, SEARCH_TABLE

MAX_TERMS = 12
MAX_TERM_LENGTH = 60
SNIPPET_CHARS = 240
_WORD = re.compile(r"\w+", re.UNICODE)
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


@dataclass(slots=True)
class Filters:
    relevance: str | None = None
    category: str | None = None
    party: str | None = None
    year_from: int | None = None
    year_to: int | None = None


def fold(text: str) -> str:
    """Lower-case and strip accents, keeping one output character per input character."""
    out = []
    for ch in text:
        low = ch.lower()
        if len(low) != 1:
            low = ch
        base = unicodedata.normalize("NFKD", low)
        out.append(base[0] if base and not unicodedata.combining(base[0]) else low)
    return "".join(out)


def fold_for_index(text: str) -> str:
    """Fast lower-case, accent-free text for indexing (lengths may change; use ``fold`` for offsets)."""
    low = text.lower()
    if low.isascii():
        return low
    return _COMBINING.sub("", unicodedata.normalize("NFKD", low))


def index_provisions(rows: list[tuple[int, str]]) -> None:
    """Index ``(provision pk, text)`` pairs for search (PostgreSQL; SQLite triggers do this themselves)."""
    if connection.vendor != "postgresql" or not rows:
        return
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {SEARCH_TABLE} (provision_id, tsv) VALUES (%s, to_tsvector('simple'::regconfig, %s)) "
            "ON CONFLICT (provision_id) DO UPDATE SET tsv = EXCLUDED.tsv",
            [(pk, fold_for_index(text or "")) for pk, text in rows],
        )


def query_terms(q: str) -> list[str]:
    """The distinct, folded word terms of a user query (operators, quotes and brackets are dropped)."""
    terms: list[str] = []
    for match in _WORD.finditer(fold(q or "")):
        term = match.group(0).strip("_")[:MAX_TERM_LENGTH]
        if term and term not in terms:
            terms.append(term)
    return terms[:MAX_TERMS]


def _where(filters: Filters) -> tuple[list[str], list[object]]:
    clauses: list[str] = []
    params: list[object] = []
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
    return clauses, params


def search_ids(
    terms: list[str], filters: Filters, *, limit: int, offset: int
) -> tuple[int, list[tuple[int, float]]]:
    """``(total, [(provision pk, rank), ...])`` best first; rank is larger for better matches."""
    if not terms:
        return 0, []
    clauses, params = _where(filters)
    if connection.vendor == "postgresql":
        match = "s.tsv @@ plainto_tsquery('simple'::regconfig, %s)"
        base = (
            f"FROM {SEARCH_TABLE} s JOIN agreements_provision p ON p.id = s.provision_id "
            "JOIN agreements_agreement a ON a.id = p.agreement_id "
            f"WHERE {' AND '.join([match, *clauses])}"
        )
        args = [" ".join(terms), *params]
        rank = "ts_rank(s.tsv, plainto_tsquery('simple'::regconfig, %s))"
        select = f"SELECT p.id, {rank} AS rank {base} ORDER BY rank DESC, p.id LIMIT %s OFFSET %s"
        select_args = [" ".join(terms), *args, limit, offset]
    elif connection.vendor == "sqlite":
        fts_query = " ".join('"' + t.replace('"', "") + '"' for t in terms)
        base = (
            f"FROM {FTS_TABLE} JOIN agreements_provision p ON p.id = {FTS_TABLE}.rowid "
            "JOIN agreements_agreement a ON a.id = p.agreement_id "
            f"WHERE {' AND '.join([f'{FTS_TABLE} MATCH %s', *clauses])}"
        )
        args = [fts_query, *params]
        select = f"SELECT p.id, -bm25({FTS_TABLE}) AS rank {base} ORDER BY rank DESC, p.id LIMIT %s OFFSET %s"
        select_args = [*args, limit, offset]
    else:  # pragma: no cover - only SQLite and PostgreSQL are supported
        return _fallback(terms, filters, limit=limit, offset=offset)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) {base}", args)
        total = int(cursor.fetchone()[0])
        cursor.execute(select, select_args)
        rows = [(int(pk), float(rank or 0.0)) for pk, rank in cursor.fetchall()]
    return total, rows


def _fallback(
    terms: list[str], filters: Filters, *, limit: int, offset: int
) -> tuple[int, list[tuple[int, float]]]:
    from msmelens.agreements.models import Provision

    qs = Provision.objects.all()
    for t in terms:
        qs = qs.filter(text__icontains=t)
    ids = list(qs.order_by("id").values_list("id", flat=True))
    return len(ids), [(pk, 1.0) for pk in ids[offset : offset + limit]]


def snippet_html(text: str, terms: list[str], *, width: int = SNIPPET_CHARS) -> str:
    """An HTML-escaped excerpt of ``text`` around the densest run of hits, each hit in ``<mark>``."""
    if not text:
        return ""
    folded = fold(text)
    wanted = set(terms)
    hits = [(m.start(), m.end()) for m in _WORD.finditer(folded) if m.group(0).strip("_") in wanted]
    if not hits:
        start = 0
    else:
        best_start, best_count = hits[0][0], 0
        for i, (s, _) in enumerate(hits):
            count = sum(1 for s2, _ in hits[i:] if s2 < s + width)
            if count > best_count:
                best_start, best_count = s, count
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
