"""The WTO legal texts msmelens can download and read: one ``WtoSource`` per agreement (or GATS annex).

URLs are the WTO's own legal-texts pages (``https://www.wto.org/<language>/docs_<x>/legal_<x>/``), in English,
French and Spanish. Several GATS annexes share one page with the end of the GATS; for those, ``sections``
names, per language, the heading at which the annex starts so the reader keeps only that part of the page.
Pure Python, no network access here (``msmelens.corpus.wto_download`` fetches).
"""

from __future__ import annotations

from dataclasses import dataclass, field

LANGUAGES: tuple[str, ...] = ("en", "fr", "es")
WTO_SITE = "https://www.wto.org"
_FOLDERS = {"en": "english/docs_e/legal_e", "fr": "french/docs_f/legal_f", "es": "spanish/docs_s/legal_s"}
_SUFFIX = {"en": "e", "fr": "f", "es": "s"}


@dataclass(frozen=True)
class WtoSource:
    key: str
    title: str
    short_title: str
    body: str  # the WTO body that administers the agreement
    urls: dict[str, str]  # language -> URL of the legal text on www.wto.org
    parties: str  # "members" (all WTO members) or "gpa" (parties to the GPA 2012)
    year: int
    # language -> regular expression of the heading where this text starts on a shared page ("" = whole page)
    sections: dict[str, str] = field(default_factory=dict)
    date_signed: str = "1994-04-15"  # ISO date the text was adopted or signed
    date_into_force: str = "1995-01-01"

    def url(self, language: str) -> str:
        return self.urls[language]

    def __hash__(self) -> int:
        return hash(self.key)


def _urls(stem: str) -> dict[str, str]:
    return {lang: f"{WTO_SITE}/{_FOLDERS[lang]}/{stem}_{_SUFFIX[lang]}.htm" for lang in LANGUAGES}


_GOODS = "Council for Trade in Goods"
_SERVICES = "Council for Trade in Services"
_GATS_END = "26-gats_02"  # GATS Part VI and the GATS annexes


def _annex(
    key: str, title: str, short: str, en: str, fr: str, es: str, *, body: str = _SERVICES
) -> WtoSource:
    return WtoSource(
        key=key,
        title=title,
        short_title=short,
        body=body,
        urls=_urls(_GATS_END),
        parties="members",
        year=1994,
        sections={"en": en, "fr": fr, "es": es},
    )


SOURCES: tuple[WtoSource, ...] = (
    WtoSource(
        "marrakesh",
        "Marrakesh Agreement Establishing the World Trade Organization",
        "WTO Agreement",
        "General Council",
        _urls("04-wto"),
        "members",
        1994,
    ),
    WtoSource(
        "gatt1994",
        "General Agreement on Tariffs and Trade 1994",
        "GATT 1994",
        _GOODS,
        _urls("06-gatt"),
        "members",
        1994,
    ),
    WtoSource(
        "agriculture",
        "Agreement on Agriculture",
        "Agriculture",
        "Committee on Agriculture",
        _urls("14-ag_01"),
        "members",
        1994,
    ),
    WtoSource(
        "sps",
        "Agreement on the Application of Sanitary and Phytosanitary Measures",
        "SPS Agreement",
        "Committee on Sanitary and Phytosanitary Measures",
        _urls("15sps_01"),
        "members",
        1994,
    ),
    WtoSource(
        "tbt",
        "Agreement on Technical Barriers to Trade",
        "TBT Agreement",
        "Committee on Technical Barriers to Trade",
        _urls("17-tbt"),
        "members",
        1994,
    ),
    WtoSource(
        "trims",
        "Agreement on Trade-Related Investment Measures",
        "TRIMs Agreement",
        "Committee on Trade-Related Investment Measures",
        _urls("18-trims"),
        "members",
        1994,
    ),
    WtoSource(
        "antidumping",
        "Agreement on Implementation of Article VI of the General Agreement on Tariffs and Trade 1994",
        "Anti-Dumping Agreement",
        "Committee on Anti-Dumping Practices",
        _urls("19-adp_01"),
        "members",
        1994,
    ),
    WtoSource(
        "customs-valuation",
        "Agreement on Implementation of Article VII of the General Agreement on Tariffs and Trade 1994",
        "Customs Valuation Agreement",
        "Committee on Customs Valuation",
        _urls("20-val_01"),
        "members",
        1994,
    ),
    WtoSource(
        "psi",
        "Agreement on Preshipment Inspection",
        "Preshipment Inspection",
        _GOODS,
        _urls("21-psi"),
        "members",
        1994,
    ),
    WtoSource(
        "rules-of-origin",
        "Agreement on Rules of Origin",
        "Rules of Origin",
        "Committee on Rules of Origin",
        _urls("22-roo"),
        "members",
        1994,
    ),
    WtoSource(
        "import-licensing",
        "Agreement on Import Licensing Procedures",
        "Import Licensing",
        "Committee on Import Licensing",
        _urls("23-lic"),
        "members",
        1994,
    ),
    WtoSource(
        "scm",
        "Agreement on Subsidies and Countervailing Measures",
        "SCM Agreement",
        "Committee on Subsidies and Countervailing Measures",
        _urls("24-scm_01"),
        "members",
        1994,
    ),
    WtoSource(
        "safeguards",
        "Agreement on Safeguards",
        "Safeguards",
        "Committee on Safeguards",
        _urls("25-safeg"),
        "members",
        1994,
    ),
    WtoSource(
        "tfa",
        "Agreement on Trade Facilitation",
        "Trade Facilitation Agreement",
        "Committee on Trade Facilitation",
        _urls("tfa-nov14"),
        "members",
        2014,
        date_signed="2014-11-27",
        date_into_force="2017-02-22",
    ),
    WtoSource(
        "gats",
        "General Agreement on Trade in Services",
        "GATS",
        _SERVICES,
        _urls("26-gats_01"),
        "members",
        1994,
    ),
    _annex(
        "gats-annex-article-ii-exemptions",
        "GATS Annex on Article II Exemptions",
        "Annex on Article II Exemptions",
        r"^annex on article ii exemptions",
        r"^annexe sur les exemptions",
        r"^anexo sobre exenciones",
    ),
    _annex(
        "gats-annex-natural-persons",
        "GATS Annex on Movement of Natural Persons Supplying Services under the Agreement",
        "Annex on Movement of Natural Persons",
        r"^annex on movement of natural persons",
        r"^annexe sur le mouvement des personnes physiques",
        r"^anexo sobre el movimiento de personas fisicas",
    ),
    _annex(
        "gats-annex-air-transport",
        "GATS Annex on Air Transport Services",
        "Annex on Air Transport Services",
        r"^annex on air transport",
        r"^annexe sur les services de transport aerien",
        r"^anexo sobre servicios de transporte aereo",
    ),
    _annex(
        "gats-annex-financial-services",
        "GATS Annex on Financial Services",
        "Annex on Financial Services",
        r"^annex on financial services",
        r"^annexe sur les services financiers",
        r"^anexo sobre servicios financieros",
        body="Committee on Trade in Financial Services",
    ),
    _annex(
        "gats-annex-financial-services-2",
        "GATS Second Annex on Financial Services",
        "Second Annex on Financial Services",
        r"^second annex on financial services",
        r"^deuxieme annexe sur les services financiers",
        r"^segundo anexo sobre servicios financieros",
        body="Committee on Trade in Financial Services",
    ),
    _annex(
        "gats-annex-maritime",
        "GATS Annex on Negotiations on Maritime Transport Services",
        "Annex on Maritime Transport Negotiations",
        r"^annex on negotiations on maritime transport",
        r"^annexe sur les negociations sur les services de transport maritime",
        r"^anexo relativo a las negociaciones sobre servicios de transporte maritimo",
    ),
    _annex(
        "gats-annex-telecommunications",
        "GATS Annex on Telecommunications",
        "Annex on Telecommunications",
        r"^annex on telecommunications",
        r"^annexe sur les telecommunications",
        r"^anexo sobre telecomunicaciones",
    ),
    _annex(
        "gats-annex-basic-telecommunications",
        "GATS Annex on Negotiations on Basic Telecommunications",
        "Annex on Basic Telecommunications Negotiations",
        r"^annex on negotiations on basic telecommunications",
        r"^annexe sur les negociations sur les telecommunications de base",
        r"^anexo relativo a las negociaciones sobre telecomunicaciones basicas",
    ),
    WtoSource(
        "trips",
        "Agreement on Trade-Related Aspects of Intellectual Property Rights",
        "TRIPS Agreement",
        "Council for Trade-Related Aspects of Intellectual Property Rights",
        _urls("27-trips_01"),
        "members",
        1994,
    ),
    WtoSource(
        "dsu",
        "Understanding on Rules and Procedures Governing the Settlement of Disputes",
        "Dispute Settlement Understanding",
        "Dispute Settlement Body",
        _urls("28-dsu"),
        "members",
        1994,
    ),
    WtoSource(
        "tprm",
        "Trade Policy Review Mechanism",
        "Trade Policy Review Mechanism",
        "Trade Policy Review Body",
        _urls("29-tprm"),
        "members",
        1994,
    ),
    WtoSource(
        "gpa2012",
        "Agreement on Government Procurement (as amended on 30 March 2012)",
        "Government Procurement Agreement 2012",
        "Committee on Government Procurement",
        _urls("rev-gpr-94_01"),
        "gpa",
        2012,
        date_signed="2012-03-30",
        date_into_force="2014-04-06",
    ),
)

_BY_KEY = {s.key: s for s in SOURCES}


def source(key: str) -> WtoSource:
    """The source with ``key``; ``KeyError`` names the known keys."""
    try:
        return _BY_KEY[key]
    except KeyError:
        raise KeyError(f"unknown WTO text {key!r}; known: {', '.join(_BY_KEY)}") from None


def keys() -> tuple[str, ...]:
    return tuple(_BY_KEY)
