"""The web form: /surveys/, /surveys/<slug>/ and its thank-you page (and /fr/..., /es/...)."""

from django.urls import path

from msmelens.feedback import actions_views, results_views, views

app_name = "feedback"
urlpatterns = [
    path("", views.survey_list, name="survey_list"),
    path("<slug:slug>/", views.survey_form, name="survey_form"),
    path("<slug:slug>/thanks/", views.survey_thanks, name="survey_thanks"),
    path("<slug:slug>/you-said-we-did/", actions_views.actions_index, name="actions_index"),
    path("<slug:slug>/you-said-we-did/<str:iso3>/", actions_views.country_actions, name="country_actions"),
    path("<slug:slug>/followup/<str:token>/", actions_views.followup_page, name="followup"),
    path("<slug:slug>/results/", results_views.survey_results, name="survey_results"),
    path("<slug:slug>/results/<str:iso3>/", results_views.country_results, name="survey_results_country"),
]
