"""DDL for the full-text index (used by migration 0002 and by the search module; keep them in step)."""

from __future__ import annotations

import unicodedata

FTS_TABLE = "agreements_provision_fts"
FOLD_FUNCTION = "msmelens_fold"


def _fold_table() -> tuple[str, str]:
    """Accented lower-case Latin letters and their plain letter, for PostgreSQL ``translate``."""
    source, target = [], []
    for code in range(0xC0, 0x250):
        ch = chr(code)
        if ch != ch.lower():
            continue
        base = unicodedata.normalize("NFKD", ch)[0]
        if base != ch and base.isascii() and base.isalpha():
            source.append(ch)
            target.append(base.lower())
    return "".join(source), "".join(target)


FOLD_FROM, FOLD_TO = _fold_table()

SQLITE_FORWARD = [
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(
        text, content='agreements_provision', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    f"""CREATE TRIGGER IF NOT EXISTS agreements_provision_fts_ai AFTER INSERT ON agreements_provision BEGIN
        INSERT INTO {FTS_TABLE}(rowid, text) VALUES (new.id, new.text); END""",
    f"""CREATE TRIGGER IF NOT EXISTS agreements_provision_fts_ad AFTER DELETE ON agreements_provision BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, text) VALUES ('delete', old.id, old.text); END""",
    f"""CREATE TRIGGER IF NOT EXISTS agreements_provision_fts_au AFTER UPDATE OF text ON agreements_provision BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, text) VALUES ('delete', old.id, old.text);
        INSERT INTO {FTS_TABLE}(rowid, text) VALUES (new.id, new.text); END""",
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS agreements_provision_fts_ai",
    "DROP TRIGGER IF EXISTS agreements_provision_fts_ad",
    "DROP TRIGGER IF EXISTS agreements_provision_fts_au",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
]
POSTGRES_FORWARD = [
    f"""CREATE OR REPLACE FUNCTION {FOLD_FUNCTION}(t text) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
        AS $$ SELECT translate(lower(t), '{FOLD_FROM}', '{FOLD_TO}') $$""",
    f"""CREATE INDEX IF NOT EXISTS agreements_provision_fts_gin ON agreements_provision
        USING gin (to_tsvector('simple'::regconfig, {FOLD_FUNCTION}(text)))""",
]
# 0003: the functional index folded text at query time (slow: translate() on every row); a side table
# holding each provision's tsvector, filled by the import service (search.index_provisions), replaces it.
SEARCH_TABLE = "agreements_provision_search"
POSTGRES_SIDE_TABLE_FORWARD = [
    "DROP INDEX IF EXISTS agreements_provision_fts_gin",
    f"""CREATE TABLE IF NOT EXISTS {SEARCH_TABLE} (
        provision_id bigint PRIMARY KEY
            REFERENCES agreements_provision(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
        tsv tsvector NOT NULL)""",
    f"CREATE INDEX IF NOT EXISTS {SEARCH_TABLE}_gin ON {SEARCH_TABLE} USING gin (tsv)",
    f"""INSERT INTO {SEARCH_TABLE} (provision_id, tsv)
        SELECT id, to_tsvector('simple'::regconfig, {FOLD_FUNCTION}(text)) FROM agreements_provision
        ON CONFLICT (provision_id) DO NOTHING""",
]
POSTGRES_SIDE_TABLE_BACKWARD = [
    f"DROP TABLE IF EXISTS {SEARCH_TABLE}",
    f"""CREATE INDEX IF NOT EXISTS agreements_provision_fts_gin ON agreements_provision
        USING gin (to_tsvector('simple'::regconfig, {FOLD_FUNCTION}(text)))""",
]
# 0004: no foreign key (Django's test flush TRUNCATEs agreements_provision without CASCADE); triggers keep
# the side table in step instead: row deletes and TRUNCATE both clear the matching search rows.
POSTGRES_TRIGGERS_FORWARD = [
    f"ALTER TABLE {SEARCH_TABLE} DROP CONSTRAINT IF EXISTS {SEARCH_TABLE}_provision_id_fkey",
    f"""CREATE OR REPLACE FUNCTION msmelens_search_delete() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN DELETE FROM {SEARCH_TABLE} WHERE provision_id = OLD.id; RETURN NULL; END $$""",
    f"""CREATE OR REPLACE FUNCTION msmelens_search_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN TRUNCATE {SEARCH_TABLE}; RETURN NULL; END $$""",
    "DROP TRIGGER IF EXISTS msmelens_search_ad ON agreements_provision",
    """CREATE TRIGGER msmelens_search_ad AFTER DELETE ON agreements_provision
        FOR EACH ROW EXECUTE FUNCTION msmelens_search_delete()""",
    "DROP TRIGGER IF EXISTS msmelens_search_at ON agreements_provision",
    """CREATE TRIGGER msmelens_search_at AFTER TRUNCATE ON agreements_provision
        FOR EACH STATEMENT EXECUTE FUNCTION msmelens_search_truncate()""",
    f"DELETE FROM {SEARCH_TABLE} s WHERE NOT EXISTS (SELECT 1 FROM agreements_provision p WHERE p.id = s.provision_id)",
]
POSTGRES_TRIGGERS_BACKWARD = [
    "DROP TRIGGER IF EXISTS msmelens_search_ad ON agreements_provision",
    "DROP TRIGGER IF EXISTS msmelens_search_at ON agreements_provision",
    "DROP FUNCTION IF EXISTS msmelens_search_delete()",
    "DROP FUNCTION IF EXISTS msmelens_search_truncate()",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS agreements_provision_fts_gin",
    f"DROP FUNCTION IF EXISTS {FOLD_FUNCTION}(text)",
]
# 0006: stems (msmelens.corpus.stemming) instead of words, on both databases, so that "rulings" finds
# "ruling" and a query in one language finds the others (msmelens.lens.concepts). The stems are computed in
# Python, so no trigger can fill the index: ``search.index_provisions`` does, at import, and
# ``search.rebuild_index`` (the migration) for the provisions already stored. SQLite: an FTS5 table holding
# each provision's stems (rowid = provision id), emptied by a delete trigger; the word-level FTS5 table of
# 0002 and its triggers go. PostgreSQL: the side table of 0003 keeps its shape; its tsv now holds the stems.
STEM_TABLE = "agreements_provision_stems"
SQLITE_STEMS_FORWARD = [
    "DROP TRIGGER IF EXISTS agreements_provision_fts_ai",
    "DROP TRIGGER IF EXISTS agreements_provision_fts_ad",
    "DROP TRIGGER IF EXISTS agreements_provision_fts_au",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS {STEM_TABLE} USING fts5(
        terms, tokenize='unicode61 remove_diacritics 2')""",
    f"""CREATE TRIGGER IF NOT EXISTS agreements_provision_stems_ad AFTER DELETE ON agreements_provision BEGIN
        DELETE FROM {STEM_TABLE} WHERE rowid = old.id; END""",
]
SQLITE_STEMS_BACKWARD = [
    "DROP TRIGGER IF EXISTS agreements_provision_stems_ad",
    f"DROP TABLE IF EXISTS {STEM_TABLE}",
    *SQLITE_FORWARD,
]
POSTGRES_WORDS_BACKWARD = [
    f"""UPDATE {SEARCH_TABLE} s SET tsv = to_tsvector('simple'::regconfig, {FOLD_FUNCTION}(p.text))
        FROM agreements_provision p WHERE p.id = s.provision_id""",
]
