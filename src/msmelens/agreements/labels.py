"""Translated, human labels for the lens's keys and for ToTA's metadata values (one place for all of them)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from msmelens.lens.taxonomy import CATEGORIES, COMMITTEES

CATEGORY_LABELS = {
    "skills": _("Skills and training"),
    "market_information": _("Market information"),
    "border_procedures": _("Border procedures"),
    "finance": _("Access to finance"),
    "digital": _("Digital trade"),
    "infrastructure": _("Infrastructure"),
    "regulatory_framework": _("Regulatory framework"),
    "dialogue_and_data": _("Dialogue and data"),
}

RELEVANCE_LABELS = {
    "explicit": _("Explicit"),
    "implicit": _("Implicit"),
    "none": _("Not relevant"),
}

BINDING_LABELS = {
    "binding": _("Binding"),
    "soft": _("Soft"),
}

COMMITTEE_LABELS = {
    "trade_facilitation": _("Committee on Trade Facilitation"),
    "tbt": _("Committee on Technical Barriers to Trade"),
    "sps": _("Committee on Sanitary and Phytosanitary Measures"),
    "market_access": _("Committee on Market Access"),
    "rules_of_origin": _("Committee on Rules of Origin"),
    "import_licensing": _("Committee on Import Licensing"),
    "customs_valuation": _("Committee on Customs Valuation"),
    "services": _("Council for Trade in Services"),
    "ecommerce": _("Work Programme on Electronic Commerce"),
    "government_procurement": _("Committee on Government Procurement"),
    "trade_finance": _("Working Group on Trade, Debt and Finance"),
    "trade_and_development": _("Committee on Trade and Development"),
    "trips": _("Council for TRIPS"),
    "regional_trade_agreements": _("Committee on Regional Trade Agreements"),
    "msme_iwg": _("Informal Working Group on MSMEs"),
    "trade_policy_review": _("Trade Policy Review Body"),
}

STATUS_LABELS = {
    "In Force": _("In force"),
    "Inactive": _("Inactive"),
    "Early announcement-Signed": _("Signed (early announcement)"),
}

REGION_LABELS = {
    "Africa": _("Africa"),
    "Caribbean": _("Caribbean"),
    "Central America": _("Central America"),
    "Commonwealth of Independent States (CIS)": _("Commonwealth of Independent States (CIS)"),
    "East Asia": _("East Asia"),
    "Europe": _("Europe"),
    "Middle East": _("Middle East"),
    "North America": _("North America"),
    "Oceania": _("Oceania"),
    "South America": _("South America"),
    "West Asia": _("West Asia"),
}

SORT_LABELS = {
    "coverage": _("MSME coverage"),
    "name": _("Name"),
    "year": _("Year (oldest first)"),
    "-year": _("Year (newest first)"),
}

assert set(CATEGORY_LABELS) == set(CATEGORIES)
assert set(COMMITTEE_LABELS) == set(COMMITTEES)


def category_label(key: str) -> str:
    """The category's label in the active language (the key itself when unknown)."""
    return str(CATEGORY_LABELS.get(key, key))


def committee_label(key: str) -> str:
    return str(COMMITTEE_LABELS.get(key, key))


def relevance_label(key: str) -> str:
    return str(RELEVANCE_LABELS.get(key, key))


def binding_label(key: str | None) -> str:
    return str(BINDING_LABELS.get(key or "", key or ""))


def status_label(value: str) -> str:
    return str(STATUS_LABELS.get(value, value))


def region_label(value: str) -> str:
    """A ToTA region value ("Europe; Africa") with each part translated."""
    parts = [p.strip() for p in (value or "").split(";") if p.strip()]
    return "; ".join(str(REGION_LABELS.get(p, p)) for p in parts)


def category_choices() -> list[tuple[str, str]]:
    return [(key, category_label(key)) for key in CATEGORIES]


def language_label(code: str) -> str:
    """A text's language ("es") named in the active language ("Spanish", "Espagnol"); unknown codes as is."""
    from django.utils.translation import get_language_info

    if not code:
        return str(_("Language not known"))
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


def language_in_text(code: str) -> str:
    """``language_label`` for use inside a sentence: French and Spanish write language names in lower case
    ("le texte anglais", "el texto en inglés"); English keeps its capital."""
    from django.utils.translation import get_language

    label = language_label(code)
    active = (get_language() or "en").split("-")[0]
    return label if active == "en" or not code else label[:1].lower() + label[1:]
