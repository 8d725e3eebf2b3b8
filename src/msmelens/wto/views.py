"""Pages: the WTO agreements through the MSME lens, and Beyond the WTO (all topics, one topic).

Views only validate, call selectors and render. The country page's section is ``country_section``'s context
(rendered by ``wto/_country_beyond.html``, included by the country page).
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from msmelens.agreements.labels import category_label, committee_label
from msmelens.lens.taxonomy import CATEGORIES
from msmelens.lens.wto_topics import REASONS, TOPIC_KEYS, Finding, TopicComparison
from msmelens.wto import labels, selectors
from msmelens.wto.wto_charts import year_counts_chart

FINDINGS_SHOWN = 3  # provisions shown per agreement on a topic page (the rest: on the agreement's page)
AGREEMENTS_PER_PAGE = 40  # agreements per topic page, newest first (a page stays well under 100 KB)


def _lang() -> str:
    return (get_language() or "en").split("-")[0]


def provision_url(agreement_id: str, provision_id: str) -> str:
    """The provision on its agreement's page."""
    return reverse("agreement_detail", args=[agreement_id]) + "#" + provision_id


def _finding_row(f: Finding) -> dict[str, Any]:
    p = f.provision
    return {
        "agreement_id": p.agreement_id,
        "provision_id": p.provision_id,
        "source_ref": p.source_ref or p.provision_id,
        "url": provision_url(p.agreement_id, p.provision_id),
        "text": p.text,
        "binding": f.binding,
        "sme": f.sme,
        "reasons": [labels.reason_label(r) for r in f.reasons],
        "reason_keys": list(f.reasons),
        "new_instruments": [labels.instrument_label(k) for k in f.new_instruments],
    }


def _baseline(c: TopicComparison) -> dict[str, Any]:
    b = c.baseline
    return {
        "level": b.level,
        "level_label": labels.level_label(b.level),
        "sme": b.sme,
        "instruments": [labels.instrument_label(k) for k in b.instruments],
        "wto_keys": list(c.topic.wto_keys),
        "provisions": [
            {
                "agreement_id": p.agreement_id,
                "provision_id": p.provision_id,
                "source_ref": p.source_ref or p.provision_id,
                "url": provision_url(p.agreement_id, p.provision_id),
                "text": p.text,
                "name": p.name,
            }
            for p in b.provisions
        ],
    }


def topic_summary(c: TopicComparison) -> dict[str, Any]:
    """One topic's row: its label, the WTO baseline and the counts of regional agreements going beyond."""
    counts = c.reason_counts()
    return {
        "key": c.topic.key,
        "label": labels.topic_label(c.topic.key),
        "baseline": _baseline(c),
        "n_on_topic": len({f.provision.agreement_id for f in c.findings}),
        "n_beyond": len(c.agreements_beyond()),
        "reasons": [{"key": r, "label": labels.reason_label(r), "n": counts[r]} for r in REASONS],
        "url": reverse("wto:beyond_topic", args=[c.topic.key]),
    }


def wto_list(request: HttpRequest) -> HttpResponse:
    items = selectors.wto_agreement_list(language=_lang())
    rows = [
        {
            "key": it.record.source_key,
            "agreement_id": it.record.agreement_id,
            "name": it.agreement.name,
            "short_title": it.record.short_title or it.agreement.name,
            "body": labels.body_label(it.record.administering_body, it.record.body_key),
            "overlaps": [committee_label(k) for k in it.overlaps],
            "parties": labels.parties_label(it.record.parties),
            "n_parties": it.n_parties,
            "coverage_overall": it.coverage_overall,
            "values": [it.coverage[c] for c in CATEGORIES],
            "n_provisions": it.n_provisions,
            "n_explicit": it.n_explicit,
            "n_implicit": it.n_implicit,
            "languages": it.languages,
        }
        for it in items
    ]
    context = {
        "rows": rows,
        "category_labels": [category_label(c) for c in CATEGORIES],
        "topics": [topic_summary(c) for c in selectors.beyond()],
    }
    return render(request, "wto/list.html", context)


def wto_agreement(request: HttpRequest, key: str) -> HttpResponse:
    record = selectors.wto_record_for_key(key=key, language=_lang())
    if record is None:
        raise Http404(_("No WTO agreement “%(key)s” is stored.") % {"key": key})
    return redirect("agreement_detail", record.agreement_id)


def beyond_index(request: HttpRequest) -> HttpResponse:
    topics = [topic_summary(c) for c in selectors.beyond()]
    return render(request, "wto/beyond_index.html", {"topics": topics})


def _chart(c: TopicComparison) -> dict[str, Any]:
    by_year = c.by_year()
    years = list(by_year)
    counts = [by_year[y] for y in years]
    n = sum(counts)
    label = labels.topic_label(c.topic.key)
    svg = year_counts_chart(
        years,
        counts,
        title=_("%(topic)s: regional agreements going beyond the WTO, by year of signature (n = %(n)s)")
        % {"topic": label, "n": n},
        desc=_(
            "One column per year of signature; its height is the number of regional agreements signed that year "
            "with at least one provision going beyond the WTO on this topic. The table below lists them."
        ),
        unknown_label=_("year not known"),
    )
    return {"svg": mark_safe(svg), "n": n, "rows": [{"year": y, "n": by_year[y]} for y in years]}


def beyond_topic(request: HttpRequest, topic: str) -> HttpResponse:
    if topic not in TOPIC_KEYS:
        raise Http404(_("No topic “%(topic)s” in the Beyond-the-WTO comparison.") % {"topic": topic})
    country = (request.GET.get("country") or "").strip().upper()[:8]
    if country and not country.isalnum():
        country = ""
    c = selectors.beyond(topic_key=topic, country=country or None)[0]
    page = Paginator(selectors.agreements_beyond(c), AGREEMENTS_PER_PAGE).get_page(request.GET.get("page"))
    agreements = [
        {
            "agreement_id": a.agreement_id,
            "name": a.name,
            "year": a.year,
            "url": reverse("agreement_detail", args=[a.agreement_id]),
            "reasons": [labels.reason_label(r) for r in a.reasons],
            "findings": [_finding_row(f) for f in a.findings[:FINDINGS_SHOWN]],
            "n_more": max(0, len(a.findings) - FINDINGS_SHOWN),
        }
        for a in page.object_list
    ]
    context = {
        "topic": topic_summary(c),
        "chart": _chart(c),
        "agreements": agreements,
        "page": page,
        "country": country,
    }
    return render(request, "wto/beyond_topic.html", context)


def country_section(iso3: str) -> dict[str, Any]:
    """Context for ``wto/_country_beyond.html`` on a country's page."""
    data = selectors.country_beyond(iso3=iso3)
    topics = []
    for t in data.topics:
        row = topic_summary(t.comparison)
        row["agreements"] = [
            {
                "agreement_id": a.agreement_id,
                "name": a.name,
                "year": a.year,
                "url": reverse("agreement_detail", args=[a.agreement_id]),
                "reasons": [labels.reason_label(r) for r in a.reasons],
                "n_provisions": len(a.findings),
                "first_url": provision_url(a.agreement_id, a.findings[0].provision.provision_id),
            }
            for a in t.agreements
        ]
        row["country_url"] = reverse("wto:beyond_topic", args=[t.comparison.topic.key]) + f"?country={iso3}"
        topics.append(row)
    return {
        "iso3": data.iso3,
        "member_since": data.wto_member_since,
        "gpa_since": data.gpa_party_since,
        "n_regional": data.n_regional,
        "any_compared": data.any_compared,
        "topics": topics,
    }
