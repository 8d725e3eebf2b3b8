"""Create the ``analyst`` and ``curator`` groups with their permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ANALYST = [
    ("agreements", "view_agreement"),
    ("agreements", "view_agreementparty"),
    ("agreements", "view_provision"),
    ("agreements", "view_curation"),
    ("agreements", "export_data"),
]
CURATOR = ANALYST + [
    ("agreements", "change_provision"),
    ("agreements", "add_curation"),
    ("agreements", "change_curation"),
    ("agreements", "view_auditlog"),
]


def create_groups(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in (("analyst", ANALYST), ("curator", CURATOR)):
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in perms:
            perm = Permission.objects.get(content_type__app_label=app_label, codename=codename)
            group.permissions.add(perm)


def drop_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["analyst", "curator"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("agreements", "0002_fulltext"),
    ]
    operations = [migrations.RunPython(create_groups, drop_groups)]
