"""The firm's report: its stage, strengths and gaps, its markets with the agreements and provisions that matter
to it, programmes in its country, and what it can do next. One builder for the page, the API and the CLI.

:func:`build_report` returns plain JSON-ready data, with sentences in the active language (call it inside
``translation.override``). Links are site paths; the API and CLI keep them as they are.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from msmelens.agreements.labels import category_label
from msmelens.agreements.templatetags.msmelens_tags import provision_title
from msmelens.countries.names import country_name
from msmelens.guide import assessment as spec
from msmelens.guide import explain, selectors
from msmelens.guide.services import Firm
from msmelens.practices import evidence

MAX_PROVISIONS = 8  # per agreement, the most useful first; the count of the rest is given
CANDIDATES = 3 * MAX_PROVISIONS  # provisions explained per agreement before the most useful are chosen
MAX_PRACTICES = 6
MIN_IN_COUNTRY = 2  # below this, add practices from elsewhere for the firm's first gap
MAX_STEPS = 8
TFA_IN_FORCE = "2017-02-22"
SIZE_CLASSES = ((10, "micro"), (50, "small"), (250, "medium"))


def _lang() -> str:
    return (get_language() or "en").split("-")[0]


def size_class(employees: int | None) -> str:
    if employees is None:
        return ""
    return next((name for limit, name in SIZE_CLASSES if employees < limit), "large")


def status_text(status: str, agreement: Any) -> str:
    signed = agreement.date_signed.isoformat() if agreement.date_signed else ""
    force = agreement.date_into_force.isoformat() if agreement.date_into_force else ""
    if status == selectors.IN_FORCE:
        return _("In force since %(date)s.") % {"date": force} if force else _("In force.")
    if status == selectors.SIGNED:
        return (_("Signed on %(date)s, not yet in force: its provisions do not apply yet.") % {"date": signed}
                if signed else _("Signed, not yet in force: its provisions do not apply yet."))
    if status == selectors.INACTIVE:
        return _("No longer in force: it was replaced or ended.")
    return _("Status not known.")


def _provision(p: Any, gaps: list[str]) -> dict[str, Any]:
    categories = [c for c in p.categories or [] if c in gaps] or list(p.categories or [])
    title = provision_title(p)
    feature, sentence = explain.explain(text=p.text, relevance=p.relevance, categories=categories, title=title)
    return {
        "provision_id": p.provision_id,
        "title": title,
        "relevance": p.relevance,
        "binding": p.binding,
        "categories": categories,
        "feature": feature,
        "explanation": sentence,
        "binding_text": explain.binding_text(p.binding),
        "url": reverse("agreement_detail", args=[p.agreement.lens_id]) + f"#{p.provision_id}",
    }


def _rank(item: dict[str, Any], ordinal: int) -> tuple[int, int, int, int]:
    return (item["relevance"] != "explicit", item["binding"] != "binding", item["feature"] is None, ordinal)


def _agreement(between: selectors.Between, gaps: list[str]) -> dict[str, Any]:
    ag = between.agreement
    provisions = selectors.relevant_provisions(ag, gaps)
    # explained (the costly part) are only the first candidates by relevance, bindingness and reading order
    candidates = sorted(provisions, key=lambda p: (p.relevance != "explicit", p.binding != "binding", p.ordinal))
    explained = [(_provision(p, gaps), p.ordinal) for p in candidates[:CANDIDATES]]
    items = sorted(explained, key=lambda pair: _rank(*pair))
    return {
        "agreement_id": ag.lens_id,
        "name": ag.name,
        "status": between.status,
        "status_text": status_text(between.status, ag),
        "date_signed": ag.date_signed.isoformat() if ag.date_signed else None,
        "date_into_force": ag.date_into_force.isoformat() if ag.date_into_force else None,
        "n_parties": between.n_parties,
        "language": ag.language,
        "other_versions": between.other_versions,
        "url": reverse("agreement_detail", args=[ag.lens_id]),
        "n_provisions": len(provisions),
        "provisions": [item for item, _ordinal in items[:MAX_PROVISIONS]],
    }


def _multilateral(country: str, market: str) -> dict[str, Any]:
    a, b = selectors.wto_member(country), selectors.wto_member(market)
    names = {"country": country_name(country, _lang()), "market": country_name(market, _lang())}
    if a and b:
        return {"wto_members": True, "text": _(
            "Both %(country)s and %(market)s are WTO members, so WTO rules still apply to your trade: under the "
            "Trade Facilitation Agreement (in force since 2017) each must publish its import rules, answer "
            "questions through an enquiry point, give advance rulings and release goods quickly.") % names}
    if a is None or b is None:
        return {"wto_members": None, "text": _(
            "WTO membership could not be checked here; if both countries are WTO members, WTO rules such as "
            "the Trade Facilitation Agreement apply to your trade.")}
    outside = names["country"] if not a else names["market"]
    return {"wto_members": False, "text": _(
        "%(outside)s is not a WTO member, so no multilateral trade agreement covers this trade: ask your "
        "export promotion agency about the rules that apply.") % {"outside": outside}}


def _market(country: str, market: str, gaps: list[str]) -> dict[str, Any]:
    lang = _lang()
    found = selectors.agreements_between(country, market, lang)
    items = [_agreement(b, gaps) for b in found]
    names = {"country": country_name(country, lang), "market": country_name(market, lang)}
    in_force = sum(1 for i in items if i["status"] == selectors.IN_FORCE)
    signed = sum(1 for i in items if i["status"] == selectors.SIGNED)
    multilateral = None
    if not items:
        note = _("No trade agreement between %(country)s and %(market)s is in the corpus.") % names
        multilateral = _multilateral(country, market)
    elif in_force:
        note = ngettext(
            "%(n)d agreement in force links %(country)s and %(market)s.",
            "%(n)d agreements in force link %(country)s and %(market)s.", in_force) % {**names, "n": in_force}
    elif signed:
        note = _("An agreement between %(country)s and %(market)s is signed but not yet in force.") % names
        multilateral = _multilateral(country, market)
    else:
        note = _("The agreements between %(country)s and %(market)s are no longer in force.") % names
        multilateral = _multilateral(country, market)
    if multilateral is not None:
        note = f"{note} {multilateral['text']}"
    return {"market": market, "name": names["market"], "agreements": items, "note": note,
            "multilateral": multilateral}


def _practice(p: Any, in_country: bool) -> dict[str, Any]:
    title, summary = selectors.practice_text(p, _lang())
    return {
        "id": p.slug,
        "title": title,
        "summary": summary,
        "implementer": p.implementer,
        "countries": list(p.countries or []),
        "obstacles": list(p.obstacles or []),
        "evidence_level": p.evidence_level,
        "evidence": str(evidence.level_name(p.evidence_level)),
        "in_country": in_country,
        "url": reverse("practices:practice_detail", args=[p.slug]),
    }


def _practices(country: str, gaps: list[str]) -> list[dict[str, Any]]:
    items = [_practice(p, True) for p in selectors.practices_for(country, gaps)[:MAX_PRACTICES]]
    if len(items) < MIN_IN_COUNTRY and gaps:
        items += [_practice(p, False) for p in selectors.practices_elsewhere(country, gaps[0], MIN_IN_COUNTRY)]
    return items


FEATURE_STEPS = {
    "advance_rulings": lambda n: _(
        "Before your next shipment to %(market)s, ask its customs for an advance ruling on your product "
        "(%(agreement)s).") % n,
    "contact_point": lambda n: _(
        "Write to the contact point set up under %(agreement)s with your questions about selling to "
        "%(market)s.") % n,
    "sme_website": lambda n: _(
        "Look up the website for firms set up under %(agreement)s for the rules that apply to your product in "
        "%(market)s.") % n,
    "de_minimis": lambda n: _(
        "Check whether your shipments to %(market)s fall under the low-value threshold of %(agreement)s: they "
        "then clear customs more simply.") % n,
    "e_signatures": lambda n: _(
        "Sign contracts with buyers in %(market)s electronically: %(agreement)s recognises electronic "
        "signatures.") % n,
}
STAGE_STEPS = {
    "awareness": lambda: _("Read the provisions listed for each of your markets below, starting with those "
                           "that name small firms and those marked binding."),
    "skills": lambda: _("Choose one skill to work on first and ask your chamber of commerce or export "
                        "promotion agency about training in it."),
    "infrastructure": lambda: _("Take the customs and digital-trade provisions below to your freight forwarder or "
                                "customs broker and ask them to use them for you."),
    "ready": lambda: _("Use the provisions below to cut costs, and tell other firms in your sector about them."),
}


def _next_steps(report: dict[str, Any], result: spec.Result, firm: Firm) -> list[str]:
    steps = [STAGE_STEPS[result.stage]()]
    for market in report["markets"]:
        usable = [a for a in market["agreements"] if a["status"] == selectors.IN_FORCE]
        if not market["agreements"]:
            steps.append(_("No agreement covers %(market)s: ask your business association to raise this market "
                           "with your trade ministry.") % {"market": market["name"]})
        elif not usable and any(a["status"] == selectors.SIGNED for a in market["agreements"]):
            steps.append(_("Ask your trade ministry when the agreement with %(market)s will come into force.")
                         % {"market": market["name"]})
        seen: set[str] = set()
        for ag in usable:
            for p in ag["provisions"]:
                feature = p["feature"]
                if feature in FEATURE_STEPS and feature not in seen:
                    seen.add(feature)
                    steps.append(FEATURE_STEPS[feature]({"market": market["name"], "agreement": ag["name"]}))
    for p in report["practices"][:2]:
        if p["in_country"]:
            steps.append(_("Contact %(title)s (%(implementer)s).") % {"title": p["title"],
                                                                      "implementer": p["implementer"] or "—"})
    if any(not g.known for g in result.gaps):
        steps.append(_("Answer the questions you skipped: your report will be more precise."))
    return list(dict.fromkeys(steps))[:MAX_STEPS]


def build_report(*, firm: Firm, answers: dict[str, Any]) -> dict[str, Any]:
    """The report for a firm and its (checked) answers, in the active language."""
    lang = _lang()
    result = spec.assess(answers)
    gaps = result.gap_categories
    report: dict[str, Any] = {
        "firm": {
            "country": firm.country, "country_name": country_name(firm.country, lang), "sector": firm.sector,
            "employees": firm.employees, "size_class": size_class(firm.employees), "markets": list(firm.markets),
        },
        "stage": result.stage,
        "stage_label": str(spec.STAGE_LABELS[result.stage]),
        "stage_explanation": str(spec.STAGE_EXPLANATIONS[result.stage]),
        "stage_scores": result.stage_scores,
        "strengths": [{"question": i.name, "text": i.text, "categories": list(i.categories)}
                      for i in result.strengths],
        "gaps": [{"question": i.name, "text": i.text, "categories": list(i.categories), "known": i.known}
                 for i in result.gaps],
        "gap_categories": gaps,
        "gap_category_labels": [str(category_label(c)) for c in gaps],
        "named_obstacles": result.named_obstacles,
        "markets": [_market(firm.country, m, gaps) for m in firm.markets],
        "practices": _practices(firm.country, gaps),
    }
    report["next_steps"] = _next_steps(report, result, firm)
    return report
