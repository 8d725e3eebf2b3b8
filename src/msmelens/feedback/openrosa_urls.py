"""OpenRosa endpoints for ODK Collect, KoboCollect and Enketo: /openrosa/formList, /openrosa/forms/<form_id>/
form.xml, /openrosa/submission."""

from django.urls import path

from msmelens.feedback import openrosa

app_name = "openrosa"
urlpatterns = [
    path("formList", openrosa.form_list, name="form_list"),
    path("forms/<str:form_id>/form.xml", openrosa.form_download, name="form_download"),
    path("submission", openrosa.submission, name="submission"),
]
