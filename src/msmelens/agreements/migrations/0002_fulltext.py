"""Full-text search over provision text, per database vendor (see msmelens.agreements.search).

SQLite: an FTS5 external-content table kept current by triggers (case- and accent-insensitive).
PostgreSQL: an IMMUTABLE folding function (lower + accent removal) and a GIN index on its tsvector.
"""

from django.db import migrations

from msmelens.agreements.search_sql import (
    POSTGRES_BACKWARD,
    POSTGRES_FORWARD,
    SQLITE_BACKWARD,
    SQLITE_FORWARD,
)


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}.get(vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}.get(vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("agreements", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
