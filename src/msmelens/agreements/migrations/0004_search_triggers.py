"""PostgreSQL: keep the search side table in step with triggers instead of a foreign key (see search_sql)."""

from django.db import migrations

from msmelens.agreements.search_sql import POSTGRES_TRIGGERS_BACKWARD, POSTGRES_TRIGGERS_FORWARD


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in POSTGRES_TRIGGERS_FORWARD:
            schema_editor.execute(sql)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in POSTGRES_TRIGGERS_BACKWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("agreements", "0003_search_side_table")]
    operations = [migrations.RunPython(forward, backward)]
