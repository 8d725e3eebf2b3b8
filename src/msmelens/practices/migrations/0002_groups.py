"""Roles for the practice library: contributors propose, curators review, publish and restore."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CONTRIBUTOR = [("practices", "view_practice"), ("practices", "propose_practice"), ("practices", "add_proposal"),
               ("practices", "view_proposal")]
CURATOR = CONTRIBUTOR + [
    ("practices", "add_practice"),
    ("practices", "change_practice"),
    ("practices", "publish_practice"),
    ("practices", "change_proposal"),
]


def create_groups(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in (("contributor", CONTRIBUTOR), ("curator", CURATOR)):
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in perms:
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def drop_permissions(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name="contributor").delete()


class Migration(migrations.Migration):
    dependencies = [("practices", "0001_initial"), ("accounts", "0001_groups")]
    operations = [migrations.RunPython(create_groups, drop_permissions)]
