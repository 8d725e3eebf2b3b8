from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "msmelens.feedback"
    label = "feedback"
    verbose_name = "Feedback from small businesses"
    default_auto_field = "django.db.models.BigAutoField"
