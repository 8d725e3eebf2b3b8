"""/what-works/ (the eight obstacle categories) and /what-works/<category>/ (what works for one of them)."""

from django.urls import path

from msmelens.practices import views

app_name = "whatworks"
urlpatterns = [
    path("", views.what_works_index, name="what_works_index"),
    path("<str:category>/", views.what_works, name="what_works"),
]
