"""Django forms validating the pages' query strings and the draft upload (views stay thin)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from msmelens.agreements import labels
from msmelens.lens.taxonomy import CATEGORIES
from msmelens.web.widgets import FastSelect

MAX_QUERY_CHARS = 200
UPLOAD_EXTENSIONS = (".pdf", ".docx", ".html", ".htm", ".txt", ".xml")


def max_upload_bytes() -> int:
    """The upload limit from settings (``MSMELENS_MAX_UPLOAD_MB``, default 10 MB)."""
    mb = getattr(settings, "MSMELENS_MAX_UPLOAD_MB", None) or 10
    return int(float(mb) * 1024 * 1024)


def _category_choices() -> list[tuple[str, Any]]:
    return [("", _("Any category"))] + [(k, labels.CATEGORY_LABELS[k]) for k in CATEGORIES]


def _relevance_choices() -> list[tuple[str, Any]]:
    return [
        ("", _("Any relevance")),
        ("explicit", labels.RELEVANCE_LABELS["explicit"]),
        ("implicit", labels.RELEVANCE_LABELS["implicit"]),
    ]


class AgreementFilterForm(forms.Form):
    party = forms.ChoiceField(widget=FastSelect, label=_("Party"), required=False)
    region = forms.ChoiceField(widget=FastSelect, label=_("Region"), required=False)
    year_from = forms.IntegerField(
        label=_("Signed from (year)"), required=False, min_value=1900, max_value=2100
    )
    year_to = forms.IntegerField(
        label=_("Signed until (year)"), required=False, min_value=1900, max_value=2100
    )
    status = forms.ChoiceField(widget=FastSelect, label=_("Status"), required=False)
    category = forms.ChoiceField(widget=FastSelect, label=_("Category"), required=False, choices=_category_choices)
    relevance = forms.ChoiceField(widget=FastSelect, label=_("MSME relevance"), required=False, choices=_relevance_choices)
    sort = forms.ChoiceField(
        widget=FastSelect,
        label=_("Sort by"), required=False, choices=lambda: list(labels.SORT_LABELS.items())
    )

    def __init__(self, *args: Any, choices: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = choices or {}
        self.fields["party"].choices = [("", _("Any party"))] + list(choices.get("parties", []))
        self.fields["region"].choices = [("", _("Any region"))] + list(choices.get("regions", []))
        self.fields["status"].choices = [("", _("Any status"))] + list(choices.get("statuses", []))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        lo, hi = data.get("year_from"), data.get("year_to")
        if lo and hi and lo > hi:
            raise forms.ValidationError(_("The first year must not be after the last year."))
        return data


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search the provisions"),
        max_length=MAX_QUERY_CHARS,
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    relevance = forms.ChoiceField(widget=FastSelect, label=_("MSME relevance"), required=False, choices=_relevance_choices)
    category = forms.ChoiceField(widget=FastSelect, label=_("Category"), required=False, choices=_category_choices)
    party = forms.ChoiceField(widget=FastSelect, label=_("Party"), required=False)
    year_from = forms.IntegerField(
        label=_("Signed from (year)"), required=False, min_value=1900, max_value=2100
    )
    year_to = forms.IntegerField(
        label=_("Signed until (year)"), required=False, min_value=1900, max_value=2100
    )

    def __init__(self, *args: Any, choices: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = choices or {}
        self.fields["party"].choices = [("", _("Any party"))] + list(choices.get("parties", []))


class CompareForm(forms.Form):
    a = forms.ChoiceField(widget=FastSelect, label=_("First agreement"))
    b = forms.ChoiceField(widget=FastSelect, label=_("Second agreement"))

    def __init__(self, *args: Any, agreements: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("a", "b"):
            self.fields[name].choices = [("", _("Choose an agreement"))] + list(agreements or [])


class AnalyzeForm(forms.Form):
    text = forms.CharField(
        label=_("Paste the text of a draft agreement or chapter"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    file = forms.FileField(
        label=_("…or upload a file (PDF, DOCX, HTML, TXT or XML)"),
        required=False,
    )
    format = forms.ChoiceField(
        required=False,
        choices=[("", "HTML"), ("json", "JSON"), ("csv", "CSV"), ("md", "Markdown")],
        widget=forms.HiddenInput,
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload is None:
            return None
        name = (upload.name or "").lower()
        if not name.endswith(UPLOAD_EXTENSIONS):
            raise forms.ValidationError(
                _("“%(name)s” is not a supported file type. Upload a PDF, DOCX, HTML, TXT or XML file."),
                code="unsupported",
                params={"name": upload.name},
            )
        if upload.size > max_upload_bytes():
            raise forms.ValidationError(
                _("“%(name)s” is too large (%(size)s MB). The limit is %(limit)s MB."),
                code="too_large",
                params={
                    "name": upload.name,
                    "size": f"{upload.size / 1048576:.1f}",
                    "limit": f"{max_upload_bytes() / 1048576:.0f}",
                },
            )
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.errors:
            return data
        text = (data.get("text") or "").strip()
        if not text and data.get("file") is None:
            raise forms.ValidationError(_("Paste some text or choose a file to analyse."), code="empty")
        if len(text.encode("utf-8")) > max_upload_bytes():
            raise forms.ValidationError(
                _("The pasted text is too long. The limit is %(limit)s MB."),
                code="too_large",
                params={"limit": f"{max_upload_bytes() / 1048576:.0f}"},
            )
        return data

    def status_code(self) -> int:
        """413 when something was too large, 400 for any other invalid input."""
        for errors in self.errors.as_data().values():
            if any(e.code == "too_large" for e in errors):
                return 413
        return 400
