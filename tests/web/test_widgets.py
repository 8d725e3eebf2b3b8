"""FastSelect writes the markup Django's Select writes (escaping, selection, optgroups), without templates."""

from __future__ import annotations

import re

from django import forms

from msmelens.web.widgets import FastSelect

CHOICES = [("", "Any & all"), ("PER", "Perú <x>"), ("CHL", 'Chile "CL"'), ("Group", [("a", "A"), ("b", "B")])]


def _norm(html: str) -> str:
    return re.sub(r"\s+", "", html)


def test_same_markup_as_djangos_select() -> None:
    for value in ("PER", "", None, "b", "nope"):
        attrs = {"id": "id_party", "required": True}
        django_html = forms.Select(choices=CHOICES).render("party", value, attrs)
        fast_html = FastSelect(choices=CHOICES).render("party", value, attrs)
        assert _norm(fast_html) == _norm(django_html), value


def test_values_and_labels_are_escaped() -> None:
    html = FastSelect(choices=[('"><script>', "<b>")]).render("x", None)
    assert "<script>" not in html and "<b>" not in html
    assert "&quot;&gt;&lt;script&gt;" in html and "&lt;b&gt;" in html


def test_fields_html_writes_what_the_field_template_writes() -> None:
    """``{{ form|fields_html }}`` (the search page) is a twin of including ``msmelens/_field.html`` per field:
    the same HTML, for a fresh form, a filled one and one with errors, in each language."""
    from django.template.loader import render_to_string
    from django.utils import translation

    from msmelens.agreements.forms import SearchForm
    from msmelens.agreements.search_form import add_language_field
    from msmelens.agreements.templatetags.msmelens_tags import fields_html

    choices = {"parties": [("PER", "Perú <x>"), ("CHL", "Chile")]}
    cases = [None, {"q": "ventanilla única", "party": "PER", "language": "es"}, {"q": "x", "year_from": "abc"}]
    for language in ("en", "fr", "es"):
        with translation.override(language):
            for data in cases:
                for _ in range(2):  # the second time, the labels come from fields_html's memory
                    form = add_language_field(SearchForm(data, choices=choices))
                    form.is_valid()
                    included = "".join(render_to_string("msmelens/_field.html", {"field": f}) for f in form)
                    assert str(fields_html(form)) == included, (language, data)
            assert "errorlist" in included  # the last case has errors
