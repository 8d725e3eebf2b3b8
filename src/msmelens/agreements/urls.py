"""Page URLs (mounted under i18n_patterns: English at /, French at /fr/, Spanish at /es/)."""

from django.urls import path

from msmelens.agreements import views

urlpatterns = [
    path("", views.overview, name="overview"),
    path("agreements/", views.agreement_list, name="agreement_list"),
    path("agreements/<str:lens_id>/", views.agreement_detail, name="agreement_detail"),
    path("compare/", views.compare, name="compare"),
    path("search/", views.search, name="search"),
    path("analyze/", views.analyze, name="analyze"),
]
