"""Language versions: texts of one agreement share a group key; one of them (the primary) is listed.

The data step groups the agreements already stored with the same rule as imports
(``msmelens.agreements.versions.group_versions``), so an existing database keeps working after ``migrate``,
and starts a new data version so that no page or figure cached before the grouping is served again.
"""

from django.db import migrations, models

from msmelens.agreements.versions import Text, group_versions


def regroup(apps, schema_editor):
    Agreement = apps.get_model("agreements", "Agreement")
    rows = list(Agreement.objects.values_list("pk", "lens_id", "name", "date_signed", "wto_rta_id", "language"))
    grouping = group_versions(
        Text(
            agreement_id=lens_id,
            name=name,
            date_signed=signed.isoformat() if signed else "",
            wto_rta_id=rta,
            language=language,
        )
        for _, lens_id, name, signed, rta, language in rows
    )
    changed = []
    for pk, lens_id, *_ in rows:
        key = grouping.group_of[lens_id]
        changed.append(Agreement(pk=pk, group_key=key, is_primary=key == lens_id))
    Agreement.objects.bulk_update(changed, ["group_key", "is_primary"], batch_size=500)
    if changed:
        # cached pages and figures counted every text: start a new data version so none is served again
        from msmelens.web.cache import new_data_version

        new_data_version()


class Migration(migrations.Migration):
    dependencies = [("agreements", "0004_search_triggers")]
    operations = [
        migrations.AddField(
            model_name="agreement",
            name="group_key",
            field=models.CharField(blank=True, db_index=True, max_length=64),
        ),
        migrations.AddField(
            model_name="agreement",
            name="is_primary",
            field=models.BooleanField(db_index=True, default=True),
        ),
        migrations.RunPython(regroup, migrations.RunPython.noop),
    ]
