"""The Django admin for the practice library.

Practices are shown with django-simple-history's history pages (who, when, why of every version). Saving goes
through :mod:`msmelens.practices.services` (``save_model`` below), never straight to the model: the form asks
for a reason, carries the version the editor opened, and a save from an outdated version is refused with the
conflict message while the form keeps the editor's text. Status changes are the actions "publish" and
"withdraw"; reverting from the history pages is switched off (curators restore a version, as a new version,
on the practice's versions page or with `msmelens practices restore`). Proposals are read here and reviewed
with the actions "accept" and "reject".
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from msmelens.practices import services
from msmelens.practices.models import Practice, Proposal
from msmelens.practices.records import CONTENT_FIELDS, RecordInvalid, clean_record

FORM_FIELDS: tuple[str, ...] = ("slug", *CONTENT_FIELDS)


class PracticeForm(forms.ModelForm):
    """The record's fields, a required reason and the version the editor opened. Checks the record with the
    same rules as an import (errors next to their fields) and refuses a save from an outdated version."""

    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}),
                             help_text="Why you make this change (kept in the history).")
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Practice
        fields = FORM_FIELDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["slug"].disabled = True
            self.initial["expected_version"] = self.instance.version
        self.record: dict[str, Any] | None = None

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        raw = {"id": data.get("slug") or self.instance.slug, **{f: data.get(f) for f in CONTENT_FIELDS}}
        try:
            self.record = clean_record(raw)
        except RecordInvalid as exc:
            for problem in exc.problems:
                name = problem.field.split("[")[0].split(".")[0].split(",")[0]
                name = "slug" if name == "id" else name
                self.add_error(name if name in self.fields else None, str(problem))
            return data
        expected = data.get("expected_version")
        if self.instance.pk and expected is not None:
            stored = Practice.objects.get(pk=self.instance.pk)
            conflict = services.conflict_for(practice=stored, data=self.record, expected_version=int(expected))
            if conflict is not None:
                raise forms.ValidationError(str(conflict))
        return data


@admin.register(Practice)
class PracticeAdmin(SimpleHistoryAdmin):
    form = PracticeForm
    list_display = ("slug", "title", "status", "version", "evidence_level", "instrument", "updated_at")
    list_filter = ("status", "evidence_level", "instrument", "scope", "verified")
    search_fields = ("slug", "title", "search_text")
    readonly_fields = ("status", "version", "created_at", "updated_at", "created_by")
    actions = ["publish_selected", "withdraw_selected"]
    history_list_display = ["version", "status"]

    def revert_disabled(self, request: HttpRequest, obj: Any = None) -> bool:
        """Reverting would save without the services: restore a version instead (a new version)."""
        return True

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [*FORM_FIELDS, "reason", "expected_version", *self.readonly_fields]

    def save_model(self, request: HttpRequest, obj: Practice, form: Any, change: bool) -> None:
        """Save through the services: a new practice (draft) or a new version with the form's reason."""
        record = form.record
        reason = form.cleaned_data["reason"]
        if not change:
            created = services.create_practice(data=record, user=request.user, reason=reason, publish=False)
            obj.pk = created.pk
            obj.refresh_from_db()
            return
        stored = Practice.objects.get(pk=obj.pk)
        expected = form.cleaned_data.get("expected_version") or stored.version
        try:
            saved = services.update_practice(practice=stored, data=record, expected_version=expected,
                                             user=request.user, reason=reason)
        except services.EditConflict as exc:  # someone saved between the form's check and this save
            self.message_user(request, str(exc), messages.ERROR)
            obj.refresh_from_db()
            return
        obj.refresh_from_db()
        if saved.version == expected:
            self.message_user(request, "Nothing changed: no new version was saved.", messages.INFO)

    def delete_model(self, request: HttpRequest, obj: Practice) -> None:
        raise PermissionDenied("Practices are never deleted: withdraw them instead (their history stays).")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def _status_action(self, request: HttpRequest, queryset: Any, action: Any, reason: str) -> None:
        done = 0
        for practice in queryset:
            try:
                action(practice=practice, user=request.user, reason=reason)
            except PermissionDenied as exc:
                self.message_user(request, str(exc), messages.ERROR)
                return
            done += 1
        self.message_user(request, f"{done} practice(s): {reason}.", messages.SUCCESS)

    @admin.action(description="Publish the selected practices")
    def publish_selected(self, request: HttpRequest, queryset: Any) -> None:
        self._status_action(request, queryset, services.publish, "published from the admin")

    @admin.action(description="Withdraw the selected practices (their history stays)")
    def withdraw_selected(self, request: HttpRequest, queryset: Any) -> None:
        self._status_action(request, queryset, services.withdraw, "withdrawn from the admin")


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ("id", "kind", "practice", "status", "base_version", "proposed_by", "created_at")
    list_filter = ("status", "kind")
    readonly_fields = ("practice", "kind", "data", "base_version", "reason", "status", "proposed_by",
                       "reviewed_by", "review_note", "created_at", "reviewed_at")
    actions = ["accept_selected", "reject_selected"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def _review(self, request: HttpRequest, queryset: Any, accept: bool) -> None:
        results: dict[str, int] = {}
        for proposal in queryset:
            try:
                reviewed = services.review_proposal(proposal=proposal, user=request.user, accept=accept,
                                                    note="reviewed in the admin")
            except (PermissionDenied, services.PracticeError, RecordInvalid) as exc:
                self.message_user(request, f"Proposal #{proposal.pk}: {exc}", messages.ERROR)
                continue
            results[reviewed.status] = results.get(reviewed.status, 0) + 1
        if results:
            self.message_user(request, ", ".join(f"{n} {status}" for status, n in sorted(results.items())),
                              messages.SUCCESS)

    @admin.action(description="Accept the selected proposals")
    def accept_selected(self, request: HttpRequest, queryset: Any) -> None:
        self._review(request, queryset, accept=True)

    @admin.action(description="Reject the selected proposals")
    def reject_selected(self, request: HttpRequest, queryset: Any) -> None:
        self._review(request, queryset, accept=False)

