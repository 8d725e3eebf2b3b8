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


def gettext_noop(message: str) -> str:
    """Mark ``message`` for translation (the keyword Django's makemessages extracts); pages show
    ``gettext(source.title)``. Pure Python: returns ``message`` as is."""
    return message


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


_GOODS = gettext_noop("Council for Trade in Goods")
_SERVICES = gettext_noop("Council for Trade in Services")
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
        gettext_noop("Marrakesh Agreement Establishing the World Trade Organization"),
        gettext_noop("WTO Agreement"),
        gettext_noop("General Council"),
        _urls("04-wto"),
        "members",
        1994,
    ),
    WtoSource(
        "gatt1994",
        gettext_noop("General Agreement on Tariffs and Trade 1994"),
        gettext_noop("GATT 1994"),
        _GOODS,
        _urls("06-gatt"),
        "members",
        1994,
    ),
    WtoSource(
        "agriculture",
        gettext_noop("Agreement on Agriculture"),
        gettext_noop("Agriculture"),
        gettext_noop("Committee on Agriculture"),
        _urls("14-ag_01"),
        "members",
        1994,
    ),
    WtoSource(
        "sps",
        gettext_noop("Agreement on the Application of Sanitary and Phytosanitary Measures"),
        gettext_noop("SPS Agreement"),
        gettext_noop("Committee on Sanitary and Phytosanitary Measures"),
        _urls("15sps_01"),
        "members",
        1994,
    ),
    WtoSource(
        "tbt",
        gettext_noop("Agreement on Technical Barriers to Trade"),
        gettext_noop("TBT Agreement"),
        gettext_noop("Committee on Technical Barriers to Trade"),
        _urls("17-tbt"),
        "members",
        1994,
    ),
    WtoSource(
        "trims",
        gettext_noop("Agreement on Trade-Related Investment Measures"),
        gettext_noop("TRIMs Agreement"),
        gettext_noop("Committee on Trade-Related Investment Measures"),
        _urls("18-trims"),
        "members",
        1994,
    ),
    WtoSource(
        "antidumping",
        gettext_noop(
            "Agreement on Implementation of Article VI of the General Agreement on Tariffs and Trade 1994"
        ),
        gettext_noop("Anti-Dumping Agreement"),
        gettext_noop("Committee on Anti-Dumping Practices"),
        _urls("19-adp_01"),
        "members",
        1994,
    ),
    WtoSource(
        "customs-valuation",
        gettext_noop(
            "Agreement on Implementation of Article VII of the General Agreement on Tariffs and Trade 1994"
        ),
        gettext_noop("Customs Valuation Agreement"),
        gettext_noop("Committee on Customs Valuation"),
        _urls("20-val_01"),
        "members",
        1994,
    ),
    WtoSource(
        "psi",
        gettext_noop("Agreement on Preshipment Inspection"),
        gettext_noop("Preshipment Inspection"),
        _GOODS,
        _urls("21-psi"),
        "members",
        1994,
    ),
    WtoSource(
        "rules-of-origin",
        gettext_noop("Agreement on Rules of Origin"),
        gettext_noop("Rules of Origin"),
        gettext_noop("Committee on Rules of Origin"),
        _urls("22-roo"),
        "members",
        1994,
    ),
    WtoSource(
        "import-licensing",
        gettext_noop("Agreement on Import Licensing Procedures"),
        gettext_noop("Import Licensing"),
        gettext_noop("Committee on Import Licensing"),
        _urls("23-lic"),
        "members",
        1994,
    ),
    WtoSource(
        "scm",
        gettext_noop("Agreement on Subsidies and Countervailing Measures"),
        gettext_noop("SCM Agreement"),
        gettext_noop("Committee on Subsidies and Countervailing Measures"),
        _urls("24-scm_01"),
        "members",
        1994,
    ),
    WtoSource(
        "safeguards",
        gettext_noop("Agreement on Safeguards"),
        gettext_noop("Safeguards"),
        gettext_noop("Committee on Safeguards"),
        _urls("25-safeg"),
        "members",
        1994,
    ),
    WtoSource(
        "tfa",
        gettext_noop("Agreement on Trade Facilitation"),
        gettext_noop("Trade Facilitation Agreement"),
        gettext_noop("Committee on Trade Facilitation"),
        _urls("tfa-nov14"),
        "members",
        2014,
        date_signed="2014-11-27",
        date_into_force="2017-02-22",
    ),
    WtoSource(
        "gats",
        gettext_noop("General Agreement on Trade in Services"),
        gettext_noop("GATS"),
        _SERVICES,
        _urls("26-gats_01"),
        "members",
        1994,
    ),
    _annex(
        "gats-annex-article-ii-exemptions",
        gettext_noop("GATS Annex on Article II Exemptions"),
        gettext_noop("Annex on Article II Exemptions"),
        r"^annex on article ii exemptions",
        r"^annexe sur les exemptions",
        r"^anexo sobre exenciones",
    ),
    _annex(
        "gats-annex-natural-persons",
        gettext_noop("GATS Annex on Movement of Natural Persons Supplying Services under the Agreement"),
        gettext_noop("Annex on Movement of Natural Persons"),
        r"^annex on movement of natural persons",
        r"^annexe sur le mouvement des personnes physiques",
        r"^anexo sobre el movimiento de personas fisicas",
    ),
    _annex(
        "gats-annex-air-transport",
        gettext_noop("GATS Annex on Air Transport Services"),
        gettext_noop("Annex on Air Transport Services"),
        r"^annex on air transport",
        r"^annexe sur les services de transport aerien",
        r"^anexo sobre servicios de transporte aereo",
    ),
    _annex(
        "gats-annex-financial-services",
        gettext_noop("GATS Annex on Financial Services"),
        gettext_noop("Annex on Financial Services"),
        r"^annex on financial services",
        r"^annexe sur les services financiers",
        r"^anexo sobre servicios financieros",
        body=gettext_noop("Committee on Trade in Financial Services"),
    ),
    _annex(
        "gats-annex-financial-services-2",
        gettext_noop("GATS Second Annex on Financial Services"),
        gettext_noop("Second Annex on Financial Services"),
        r"^second annex on financial services",
        r"^deuxieme annexe sur les services financiers",
        r"^segundo anexo sobre servicios financieros",
        body=gettext_noop("Committee on Trade in Financial Services"),
    ),
    _annex(
        "gats-annex-maritime",
        gettext_noop("GATS Annex on Negotiations on Maritime Transport Services"),
        gettext_noop("Annex on Maritime Transport Negotiations"),
        r"^annex on negotiations on maritime transport",
        r"^annexe sur les negociations sur les services de transport maritime",
        r"^anexo relativo a las negociaciones sobre servicios de transporte maritimo",
    ),
    _annex(
        "gats-annex-telecommunications",
        gettext_noop("GATS Annex on Telecommunications"),
        gettext_noop("Annex on Telecommunications"),
        r"^annex on telecommunications",
        r"^annexe sur les telecommunications",
        r"^anexo sobre telecomunicaciones",
    ),
    _annex(
        "gats-annex-basic-telecommunications",
        gettext_noop("GATS Annex on Negotiations on Basic Telecommunications"),
        gettext_noop("Annex on Basic Telecommunications Negotiations"),
        r"^annex on negotiations on basic telecommunications",
        r"^annexe sur les negociations sur les telecommunications de base",
        r"^anexo relativo a las negociaciones sobre telecomunicaciones basicas",
    ),
    WtoSource(
        "trips",
        gettext_noop("Agreement on Trade-Related Aspects of Intellectual Property Rights"),
        gettext_noop("TRIPS Agreement"),
        gettext_noop("Council for Trade-Related Aspects of Intellectual Property Rights"),
        _urls("27-trips_01"),
        "members",
        1994,
    ),
    WtoSource(
        "dsu",
        gettext_noop("Understanding on Rules and Procedures Governing the Settlement of Disputes"),
        gettext_noop("Dispute Settlement Understanding"),
        gettext_noop("Dispute Settlement Body"),
        _urls("28-dsu"),
        "members",
        1994,
    ),
    WtoSource(
        "tprm",
        gettext_noop("Trade Policy Review Mechanism"),
        gettext_noop("Trade Policy Review Mechanism"),
        gettext_noop("Trade Policy Review Body"),
        _urls("29-tprm"),
        "members",
        1994,
    ),
    WtoSource(
        "gpa2012",
        gettext_noop("Agreement on Government Procurement (as amended on 30 March 2012)"),
        gettext_noop("Government Procurement Agreement 2012"),
        gettext_noop("Committee on Government Procurement"),
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
