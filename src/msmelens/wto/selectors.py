"""Reads: the WTO agreements with their MSME coverage, and the "Beyond the WTO" comparison (no writes here).

The agreements app is reached only through its selectors. The comparison reads every stored provision once per
data version (cached): a fast scan keeps those on a topic, and ``msmelens.lens.wto_topics.compare`` decides.
Regional agreements are the stored agreements that are not WTO agreements, each counted once (its primary
language version, as ``agreement_list`` gives it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ObjectDoesNotExist

from msmelens.agreements import selectors as agreement_selectors
from msmelens.lens.taxonomy import CATEGORIES
from msmelens.lens.wto_topics import (
    TOPICS,
    Finding,
    ProvisionFacts,
    TopicComparison,
    compare,
    might_be_on_topic,
    topic,
)
from msmelens.web.cache import cached_for_data_version
from msmelens.wto.models import WtoAgreement

SNIPPET_CHARS = 240  # provision text kept with a finding (the cached comparison stays small)


def _aid(agreement: Any) -> str:
    """An agreement's id string, whatever the agreements app calls the field."""
    return str(getattr(agreement, "lens_id", None) or getattr(agreement, "agreement_id", ""))


def wto_records() -> list[WtoAgreement]:
    """Every WTO agreement's record (one per stored language version), by source key and language."""
    return list(WtoAgreement.objects.all())


def wto_record(*, agreement_id: str) -> WtoAgreement | None:
    """The WTO record of a stored agreement, or None when it is not a WTO agreement."""
    return WtoAgreement.objects.filter(agreement_id=agreement_id).first()


def wto_record_for_key(*, key: str, language: str = "en") -> WtoAgreement | None:
    """The record of WTO text ``key`` in ``language``, else in English, else in any language; None if absent."""
    rows = list(WtoAgreement.objects.filter(source_key=key))
    for lang in (language, "en"):
        for row in rows:
            if row.language == lang:
                return row
    return rows[0] if rows else None


def parties_count(record: WtoAgreement) -> int:
    """How many members the agreement binds: all WTO members, or the GPA parties (EU states included)."""
    from msmelens.corpus import wto_members

    return len(wto_members.gpa_parties() if record.parties == WtoAgreement.GPA else wto_members.members())


@dataclass(frozen=True, slots=True)
class WtoFacts:
    """What an agreement page says of a WTO text: the body that administers it and who is bound by it."""

    administering_body: str  # in the current language
    parties: str  # "members" or "gpa"
    n_parties: int


def wto_facts(*, agreement_id: str) -> WtoFacts | None:
    """The administering body and parties of a stored WTO text; None for any other agreement."""
    from msmelens.wto.labels import body_label

    record = wto_record(agreement_id=agreement_id)
    if record is None:
        return None
    return WtoFacts(body_label(record.administering_body, record.body_key), record.parties, parties_count(record))


@dataclass(slots=True)
class WtoListItem:
    record: WtoAgreement
    agreement: Any  # the stored agreement (agreements app)
    coverage: dict[str, float]  # category -> 0..1
    coverage_overall: float
    n_provisions: int
    n_explicit: int
    n_implicit: int
    n_parties: int
    languages: list[str] = field(default_factory=list)  # every stored language version of this text
    # other WTO bodies (lens committee keys) whose work its relevant provisions overlap -> number of provisions,
    # most first; the administering body is left out
    overlaps: dict[str, int] = field(default_factory=dict)


def _overlaps(profile: dict[str, Any], body_key: str) -> dict[str, int]:
    counts = {k: int(v) for k, v in (profile.get("committees") or {}).items() if k != body_key}
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def wto_agreement_list(*, language: str = "en") -> list[WtoListItem]:
    """One row per WTO text (its version in ``language`` when stored, else English, else any), by key."""
    by_key: dict[str, list[WtoAgreement]] = {}
    for record in wto_records():
        by_key.setdefault(record.source_key, []).append(record)
    items = []
    for key in sorted(by_key):
        chosen = wto_record_for_key(key=key, language=language)
        if chosen is None:
            continue
        try:
            agreement = agreement_selectors.agreement_get(lens_id=chosen.agreement_id)
        except ObjectDoesNotExist:  # the agreement was deleted behind the record: not listed
            continue
        profile = agreement.profile or {}
        counts = profile.get("relevance_counts") or {}
        items.append(
            WtoListItem(
                record=chosen,
                agreement=agreement,
                coverage={c: float((profile.get("coverage") or {}).get(c, 0.0)) for c in CATEGORIES},
                coverage_overall=float(profile.get("coverage_overall", 0.0)),
                n_provisions=int(profile.get("n_provisions", 0)),
                n_explicit=int(counts.get("explicit", 0)),
                n_implicit=int(counts.get("implicit", 0)),
                n_parties=parties_count(chosen),
                languages=sorted(r.language for r in by_key[key]),
                overlaps=_overlaps(profile, chosen.body_key),
            )
        )
    return items


def _facts(row: tuple[Any, ...], agreement: Any, wto_key: str = "") -> ProvisionFacts:
    aid, provision_id, text, language, relevance, binding, source_ref = row
    return ProvisionFacts(
        agreement_id=aid,
        provision_id=provision_id,
        text=text,
        language=language or "",
        relevance=relevance,
        binding=binding,
        wto_key=wto_key,
        year=getattr(agreement, "year_signed", None),
        name=getattr(agreement, "name", "") or aid,
        source_ref=source_ref or "",
    )


_FIELDS = ("agreement__lens_id", "provision_id", "text", "language", "relevance", "binding", "source_ref")


def baseline_records(records: list[WtoAgreement]) -> list[WtoAgreement]:
    """One stored version of each WTO text for the baseline: English when stored, else the first by language.

    The language versions of a WTO text are equally authentic; judging one avoids counting a provision three
    times and letting the lens's reading of one language overrule another's."""
    chosen: dict[str, WtoAgreement] = {}
    for r in sorted(records, key=lambda r: (r.source_key, r.language != "en", r.language)):
        chosen.setdefault(r.source_key, r)
    return list(chosen.values())


def _compute_comparisons() -> list[TopicComparison]:
    records = wto_records()
    wto_keys = {r.agreement_id: r.source_key for r in records}  # every version: none of them is regional
    wto_agreements = {}
    for r in baseline_records(records):
        try:
            wto_agreements[r.agreement_id] = agreement_selectors.agreement_get(lens_id=r.agreement_id)
        except ObjectDoesNotExist:
            continue
    regional = {
        _aid(a): a for a in agreement_selectors.agreement_list(sort="name") if _aid(a) not in wto_keys
    }
    wto_facts: list[ProvisionFacts] = []
    regional_facts: list[ProvisionFacts] = []
    rows = agreement_selectors.provision_list().values_list(*_FIELDS)
    for row in rows.iterator(chunk_size=2000):
        aid = row[0]
        if aid in wto_agreements:
            wto_facts.append(_facts(row, wto_agreements[aid], wto_keys[aid]))
        elif aid in regional and might_be_on_topic(row[2] or ""):
            regional_facts.append(_facts(row, regional[aid]))
    imported = {wto_keys[a] for a in wto_agreements}
    comparisons = compare(wto_facts, regional_facts, imported=imported)
    for c in comparisons:  # keep the cached value small: a snippet of each text is enough for pages
        for p in [*c.baseline.provisions, *(f.provision for f in c.findings)]:
            if len(p.text) > SNIPPET_CHARS:
                p.text = p.text[:SNIPPET_CHARS].rstrip() + "…"
    return comparisons


def comparisons() -> list[TopicComparison]:
    """Every topic's WTO baseline and regional findings (cached per data version)."""
    return cached_for_data_version(("wto_beyond", 1), _compute_comparisons)


def country_agreement_ids(iso3: str) -> set[str]:
    """Ids of the regional agreements (primary versions) that have ``iso3`` among their parties."""
    code = (iso3 or "").strip().upper()
    if not code:
        return set()
    return {_aid(a) for a in agreement_selectors.agreement_list(party=code)}


def restrict(comparison: TopicComparison, agreement_ids: set[str]) -> TopicComparison:
    """The comparison with only the findings of these agreements."""
    return TopicComparison(
        topic=comparison.topic,
        baseline=comparison.baseline,
        findings=[f for f in comparison.findings if f.provision.agreement_id in agreement_ids],
    )


def beyond(*, topic_key: str | None = None, country: str | None = None) -> list[TopicComparison]:
    """The comparison for every topic (or ``topic_key`` only; ``KeyError`` if unknown), optionally only for the
    regional agreements of ``country`` (ISO3)."""
    if topic_key is not None:
        topic(topic_key)  # raises KeyError with the known keys
    out = [c for c in comparisons() if topic_key is None or c.topic.key == topic_key]
    if country:
        ids = country_agreement_ids(country)
        out = [restrict(c, ids) for c in out]
    return out


@dataclass(slots=True)
class AgreementBeyond:
    """One regional agreement's provisions going beyond the WTO on one topic."""

    agreement_id: str
    name: str
    year: int | None
    findings: list[Finding]

    @property
    def reasons(self) -> list[str]:
        seen: list[str] = []
        for f in self.findings:
            seen += [r for r in f.reasons if r not in seen]
        return seen


def agreements_beyond(comparison: TopicComparison) -> list[AgreementBeyond]:
    """The agreements with at least one provision going beyond, newest first, each with those provisions."""
    groups: dict[str, AgreementBeyond] = {}
    for f in comparison.beyond:
        p = f.provision
        group = groups.get(p.agreement_id)
        if group is None:
            group = groups[p.agreement_id] = AgreementBeyond(p.agreement_id, p.name, p.year, [])
        group.findings.append(f)
    return sorted(groups.values(), key=lambda g: (-(g.year or 0), g.name.casefold(), g.agreement_id))


@dataclass(slots=True)
class CountryTopic:
    comparison: TopicComparison
    agreements: list[AgreementBeyond]


@dataclass(slots=True)
class CountryBeyond:
    iso3: str
    wto_member_since: Any  # datetime.date or None
    gpa_party_since: Any  # datetime.date or None
    topics: list[CountryTopic]
    n_regional: int  # the country's regional agreements stored

    @property
    def any_compared(self) -> bool:
        return any(t.comparison.baseline.compared for t in self.topics)


def country_beyond(*, iso3: str) -> CountryBeyond:
    """For a country: its WTO membership, and per topic which of its regional agreements go beyond the WTO."""
    from msmelens.corpus import wto_members

    code = (iso3 or "").strip().upper()
    ids = country_agreement_ids(code)
    topics = [CountryTopic(restrict(c, ids), []) for c in comparisons()]
    for t in topics:
        t.agreements = agreements_beyond(t.comparison)
    return CountryBeyond(
        iso3=code,
        wto_member_since=wto_members.members().get(code),
        gpa_party_since=wto_members.gpa_parties().get(code),
        topics=topics,
        n_regional=len(ids),
    )


def topic_keys() -> list[str]:
    return [t.key for t in TOPICS]
