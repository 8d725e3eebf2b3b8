"""/what-works/<category>/ (to be written)."""

app_name = "whatworks"
urlpatterns: list = []
