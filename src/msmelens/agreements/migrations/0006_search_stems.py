"""Search by stems in English, French and Spanish (see search_sql): re-stem every stored provision.

SQLite: the word-level FTS5 table and its triggers give way to a table of stems; PostgreSQL: the side table
keeps its shape and its tsvectors are recomputed from stems. Runs ``search.rebuild_index``, so an existing
database is searchable the new way right after ``msmelens up`` (which migrates).
"""

from django.db import migrations

from msmelens.agreements.search import rebuild_index
from msmelens.agreements.search_sql import (
    POSTGRES_WORDS_BACKWARD,
    SQLITE_STEMS_BACKWARD,
    SQLITE_STEMS_FORWARD,
)


def forward(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        for sql in SQLITE_STEMS_FORWARD:
            schema_editor.execute(sql)
    if connection.vendor in ("sqlite", "postgresql"):
        rebuild_index(connection)


def backward(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        for sql in SQLITE_STEMS_BACKWARD:
            schema_editor.execute(sql)
    elif connection.vendor == "postgresql":
        for sql in POSTGRES_WORDS_BACKWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("agreements", "0005_language_versions")]
    operations = [migrations.RunPython(forward, backward)]
