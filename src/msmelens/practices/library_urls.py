"""The library's public pages (to be written)."""

urlpatterns: list = []
