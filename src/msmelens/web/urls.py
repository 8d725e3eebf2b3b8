"""URL layout: the JSON API, language switching and admin outside the language prefix; pages inside it."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from msmelens.api.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),  # set_language (POST form, works without JS)
    path("admin/", admin.site.urls),
] + i18n_patterns(
    path("", include("msmelens.agreements.urls")),  # /, /agreements/, /compare/, /search/, /analyze/
    path("countries/", include("msmelens.countries.urls")),
    prefix_default_language=False,  # English at /, French at /fr/, Spanish at /es/
)
