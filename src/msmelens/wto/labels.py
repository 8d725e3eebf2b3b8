"""Translated names for the WTO pages: topics, instruments, reasons, baseline levels, WTO bodies."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from msmelens.agreements.labels import committee_label
from msmelens.lens.taxonomy import COMMITTEES

TOPIC_LABELS = {
    "publication": gettext_lazy("Publication and enquiry points"),
    "advance_rulings": gettext_lazy("Advance rulings"),
    "single_window": gettext_lazy("Single window"),
    "authorised_operators": gettext_lazy("Authorised operators"),
    "conformity_assessment": gettext_lazy("Conformity assessment"),
    "procurement": gettext_lazy("Participation in government procurement"),
    "ecommerce": gettext_lazy("Electronic commerce"),
}

INSTRUMENT_LABELS = {
    "topic": gettext_lazy("The topic itself (absent from the WTO text)"),
    "internet": gettext_lazy("Publication on the internet"),
    "comment": gettext_lazy("Comment on drafts before adoption"),
    "free_of_charge": gettext_lazy("Information free of charge"),
    "deadline": gettext_lazy("A deadline to issue the ruling"),
    "valuation": gettext_lazy("Rulings on customs value"),
    "interoperability": gettext_lazy("Interoperable single windows"),
    "mutual_recognition": gettext_lazy("Mutual recognition"),
    "supplier_declaration": gettext_lazy("Supplier's declaration of conformity"),
    "electronic_procurement": gettext_lazy("Electronic procurement"),
    "subcontracting": gettext_lazy("Subcontracting and consortia"),
    "set_aside": gettext_lazy("Set-asides and price preferences"),
    "paperless": gettext_lazy("Paperless trading"),
    "e_signatures": gettext_lazy("Electronic signatures and authentication"),
    "consumer_protection": gettext_lazy("Online consumer protection"),
}

REASON_LABELS = {
    "binding": gettext_lazy("Binding where the WTO is best endeavour"),
    "sme": gettext_lazy("Names SMEs where the WTO is silent"),
    "instrument": gettext_lazy("An instrument the WTO text lacks"),
}

LEVEL_LABELS = {
    "binding": gettext_lazy("Binding"),
    "soft": gettext_lazy("Best endeavour only"),
    "absent": gettext_lazy("Not in the WTO text"),
    "not_compared": gettext_lazy("WTO text not imported"),
}

PARTIES_LABELS = {
    "members": gettext_lazy("All WTO members"),
    "gpa": gettext_lazy("The parties to the GPA"),
}

# WTO bodies that administer an agreement but are not among the lens's committees
BODY_LABELS = {
    "General Council": gettext_lazy("General Council"),
    "Council for Trade in Goods": gettext_lazy("Council for Trade in Goods"),
    "Committee on Agriculture": gettext_lazy("Committee on Agriculture"),
    "Committee on Trade-Related Investment Measures": gettext_lazy(
        "Committee on Trade-Related Investment Measures"
    ),
    "Committee on Anti-Dumping Practices": gettext_lazy("Committee on Anti-Dumping Practices"),
    "Committee on Subsidies and Countervailing Measures": gettext_lazy(
        "Committee on Subsidies and Countervailing Measures"
    ),
    "Committee on Safeguards": gettext_lazy("Committee on Safeguards"),
    "Committee on Trade in Financial Services": gettext_lazy("Committee on Trade in Financial Services"),
    "Dispute Settlement Body": gettext_lazy("Dispute Settlement Body"),
}


def _label(table: dict[str, object], key: str) -> str:
    value = table.get(key)
    return str(value) if value is not None else key


def topic_label(key: str) -> str:
    return _label(TOPIC_LABELS, key)  # type: ignore[arg-type]


def instrument_label(key: str) -> str:
    return _label(INSTRUMENT_LABELS, key)  # type: ignore[arg-type]


def reason_label(key: str) -> str:
    return _label(REASON_LABELS, key)  # type: ignore[arg-type]


def level_label(key: str) -> str:
    return _label(LEVEL_LABELS, key)  # type: ignore[arg-type]


def parties_label(key: str) -> str:
    return _label(PARTIES_LABELS, key)  # type: ignore[arg-type]


def body_label(name: str, key: str = "") -> str:
    """A WTO body's name in the current language (its committee label when the lens knows it)."""
    if key and key in COMMITTEES:
        return committee_label(key)
    return _label(BODY_LABELS, name) or _("(unknown body)")  # type: ignore[arg-type]
