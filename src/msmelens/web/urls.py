"""URL layout: the JSON API, language switching and admin outside the language prefix; pages inside it."""

from pathlib import Path

import django.contrib.admin
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language
from django.views.static import serve

from msmelens.api.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    # set_language: a POST form that works without JS. Exempt from CSRF so that pages carry no per-user
    # token and can be cached whole; the worst a forged request can do is change the display language.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("openrosa/", include("msmelens.feedback.openrosa_urls")),  # ODK Collect, KoboCollect, Enketo
] + i18n_patterns(
    path("", include("msmelens.agreements.urls")),  # /, /agreements/, /compare/, /search/, /analyze/
    path("countries/", include("msmelens.countries.urls")),
    path("surveys/", include("msmelens.feedback.urls")),
    path("practices/", include("msmelens.practices.urls")),
    path("what-works/", include("msmelens.practices.whatworks_urls")),
    path("wto/", include("msmelens.wto.urls")),  # WTO agreements, Beyond the WTO
    path("guide/", include("msmelens.guide.urls")),
    prefix_default_language=False,  # English at /, French at /fr/, Spanish at /es/
)

# The admin's own CSS/JS, served by Django's static view (the public pages inline their CSS; no WhiteNoise).
urlpatterns += [
    re_path(
        r"^static/admin/(?P<path>.*)$",
        serve,
        {"document_root": str(Path(django.contrib.admin.__file__).resolve().parent / "static" / "admin")},
    ),
]
