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
