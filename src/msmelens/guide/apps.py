from django.apps import AppConfig


class GuideConfig(AppConfig):
    name = "msmelens.guide"
    label = "guide"
    verbose_name = "Firm guide: self-assessments"
    default_auto_field = "django.db.models.BigAutoField"
