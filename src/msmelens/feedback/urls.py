"""The web form: /surveys/, /surveys/<slug>/ and its thank-you page (and /fr/..., /es/...)."""

from django.urls import path

from msmelens.feedback import views

app_name = "feedback"
urlpatterns = [
    path("", views.survey_list, name="survey_list"),
    path("<slug:slug>/", views.survey_form, name="survey_form"),
    path("<slug:slug>/thanks/", views.survey_thanks, name="survey_thanks"),
]
