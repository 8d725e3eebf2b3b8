"""The search page's language filter (a field the search view adds to ``forms.SearchForm``) and hit rows."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from msmelens.agreements.search_selectors import hit_language
from msmelens.agreements.selectors import SearchHit
from msmelens.corpus.stemming import LANGUAGES
from msmelens.web.widgets import FastSelect


def language_name(code: str) -> str:
    """A language code ("es") named in the active language ("Spanish", "Espagnol"); "" when unknown."""
    try:
        return str(get_language_info(code)["name_translated"]) if code else ""
    except KeyError:
        return ""


def language_choices() -> list[tuple[str, str]]:
    """"All languages", then English, French and Spanish named in the active language."""
    return [("", _("All languages"))] + [(code, language_name(code)) for code in LANGUAGES]


def add_language_field(form: forms.Form) -> forms.Form:
    """Give a search form its "language of the provisions" choice (before it is validated); returns it."""
    form.fields["language"] = forms.ChoiceField(
        label=_("Language of the provisions"), required=False, choices=language_choices(), widget=FastSelect
    )
    return form


def hit_rows(hits: list[SearchHit]) -> list[dict[str, Any]]:
    """Search hits for the template, each with its language code and name ("es", "Spanish")."""
    rows = []
    for hit in hits:
        code = hit_language(hit)
        rows.append({"hit": hit, "language": code, "language_label": language_name(code)})
    return rows
