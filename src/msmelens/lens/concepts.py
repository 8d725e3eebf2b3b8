"""Shared concepts in English, French and Spanish, for cross-lingual search (pure Python, no Django).

A concept is one idea named by phrases in each language: "single window", "guichet unique", "ventanilla
única". ``parse_query`` cuts a query into units: the longest concept phrases it contains (matched on stems,
so "advance ruling" and "resoluciones anticipadas" both match) and its other meaningful words. Search then
finds, for a concept, any of its phrases in any language, and for a plain word, its stems. ``concepts_in``
finds the concepts a text mentions: the search index holds a ``concept_token`` for each mention, so a concept
unit is one token to look up (``fingerprint`` tells which table an index was built from).

The table is the lens lexicons' aligned concept (their SME acronyms, ``SIZE_TRIGGERS``) plus a curated table
of trade-facilitation and MSME terms, written from the WTO Trade Facilitation Agreement's three official
versions and the wording of the ToTA agreements.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from msmelens.corpus.stemming import ALL_STOPWORDS, LANGUAGES, STOPWORDS, query_stems, stem, stems, words
from msmelens.lens import lexicon_en, lexicon_es, lexicon_fr

# key: (English phrases, French phrases, Spanish phrases). Phrases are matched on stems, so one form of a
# word is enough when its plural or feminine stems alike; list the forms that stem differently.
CURATED: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "sme": (
        (
            "small and medium-sized enterprises",
            "small and medium enterprises",
            "small and medium sized firms",
            "micro, small and medium-sized enterprises",
            "small businesses",
            "small firms",
        ),
        (
            "petites et moyennes entreprises",
            "petites et moyennes industries",
            "micro, petites et moyennes entreprises",
            "petites entreprises",
        ),
        (
            "pequeñas y medianas empresas",
            "micro, pequeñas y medianas empresas",
            "pequeñas empresas",
            "empresas pequeñas y medianas",
        ),
    ),
    "single_window": (("single window",), ("guichet unique",), ("ventanilla única",)),
    "advance_rulings": (
        ("advance ruling",),
        ("décision anticipée", "décisions anticipées", "décision préalable"),
        ("resolución anticipada", "resoluciones anticipadas", "criterio anticipado", "criterios anticipados"),
    ),
    "electronic_signature": (
        ("electronic signature", "e-signature", "digital signature"),
        ("signature électronique", "signature numérique"),
        ("firma electrónica", "firmas electrónicas", "firma digital"),
    ),
    "electronic_commerce": (
        ("electronic commerce", "e-commerce", "digital trade"),
        ("commerce électronique", "commerce numérique"),
        ("comercio electrónico", "comercio digital"),
    ),
    "paperless_trade": (
        ("paperless trading", "paperless trade", "trade administration documents in electronic form"),
        ("commerce sans papier", "dématérialisation"),
        ("comercio sin papel", "comercio sin papeles", "administración del comercio sin papel"),
    ),
    "electronic_authentication": (
        ("electronic authentication",),
        ("authentification électronique",),
        ("autenticación electrónica",),
    ),
    "customs_procedures": (
        ("customs procedures", "customs formalities"),
        ("procédures douanières", "formalités douanières"),
        ("procedimientos aduaneros", "formalidades aduaneras"),
    ),
    "customs": (
        ("customs",),
        ("douane", "douanes", "douanier", "douanière"),
        ("aduana", "aduanas", "aduanero", "aduanera", "aduaneros", "aduaneras"),
    ),
    "customs_union": (("customs union",), ("union douanière",), ("unión aduanera",)),
    "customs_cooperation": (("customs cooperation",), ("coopération douanière",), ("cooperación aduanera",)),
    "release_of_goods": (
        ("release of goods", "release"),
        ("mainlevée des marchandises", "mainlevée"),
        ("levante de mercancías", "levante", "despacho de mercancías"),
    ),
    "express_shipments": (
        ("express shipments", "express consignments"),
        ("envois express", "envois accélérés"),
        ("envíos de entrega rápida", "envíos urgentes", "envíos expresos"),
    ),
    "perishable_goods": (("perishable goods",), ("marchandises périssables",), ("mercancías perecederas",)),
    "risk_management": (
        ("risk management",),
        ("gestion des risques",),
        ("gestión de riesgo", "gestión de riesgos", "administración de riesgo"),
    ),
    "post_clearance_audit": (
        ("post-clearance audit",),
        ("contrôle après dédouanement", "contrôle a posteriori"),
        ("auditoría posterior al despacho", "control posterior"),
    ),
    "authorized_operators": (
        (
            "authorized economic operator",
            "authorised economic operator",
            "authorized operator",
            "authorised operator",
        ),
        ("opérateur économique agréé", "opérateurs agréés", "opérateur agréé"),
        ("operador económico autorizado", "operadores económicos autorizados", "operador autorizado"),
    ),
    "enquiry_point": (
        ("enquiry point", "inquiry point", "contact point"),
        ("point d'information", "points d'information", "point de contact", "points de contact"),
        ("punto de información", "puntos de información", "punto de contacto", "puntos de contacto"),
    ),
    "certificate_of_origin": (
        ("certificate of origin", "certification of origin"),
        ("certificat d'origine", "certificats d'origine"),
        ("certificado de origen", "certificados de origen", "certificación de origen"),
    ),
    "rules_of_origin": (
        ("rules of origin", "originating goods"),
        ("règles d'origine", "produits originaires"),
        ("reglas de origen", "normas de origen", "mercancías originarias"),
    ),
    "tariffs": (
        ("customs duties", "tariff", "tariffs"),
        ("droits de douane", "droits de douanes", "tarif douanier", "droits d'entrée"),
        ("aranceles", "arancel", "derechos aduaneros", "derechos de aduana"),
    ),
    "common_external_tariff": (
        ("common external tariff",),
        ("tarif extérieur commun",),
        ("arancel externo común",),
    ),
    "fees_and_charges": (
        ("fees and charges",),
        ("redevances et impositions", "frais et redevances"),
        ("tasas y cargos", "derechos y cargos"),
    ),
    "free_movement_of_goods": (
        ("free movement of goods", "free circulation"),
        ("libre circulation des marchandises", "libre circulation"),
        ("libre circulación de mercancías", "libre circulación"),
    ),
    "common_market": (("common market",), ("marché commun",), ("mercado común",)),
    "trade_facilitation": (
        ("trade facilitation",),
        ("facilitation des échanges", "facilitation du commerce"),
        ("facilitación del comercio",),
    ),
    "technical_barriers": (
        ("technical barriers to trade", "technical regulations"),
        ("obstacles techniques au commerce", "règlements techniques"),
        ("obstáculos técnicos al comercio", "reglamentos técnicos"),
    ),
    "conformity_assessment": (
        ("conformity assessment",),
        ("évaluation de la conformité",),
        ("evaluación de la conformidad",),
    ),
    "mutual_recognition": (("mutual recognition",), ("reconnaissance mutuelle",), ("reconocimiento mutuo",)),
    "sps": (
        ("sanitary and phytosanitary",),
        ("sanitaires et phytosanitaires",),
        ("sanitarias y fitosanitarias",),
    ),
    "government_procurement": (
        ("government procurement", "public procurement"),
        ("marchés publics", "commande publique"),
        (
            "contratación pública",
            "compras públicas",
            "compras del sector público",
            "contratación gubernamental",
        ),
    ),
    "intellectual_property": (
        ("intellectual property",),
        ("propriété intellectuelle",),
        ("propiedad intelectual",),
    ),
    "technical_assistance": (("technical assistance",), ("assistance technique",), ("asistencia técnica",)),
    "technical_cooperation": (
        ("technical cooperation",),
        ("coopération technique",),
        ("cooperación técnica",),
    ),
    "capacity_building": (
        ("capacity building", "capacity-building"),
        ("renforcement des capacités",),
        ("fortalecimiento de capacidades", "creación de capacidades", "desarrollo de capacidades"),
    ),
    "transparency": (("transparency",), ("transparence",), ("transparencia",)),
    "publication": (
        ("publication", "publish", "made publicly available"),
        ("publication", "publier", "publié", "rendre public"),
        ("publicación", "publicar", "publicará", "publicado", "disponible al público"),
    ),
    "internet": (
        ("internet", "website", "web site"),
        ("internet", "site internet", "site web"),
        ("internet", "sitio web", "página web", "sitio de internet"),
    ),
    "trade_promotion": (
        ("trade promotion", "export promotion"),
        ("promotion commerciale", "promotion des exportations"),
        ("promoción comercial", "promoción de exportaciones", "promoción de las exportaciones"),
    ),
    "trade_fairs": (
        ("trade fairs", "trade missions", "business matching"),
        ("foires commerciales", "missions commerciales", "salons professionnels"),
        ("ferias comerciales", "misiones comerciales", "ruedas de negocios"),
    ),
    "access_to_finance": (
        ("access to finance", "access to credit", "access to capital", "financing"),
        ("accès au financement", "accès au crédit", "financement"),
        (
            "acceso al financiamiento",
            "acceso a financiamiento",
            "acceso al crédito",
            "financiamiento",
            "financiación",
        ),
    ),
    "entrepreneurship": (
        ("entrepreneurship",),
        ("entrepreneuriat", "esprit d'entreprise"),
        ("emprendimiento", "espíritu empresarial"),
    ),
    "women": (("women",), ("femmes",), ("mujeres",)),
    "training": (("training",), ("formation",), ("capacitación", "formación")),
    "competition": (("competition policy", "competition"), ("concurrence",), ("competencia",)),
    "investment": (("investment",), ("investissement", "investissements"), ("inversión", "inversiones")),
    "agriculture": (("agriculture",), ("agriculture",), ("agricultura",)),
    "environment": (("environment",), ("environnement",), ("medio ambiente",)),
    "labour": (("labour", "labor"), ("travail",), ("trabajo", "laboral", "laborales")),
    "innovation": (("innovation",), ("innovation",), ("innovación",)),
    "technology": (("technology",), ("technologie", "technologies"), ("tecnología", "tecnologías")),
    "research": (("research",), ("recherche",), ("investigación",)),
    "personal_data": (
        ("personal information", "personal data"),
        ("données personnelles", "données à caractère personnel"),
        ("información personal", "datos personales"),
    ),
    "consumer_protection": (
        ("consumer protection",),
        ("protection des consommateurs",),
        ("protección al consumidor", "protección del consumidor", "protección de los consumidores"),
    ),
    "national_treatment": (("national treatment",), ("traitement national",), ("trato nacional",)),
    "most_favoured_nation": (
        ("most-favoured-nation", "most favored nation"),
        ("nation la plus favorisée",),
        ("nación más favorecida",),
    ),
    "market_access": (
        ("market access",),
        ("accès aux marchés", "accès au marché"),
        ("acceso a mercados", "acceso al mercado"),
    ),
    "temporary_admission": (("temporary admission",), ("admission temporaire",), ("admisión temporal",)),
    "temporary_entry": (
        ("temporary entry",),
        ("entrée temporaire", "séjour temporaire"),
        ("entrada temporal",),
    ),
    "business_persons": (("business persons",), ("gens d'affaires",), ("personas de negocios",)),
    "dispute_settlement": (
        ("dispute settlement",),
        ("règlement des différends",),
        ("solución de controversias",),
    ),
    "review_and_appeal": (
        ("review and appeal", "administrative review", "appeal"),
        ("révision et recours", "recours administratif", "recours"),
        ("revisión e impugnación", "revisión administrativa", "apelación", "impugnación"),
    ),
    "enterprise": (
        ("enterprises", "enterprise", "companies", "company", "firms", "businesses"),
        ("entreprises", "entreprise", "sociétés"),
        ("empresas", "empresa", "compañías"),
    ),
    "goods": (("goods",), ("marchandises", "biens"), ("mercancías", "bienes")),
    "services": (("services",), ("services",), ("servicios",)),
    "trade": (("trade",), ("commerce", "échanges"), ("comercio",)),
    "exports": (
        ("exports", "export", "exporters"),
        ("exportations", "exportateurs"),
        ("exportaciones", "exportadores"),
    ),
    "imports": (
        ("imports", "import", "importers"),
        ("importations", "importateurs"),
        ("importaciones", "importadores"),
    ),
    "cooperation": (("cooperation",), ("coopération",), ("cooperación",)),
    "information": (("information",), ("information", "informations"), ("información",)),
    "electronic": (("electronic",), ("électronique",), ("electrónico", "electrónica")),
    "development": (("development",), ("développement",), ("desarrollo",)),
    "committee": (("committee",), ("comité",), ("comité",)),
}


@dataclass(frozen=True, slots=True)
class Concept:
    key: str
    phrases: dict[str, tuple[str, ...]]  # language -> phrases


@dataclass(frozen=True, slots=True)
class QueryUnit:
    """One part of a query that a hit must match: a concept (phrases in three languages) or a plain word."""

    words: tuple[str, ...]  # the folded query words it covers
    concept: str  # concept key, "" for a plain word
    alternatives: tuple[tuple[str, ...], ...]  # stem sequences; a text matches the unit if it holds any
    languages: tuple[str, ...] = ()  # the languages whose phrase of the concept the query used


# size adjectives among the lexicons' triggers: they name no enterprise by themselves
_SIZE_WORDS = frozenset(
    ("small", "medium", "micro", "mid-sized", "pequeña", "pequeñas", "pequeño", "pequeños", "mediana")
    + ("medianas", "mediano", "medianos", "petite", "petites", "petits", "moyenne", "moyennes")
)


def _acronyms(triggers: tuple[str, ...]) -> tuple[str, ...]:
    """The SME acronyms and compounds of a lexicon's size triggers ("smes", "mipymes", "microempresa")."""
    return tuple(t.rstrip("*") for t in triggers if t.rstrip("*") not in _SIZE_WORDS)


@lru_cache(maxsize=1)
def concepts() -> tuple[Concept, ...]:
    """Every shared concept: the curated table, with the lexicons' SME acronyms added to "sme"."""
    out = []
    acronyms = {
        "en": _acronyms(lexicon_en.SIZE_TRIGGERS),
        "fr": _acronyms(lexicon_fr.SIZE_TRIGGERS),
        "es": _acronyms(lexicon_es.SIZE_TRIGGERS),
    }
    for key, (en, fr, es) in CURATED.items():
        phrases = {"en": en, "fr": fr, "es": es}
        if key == "sme":
            phrases = {lang: tuple(dict.fromkeys(p + acronyms[lang])) for lang, p in phrases.items()}
        out.append(Concept(key=key, phrases=phrases))
    return tuple(out)


@lru_cache(maxsize=1)
def _phrase_index() -> dict[tuple[str, tuple[str, ...]], str]:
    """(language, stems of a phrase) -> concept key."""
    index: dict[tuple[str, tuple[str, ...]], str] = {}
    for concept in concepts():
        for lang, phrases in concept.phrases.items():
            for phrase in phrases:
                key = tuple(stems(phrase, lang))
                if key:
                    index.setdefault((lang, key), concept.key)
    return index


@lru_cache(maxsize=1)
def _alternatives() -> dict[str, tuple[tuple[str, ...], ...]]:
    """concept key -> the distinct stem sequences of its phrases in every language."""
    out: dict[str, tuple[tuple[str, ...], ...]] = {}
    for concept in concepts():
        seqs: list[tuple[str, ...]] = []
        for lang, phrases in concept.phrases.items():
            for phrase in phrases:
                seq = tuple(stems(phrase, lang))
                if seq and seq not in seqs:
                    seqs.append(seq)
        out[concept.key] = tuple(seqs)
    return out


@lru_cache(maxsize=1)
def _longest_phrase() -> int:
    return max((len(seq) for _, seq in _phrase_index()), default=1)


CONCEPT_TOKEN = "zzc"  # + the concept key's letters: no word of the three languages looks like it


def concept_token(key: str) -> str:
    """The search index's token for concept ``key`` ("single_window" -> "zzcsinglewindow")."""
    return CONCEPT_TOKEN + "".join(ch for ch in key if ch.isalnum())


@lru_cache(maxsize=1)
def _alternatives_by_first_stem() -> dict[str, tuple[tuple[tuple[str, ...], str], ...]]:
    """first stem -> ((stem sequence, concept key), ...) for every phrase of every concept."""
    found: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for key, seqs in _alternatives().items():
        for seq in seqs:
            found.setdefault(seq[0], []).append((seq, key))
    return {first: tuple(pairs) for first, pairs in found.items()}


def fingerprint() -> str:
    """A digest of every concept's stem sequences: what the search index's concept tokens were built from
    (the index must be rebuilt when it changes)."""
    table = sorted((key, sorted(seqs)) for key, seqs in _alternatives().items())
    return hashlib.sha256(json.dumps(table, ensure_ascii=True).encode("ascii")).hexdigest()[:16]


def concepts_in(text_stems: Sequence[str]) -> list[str]:
    """The concepts a text mentions, given its stems in order: a concept key for each position where one of
    the concept's phrases (in any of the three languages) starts. The search index holds one
    ``concept_token`` for each, so that a concept query is one token, not an OR of phrases."""
    by_first = _alternatives_by_first_stem()
    found: list[str] = []
    for i, first in enumerate(text_stems):
        candidates = by_first.get(first)
        if not candidates:
            continue
        here: set[str] = set()
        for seq, key in candidates:
            if key in here:
                continue
            if len(seq) == 1 or tuple(text_stems[i : i + len(seq)]) == seq:
                here.add(key)
                found.append(key)
    return found


def concept_phrases(key: str) -> dict[str, tuple[str, ...]]:
    """The phrases of concept ``key`` by language (empty when there is no such concept)."""
    for concept in concepts():
        if concept.key == key:
            return dict(concept.phrases)
    return {}


def parse_query(text: str, *, max_units: int = 12, cross_lingual: bool = True) -> list[QueryUnit]:
    """Cut a query into the units a hit must all match: concept phrases (longest first, left to right) when
    ``cross_lingual``, then plain words, skipping stopwords unless the query has nothing else."""
    qwords = words(text)
    index = _phrase_index() if cross_lingual else {}
    longest = _longest_phrase()
    stemmed = {lang: [stem(w, lang) for w in qwords] for lang in LANGUAGES}
    units: list[QueryUnit] = []
    i = 0
    while i < len(qwords):
        found: tuple[int, str, tuple[str, ...]] | None = None
        for size in range(min(longest, len(qwords) - i), 0, -1):
            keys = {lang: index.get((lang, tuple(stemmed[lang][i : i + size]))) for lang in LANGUAGES}
            key = next((k for k in keys.values() if k), None)
            if key:
                found = (size, key, tuple(lang for lang, k in keys.items() if k == key))
                break
        if found:
            size, key, langs = found
            units.append(
                QueryUnit(
                    words=tuple(qwords[i : i + size]),
                    concept=key,
                    alternatives=_alternatives()[key],
                    languages=langs,
                )
            )
            i += size
            continue
        word = qwords[i]
        units.append(
            QueryUnit(words=(word,), concept="", alternatives=tuple((s,) for s in query_stems(word)))
        )
        i += 1
    meaningful = [u for u in units if u.concept or u.words[0] not in ALL_STOPWORDS]
    kept = meaningful or units
    distinct: list[QueryUnit] = []
    for unit in kept:
        if unit.alternatives not in [u.alternatives for u in distinct]:
            distinct.append(unit)
    return distinct[:max_units]


def query_language(text: str, units: list[QueryUnit]) -> str:
    """The language the query seems written in ("en", "fr", "es"), or "" when nothing tells: one vote for
    each language whose phrase a concept unit used, and one for each of the query's stopwords of a language."""
    votes = dict.fromkeys(LANGUAGES, 0)
    for unit in units:
        for lang in unit.languages:
            votes[lang] += 1
    for word in words(text):
        for lang in LANGUAGES:
            if word in STOPWORDS[lang]:
                votes[lang] += 1
    ranked = sorted(votes.values(), reverse=True)
    if ranked[0] == 0 or ranked[0] == ranked[1]:
        return ""
    return max(votes, key=lambda lang: votes[lang])


def highlight_stems(units: list[QueryUnit]) -> frozenset[str]:
    """The stems worth marking in a snippet: every word of every alternative, stopwords left out."""
    return frozenset(s for u in units for seq in u.alternatives for s in seq if s not in ALL_STOPWORDS)
