from django.urls import path

from msmelens.wto import views

app_name = "wto"

urlpatterns = [
    path("", views.wto_list, name="wto_list"),
    path("beyond/", views.beyond_index, name="beyond_index"),
    path("beyond/<str:topic>/", views.beyond_topic, name="beyond_topic"),
    path("<str:key>/", views.wto_agreement, name="wto_agreement"),
]
