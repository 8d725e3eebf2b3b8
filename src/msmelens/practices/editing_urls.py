"""Contributors' proposals and curators' review, edit, versions and restore pages (to be written)."""

urlpatterns: list = []
