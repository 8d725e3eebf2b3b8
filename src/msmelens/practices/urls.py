"""/practices/...: the library pages (``library_urls``) and the editing workflow (``editing_urls``)."""

from msmelens.practices import editing_urls, library_urls

app_name = "practices"
urlpatterns = library_urls.urlpatterns + editing_urls.urlpatterns
