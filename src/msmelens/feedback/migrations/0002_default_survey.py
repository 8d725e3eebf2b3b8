"""Install the default instrument, msme-trade-obstacles, from the XLSForm shipped in the package."""

from django.db import migrations
from django.utils import timezone

DEFAULT_SLUG = "msme-trade-obstacles"


def install(apps, schema_editor):
    from msmelens.feedback.services import create_survey_from_form
    from msmelens.feedback.xlsform import convert_xlsform, default_instrument_path

    Survey = apps.get_model("feedback", "Survey")
    FormVersion = apps.get_model("feedback", "FormVersion")
    if Survey.objects.filter(slug=DEFAULT_SLUG).exists():
        return
    path = default_instrument_path()
    content = path.read_bytes()
    create_survey_from_form(
        survey_model=Survey,
        form_model=FormVersion,
        converted=convert_xlsform(path.name, content),
        filename=path.name,
        content=content,
        slug=DEFAULT_SLUG,
        access="open",
        now=timezone.now(),
    )


def uninstall(apps, schema_editor):
    apps.get_model("feedback", "Survey").objects.filter(slug=DEFAULT_SLUG, responses__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_initial")]
    operations = [migrations.RunPython(install, uninstall)]
