"""Translated names of the practice library's vocabularies: instruments, scopes, target groups, regions.

One place for the pages, the forms, the brief and its PDF (a data module must not import a views module).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from msmelens.practices.records import REGIONS

INSTRUMENT_LABELS = {
    "single_window": gettext_lazy("Single window"),
    "trade_information_portal": gettext_lazy("Trade information portal"),
    "postal_export_scheme": gettext_lazy("Postal export scheme"),
    "simplified_customs_regime": gettext_lazy("Simplified customs regime"),
    "authorised_economic_operator": gettext_lazy("Authorised economic operator"),
    "export_promotion_services": gettext_lazy("Export promotion services"),
    "export_training_and_coaching": gettext_lazy("Export training and coaching"),
    "matching_grant": gettext_lazy("Matching grant"),
    "credit_guarantee": gettext_lazy("Credit guarantee"),
    "supply_chain_finance": gettext_lazy("Supply chain finance"),
    "trade_finance_facility": gettext_lazy("Trade finance facility"),
    "digital_payments": gettext_lazy("Digital payments"),
    "ecommerce_enablement": gettext_lazy("E-commerce enablement"),
    "business_registration_reform": gettext_lazy("Business registration reform"),
    "regulatory_simplification": gettext_lazy("Regulatory simplification"),
    "procurement_access": gettext_lazy("Access to public procurement"),
    "sme_chapter_or_contact_point": gettext_lazy("SME chapter or contact point"),
    "data_and_dialogue": gettext_lazy("Data and dialogue"),
    "other": gettext_lazy("Other"),
}
SCOPE_LABELS = {
    "national": gettext_lazy("National"),
    "regional": gettext_lazy("Regional"),
    "global": gettext_lazy("Global"),
}


def instrument_label(key: str) -> str:
    """An instrument key in words, in the active language."""
    return str(INSTRUMENT_LABELS.get(key, (key or "").replace("_", " ")))


def target_group_label(key: str) -> str:
    return str(target_group_labels().get(key, (key or "").replace("_", " ")))


def scope_label(key: str) -> str:
    return str(SCOPE_LABELS.get(key, key or ""))


def region_label(key: str) -> str:
    return str(REGIONS.get(key, key or ""))



def target_group_labels() -> dict[str, Any]:
    """Readable, translated names of the target groups."""
    return {
        "micro": _("Micro firms"), "small": _("Small firms"), "medium": _("Medium-sized firms"),
        "women_owned": _("Women-owned firms"), "youth": _("Young entrepreneurs"), "rural": _("Rural firms"),
        "informal": _("Informal firms"), "all_firms": _("All firms"),
    }


