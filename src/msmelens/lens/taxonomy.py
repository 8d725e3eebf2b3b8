"""The lens's fixed vocabulary: relevance levels, the eight obstacle categories, WTO bodies."""

from __future__ import annotations

RELEVANCE_LEVELS: tuple[str, ...] = ("explicit", "implicit", "none")
BINDING_LEVELS: tuple[str, ...] = ("binding", "soft")

CATEGORIES: tuple[str, ...] = (
    "skills",
    "market_information",
    "border_procedures",
    "finance",
    "digital",
    "infrastructure",
    "regulatory_framework",
    "dialogue_and_data",
)

# key -> body name, from shared/reference/wto-bodies.md
COMMITTEES: dict[str, str] = {
    "trade_facilitation": "Committee on Trade Facilitation",
    "tbt": "Committee on Technical Barriers to Trade",
    "sps": "Committee on Sanitary and Phytosanitary Measures",
    "market_access": "Committee on Market Access",
    "rules_of_origin": "Committee on Rules of Origin",
    "import_licensing": "Committee on Import Licensing",
    "customs_valuation": "Committee on Customs Valuation",
    "services": "Council for Trade in Services",
    "ecommerce": "Work Programme on Electronic Commerce",
    "government_procurement": "Committee on Government Procurement",
    "trade_finance": "Working Group on Trade, Debt and Finance",
    "trade_and_development": "Committee on Trade and Development",
    "trips": "Council for TRIPS",
    "regional_trade_agreements": "Committee on Regional Trade Agreements",
    "msme_iwg": "Informal Working Group on MSMEs",
    "trade_policy_review": "Trade Policy Review Body",
}
