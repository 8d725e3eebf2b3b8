"""The self-assessment as one server-rendered form, built from the questions in ``assessment`` (no JavaScript).

Every question may be left unanswered (it then counts as not yet known) except the firm's country. Markets are
five text fields sharing one list of suggestions (``<datalist>``): a country is typed as its name in English,
French or Spanish or as its code, which keeps the page light (one list of countries instead of six).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import pycountry
from django import forms
from django.utils.translation import gettext_lazy as _

from msmelens.agreements.search import fold
from msmelens.countries.names import country_name
from msmelens.guide import assessment as spec
from msmelens.guide.services import MAX_EMPLOYEES, Firm

WEB_MARKETS = 5
SECTIONS: tuple[str, ...] = ("firm", "awareness", "skills", "infrastructure", "survey")


def country_choices(language: str) -> list[tuple[str, str]]:
    codes = [c.alpha_3 for c in pycountry.countries]
    named = [(code, country_name(code, language)) for code in codes]
    return sorted(named, key=lambda pair: (fold(pair[1]), pair[0]))


@lru_cache(maxsize=1)
def _names_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for country in pycountry.countries:
        code = country.alpha_3
        for language in ("en", "fr", "es"):
            index.setdefault(fold(country_name(code, language)).strip(), code)
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                index.setdefault(fold(value).strip(), code)
    return index


def resolve_country(text: str) -> str | None:
    """An ISO3 code for a country typed as its code or its name in English, French or Spanish (case and
    accents ignored), or None."""
    value = (text or "").strip()
    if len(value) == 3 and value.isalpha() and pycountry.countries.get(alpha_3=value.upper()) is not None:
        return value.upper()
    return _names_index().get(fold(value))


def _choice_field(question: spec.Question) -> forms.Field:
    choices = [(k, str(v)) for k, v in question.choices]
    if question.kind == "many":
        return forms.MultipleChoiceField(label=question.label, required=False, choices=choices,
                                         widget=forms.CheckboxSelectMultiple)
    if question.kind == "rating" or len(choices) > 6:
        return forms.ChoiceField(label=question.label, required=False,
                                 choices=[("", _("— choose —")), *choices])
    return forms.ChoiceField(label=question.label, required=False, choices=choices, widget=forms.RadioSelect)


class GuideForm(forms.Form):
    def __init__(self, *args: Any, language: str = "en", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        countries = country_choices(language)
        blank = [("", str(_("— choose —")))]
        self.fields["country"] = forms.ChoiceField(label=spec.BY_NAME["country"].label, choices=blank + countries)
        self.fields["sector"] = _choice_field(spec.BY_NAME["sector"])
        self.fields["employees"] = forms.IntegerField(
            label=spec.BY_NAME["employees"].label, required=False, min_value=0, max_value=MAX_EMPLOYEES,
            widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        )
        self.language = language
        for i in range(1, WEB_MARKETS + 1):  # typed names with a shared list of suggestions: a light page
            self.fields[f"market_{i}"] = forms.CharField(
                label=_("Market %(n)d") % {"n": i}, required=False, max_length=80,
                widget=forms.TextInput(attrs={"list": "country-names", "autocomplete": "off"}),
            )
        for name in spec.ANSWER_NAMES:
            self.fields[name] = _choice_field(spec.BY_NAME[name])
        self.fields["consent"] = forms.BooleanField(
            label=_("Add my answers, without my name or contact, to the survey of small firms' obstacles, so "
                    "that policymakers see them."),
            required=False,
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for i in range(1, WEB_MARKETS + 1):
            name = f"market_{i}"
            text = (data.get(name) or "").strip()
            if not text:
                continue
            code = resolve_country(text)
            if code is None:
                self.add_error(name, _("We do not know the country '%(text)s': choose one from the list.")
                               % {"text": text[:80]})
            else:
                data[name] = code
        return data

    def country_names(self) -> list[str]:
        """The suggestions of the market fields: every country's name in the page's language."""
        return [name for _code, name in country_choices(self.language)]

    def sections(self) -> list[tuple[str, str, list[forms.BoundField]]]:
        """(key, heading, fields) per section, in the order of the questions."""
        out: list[tuple[str, str, list[forms.BoundField]]] = []
        for key in SECTIONS:
            names = [q.name for q in spec.QUESTIONS if q.section == key]
            if key == "firm":
                names = [*names[:3], *(f"market_{i}" for i in range(1, WEB_MARKETS + 1)), *names[4:]]
            out.append((key, str(spec.SECTION_LABELS[key]), [self[n] for n in names]))
        return out

    def firm(self) -> Firm:
        data = self.cleaned_data
        markets = [data[f"market_{i}"] for i in range(1, WEB_MARKETS + 1) if data.get(f"market_{i}")]
        return Firm(country=data["country"], sector=data.get("sector") or "", employees=data.get("employees"),
                    markets=markets)

    def answers(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in spec.ANSWER_NAMES
                if self.cleaned_data.get(name) not in (None, "", [])}


def initial_for(*, country: str, sector: str, employees: int | None, markets: list[str],
                answers: dict[str, Any], language: str = "en") -> dict[str, Any]:
    """The form's initial values for a saved assessment (to change one's answers)."""
    initial: dict[str, Any] = {"country": country, "sector": sector, "employees": employees, **answers}
    for i, market in enumerate(markets[:WEB_MARKETS], start=1):
        initial[f"market_{i}"] = country_name(market, language)
    return initial
