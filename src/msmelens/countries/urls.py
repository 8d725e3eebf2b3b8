"""Country pages (mounted at countries/ inside i18n_patterns)."""

from django.urls import path

from msmelens.countries import views
from msmelens.practices import brief_views

urlpatterns = [
    path("", views.country_list, name="country_list"),
    path("<str:iso3>/brief/", brief_views.country_brief_page, name="country_brief"),
    path("<str:iso3>/brief.pdf", brief_views.country_brief_pdf, name="country_brief_pdf"),
    path("<str:iso3>/", views.country_detail, name="country_detail"),
]
