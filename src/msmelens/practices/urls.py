"""/practices/...: the library pages (``library_urls``) and the editing workflow (``editing_urls``)."""

from msmelens.practices import editing_urls, library_urls

app_name = "practices"
# editing first: its literal paths (propose/, review/, sign-in/) must not be taken for a practice slug
urlpatterns = editing_urls.urlpatterns + library_urls.urlpatterns
