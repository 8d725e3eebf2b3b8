"""Country names from ISO 3166 codes, in English, French or Spanish (pycountry and its catalogues).

Never raises: historic codes (YUG, ANT) use ISO 3166-3, a few non-ISO codes used by ToTA are named here,
anything else is returned as given.
"""

from __future__ import annotations

import gettext
from functools import lru_cache

import pycountry

SUPPORTED_LANGUAGES = ("en", "fr", "es")

# codes used in trade-agreement data that are not (or no longer) in ISO 3166-1
_EXTRA: dict[str, dict[str, str]] = {
    "RKS": {"en": "Kosovo", "fr": "Kosovo", "es": "Kosovo"},
    "XKX": {"en": "Kosovo", "fr": "Kosovo", "es": "Kosovo"},
    "EUN": {"en": "European Union", "fr": "Union européenne", "es": "Unión Europea"},
    "EU": {"en": "European Union", "fr": "Union européenne", "es": "Unión Europea"},
    "EUR": {"en": "European Union", "fr": "Union européenne", "es": "Unión Europea"},
}


@lru_cache(maxsize=8)
def _catalogue(domain: str, language: str) -> gettext.NullTranslations:
    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[language], fallback=True)


def _language(language: str | None) -> str:
    code = (language or "en").split("-")[0].split("_")[0].lower()
    return code if code in SUPPORTED_LANGUAGES else "en"


@lru_cache(maxsize=4096)
def country_name(iso3: str, language: str = "en") -> str:
    """The country's usual name in ``language`` (en/fr/es; others fall back to English)."""
    code = (iso3 or "").strip().upper()
    lang = _language(language)
    if not code:
        return ""
    if code in _EXTRA:
        return _EXTRA[code][lang]
    country = pycountry.countries.get(alpha_3=code) if len(code) == 3 else None
    domain = "iso3166-1"
    if country is None and len(code) == 3:
        country = pycountry.historic_countries.get(alpha_3=code)
        domain = "iso3166-3"
    if country is None:
        return code
    common = getattr(country, "common_name", None)
    shorten = bool(common) or domain == "iso3166-3"  # "Bolivia, Plurinational State of" reads as "Bolivia"
    if lang == "en":
        return common or _short(country.name, shorten)
    catalogue = _catalogue(domain, lang)
    entries = getattr(catalogue, "_catalog", {})
    if common and common in entries:
        return catalogue.gettext(common)
    return _short(catalogue.gettext(country.name), shorten)


def _short(name: str, shorten: bool) -> str:
    return name.split(", ")[0] if shorten and ", " in name else name


def is_known(iso3: str) -> bool:
    """True when the code names a current or historic country (or one of the extra codes above)."""
    code = (iso3 or "").strip().upper()
    return bool(code) and country_name(code) != code
