"""Admin: agreements and logs are read-only; provisions carry a curation form that calls the service."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from msmelens.agreements import services
from msmelens.agreements.models import Agreement, AuditLog, Curation, Provision
from msmelens.lens.taxonomy import BINDING_LEVELS, CATEGORIES, RELEVANCE_LEVELS


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)


@admin.register(Agreement)
class AgreementAdmin(ReadOnlyAdmin):
    list_display = (
        "lens_id",
        "name",
        "year_signed",
        "region",
        "status",
        "coverage",
        "n_explicit",
        "n_implicit",
    )
    list_filter = ("status", "has_sme_chapter", "language")
    search_fields = ("lens_id", "name", "parties_key", "region")
    exclude = ("text",)
    ordering = ("lens_id",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Agreement]:
        return super().get_queryset(request).defer("text")


class CurationForm(forms.ModelForm):
    """The curator's labels for a provision; saving calls ``services.curate_provision``."""

    new_relevance = forms.ChoiceField(label="Relevance", choices=[(v, v) for v in RELEVANCE_LEVELS])
    new_categories = forms.MultipleChoiceField(
        label="Categories",
        choices=[(c, c) for c in CATEGORIES],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    new_binding = forms.ChoiceField(
        label="Binding", choices=[("", "—")] + [(b, b) for b in BINDING_LEVELS], required=False
    )
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    class Meta:
        model = Provision
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance and self.instance.pk:
            self.fields["new_relevance"].initial = self.instance.relevance
            self.fields["new_categories"].initial = list(self.instance.categories)
            self.fields["new_binding"].initial = self.instance.binding or ""

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        try:
            services.validate_labels(
                relevance=data.get("new_relevance", ""),
                categories=data.get("new_categories", []),
                binding=data.get("new_binding") or None,
            )
        except ValidationError as exc:
            for field, msgs in exc.message_dict.items():
                self.add_error(f"new_{field}" if f"new_{field}" in self.fields else None, msgs)
        return data


@admin.register(Provision)
class ProvisionAdmin(admin.ModelAdmin):
    form = CurationForm
    list_display = ("provision_id", "agreement", "relevance", "binding", "curated", "score")
    list_filter = ("relevance", "curated", "binding", "unit")
    search_fields = ("provision_id", "agreement__lens_id", "agreement__name")
    list_select_related = ("agreement",)
    readonly_fields = (
        "provision_id",
        "agreement",
        "source_ref",
        "chapter",
        "text",
        "relevance",
        "categories",
        "binding",
        "committees",
        "lens_labels",
        "curated",
    )
    fieldsets = (
        (None, {"fields": ("provision_id", "agreement", "source_ref", "chapter", "text")}),
        (
            "Labels in force",
            {"fields": ("relevance", "categories", "binding", "committees", "curated", "lens_labels")},
        ),
        ("Correct the labels", {"fields": ("new_relevance", "new_categories", "new_binding", "note")}),
    )
    actions = ["revert_to_lens"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Provision]:
        return super().get_queryset(request).defer("agreement__text")

    def save_model(self, request: HttpRequest, obj: Provision, form: forms.Form, change: bool) -> None:
        data = form.cleaned_data
        services.curate_provision(
            provision=obj,
            curator=request.user,
            relevance=data["new_relevance"],
            categories=data.get("new_categories") or [],
            binding=data.get("new_binding") or None,
            note=data.get("note", ""),
        )

    @admin.action(description="Revert to the lens's labels", permissions=["change"])
    def revert_to_lens(self, request: HttpRequest, queryset: QuerySet[Provision]) -> None:
        n = 0
        for provision in queryset.filter(curated=True):
            services.revert_curation(provision=provision, curator=request.user)
            n += 1
        self.message_user(request, f"{n} provision(s) reverted to the lens's labels.", messages.SUCCESS)


@admin.register(Curation)
class CurationAdmin(ReadOnlyAdmin):
    list_display = ("provision_id", "relevance", "binding", "curator", "created_at", "active")
    list_filter = ("active", "relevance")
    search_fields = ("provision_id", "note")


@admin.register(AuditLog)
class AuditLogAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "action", "actor", "object_ref")
    list_filter = ("action",)
    search_fields = ("object_ref",)
