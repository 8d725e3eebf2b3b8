"""The MSME-relevant topics of the WTO agreements and the "Beyond the WTO" comparison (pure Python, no Django).

A *topic* (advance rulings, single window, ...) names the WTO agreement(s) that carry it (keys of
``msmelens.corpus.wto_sources``), the terms that put a provision on that topic in English, French and Spanish,
and the *instruments* a provision on the topic may set up (each again a list of terms). Terms are matched on
the lens's normalised text (lower case, one space) at word boundaries; ``*`` at the end of a term means "word
prefix" and ``<n>`` stands for a number ("within <n> days"). A definitions article (``definitions``) is on
no topic, and an instrument's term alone (such as "within 30 days") puts no provision on a topic.

The comparison, per topic (``compare``):

* the **WTO baseline** is built from the provisions on the topic in the imported WTO agreements of the topic:
  ``present`` (at least one), ``binding`` (at least one binding provision), ``sme`` (at least one names micro,
  small or medium-sized enterprises: lens relevance "explicit"), ``instruments`` (every instrument found);
* when none of the topic's WTO agreements is imported the topic is *not compared* (nothing goes beyond an
  unknown text);
* a regional provision on the topic **goes beyond the WTO** for each of these reasons that holds:

  - ``binding``: it is binding while the WTO has provisions on the topic and every one of them is soft
    (best endeavour);
  - ``sme``: it names SMEs explicitly while no WTO provision on the topic does;
  - ``instrument``: it sets up an instrument that no WTO provision on the topic has, or the WTO agreements
    of the topic have no provision on it at all (then the topic itself is the new instrument).

Bindingness is judged on the sentences of the provision that name the topic (``topic_binding``): the lens's
binding stage run on them (``binding_of``); when every sentence names the topic it is the lens's label for a
relevant provision (curators' corrections included). WTO and regional texts are judged alike.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from msmelens.lens.binding import binding as _binding_stage
from msmelens.lens.normalize import normalise
from msmelens.lens.provision import Provision
from msmelens.lens.topics import is_definitions

REASONS: tuple[str, ...] = ("binding", "sme", "instrument")
TOPIC_ITSELF = "topic"  # the instrument key used when the WTO texts lack the whole topic

Terms = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Instrument:
    key: str
    label: str  # English; pages translate it
    terms: Terms


@dataclass(frozen=True, slots=True)
class WtoTopic:
    key: str
    label: str  # English; pages translate it
    wto_keys: tuple[str, ...]  # WTO agreements (``wto_sources`` keys) whose provisions form the baseline
    category: str  # the lens obstacle category the topic belongs to
    committee: str  # the WTO body (``taxonomy.COMMITTEES`` key) that works on it
    terms: Terms  # terms putting a provision on the topic (every language); instruments' terms do not
    instruments: tuple[Instrument, ...] = ()

    def all_terms(self) -> Terms:
        """The topic's terms and its instruments' terms."""
        return self.terms + tuple(t for i in self.instruments for t in i.terms)


_MUTUAL_RECOGNITION = ("mutual recognition", "reconnaissance mutuelle", "reconocimiento mutuo")

TOPICS: tuple[WtoTopic, ...] = (
    WtoTopic(
        "publication",
        "Publication and enquiry points",
        ("tfa", "tbt", "sps", "import-licensing"),
        "market_information",
        "trade_facilitation",
        ("enquiry point*", "inquiry point*", "point d'information", "points d'information",
         "servicio de información", "servicios de información", "punto de información", "puntos de información",
         "on the internet", "through the internet", "official website*", "sur internet", "par internet",
         "site internet officiel", "en internet", "a través de internet", "por internet", "sitio web oficial"),
        (
            Instrument("internet", "Publication on the internet",
                       ("internet", "website*", "web site*", "site web", "sitio web", "sitios web", "página web",
                        "en línea", "online")),
            Instrument("comment", "Comment on drafts before adoption",
                       ("opportunity to comment", "comment on proposed", "formuler des observations",
                        "presentar comentarios", "formular comentarios")),
            Instrument("free_of_charge", "Information free of charge",
                       ("free of charge", "gratuitement", "gratuit", "sin cargo", "gratuita*", "gratuito*")),
        ),
    ),
    WtoTopic(
        "advance_rulings",
        "Advance rulings",
        ("tfa",),
        "border_procedures",
        "trade_facilitation",
        ("advance ruling*", "décision anticipée", "décisions anticipées", "resolución anticipada",
         "resoluciones anticipadas"),
        (
            Instrument("deadline", "A deadline to issue the ruling",
                       ("within <n> days", "no later than <n> days", "dans un délai de <n> jours",
                        "dentro de <n> días", "en un plazo de <n> días", "en un plazo no mayor a <n> días")),
            Instrument("valuation", "Rulings on customs value",
                       ("customs value", "customs valuation", "valeur en douane", "valor en aduana",
                        "valoración aduanera")),
        ),
    ),
    WtoTopic(
        "single_window",
        "Single window",
        ("tfa",),
        "border_procedures",
        "trade_facilitation",
        ("single window*", "guichet unique", "guichets uniques", "ventanilla única", "ventanillas únicas"),
        (
            Instrument("interoperability", "Interoperable single windows",
                       ("interoperab*", "interopérab*")),
        ),
    ),
    WtoTopic(
        "authorised_operators",
        "Authorised operators",
        ("tfa",),
        "border_procedures",
        "trade_facilitation",
        ("authorised economic operator*", "authorized economic operator*", "authorised operator*",
         "authorized operator*", "trusted trader*", "opérateur économique agréé", "opérateurs économiques agréés",
         "opérateur agréé", "opérateurs agréés", "operador económico autorizado",
         "operadores económicos autorizados", "operador autorizado", "operadores autorizados"),
        (Instrument("mutual_recognition", "Mutual recognition", _MUTUAL_RECOGNITION),),
    ),
    WtoTopic(
        "conformity_assessment",
        "Conformity assessment",
        ("tbt", "sps"),
        "regulatory_framework",
        "tbt",
        ("conformity assessment", "évaluation de la conformité", "évaluations de la conformité",
         "evaluación de la conformidad", "evaluaciones de la conformidad"),
        (
            Instrument("mutual_recognition", "Mutual recognition", _MUTUAL_RECOGNITION),
            Instrument("supplier_declaration", "Supplier's declaration of conformity",
                       ("supplier's declaration", "declaration of conformity", "déclaration de conformité",
                        "declaración de conformidad")),
        ),
    ),
    WtoTopic(
        "procurement",
        "Participation in government procurement",
        ("gpa2012",),
        "market_information",
        "government_procurement",
        ("government procurement", "public procurement", "covered procurement", "procuring entit*",
         "marchés publics", "marché public", "entité contractante", "entités contractantes",
         "contratación pública", "contratación del sector público", "compras públicas", "compras del sector público",
         "entidad contratante", "entidades contratantes"),
        (
            Instrument("electronic_procurement", "Electronic procurement",
                       ("electronic procurement", "e-procurement", "single point of access",
                        "marchés publics électroniques", "contratación pública electrónica",
                        "compras públicas electrónicas")),
            Instrument("subcontracting", "Subcontracting and consortia",
                       ("subcontract*", "consorti*", "sous-trait*", "subcontrat*", "consorcio*")),
            Instrument("set_aside", "Set-asides and price preferences",
                       ("set-aside*", "set aside*", "price preference*", "préférence de prix", "marge de préférence",
                        "preferencia de precio*", "margen de preferencia")),
        ),
    ),
    WtoTopic(
        "ecommerce",
        "Electronic commerce",
        ("gats", "gats-annex-telecommunications"),
        "digital",
        "ecommerce",
        ("electronic commerce", "e-commerce", "digital trade", "commerce électronique", "commerce numérique",
         "comercio electrónico", "comercio digital"),
        (
            Instrument("paperless", "Paperless trading",
                       ("paperless", "sans papier", "sin papel", "sin papeles")),
            Instrument("e_signatures", "Electronic signatures and authentication",
                       ("electronic signature*", "electronic authentication", "signature électronique",
                        "signatures électroniques", "authentification électronique", "firma electrónica",
                        "firmas electrónicas", "autenticación electrónica")),
            Instrument("consumer_protection", "Online consumer protection",
                       ("consumer protection", "protection des consommateurs", "protección al consumidor",
                        "protección del consumidor", "protección de los consumidores")),
        ),
    ),
)

TOPIC_KEYS: tuple[str, ...] = tuple(t.key for t in TOPICS)


def topic(key: str) -> WtoTopic:
    """The topic with this key; raises ``KeyError`` naming the known keys."""
    for t in TOPICS:
        if t.key == key:
            return t
    raise KeyError(f"Unknown WTO topic '{key}': use one of {', '.join(TOPIC_KEYS)}.")


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _numbered_regex(term: str) -> re.Pattern[str]:
    parts = [re.escape(p) for p in normalise(term.rstrip("*")).split("<n>")]
    return re.compile(r"(?<!\w)" + r"\d[\d,.]*".join(parts) + ("" if term.endswith("*") else r"(?!\w)"))


@cache
def _matcher() -> tuple[Any, tuple[tuple[str, re.Pattern[str]], ...]]:
    """An Aho-Corasick automaton over every literal term of every topic, and a regex per ``<n>`` term."""
    import ahocorasick

    table: dict[str, list[tuple[str, bool]]] = {}
    numbered: list[tuple[str, re.Pattern[str]]] = []
    for t in TOPICS:
        for term in t.all_terms():
            if "<n>" in term:  # its regex runs only when its longest literal piece occurs
                numbered.append((term, _numbered_regex(term)))
                piece = max(normalise(term).split("<n>"), key=len).strip()
                table.setdefault(piece, []).append(("<n>" + term, True))
                continue
            key = normalise(term.rstrip("*"))
            entry = (term, term.endswith("*"))
            if entry not in table.setdefault(key, []):
                table[key].append(entry)
    automaton = ahocorasick.Automaton()
    for key, entries in table.items():
        automaton.add_word(key, (key, tuple(entries)))
    automaton.make_automaton()
    return automaton, tuple(numbered)


def terms_in(norm: str) -> frozenset[str]:
    """Every topic or instrument term found in the normalised text ``norm`` at word boundaries (a term ending
    in ``*`` may continue the word): one Aho-Corasick pass, then a regex per ``<n>`` term."""
    automaton, numbered = _matcher()
    found: set[str] = set()
    for end, (key, entries) in automaton.iter(norm):
        start = end - len(key) + 1
        if start > 0 and _is_word_char(norm[start - 1]):
            continue
        at_word_end = end + 1 >= len(norm) or not _is_word_char(norm[end + 1])
        for term, prefix in entries:
            if prefix or at_word_end:
                found.add(term)
    for term, regex in numbered:
        if "<n>" + term in found:
            found.discard("<n>" + term)
            if regex.search(norm):
                found.add(term)
    return frozenset(found)


# words too frequent in agreements to be a good anchor when the term has another word
_COMMON_WORDS = frozenset(
    {"information", "información", "public", "publics", "official", "officiel", "oficial", "digital", "trade",
     "comercio", "electronic", "advance", "point", "points", "de", "d", "of", "the", "des", "del"}
)


def anchors(topics: Iterable[WtoTopic] = TOPICS) -> list[str]:
    """One word (lower case) of each topic term, the longest not-so-common one: a text on one of these topics contains at least
    one of them whatever its spacing, so ``might_be_on_topic`` can skip most provisions cheaply."""
    out: list[str] = []
    for t in topics:
        for term in t.terms:
            words = term.rstrip("*").lower().replace("<n>", " ").split()
            rare = [w for w in words if w not in _COMMON_WORDS] or words
            word = max(reversed(rare), key=len)  # on a tie the later word ("window", not "single")
            for variant in (word, word.replace("'", "’")):  # "d'information" and "d’information"
                if variant not in out:
                    out.append(variant)
    return out


@cache
def _anchor_automaton() -> Any:
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for word in anchors():
        automaton.add_word(word, word)
    automaton.make_automaton()
    return automaton


def might_be_on_topic(text: str) -> bool:
    """False when ``text`` cannot be on any topic (no topic term's ``anchors`` word occurs in it, in any case):
    one Aho-Corasick pass over the lower-cased text, without normalising it."""
    for _ in _anchor_automaton().iter(text.lower()):
        return True
    return False


def matches(norm: str, terms: Terms) -> bool:
    """True when one of ``terms`` (topic or instrument terms) occurs in the normalised text ``norm``."""
    found = terms_in(norm)
    return any(t in found for t in terms)


@dataclass(slots=True)
class ProvisionFacts:
    """What the comparison needs of one stored provision."""

    agreement_id: str
    provision_id: str
    text: str
    language: str = ""
    relevance: str = "none"  # the labels in force
    binding: str | None = None
    wto_key: str = ""  # the WTO agreement's source key; "" for a regional agreement
    year: int | None = None
    name: str = ""
    source_ref: str = ""


def binding_of(text: str, language: str = "") -> str:
    """The lens's binding stage on any text, relevant or not: "binding" or "soft"."""
    p = Provision(text=text, language=language or "en", norm=normalise(text))
    p.relevance = "implicit"  # the stage only judges relevant provisions
    _binding_stage(p)
    return p.binding or "soft"


def effective_binding(facts: ProvisionFacts) -> str:
    """The lens's label for a relevant provision, else the binding stage on its text."""
    if facts.relevance != "none" and facts.binding in ("binding", "soft"):
        return facts.binding
    return binding_of(facts.text, facts.language)


# a sentence or numbered paragraph ends at ". " or "; " before a capital, a number "2." or a letter "(b)"
_SEGMENT_END = re.compile(r"(?<=[.;:])\s+(?=\(?[0-9]{1,3}[.)]\s|\([a-z]{1,4}\)\s|[A-ZÀ-Ý])|\n\s*")


_WORD3 = re.compile(r"[^\W\d_]{3}")


def segments(text: str) -> list[str]:
    """The sentences and numbered paragraphs of a provision (a rough cut: enough to find those on a topic)."""
    return [s for s in _SEGMENT_END.split(text) if _WORD3.search(s)]  # not a bare "1." or "(a)"


def topic_binding(t: WtoTopic, facts: ProvisionFacts) -> str:
    """Binding or soft *on topic t*: the lens's binding stage on the sentences of the provision that name the
    topic (its own terms or its instruments'), so that an article mixing a best-endeavour single window with
    binding rules on other formalities is soft on the single window. When every sentence names the topic (or
    none does) this is the provision's own label (``effective_binding``)."""
    parts = segments(facts.text)
    terms = set(t.all_terms())
    on = [s for s in parts if not terms.isdisjoint(terms_in(normalise(s)))]
    if not on or len(on) == len(parts):
        return effective_binding(facts)
    return binding_of(" ".join(on), facts.language)


def on_topics(text: str, topics: Iterable[WtoTopic] = TOPICS) -> list[str]:
    """Keys of the topics a provision's text is on (one of the topic's own terms occurs in it; an instrument's
    term alone, such as "within 30 days", does not put a provision on a topic). None for definitions."""
    norm = normalise(text)
    if definitions(norm):
        return []
    found = terms_in(norm)
    return [t.key for t in topics if _on(t, found)]


def _on(t: WtoTopic, found: frozenset[str]) -> bool:
    return any(term in found for term in t.terms)


def _instruments(t: WtoTopic, found: frozenset[str]) -> list[str]:
    return [i.key for i in t.instruments if any(term in found for term in i.terms)]


def instruments_in(text: str, t: WtoTopic) -> list[str]:
    """Keys of topic ``t``'s instruments named in ``text``."""
    return _instruments(t, terms_in(normalise(text)))


_DEFINITIONS_START = re.compile(r"for the purposes? of th|para (?:los )?efectos de|aux fins d")


def definitions(norm: str) -> bool:
    """The lens's ``is_definitions``, also when the text starts with its heading ("Article 4 Definitions For
    the purposes of this Chapter: ... means ...")."""
    if is_definitions(norm):
        return True
    m = _DEFINITIONS_START.search(norm, 0, 160)
    return m is not None and is_definitions(norm[m.start() :])


def _found(p: ProvisionFacts) -> frozenset[str]:
    """The terms in a provision (none for a definitions article)."""
    norm = normalise(p.text)
    return frozenset() if definitions(norm) else terms_in(norm)


@dataclass(slots=True)
class Baseline:
    compared: bool  # at least one of the topic's WTO agreements is imported
    present: bool = False
    binding: bool = False
    sme: bool = False
    instruments: list[str] = field(default_factory=list)
    provisions: list[ProvisionFacts] = field(default_factory=list)

    @property
    def level(self) -> str:
        """"binding", "soft", "absent" (imported, nothing on the topic) or "not_compared"."""
        if not self.compared:
            return "not_compared"
        if not self.present:
            return "absent"
        return "binding" if self.binding else "soft"


@dataclass(slots=True)
class Finding:
    """A regional provision on a topic, and why it goes beyond the WTO (no reason: it does not)."""

    provision: ProvisionFacts
    binding: str  # on the topic: "binding" or "soft" ("" when the topic is not compared)
    sme: bool
    instruments: list[str]
    reasons: list[str]
    new_instruments: list[str]

    @property
    def beyond(self) -> bool:
        return bool(self.reasons)


@dataclass(slots=True)
class TopicComparison:
    topic: WtoTopic
    baseline: Baseline
    findings: list[Finding]  # every regional provision on the topic, in input order

    @property
    def beyond(self) -> list[Finding]:
        return [f for f in self.findings if f.beyond]

    def agreements_beyond(self) -> list[str]:
        """Distinct agreement ids with at least one provision going beyond, in first-seen order."""
        return list(dict.fromkeys(f.provision.agreement_id for f in self.beyond))

    def by_year(self) -> dict[int | None, int]:
        """Agreements going beyond per year of signature (``None``: year unknown), years ascending."""
        years: dict[str, int | None] = {}
        for f in self.beyond:
            years.setdefault(f.provision.agreement_id, f.provision.year)
        counts: dict[int | None, int] = {}
        for y in years.values():
            counts[y] = counts.get(y, 0) + 1
        return dict(sorted(counts.items(), key=lambda kv: (kv[0] is None, kv[0] or 0)))

    def reason_counts(self) -> dict[str, int]:
        """Per reason, the number of distinct agreements with a provision going beyond for that reason."""
        out = {}
        for reason in REASONS:
            out[reason] = len({f.provision.agreement_id for f in self.beyond if reason in f.reasons})
        return out


def baseline(t: WtoTopic, wto: Sequence[ProvisionFacts], imported: Iterable[str]) -> Baseline:
    """The WTO baseline of topic ``t`` from the WTO provisions ``wto`` (any topic) and the imported keys."""
    keys = set(imported)
    base = Baseline(compared=any(k in keys for k in t.wto_keys))
    if not base.compared:
        return base
    for p in wto:
        if p.wto_key not in t.wto_keys:
            continue
        found = _found(p)
        if not _on(t, found):
            continue
        base.provisions.append(p)
        base.present = True
        base.binding = base.binding or topic_binding(t, p) == "binding"
        base.sme = base.sme or p.relevance == "explicit"
        for key in _instruments(t, found):
            if key not in base.instruments:
                base.instruments.append(key)
    return base


def judge(t: WtoTopic, base: Baseline, p: ProvisionFacts, found: frozenset[str] | None = None) -> Finding:
    """Compare one regional provision on topic ``t`` with the WTO baseline (see the module docstring);
    ``found`` may pass ``_found(p)`` when the caller has it."""
    level = topic_binding(t, p) if base.compared else ""  # nothing is judged against an unknown text
    sme = p.relevance == "explicit"
    found_terms = _found(p) if found is None else found
    instruments = _instruments(t, found_terms)
    reasons: list[str] = []
    new: list[str] = []
    if base.compared:
        if level == "binding" and base.present and not base.binding:
            reasons.append("binding")
        if sme and not base.sme:
            reasons.append("sme")
        if not base.present:
            new = [TOPIC_ITSELF, *instruments]
        else:
            new = [k for k in instruments if k not in base.instruments]
        if new:
            reasons.append("instrument")
    return Finding(
        provision=p, binding=level, sme=sme, instruments=instruments, reasons=reasons, new_instruments=new
    )


def compare(
    wto: Sequence[ProvisionFacts],
    regional: Sequence[ProvisionFacts],
    *,
    imported: Iterable[str],
    topics: Iterable[WtoTopic] = TOPICS,
) -> list[TopicComparison]:
    """For each topic: the WTO baseline and every regional provision on the topic with its reasons."""
    imported_keys = set(imported)
    chosen = list(topics)
    found = [(p, _found(p)) for p in regional]
    found = [(p, f) for p, f in found if f]
    out = []
    for t in chosen:
        base = baseline(t, wto, imported_keys)
        findings = [judge(t, base, p, f) for p, f in found if _on(t, f)]
        out.append(TopicComparison(topic=t, baseline=base, findings=findings))
    return out
