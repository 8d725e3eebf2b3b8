"""Hand-written snippets (text -> expected labels), pyxform style: the guideline traps in EN/ES/FR."""

from __future__ import annotations

import pytest

from msmelens.lens import analyze_text

# (language, text, relevance)
RELEVANCE_CASES = [
    ("en", "The Parties shall cooperate to promote small and medium-sized enterprises.", "explicit"),
    ("en", "Each Party shall maintain a website with information for SMEs on this Agreement.", "explicit"),
    ("en", "The Parties recognise the role of micro-enterprises in trade.", "explicit"),
    ("en", "Special attention shall be given to small business suppliers.", "explicit"),
    ("en", "Cooperation shall support small\nand  medium-sized\n enterprises of the Parties.", "explicit"),
    ("en", "The Parties shall cooperate on small-scale fisheries management.", "none"),
    ("en", "The Parties recognise the needs of small island developing States.", "none"),
    ("en", "The Committee shall adopt a medium-term work programme.", "none"),
    ("en", "Goods imported in small quantities shall be subject to the same duty.", "none"),
    ("en", "The Parties note the vulnerability of small economies to external shocks.", "none"),
    (
        "en",
        "Category 9: cotton fabrics, 15,000,000 SME. Quantities are expressed in square metres equivalent (SME).",
        "none",
    ),
    (
        "en",
        "This Agreement shall enter into force on the first day of the second month.\n\n"
        "Chapter 24 Small and Medium-Sized Enterprises",
        "none",
    ),
    (
        "en",
        "Each Party shall provide for advance rulings on tariff classification to importers and exporters.",
        "implicit",
    ),
    (
        "en",
        "Each Party shall establish or maintain a single window enabling traders to submit documentation.",
        "implicit",
    ),
    (
        "en",
        "Each Party shall publish its laws and regulations on customs procedures on the internet.",
        "implicit",
    ),
    (
        "en",
        "Customs duties on originating goods shall be eliminated in accordance with the Schedule.",
        "none",
    ),
    (
        "en",
        "For the purposes of this Chapter, originating material means a material that qualifies as originating.",
        "none",
    ),
    (
        "es",
        "Las Partes fomentarán la participación de las pequeñas y medianas empresas en el comercio.",
        "explicit",
    ),
    ("es", "Las Partes cooperarán en el desarrollo de las PYMES.", "explicit"),
    ("es", "Las Partes promoverán la pesca en pequeña escala y los pequeños Estados insulares.", "none"),
    ("es", "Cada Parte emitirá resoluciones anticipadas por escrito a solicitud del importador.", "implicit"),
    ("fr", "Les Parties encouragent le développement des petites et moyennes entreprises.", "explicit"),
    ("fr", "Les Parties coopèrent en faveur des PME.", "explicit"),
    ("fr", "Le présent accord entre en vigueur le premier jour du mois suivant.", "none"),
]


@pytest.mark.parametrize(("language", "text", "expected"), RELEVANCE_CASES)
def test_relevance_of_snippet(language: str, text: str, expected: str) -> None:
    result = analyze_text(text, language=language)
    assert result.relevance == expected, result.evidence
    if expected == "none":
        assert result.categories == [] and result.binding is None and result.committees == []
    else:
        assert result.categories, "a relevant provision gets at least one category"
        assert result.binding in ("binding", "soft")


# (language, text, binding)
BINDING_CASES = [
    (
        "en",
        "Each Party shall publish information for small and medium-sized enterprises on a website.",
        "binding",
    ),
    ("en", "The Parties shall establish a Committee on Small and Medium-Sized Enterprises.", "binding"),
    ("en", "The Parties shall endeavour to promote SMEs' participation in trade.", "soft"),
    ("en", "The Parties recognise the importance of SMEs and may cooperate on their development.", "soft"),
    ("en", "The Parties shall cooperate to promote small and medium-sized enterprises.", "soft"),
    ("en", "No Party may require a certificate of origin for low-value shipments of SMEs.", "binding"),
    ("es", "Cada Parte deberá publicar en internet la información para las PYMES.", "binding"),
    ("es", "Las Partes procurarán promover la participación de las PYMES.", "soft"),
    ("es", "Cada Parte establecerá un punto de contacto para las pequeñas y medianas empresas.", "binding"),
    ("fr", "Chaque Partie doit publier les informations utiles aux PME.", "binding"),
    ("fr", "Les Parties s'efforcent de favoriser les PME.", "soft"),
    ("fr", "Les Parties établissent un comité des petites et moyennes entreprises.", "binding"),
    ("fr", "Chaque Partie publie sur Internet ses procédures douanières.", "binding"),
]


@pytest.mark.parametrize(("language", "text", "expected"), BINDING_CASES)
def test_bindingness_of_snippet(language: str, text: str, expected: str) -> None:
    assert analyze_text(text, language=language).binding == expected


# (text, category that must be found)
CATEGORY_CASES = [
    ("The Parties shall cooperate on training and capacity building for SMEs.", "skills"),
    (
        "Each Party shall maintain a website with information for SMEs and organise trade fairs.",
        "market_information",
    ),
    ("The Parties shall simplify customs procedures and the release of goods for SMEs.", "border_procedures"),
    ("The Parties shall cooperate to improve SMEs' access to finance and trade finance.", "finance"),
    ("The Parties shall promote the use of electronic commerce by SMEs.", "digital"),
    ("The Parties shall cooperate on transport infrastructure and logistics serving SMEs.", "infrastructure"),
    (
        "The Parties shall reduce the administrative burden on SMEs in public procurement.",
        "regulatory_framework",
    ),
    ("The Parties shall establish a Committee on SMEs and exchange statistics on SMEs.", "dialogue_and_data"),
]


@pytest.mark.parametrize(("text", "category"), CATEGORY_CASES)
def test_category_of_snippet(text: str, category: str) -> None:
    result = analyze_text(text, language="en")
    assert result.relevance == "explicit"
    assert category in result.categories
    assert any(e.supports == category for e in result.evidence)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Chaque Membre publie dans les moindres délais les renseignements pour les petites entreprises.", "binding"),
        ("Les Membres s'efforceront d'aider les petites et moyennes entreprises à obtenir des renseignements.", "soft"),
        ("Chaque Membre s'efforcera de rendre accessibles aux PME les renseignements sur les procédures.", "soft"),
    ],
)
def test_bindingness_of_wto_style_french(text: str, expected: str) -> None:
    """WTO texts say "Membre", not "Partie"; "s'efforcer" in the future is still best endeavour."""
    assert analyze_text(text, language="fr", rules_only=True).binding == expected
