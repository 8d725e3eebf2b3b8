"""Concept tokens in the search index (see ``search.document_stems``): re-stem every stored provision.

Each provision's index entry gains one token for each mention of a shared concept ("single window",
"ventanilla única", "guichet unique" -> ``zzcsinglewindow``), so a cross-lingual query asks the index for one
token instead of an OR of every phrase in three languages. The table shapes do not change; going back keeps
the tokens (older code never asks for them).
"""

from django.db import migrations

from msmelens.agreements.search import rebuild_index


def forward(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor in ("sqlite", "postgresql"):
        rebuild_index(connection)


class Migration(migrations.Migration):
    dependencies = [("agreements", "0006_search_stems")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
