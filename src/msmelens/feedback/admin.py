"""The Django admin for the feedback app.

Surveys are added by uploading an XLSForm (the admin's "Add survey" page is an upload form that calls
:func:`msmelens.feedback.services.add_form`; a form's problems appear as form errors with their sheet, row and
column, as on the command line). Form versions, waves and responses are read-only here: they are written by
the services (CLI, web form, API, OpenRosa). Contact details and the raw payloads that may hold them are
shown to superusers only; a superuser can erase contact details with an action that calls the service.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template import RequestContext, Template
from django.urls import reverse

from msmelens.feedback import actions as action_services
from msmelens.feedback import selectors, services
from msmelens.feedback.models import ContactDetail, FormVersion, PolicyAction, Response, Survey, Wave
from msmelens.feedback.xlsform import FormError

UPLOAD_TEMPLATE = Template(
    """{% extends "admin/base_site.html" %}
{% block content %}<div id="content-main">
<p>Upload an XLSForm (.xlsx). A new form_id makes a new survey; the form_id of an existing survey adds a new
version of its form.</p>
<form method="post" enctype="multipart/form-data">{% csrf_token %}
{% if form.non_field_errors %}<ul class="errorlist nonfield">{% for e in form.non_field_errors %}<li>{{ e }}</li>
{% endfor %}</ul>{% endif %}
{{ form.as_p }}
<div class="submit-row"><input type="submit" class="default" value="Upload"></div>
</form></div>{% endblock %}"""
)


class XLSFormUploadForm(forms.Form):
    xlsform = forms.FileField(label="XLSForm file", help_text="An .xlsx file with survey, choices and settings sheets.")
    slug = forms.SlugField(required=False, help_text="Web address of a new survey (default: its form_id).")
    access = forms.ChoiceField(choices=[("", "open (default for a new survey)"), *Survey.ACCESS_CHOICES],
                               required=False)


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ("slug", "title", "access", "is_active", "form_id")
    list_filter = ("access", "is_active")
    search_fields = ("slug", "title", "form_id")
    readonly_fields = ("slug", "form_id", "created_at")
    fields = ("slug", "form_id", "title", "access", "is_active", "collectors", "created_at")
    filter_horizontal = ("collectors",)

    def add_view(self, request: HttpRequest, form_url: str = "", extra_context: Any = None) -> HttpResponse:
        """Adding a survey is uploading its XLSForm."""
        if request.method == "POST":
            form = XLSFormUploadForm(request.POST, request.FILES)
            if form.is_valid():
                upload = form.cleaned_data["xlsform"]
                try:
                    added = services.add_form(
                        filename=upload.name,
                        content=upload.read(),
                        slug=form.cleaned_data["slug"] or None,
                        access=form.cleaned_data["access"] or None,
                    )
                except FormError as exc:
                    form.add_error("xlsform", f"{upload.name}: this XLSForm cannot be used.")
                    for problem in exc.problems:
                        form.add_error(None, str(problem))
                except services.FeedbackError as exc:
                    form.add_error(None, str(exc))
                else:
                    text = {"created": "Created survey '{s}' with form version {v}.",
                            "new_version": "Added form version {v} to survey '{s}'.",
                            "unchanged": "Unchanged: survey '{s}' already has form version {v}."}[added.status]
                    self.message_user(request, text.format(s=added.survey.slug, v=added.form.version),
                                      messages.SUCCESS)
                    for warning in added.warnings:
                        self.message_user(request, warning, messages.WARNING)
                    return HttpResponseRedirect(
                        reverse("admin:feedback_survey_change", args=[added.survey.pk])
                    )
        else:
            form = XLSFormUploadForm()
        context = {**self.admin_site.each_context(request), "form": form, "title": "Upload an XLSForm",
                   "opts": self.model._meta}
        return HttpResponse(UPLOAD_TEMPLATE.render(RequestContext(request, context)))


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never written here: the services own these rows."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(FormVersion)
class FormVersionAdmin(ReadOnlyAdmin):
    list_display = ("survey", "version", "xlsform_name", "created_at")
    list_filter = ("survey",)
    fields = ("survey", "version", "xlsform_name", "xform_md5", "created_at", "xform")


@admin.register(Wave)
class WaveAdmin(ReadOnlyAdmin):
    list_display = ("survey", "name", "starts_on", "ends_on", "responses")
    list_filter = ("survey",)
    fields = ("survey", "name", "starts_on", "ends_on", "design", "created_at")

    @admin.display(description="responses")
    def responses(self, obj: Wave) -> int:
        return selectors.response_count(obj.survey, wave=obj)


@admin.register(Response)
class ResponseAdmin(ReadOnlyAdmin):
    list_display = ("instance_id", "survey", "wave", "channel", "synthetic", "is_current", "received_at")
    list_filter = ("survey", "channel", "synthetic", "is_current", "wave")
    search_fields = ("instance_id",)
    date_hierarchy = "received_at"
    list_select_related = ("survey", "wave")

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fields = ["survey", "form_version", "wave", "instance_id", "channel", "synthetic", "language",
                  "is_current", "replaces", "received_at", "submitted_by", "answers", "raw_format",
                  "payload_hash"]
        # the raw payload may hold the contact details given with consent: superusers only
        return [*fields, "raw"] if request.user.is_superuser else fields


@admin.register(ContactDetail)
class ContactDetailAdmin(ReadOnlyAdmin):
    list_display = ("response", "email", "phone", "erased_at")
    search_fields = ("email", "phone", "response__instance_id")
    fields = ("response", "email", "phone", "erased_at")
    actions = ["erase"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    @admin.action(description="Erase the selected contact details (the answers stay)")
    def erase(self, request: HttpRequest, queryset: Any) -> None:
        count = 0
        for contact in queryset.select_related("response__survey"):
            count += services.erase_contact(survey=contact.response.survey,
                                            instance_id=contact.response.instance_id)
        self.message_user(request, f"Erased the contact details of {count} response(s).", messages.SUCCESS)


# --- policy actions ("you said, we did") -------------------------------------------------------------------


def _lines(value: str) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


class PolicyActionForm(forms.ModelForm):
    """Checks with the same rules as the services (errors next to their fields); saving goes through
    :mod:`msmelens.feedback.actions` (see :meth:`PolicyActionAdmin.save_model`)."""

    categories = forms.MultipleChoiceField(
        choices=[(c, c.replace("_", " ")) for c in action_services.CATEGORIES],
        widget=forms.CheckboxSelectMultiple, help_text="The obstacles this action addresses (at least one).",
    )
    provision_ids = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False,
        help_text="One provision id per line, as shown on its agreement's page (tota-449:art-3).",
    )
    practice_refs = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False,
        help_text="One practice id or URL per line (the practice library is not built yet).",
    )

    class Meta:
        model = PolicyAction
        fields = ("survey", "country", "categories", "title", "description", "responsible", "started_on",
                  "completed_on", "status", "provision_ids", "practice_refs")
        labels = {"responsible": "Who (responsible body)", "started_on": "Started on"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["provision_ids"] = "\n".join(self.instance.provision_ids)
            self.initial["practice_refs"] = "\n".join(self.instance.practice_refs)

    def _checked(self, name: str, check: Any) -> Any:
        try:
            return check(self.cleaned_data.get(name))
        except action_services.ActionError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean_country(self) -> str:
        return str(self._checked("country", action_services.clean_country))

    def clean_categories(self) -> list[str]:
        return list(self._checked("categories", lambda v: action_services.clean_categories(v or [])))

    def clean_provision_ids(self) -> list[str]:
        return list(self._checked("provision_ids", lambda v: action_services.clean_provision_ids(_lines(v))))

    def clean_practice_refs(self) -> list[str]:
        return list(self._checked("practice_refs", lambda v: action_services.clean_practice_refs(_lines(v))))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("started_on"), data.get("completed_on")
        if start and end and end < start:
            self.add_error("completed_on", "The action cannot be completed before it started.")
        return data


@admin.register(PolicyAction)
class PolicyActionAdmin(admin.ModelAdmin):
    """Curators add and change actions here; every save goes through the actions services, which keep the
    history of who changed what. Deleting is left to superusers: set an action to "dropped" instead."""

    form = PolicyActionForm
    list_display = ("title", "country", "status", "responsible", "started_on", "survey")
    list_filter = ("survey", "status", "country")
    search_fields = ("title", "responsible", "country")
    readonly_fields = ("recorded_by", "created_at", "updated_at", "history")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # an action stays with the survey it was recorded for
        return (*self.readonly_fields, "survey") if obj is not None else tuple(self.readonly_fields)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        user: Any = request.user
        return bool(user.is_active and user.is_superuser)

    def save_model(self, request: HttpRequest, obj: PolicyAction, form: Any, change: bool) -> None:
        data = {name: form.cleaned_data[name] for name in PolicyActionForm.Meta.fields if name in form.cleaned_data}
        if change:
            saved = action_services.update_action(
                action=obj, changes={k: v for k, v in data.items() if k != "survey"}, changed_by=request.user
            )
        else:
            saved = action_services.record_action(**data, recorded_by=request.user)
        obj.pk = saved.pk
        obj.refresh_from_db()
