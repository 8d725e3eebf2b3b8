"""The library's public pages: /practices/ (the list with filters and search) and /practices/<slug>/."""

from django.urls import path

from msmelens.practices import views

urlpatterns = [
    path("", views.practice_list, name="practice_list"),
    path("<slug:slug>/", views.practice_detail, name="practice_detail"),
]
