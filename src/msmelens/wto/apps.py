from django.apps import AppConfig


class WtoConfig(AppConfig):
    name = "msmelens.wto"
    label = "wto"
    verbose_name = "WTO agreements and Beyond the WTO"
    default_auto_field = "django.db.models.BigAutoField"
