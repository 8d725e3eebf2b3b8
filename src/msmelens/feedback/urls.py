"""The web form: /surveys/<slug>/ (and /fr/..., /es/...)."""

from django.urls import path

from msmelens.feedback import views

app_name = "feedback"
urlpatterns = [
    path("", views.survey_list, name="survey_list"),
    path("<slug:slug>/", views.survey_form, name="survey_form"),
]
