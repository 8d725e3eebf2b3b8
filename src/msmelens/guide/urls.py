"""/guide/...: the self-assessment, and a firm's report at its private link (and changing its answers)."""

from django.urls import path

from msmelens.guide import views

app_name = "guide"
urlpatterns = [
    path("", views.guide_start, name="start"),
    path("r/<str:token>/", views.guide_report, name="report"),
    path("r/<str:token>/edit/", views.guide_edit, name="edit"),
]
