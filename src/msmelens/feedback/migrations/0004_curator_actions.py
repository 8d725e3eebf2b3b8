"""Curators record policy actions ("you said, we did"): grant the ``curator`` group add, change and view
permissions on PolicyAction. Deleting stays with administrators (an action is set to ``dropped`` instead)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMISSIONS = ("add_policyaction", "change_policyaction", "view_policyaction")


def grant(apps, schema_editor):
    app_config = apps.get_app_config("feedback")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="curator")
    for codename in PERMISSIONS:
        group.permissions.add(Permission.objects.get(content_type__app_label="feedback", codename=codename))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="curator").first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="feedback", codename__in=PERMISSIONS)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0003_policyaction"),
        ("accounts", "0001_groups"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
