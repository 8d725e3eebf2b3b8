"""One practice record in the seed format (``../shared/evidence/practices.jsonl``): its vocabulary, its checks
and its normalised form.

Every way in (the seed file, a CSV sheet, the admin, a contributor's proposal) goes through
:func:`clean_record`, so that a record means the same whatever its source and so that "unchanged" can be
decided by comparing two clean records. Problems are reported in plain words naming the field (and, for an
outcome or a source, which one), for people who edit the sheet, not the code.

Regions are the five UN M49 regions (Africa, Americas, Asia, Europe, Oceania), from the small table below:
neither pycountry nor the agreements data say which region a country is in.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pycountry
from django.utils.translation import gettext_lazy as _

from msmelens.countries.names import country_name
from msmelens.lens.taxonomy import CATEGORIES

INSTRUMENTS: tuple[str, ...] = (
    "single_window", "trade_information_portal", "postal_export_scheme", "simplified_customs_regime",
    "authorised_economic_operator", "export_promotion_services", "export_training_and_coaching",
    "matching_grant", "credit_guarantee", "supply_chain_finance", "trade_finance_facility", "digital_payments",
    "ecommerce_enablement", "business_registration_reform", "regulatory_simplification", "procurement_access",
    "sme_chapter_or_contact_point", "data_and_dialogue", "other",
)
SCOPES: tuple[str, ...] = ("national", "regional", "global")
TARGET_GROUPS: tuple[str, ...] = (
    "micro", "small", "medium", "women_owned", "youth", "rural", "informal", "all_firms",
)
DESIGNS: tuple[str, ...] = ("monitoring", "before_after", "comparison_group", "quasi_experimental", "randomised")
EVIDENCE_LEVELS: tuple[int, ...] = (1, 2, 3, 4, 5)
LANGUAGES: tuple[str, ...] = ("en", "fr", "es")

# the seed file's fields, in its order (export writes them in this order)
FIELDS: tuple[str, ...] = (
    "id", "title", "countries", "scope", "start_year", "end_year", "implementer", "instrument", "obstacles",
    "target_groups", "summary", "outcomes", "evidence_level", "sources", "verified",
)
# fields a record may also carry (written only when they hold something)
OPTIONAL_FIELDS: tuple[str, ...] = ("original_language", "translations")
LIST_FIELDS: tuple[str, ...] = ("countries", "obstacles", "target_groups")
JSON_FIELDS: tuple[str, ...] = ("outcomes", "sources", "translations")
OUTCOME_KEYS: tuple[str, ...] = ("indicator", "value", "unit", "baseline", "year", "design", "note")
SOURCE_KEYS: tuple[str, ...] = ("title", "publisher", "year", "url")
# fields stored on Practice under the same name (``id`` is the practice's ``slug``)
CONTENT_FIELDS: tuple[str, ...] = tuple(f for f in FIELDS if f != "id") + OPTIONAL_FIELDS

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MIN_YEAR, MAX_YEAR = 1900, 2100
MAX_LENGTHS: dict[str, int] = {"id": 120, "title": 500, "implementer": 1000, "summary": 5000}

# UN M49 regions (ISO 3166-1 alpha-3 codes), https://unstats.un.org/unsd/methodology/m49/
REGIONS: dict[str, Any] = {
    "africa": _("Africa"),
    "americas": _("Americas"),
    "asia": _("Asia"),
    "europe": _("Europe"),
    "oceania": _("Oceania"),
}
_REGION_CODES: dict[str, str] = {
    "africa": "DZA EGY LBY MAR SDN TUN ESH BDI COM DJI ERI ETH KEN MDG MWI MUS MYT MOZ REU RWA SYC SOM SSD UGA "
              "TZA ZMB ZWE IOT ATF AGO CMR CAF TCD COG COD GNQ GAB STP BWA SWZ LSO NAM ZAF BEN BFA CPV CIV GMB "
              "GHA GIN GNB LBR MLI MRT NER NGA SHN SEN SLE TGO",
    "americas": "AIA ATG ABW BHS BRB BES VGB CYM CUB CUW DMA DOM GRD GLP HTI JAM MTQ MSR PRI BLM KNA LCA MAF VCT "
                "SXM TTO TCA VIR BLZ CRI SLV GTM HND MEX NIC PAN ARG BOL BVT BRA CHL COL ECU FLK GUF GUY PRY PER "
                "SGS SUR URY VEN BMU CAN GRL SPM USA",
    "asia": "KAZ KGZ TJK TKM UZB CHN HKG MAC PRK JPN MNG KOR TWN BRN KHM IDN LAO MYS MMR PHL SGP THA TLS VNM AFG "
            "BGD BTN IND IRN MDV NPL PAK LKA ARM AZE BHR CYP GEO IRQ ISR JOR KWT LBN OMN QAT SAU PSE SYR TUR ARE "
            "YEM",
    "europe": "BLR BGR CZE HUN POL MDA ROU RUS SVK UKR ALA DNK EST FRO FIN GGY ISL IRL IMN JEY LVA LTU NOR SJM "
              "SWE GBR ALB AND BIH HRV GIB GRC VAT ITA MLT MNE MKD PRT SMR SRB SVN ESP XKX RKS AUT BEL FRA DEU "
              "LIE LUX MCO NLD CHE",
    "oceania": "AUS NZL NFK CXR CCK HMD FJI NCL PNG SLB VUT GUM KIR MHL FSM NRU MNP PLW UMI ASM COK PYF NIU PCN "
               "WSM TKL TON TUV WLF",
}
REGION_OF: dict[str, str] = {code: region for region, codes in _REGION_CODES.items() for code in codes.split()}


def region_countries(region: str) -> list[str]:
    """The ISO3 codes of a UN M49 region key (``africa`` ...); [] for an unknown key."""
    return _REGION_CODES.get((region or "").strip().lower(), "").split()


def region_of(iso3: str) -> str | None:
    """The UN M49 region key of a country, or None (Antarctica, unknown codes)."""
    return REGION_OF.get((iso3 or "").strip().upper())


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a record: the field (``outcomes[2].design``) and what to do about it."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class RecordInvalid(ValueError):
    """A record that cannot be stored as given; ``problems`` lists every field to fix."""

    def __init__(self, problems: list[Problem], slug: str | None = None) -> None:
        self.problems = problems
        self.slug = slug
        super().__init__("; ".join(str(p).rstrip(".") for p in problems) + ".")


# --- small converters (CSV cells arrive as text) -------------------------------------------------------------


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _optional_text(value: Any) -> str | None:
    text = _text(value)
    return text or None


def _int(value: Any, field: str, problems: list[Problem]) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        problems.append(Problem(field, f"'{value}' is not a whole number."))
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int):
        return value
    try:
        return int(str(value).strip())
    except ValueError:
        problems.append(Problem(field, f"'{value}' is not a whole number."))
        return None


def _number(value: Any, field: str, problems: list[Problem]) -> int | float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        problems.append(Problem(field, f"'{value}' is not a number."))
        return None
    if isinstance(value, (int, float)):
        return value
    text = str(value).strip()
    try:
        return int(text)
    except ValueError:
        pass
    try:
        number = float(text)
    except ValueError:
        problems.append(Problem(field, f"'{value}' is not a number (write 12.5, not '12.5 %'; units go in 'unit')."))
        return None
    if number != number or number in (float("inf"), float("-inf")):
        problems.append(Problem(field, f"'{value}' is not a number."))
        return None
    return number


def _year(value: Any, field: str, problems: list[Problem]) -> int | None:
    year = _int(value, field, problems)
    if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
        problems.append(Problem(field, f"{year} is not a plausible year (between {MIN_YEAR} and {MAX_YEAR})."))
        return None
    return year


def _bool(value: Any, field: str, problems: list[Problem]) -> bool:
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    text = str(value).strip().lower()
    if text in ("true", "yes", "1", "y", "oui", "sí", "si", "t"):
        return True
    if text in ("false", "no", "0", "n", "non", "f", ""):
        return False
    problems.append(Problem(field, f"'{value}' is neither true nor false."))
    return False


def _list(value: Any) -> list[str]:
    """A list of words from a list, or from a text separated by ';' (or ',')."""
    if value is None:
        return []
    if isinstance(value, str):
        parts = re.split(r"[;,]", value)
    elif isinstance(value, Iterable) and not isinstance(value, Mapping):
        parts = [str(v) for v in value if v is not None]
    else:
        parts = [str(value)]
    out: list[str] = []
    for part in parts:
        text = part.strip()
        if text and text not in out:
            out.append(text)
    return out


def _vocabulary(value: Any, field: str, allowed: Iterable[str], problems: list[Problem],
                lower: bool = True) -> list[str]:
    allowed = tuple(allowed)
    items = [v.lower().replace(" ", "_").replace("-", "_") if lower else v for v in _list(value)]
    unknown = [v for v in items if v not in allowed]
    if unknown:
        problems.append(Problem(field, f"{', '.join(repr(v) for v in unknown)} "
                                       f"{'is' if len(unknown) == 1 else 'are'} not known; use "
                                       f"{', '.join(allowed)}."))
    return [v for v in dict.fromkeys(items) if v in allowed]


def _choice(value: Any, field: str, allowed: tuple[str, ...], problems: list[Problem]) -> str:
    text = _text(value).lower().replace(" ", "_").replace("-", "_")
    if not text:
        problems.append(Problem(field, f"is empty; use one of {', '.join(allowed)}."))
    elif text not in allowed:
        problems.append(Problem(field, f"'{value}' is not known; use one of {', '.join(allowed)}."))
    return text


def is_country(code: str) -> bool:
    """True for an ISO 3166-1 alpha-3 code that pycountry knows (plus Kosovo's XKX)."""
    return code == "XKX" or (len(code) == 3 and pycountry.countries.get(alpha_3=code) is not None)


# --- parts of a record ---------------------------------------------------------------------------------------


def _countries(value: Any, problems: list[Problem]) -> list[str]:
    codes = [c.upper() for c in _list(value)]
    unknown = [c for c in codes if not is_country(c)]
    if unknown:
        problems.append(Problem("countries", f"{', '.join(repr(c) for c in unknown)} "
                                             f"{'is not a country code' if len(unknown) == 1 else 'are not country codes'}"
                                             "; give three-letter ISO codes such as PER or KEN, separated by ';'."))
    return [c for c in dict.fromkeys(codes) if c not in unknown]


def _outcomes(value: Any, problems: list[Problem]) -> list[dict[str, Any]]:
    if value is None or value == "":
        return []
    if not isinstance(value, list):
        problems.append(Problem("outcomes", "must be a list of outcomes, each with indicator, value, unit, "
                                            "baseline, year, design and note."))
        return []
    out: list[dict[str, Any]] = []
    for n, item in enumerate(value, start=1):
        where = f"outcomes[{n}]"
        if not isinstance(item, Mapping):
            problems.append(Problem(where, "must be an object with indicator, value, unit, baseline, year, "
                                           "design and note."))
            continue
        extra = sorted(set(item) - set(OUTCOME_KEYS))
        if extra:
            problems.append(Problem(where, f"unknown key(s) {', '.join(extra)}; use {', '.join(OUTCOME_KEYS)}."))
        indicator = _text(item.get("indicator"))
        if not indicator:
            problems.append(Problem(f"{where}.indicator", "is empty: say what was measured."))
        design = _text(item.get("design")).lower().replace(" ", "_").replace("-", "_")
        if design not in DESIGNS:
            problems.append(Problem(f"{where}.design", f"'{item.get('design')}' is not known; use one of "
                                                       f"{', '.join(DESIGNS)}."))
        out.append({
            "indicator": indicator,
            "value": _number(item.get("value"), f"{where}.value", problems),
            "unit": _optional_text(item.get("unit")),
            "baseline": _number(item.get("baseline"), f"{where}.baseline", problems),
            "year": _year(item.get("year"), f"{where}.year", problems),
            "design": design,
            "note": _optional_text(item.get("note")),
        })
    return out


def _sources(value: Any, problems: list[Problem]) -> list[dict[str, Any]]:
    if value is None or value == "":
        return []
    if not isinstance(value, list):
        problems.append(Problem("sources", "must be a list of sources, each with title, publisher, year and url."))
        return []
    out: list[dict[str, Any]] = []
    for n, item in enumerate(value, start=1):
        where = f"sources[{n}]"
        if not isinstance(item, Mapping):
            problems.append(Problem(where, "must be an object with title, publisher, year and url."))
            continue
        extra = sorted(set(item) - set(SOURCE_KEYS))
        if extra:
            problems.append(Problem(where, f"unknown key(s) {', '.join(extra)}; use {', '.join(SOURCE_KEYS)}."))
        title = _text(item.get("title"))
        if not title:
            problems.append(Problem(f"{where}.title", "is empty: give the source's title."))
        url = _optional_text(item.get("url"))
        if url and not re.match(r"^https?://\S+$", url):
            problems.append(Problem(f"{where}.url", f"'{url}' is not a web address (http:// or https://)."))
        out.append({"title": title, "publisher": _optional_text(item.get("publisher")),
                    "year": _year(item.get("year"), f"{where}.year", problems), "url": url})
    return out


def _translations(value: Any, original: str, problems: list[Problem]) -> dict[str, dict[str, str]]:
    if value is None or value == "":
        return {}
    if not isinstance(value, Mapping):
        problems.append(Problem("translations", 'must look like {"fr": {"title": "...", "summary": "..."}}.'))
        return {}
    out: dict[str, dict[str, str]] = {}
    for lang in sorted(value):
        item = value[lang]
        code = str(lang).strip().lower()
        if code not in LANGUAGES or code == original:
            problems.append(Problem("translations", f"'{lang}' is not a translation language here; use "
                                                    f"{', '.join(c for c in LANGUAGES if c != original)}."))
            continue
        if not isinstance(item, Mapping) or set(item) - {"title", "summary"}:
            problems.append(Problem(f"translations.{code}", "must hold only a title and a summary."))
            continue
        entry = {k: _text(item.get(k)) for k in ("title", "summary") if _text(item.get(k))}
        if entry:
            out[code] = entry
    return out


def clean_record(raw: Mapping[str, Any]) -> dict[str, Any]:
    """The record in its normal form (seed fields in the seed's order, then ``original_language`` and
    ``translations`` when given); raises :class:`RecordInvalid` listing every problem."""
    problems: list[Problem] = []
    unknown = sorted(k for k in raw if k not in FIELDS and k not in OPTIONAL_FIELDS)
    if unknown:
        problems.append(Problem(", ".join(unknown), f"unknown field{'s' if len(unknown) > 1 else ''}; a record "
                                                    f"has {', '.join(FIELDS + OPTIONAL_FIELDS)}."))
    slug = _text(raw.get("id")).lower()
    if not slug:
        problems.append(Problem("id", "is empty: give a short name in lower case with dashes, "
                                      "such as 'peru-exporta-facil'."))
    elif not SLUG_RE.match(slug):
        problems.append(Problem("id", f"'{raw.get('id')}' must be lower-case letters, digits and dashes only, "
                                      "such as 'peru-exporta-facil'."))
    title = _text(raw.get("title"))
    if not title:
        problems.append(Problem("title", "is empty."))
    record: dict[str, Any] = {
        "id": slug,
        "title": title,
        "countries": _countries(raw.get("countries"), problems),
        "scope": _choice(raw.get("scope"), "scope", SCOPES, problems),
        "start_year": _year(raw.get("start_year"), "start_year", problems),
        "end_year": _year(raw.get("end_year"), "end_year", problems),
        "implementer": _text(raw.get("implementer")),
        "instrument": _choice(raw.get("instrument"), "instrument", INSTRUMENTS, problems),
        "obstacles": _vocabulary(raw.get("obstacles"), "obstacles", CATEGORIES, problems),
        "target_groups": _vocabulary(raw.get("target_groups"), "target_groups", TARGET_GROUPS, problems),
        "summary": _text(raw.get("summary")),
        "outcomes": _outcomes(raw.get("outcomes"), problems),
        "evidence_level": _int(raw.get("evidence_level"), "evidence_level", problems),
        "sources": _sources(raw.get("sources"), problems),
        "verified": _bool(raw.get("verified"), "verified", problems),
    }
    for field, limit in MAX_LENGTHS.items():
        if len(record[field]) > limit:
            problems.append(Problem(field, f"is {len(record[field])} characters long; at most {limit}."))
    level = record["evidence_level"]
    if level is not None and level not in EVIDENCE_LEVELS:
        problems.append(Problem("evidence_level", f"{level} is not on the Maryland scale: use 1 to 5, or leave it "
                                                  "empty when there is no outcome evidence."))
        record["evidence_level"] = None
    start, end = record["start_year"], record["end_year"]
    if start is not None and end is not None and end < start:
        problems.append(Problem("end_year", f"{end} is before the start year {start}."))
    if record["scope"] == "global" and record["countries"]:
        problems.append(Problem("countries", "a global initiative has no countries; leave the list empty or "
                                             "choose the scope 'regional'."))
    if record["scope"] in ("national", "regional") and not record["countries"] and "countries" not in {
            p.field for p in problems}:
        problems.append(Problem("countries", f"a {record['scope']} practice needs at least one country."))
    if "original_language" in raw or "translations" in raw:
        original = _text(raw.get("original_language")).lower() or "en"
        if original not in LANGUAGES:
            problems.append(Problem("original_language", f"'{original}' is not one of {', '.join(LANGUAGES)}."))
            original = "en"
        record["original_language"] = original
        record["translations"] = _translations(raw.get("translations"), original, problems)
    if problems:
        raise RecordInvalid(problems, slug=slug or None)
    return record


def changed_fields(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """The fields of ``new`` whose value differs from ``old`` (in the record's field order)."""
    order = FIELDS + OPTIONAL_FIELDS
    return [f for f in order if f in new and old.get(f, _DEFAULTS.get(f)) != new[f]]


_DEFAULTS: dict[str, Any] = {"original_language": "en", "translations": {}}


def record_of(obj: Any) -> dict[str, Any]:
    """The seed-format record of a Practice (or of one of its historical versions): the seed's fields,
    plus ``original_language`` and ``translations`` only when they differ from the defaults."""
    record: dict[str, Any] = {"id": obj.slug}
    for field in FIELDS[1:]:
        value = getattr(obj, field)
        if field == "outcomes":
            value = [{k: o.get(k) for k in OUTCOME_KEYS} for o in value or []]
        elif field == "sources":
            value = [{k: s.get(k) for k in SOURCE_KEYS} for s in value or []]
        elif field in LIST_FIELDS:
            value = list(value or [])
        record[field] = value
    if (obj.original_language or "en") != "en":
        record["original_language"] = obj.original_language
    if obj.translations:
        record["original_language"] = obj.original_language or "en"
        record["translations"] = {lang: dict(obj.translations[lang]) for lang in sorted(obj.translations)}
    return record


def key_of(values: Iterable[str]) -> str:
    """The delimited key of a list field ("|PER|CHL|"; "" for none) that filters match with LIKE."""
    items = [str(v) for v in values]
    return f"|{'|'.join(items)}|" if items else ""


def fold_text(text: str) -> str:
    """Lower-case, accent-free text (the form of ``search_text`` and of search words)."""
    decomposed = unicodedata.normalize("NFKD", (text or "").lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def search_text_of(record: Mapping[str, Any]) -> str:
    """What full-text search looks in: id, title, summary, implementer, translations, outcome indicators and
    the countries' names in English, French and Spanish; folded for accent-free matching."""
    parts = [record.get("id", ""), record.get("title", ""), record.get("summary", ""),
             record.get("implementer", "")]
    for entry in (record.get("translations") or {}).values():
        parts += [entry.get("title", ""), entry.get("summary", "")]
    parts += [o.get("indicator") or "" for o in record.get("outcomes") or []]
    for code in record.get("countries") or []:
        parts += [code] + [country_name(code, lang) for lang in LANGUAGES]
    return fold_text(" ".join(p for p in parts if p))
