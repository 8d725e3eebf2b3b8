from django.apps import AppConfig


class PracticesConfig(AppConfig):
    name = "msmelens.practices"
    label = "practices"
    verbose_name = "What works: practices library"
    default_auto_field = "django.db.models.BigAutoField"
