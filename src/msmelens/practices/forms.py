"""Django forms for the editing pages: a practice record (edit, propose), a restore and a review decision.

The record form speaks the seed file's language (``practices.jsonl``): ``to_record()`` gives the dict the
services take, and ``initial_from_record()`` turns a record back into the form's initial values. Outcomes and
sources are edited as JSON lists in a textarea; every message names the list, the row and the field so that a
contributor can find the mistake. The form carries the version the editor started from (``expected_version``)
so that a save from an old version becomes a conflict instead of overwriting someone else's work.
"""

from __future__ import annotations

import json
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from msmelens.agreements import labels
from msmelens.lens.taxonomy import CATEGORIES
from msmelens.practices.labels import instrument_label, target_group_labels
from msmelens.practices.records import DESIGNS, INSTRUMENTS, OUTCOME_KEYS, SOURCE_KEYS

TRANSLATED = ("fr", "es")
ISO3 = re.compile(r"^[A-Z]{3}$")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")



def evidence_level_labels() -> dict[int, Any]:
    """The Maryland scale in plain words (1 weakest, 5 strongest)."""
    return {
        1: _("1 – monitoring figures or a correlation"),
        2: _("2 – before and after, without a comparison group"),
        3: _("3 – compared with similar firms that did not take part"),
        4: _("4 – quasi-random variation (natural experiment)"),
        5: _("5 – randomised trial"),
    }


def _number_or_none(value: Any) -> bool:
    return value is None or (isinstance(value, (int, float)) and not isinstance(value, bool))


def _year_or_none(value: Any) -> bool:
    return value is None or (isinstance(value, int) and not isinstance(value, bool) and 1900 <= value <= 2100)


def _json_rows(raw: str, what: Any) -> list[Any]:
    """Parse a textarea holding a JSON list of objects; a readable error names the line or row."""
    raw = (raw or "").strip()
    if not raw:
        return []
    try:
        rows = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ValidationError(
            _("%(what)s: this is not valid JSON near line %(line)s, column %(column)s (%(problem)s). "
              "Write a list in square brackets, one {…} block per row, with double quotes around texts."),
            params={"what": what, "line": exc.lineno, "column": exc.colno, "problem": exc.msg},
        ) from exc
    if not isinstance(rows, list):
        raise ValidationError(_("%(what)s: write a list in square brackets [ … ], even for one row."),
                              params={"what": what})
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            raise ValidationError(_("%(what)s, row %(row)s: each row must be a {…} block of named fields."),
                                  params={"what": what, "row": number})
    return rows


def _unknown_keys(rows: list[dict[str, Any]], allowed: tuple[str, ...], what: Any) -> None:
    for number, row in enumerate(rows, start=1):
        unknown = sorted(set(row) - set(allowed))
        if unknown:
            raise ValidationError(
                _("%(what)s, row %(row)s: unknown field “%(field)s”; the fields are %(allowed)s."),
                params={"what": what, "row": number, "field": unknown[0], "allowed": ", ".join(allowed)},
            )


def clean_outcomes(raw: str) -> list[dict[str, Any]]:
    """The outcomes textarea as a list of ``{indicator, value, unit, baseline, year, design, note}``."""
    what = _("Outcomes")
    rows = _json_rows(raw, what)
    _unknown_keys(rows, OUTCOME_KEYS, what)
    cleaned = []
    for number, row in enumerate(rows, start=1):
        params = {"what": what, "row": number}
        if not str(row.get("indicator") or "").strip():
            raise ValidationError(_("%(what)s, row %(row)s: the “indicator” (what was measured) is missing."),
                                  params=params)
        for key in ("value", "baseline"):
            if not _number_or_none(row.get(key)):
                raise ValidationError(
                    _("%(what)s, row %(row)s: “%(field)s” must be a number without quotes (or null)."),
                    params={**params, "field": key})
        if not _year_or_none(row.get("year")):
            raise ValidationError(_("%(what)s, row %(row)s: “year” must be a year such as 2019 (or null)."),
                                  params=params)
        if row.get("design") not in DESIGNS:
            raise ValidationError(
                _("%(what)s, row %(row)s: “design” must be one of %(allowed)s."),
                params={**params, "allowed": ", ".join(DESIGNS)})
        cleaned.append({key: row.get(key) for key in OUTCOME_KEYS})
    return cleaned


def clean_sources(raw: str) -> list[dict[str, Any]]:
    """The sources textarea as a list of ``{title, publisher, year, url}``."""
    what = _("Sources")
    rows = _json_rows(raw, what)
    _unknown_keys(rows, SOURCE_KEYS, what)
    check_url = URLValidator(schemes=["http", "https"])
    cleaned = []
    for number, row in enumerate(rows, start=1):
        params = {"what": what, "row": number}
        if not str(row.get("title") or "").strip():
            raise ValidationError(_("%(what)s, row %(row)s: the “title” is missing."), params=params)
        if not _year_or_none(row.get("year")):
            raise ValidationError(_("%(what)s, row %(row)s: “year” must be a year such as 2019 (or null)."),
                                  params=params)
        url = row.get("url")
        if url:
            try:
                check_url(str(url))
            except ValidationError as exc:
                raise ValidationError(
                    _("%(what)s, row %(row)s: “url” must be a web address starting with http:// or https://."),
                    params=params) from exc
        cleaned.append({key: row.get(key) for key in SOURCE_KEYS})
    return cleaned


def _pretty(rows: Any) -> str:
    return json.dumps(rows or [], ensure_ascii=False, indent=2)


class PracticeForm(forms.Form):
    """One practice record. ``new=True`` adds the record's identifier (``slug``), asked only once."""

    slug = forms.CharField(
        label=_("Identifier"), max_length=120, required=False,
        help_text=_("Short, lower-case words joined by hyphens, e.g. peru-exporta-facil. It never changes."),
    )
    title = forms.CharField(label=_("Title"), max_length=500)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 6}), required=False,
                              help_text=_("Two to four sentences: what was done, for whom, and what came of it."))
    title_fr = forms.CharField(label=_("Title in French"), max_length=500, required=False)
    summary_fr = forms.CharField(label=_("Summary in French"), widget=forms.Textarea(attrs={"rows": 4}),
                                 required=False)
    title_es = forms.CharField(label=_("Title in Spanish"), max_length=500, required=False)
    summary_es = forms.CharField(label=_("Summary in Spanish"), widget=forms.Textarea(attrs={"rows": 4}),
                                 required=False)
    countries = forms.CharField(
        label=_("Countries"), max_length=2000, required=False,
        help_text=_("Three-letter codes separated by commas, e.g. PER, CHL; leave empty for a global initiative."),
    )
    scope = forms.ChoiceField(label=_("Scope"), choices=lambda: [
        ("national", _("National")), ("regional", _("Regional")), ("global", _("Global"))])
    start_year = forms.IntegerField(label=_("Start year"), required=False, min_value=1900, max_value=2100)
    end_year = forms.IntegerField(label=_("End year"), required=False, min_value=1900, max_value=2100,
                                  help_text=_("Leave empty if it is still running or unknown."))
    implementer = forms.CharField(label=_("Implementer"), max_length=1000, required=False)
    instrument = forms.ChoiceField(label=_("Instrument"), choices=lambda: [(i, instrument_label(i)) for i in INSTRUMENTS])
    obstacles = forms.MultipleChoiceField(
        label=_("Obstacles addressed"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=lambda: [(k, labels.CATEGORY_LABELS[k]) for k in CATEGORIES],
    )
    target_groups = forms.MultipleChoiceField(
        label=_("Target groups"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=lambda: list(target_group_labels().items()),
    )
    evidence_level = forms.TypedChoiceField(
        label=_("Evidence level"), required=False, coerce=int, empty_value=None,
        choices=lambda: [("", _("No outcome evidence"))] + list(evidence_level_labels().items()),
    )
    outcomes = forms.CharField(
        label=_("Outcomes (JSON list)"), required=False, widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_('One {…} block per measured outcome with "indicator", "value", "unit", "baseline", "year", '
                    '"design" and "note"; design is monitoring, before_after, comparison_group, '
                    'quasi_experimental or randomised.'),
    )
    sources = forms.CharField(
        label=_("Sources (JSON list)"), required=False, widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_('One {…} block per source with "title", "publisher", "year" and "url".'),
    )
    verified = forms.BooleanField(label=_("The key facts were checked in a source"), required=False)
    reason = forms.CharField(
        label=_("Reason for this change"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Say what you changed and why, e.g. “2021 evaluation added”. It is kept in the history."),
        error_messages={"required": _("Please say why you make this change: it is kept in the record's history.")},
    )
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args: Any, new: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.new = new
        if new:
            self.fields["slug"].required = True
        else:
            del self.fields["slug"]

    def clean_slug(self) -> str:
        slug = self.cleaned_data.get("slug", "").strip()
        if slug and not SLUG.match(slug):
            raise ValidationError(_("Use only lower-case letters, digits and single hyphens, e.g. peru-exporta-facil."))
        return slug

    def clean_countries(self) -> list[str]:
        codes = [c.strip().upper() for c in re.split(r"[,;\s]+", self.cleaned_data.get("countries") or "") if c.strip()]
        bad = [c for c in codes if not ISO3.match(c)]
        if bad:
            raise ValidationError(_("“%(code)s” is not a three-letter country code such as PER or CHL."),
                                  params={"code": bad[0]})
        return list(dict.fromkeys(codes))

    def clean_outcomes(self) -> list[dict[str, Any]]:
        return clean_outcomes(self.cleaned_data.get("outcomes", ""))

    def clean_sources(self) -> list[dict[str, Any]]:
        return clean_sources(self.cleaned_data.get("sources", ""))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start_year"), data.get("end_year")
        if start and end and end < start:
            self.add_error("end_year", _("The end year must not be before the start year."))
        return data

    def to_record(self, *, slug: str | None = None, original_language: str = "en") -> dict[str, Any]:
        """The cleaned form as a record in the seed file's shape (what the services take); ``slug`` is the
        record's identifier when the form has no ``slug`` field (an edit)."""
        d = self.cleaned_data
        translations = {
            lang: {k: d[f"{k}_{lang}"].strip() for k in ("title", "summary") if d.get(f"{k}_{lang}", "").strip()}
            for lang in TRANSLATED
        }
        record: dict[str, Any] = {
            "id": d["slug"] if self.new else slug, "original_language": original_language,
            "title": d["title"].strip(), "summary": d["summary"].strip(),
            "translations": {lang: t for lang, t in translations.items() if t},
            "countries": d["countries"], "scope": d["scope"], "start_year": d.get("start_year"),
            "end_year": d.get("end_year"), "implementer": d["implementer"].strip(), "instrument": d["instrument"],
            "obstacles": list(d["obstacles"]), "target_groups": list(d["target_groups"]),
            "outcomes": d["outcomes"], "evidence_level": d.get("evidence_level"), "sources": d["sources"],
            "verified": bool(d.get("verified")),
        }
        return record


def initial_from_record(record: dict[str, Any], *, version: int | None = None) -> dict[str, Any]:
    """A record (seed-file shape, or a practice's fields) as the record form's initial values."""
    translations = record.get("translations") or {}
    initial = {
        key: record.get(key)
        for key in ("title", "summary", "scope", "start_year", "end_year", "implementer", "instrument",
                    "obstacles", "target_groups", "evidence_level", "verified")
    }
    initial["countries"] = ", ".join(record.get("countries") or [])
    initial["outcomes"] = _pretty(record.get("outcomes"))
    initial["sources"] = _pretty(record.get("sources"))
    for lang in TRANSLATED:
        for key in ("title", "summary"):
            initial[f"{key}_{lang}"] = (translations.get(lang) or {}).get(key, "")
    initial["expected_version"] = version
    return {k: v for k, v in initial.items() if v is not None}


class RestoreForm(forms.Form):
    """A curator's restore of an earlier version: the reason is kept in the history."""

    reason = forms.CharField(
        label=_("Reason for restoring"), max_length=2000,
        error_messages={"required": _("Please say why you restore this version: it is kept in the history.")},
    )


class CompareForm(forms.Form):
    """The two version numbers of the versions page's Compare button (``?a=&b=``)."""

    a = forms.IntegerField(min_value=1, error_messages={"required": _("Pick two versions to compare.")})
    b = forms.IntegerField(min_value=1, error_messages={"required": _("Pick two versions to compare.")})


class ReviewForm(forms.Form):
    """A curator's decision on a pending proposal, with a note for its author."""

    proposal = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    decision = forms.ChoiceField(choices=[("accept", "accept"), ("reject", "reject")])
    note = forms.CharField(label=_("Note for the contributor"), max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("decision") == "reject" and not (data.get("note") or "").strip():
            self.add_error("note", _("Please tell the contributor why the proposal is rejected."))
        return data
