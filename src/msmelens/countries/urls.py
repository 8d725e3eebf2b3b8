"""Country pages (mounted at countries/ inside i18n_patterns)."""

from django.urls import path

from msmelens.countries import views

urlpatterns = [
    path("", views.country_list, name="country_list"),
    path("<str:iso3>/", views.country_detail, name="country_detail"),
]
