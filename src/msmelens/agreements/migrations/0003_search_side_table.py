"""PostgreSQL: keep each provision's tsvector in a side table (fast search); nothing to do on SQLite."""

from django.db import migrations

from msmelens.agreements.search_sql import POSTGRES_SIDE_TABLE_BACKWARD, POSTGRES_SIDE_TABLE_FORWARD


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in POSTGRES_SIDE_TABLE_FORWARD:
            schema_editor.execute(sql)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in POSTGRES_SIDE_TABLE_BACKWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("agreements", "0002_fulltext")]
    operations = [migrations.RunPython(forward, backward)]
