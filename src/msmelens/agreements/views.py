"""Server-rendered pages: validate the request (forms), call selectors / the lens, render. No logic here."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models.functions import Length
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from msmelens.agreements import selectors, version_selectors
from msmelens.agreements.draft_report import build_report, report_csv, report_json, report_markdown
from msmelens.agreements.drafting import categories_needing_help, suggest_model_language
from msmelens.agreements.forms import AgreementFilterForm, AnalyzeForm, CompareForm, SearchForm
from msmelens.agreements.labels import category_label, language_label, region_label, status_label
from msmelens.agreements.models import Agreement
from msmelens.countries.names import country_name
from msmelens.lens.taxonomy import CATEGORIES
from msmelens.web import charts
from msmelens.web.cache import cached_for_data_version

PAGE_SIZE = 50
SEARCH_PAGE_SIZE = 20
PROVISIONS_PER_PAGE = 60
TEXT_CHARS_PER_PAGE = 35_000  # keeps an agreement page well under 100 KB


def _lang() -> str:
    return (get_language() or "en").split("-")[0]


def _choices(values: Any, label: Any) -> list[tuple[str, str]]:
    """(value, label in the active language) pairs for a selector's list of plain values."""
    return [(str(v), label(str(v))) for v in values or [] if v]


def _form_choices() -> dict[str, Any]:
    """Filter choices with labels in the active language (party names cached per data version)."""
    fc = selectors.filter_choices()
    lang = _lang()

    def parties() -> list[tuple[str, str]]:
        pairs = _choices(fc.get("parties"), lambda iso: country_name(iso, lang))
        return sorted(pairs, key=lambda c: c[1].casefold())

    return {
        "parties": cached_for_data_version(("page-party-choices", lang), parties),
        "regions": _choices(fc.get("regions"), region_label),
        "statuses": _choices(fc.get("statuses"), status_label),
    }


def _coverage_chart(profile: dict[str, Any], title: str) -> str:
    cov = profile.get("coverage") or {}
    return charts.bar_chart(
        [category_label(c) for c in CATEGORIES],
        [charts.Series(_("Coverage"), [cov.get(c, 0.0) for c in CATEGORIES])],
        title=title,
        desc=_(
            "How strongly the text covers each of the eight obstacle categories: three binding explicit "
            "MSME provisions in a category give 100%; soft or implicit provisions count less."
        ),
    )


def _small_note() -> str:
    return _("rests on fewer than five agreements: read it with care")


def overview(request: HttpRequest) -> HttpResponse:
    data = selectors.corpus_overview()
    by_year = [row for row in data.get("by_year", []) if row.get("year")]
    n_agreements = int(data.get("n_agreements") or 0)
    year_chart = charts.column_chart(
        [str(r["year"]) for r in by_year],
        [
            charts.Series(_("Explicit MSME provisions"), [r["share_explicit"] for r in by_year]),
            charts.Series(_("Implicit MSME provisions"), [r["share_implicit"] for r in by_year]),
        ],
        title=_("Share of agreements with MSME provisions, by year of signature"),
        desc=_(
            "For each year, the share of the agreements signed that year with at least one explicit "
            "and with at least one implicit MSME provision. The table below gives the same figures "
            "with the number of agreements behind each year."
        ),
        counts=[int(r.get("n") or 0) for r in by_year],
        small_note=_small_note(),
    )
    cov = data.get("category_coverage") or {}
    category_chart = charts.bar_chart(
        [category_label(c) for c in CATEGORIES],
        [charts.Series(_("Agreements"), [cov.get(c, 0.0) for c in CATEGORIES])],
        title=_("Share of agreements with at least one provision in each category"),
        desc=_("One bar per obstacle category; the table below gives the same figures."),
        links=[reverse("agreement_list") + f"?category={c}" for c in CATEGORIES],
        counts=[n_agreements] * len(CATEGORIES),
        small_note=_small_note(),
    )
    context = {
        "data": data,
        "by_year": by_year,
        "small_mark": charts.SMALL_MARK,
        "small_n": charts.is_small_n(n_agreements),
        "any_small_year": any(r.get("small_n") for r in by_year),
        "categories": [(c, category_label(c), cov.get(c, 0.0)) for c in CATEGORIES],
        "year_chart": mark_safe(year_chart),
        "category_chart": mark_safe(category_chart),
    }
    return render(request, "msmelens/overview.html", context)


def agreement_list(request: HttpRequest) -> HttpResponse:
    choices = _form_choices()
    form = AgreementFilterForm(request.GET or None, choices=choices)
    status = 200
    filters: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
    elif form.is_bound:
        status = 400
    sort = filters.pop("sort", "coverage")
    qs = selectors.agreement_list(sort=sort, **filters) if status == 200 else Agreement.objects.none()
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    versions = version_selectors.versions_of(agreements=rows)
    languages = {
        a.pk: [language_label(v.language) for v in versions[a.pk]] for a in rows if len(versions[a.pk]) > 1
    }
    return render(
        request,
        "msmelens/agreement_list.html",
        {"form": form, "page": page, "n_filters": len(filters), "languages": languages},
        status=status,
    )


def _get_agreement(lens_id: str) -> Agreement:
    try:
        return selectors.agreement_get(lens_id=lens_id)
    except Agreement.DoesNotExist:
        raise Http404(_("No agreement with the identifier “%(id)s”.") % {"id": lens_id}) from None


def _chunk_pages(rows: list[tuple[int, int]]) -> list[list[int]]:
    """Split (pk, text length) rows into pages of ≤ PROVISIONS_PER_PAGE and ≈ TEXT_CHARS_PER_PAGE."""
    pages: list[list[int]] = []
    current: list[int] = []
    chars = 0
    for pk, length in rows:
        if current and (len(current) >= PROVISIONS_PER_PAGE or chars + (length or 0) > TEXT_CHARS_PER_PAGE):
            pages.append(current)
            current, chars = [], 0
        current.append(pk)
        chars += length or 0
    if current:
        pages.append(current)
    return pages


def _versions_context(request: HttpRequest, addressed: Agreement) -> tuple[Agreement, dict[str, Any]]:
    """The version to show (``version_selectors.version_to_show``) and what the page says about versions."""
    versions = version_selectors.agreement_versions(agreement=addressed)
    if len(versions) < 2:
        return addressed, {"versions": [], "comparisons": []}
    requested = str(request.GET.get("version", ""))[:64]
    shown = version_selectors.version_to_show(
        agreement=addressed, versions=versions, language=_lang(), requested=requested
    )
    others = [v for v in versions if v.pk != shown.pk]
    primary = next((v for v in versions if v.is_primary), versions[0])
    return shown, {
        "versions": [
            {
                "agreement": v,
                "language": language_label(v.language),
                "shown": v.pk == shown.pk,
                "url": reverse("agreement_detail", args=[primary.lens_id]) + f"?version={v.lens_id}",
            }
            for v in versions
        ],
        "comparisons": version_selectors.compare_versions(shown=shown, others=others),
        "version_query": f"version={shown.lens_id}&" if requested or shown.pk != addressed.pk else "",
    }


def agreement_detail(request: HttpRequest, lens_id: str) -> HttpResponse:
    agreement, version_context = _versions_context(request, _get_agreement(lens_id))
    profile = agreement.profile or {}
    show_all = request.GET.get("show") == "all"
    sme = profile.get("sme_chapter") or None
    sme_ids = list((sme or {}).get("provision_ids") or [])
    provisions = selectors.provision_list(agreement=agreement)
    sme_provisions = list(provisions.filter(provision_id__in=sme_ids).order_by("ordinal")) if sme_ids else []
    rest = provisions.exclude(provision_id__in=sme_ids)
    if not show_all:
        rest = rest.exclude(relevance="none")
    rows = list(rest.order_by("ordinal").annotate(n=Length("text")).values_list("pk", "n"))
    pages = _chunk_pages(rows)
    try:
        number = max(1, min(int(request.GET.get("page", "1")), max(len(pages), 1)))
    except ValueError:
        number = 1
    page_items = list(rest.filter(pk__in=pages[number - 1]).order_by("ordinal")) if pages else []
    parties = [
        (iso, country_name(iso, _lang()))
        for iso in agreement.parties.order_by("iso3").values_list("iso3", flat=True)
    ]
    context = {
        "agreement": agreement,
        "profile": profile,
        "parties": parties,
        "sme": sme,
        "sme_provisions": sme_provisions if number == 1 else [],
        "provisions": page_items,
        "show_all": show_all,
        "page_number": number,
        "page_numbers": range(1, len(pages) + 1),
        "n_shown": len(rows),
        "chart": mark_safe(_coverage_chart(profile, _("MSME coverage by category"))),
        "categories": [
            (
                c,
                category_label(c),
                (profile.get("coverage") or {}).get(c, 0.0),
                (profile.get("category_counts") or {}).get(c, 0),
            )
            for c in CATEGORIES
        ],
        "committees": sorted((profile.get("committees") or {}).items(), key=lambda kv: -kv[1]),
        "version_query": "",
        "wto": _wto_facts(agreement.lens_id),
        **version_context,
    }
    return render(request, "msmelens/agreement_detail.html", context)


def _wto_facts(agreement_id: str) -> Any:
    """The WTO app's facts for a WTO text (administering body, parties), None for a regional agreement."""
    from msmelens.wto.selectors import wto_facts

    return wto_facts(agreement_id=agreement_id)


def compare(request: HttpRequest) -> HttpResponse:
    """Both ids given: the comparison (and a link to change them); otherwise the form, pre-filled."""
    options = [
        (a.lens_id, Truncator(a.name).chars(60))
        for a in selectors.agreement_list(sort="name").only("lens_id", "name")
    ]
    a_id, b_id = request.GET.get("a", ""), request.GET.get("b", "")
    listed = {value for value, _label in options}
    for requested in dict.fromkeys(i for i in (a_id, b_id) if i and i not in listed):
        try:  # another language version (not in the list, which names each agreement once): keep it
            version = selectors.agreement_get(lens_id=requested[:64])
        except Agreement.DoesNotExist:
            continue
        options.append(
            (version.lens_id, f"{Truncator(version.name).chars(50)} ({language_label(version.language)})")
        )
    if not (a_id and b_id) or request.GET.get("change"):
        form = CompareForm(initial={"a": a_id, "b": b_id}, agreements=options)
        return render(request, "msmelens/compare.html", {"form": form})
    form = CompareForm(request.GET, agreements=options)
    if not form.is_valid():
        return render(request, "msmelens/compare.html", {"form": form}, status=400)
    a = _get_agreement(form.cleaned_data["a"])
    b = _get_agreement(form.cleaned_data["b"])
    rows = _compare_rows(selectors.compare_agreements(a=a, b=b))
    for r in rows:
        r["sides"] = [(r["a_coverage"], a, r["a_provisions"]), (r["b_coverage"], b, r["b_provisions"])]
    chart = charts.bar_chart(
        [r["label"] for r in rows],
        [
            charts.Series(Truncator(a.name).chars(40), [r["a_coverage"] for r in rows]),
            charts.Series(Truncator(b.name).chars(40), [r["b_coverage"] for r in rows]),
        ],
        title=_("MSME coverage by category, side by side"),
        desc=_("Two bars per category, one per agreement; the table below gives the same figures."),
    )
    context = {"a": a, "b": b, "rows": rows, "chart": mark_safe(chart)}
    return render(request, "msmelens/compare.html", context)


def _compare_rows(comparison: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per category from ``selectors.compare_agreements`` (categories → a/b coverage + provisions)."""
    by_cat = {row["category"]: row for row in comparison.get("categories", [])}
    rows = []
    for cat in CATEGORIES:
        item = by_cat.get(cat, {})
        a_side, b_side = item.get("a") or {}, item.get("b") or {}
        rows.append(
            {
                "category": cat,
                "label": category_label(cat),
                "a_coverage": a_side.get("coverage", 0.0),
                "b_coverage": b_side.get("coverage", 0.0),
                "a_provisions": list(a_side.get("provisions", [])),
                "b_provisions": list(b_side.get("provisions", [])),
            }
        )
    return rows


def search(request: HttpRequest) -> HttpResponse:
    from msmelens.agreements import search_selectors
    from msmelens.agreements.search_form import add_language_field, hit_rows
    from msmelens.agreements.search_html import hits_html

    choices = _form_choices()
    form = add_language_field(SearchForm(request.GET or None, choices=choices))
    context: dict[str, Any] = {"form": form}
    status = 200
    if form.is_bound and form.is_valid() and form.cleaned_data.get("q", "").strip():
        params = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        try:
            number = max(1, int(request.GET.get("page", "1")))
        except ValueError:
            number = 1
        result = search_selectors.provision_search(
            limit=SEARCH_PAGE_SIZE, offset=(number - 1) * SEARCH_PAGE_SIZE, **params
        )
        n_pages = max(1, -(-result.total // SEARCH_PAGE_SIZE))
        context.update(
            result=result,
            hits_html=hits_html(hit_rows(result.hits)),
            page_number=number,
            n_pages=n_pages,
            has_next=number < n_pages,
            has_previous=number > 1,
        )
    elif form.is_bound and not form.is_valid():
        status = 400
    return render(request, "msmelens/search.html", context, status=status)


def analyze(request: HttpRequest) -> HttpResponse:
    from msmelens.corpus.errors import ReadError
    from msmelens.corpus.readers import read_bytes
    from msmelens.lens import analyze as run_lens
    from msmelens.lens.profile import profile_agreement

    if request.method != "POST":
        return render(request, "msmelens/analyze.html", {"form": AnalyzeForm()})
    form = AnalyzeForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "msmelens/analyze.html", {"form": form}, status=form.status_code())
    upload = form.cleaned_data.get("file")
    try:
        if upload is not None:
            document = read_bytes(upload.read(), upload.name)
        else:
            document = read_bytes(form.cleaned_data["text"].encode("utf-8"), "draft.txt")
    except ReadError as err:
        form.add_error("file" if upload is not None else "text", err.message)
        status = 413 if err.code == "MSL110" else 400
        return render(request, "msmelens/analyze.html", {"form": form}, status=status)
    results = run_lens(document)
    profile = profile_agreement(document, results).to_dict()
    suggestions = suggest_model_language(results=results, profile=profile)
    needs = categories_needing_help(results)
    report = build_report(document=document, results=results, profile=profile, suggestions=suggestions)
    fmt = form.cleaned_data.get("format")
    if fmt:
        return _download(report, fmt, upload.name.rsplit(".", 1)[0] if upload is not None else "draft")
    relevant = [r for r in results if r.relevance != "none"]
    context = {
        "form": AnalyzeForm(),
        "report": report,
        "document": document,
        "profile": profile,
        "relevant": [r.to_dict() for r in relevant],
        "suggestions": [(c, category_label(c), needs[c], items) for c, items in suggestions.items()],
        "chart": mark_safe(_coverage_chart(profile, _("MSME coverage of the draft by category"))),
        "draft_text": document.text,
        "draft_name": upload.name if upload is not None else _("Pasted text"),
    }
    return render(request, "msmelens/analyze.html", context)


def _download(report: dict[str, Any], fmt: str, name: str) -> HttpResponse:
    stem = "".join(ch if ch.isalnum() else "-" for ch in name.lower()).strip("-")[:60] or "draft"
    if fmt == "json":
        body, ctype, ext = report_json(report), "application/json", "json"
    elif fmt == "csv":
        body, ctype, ext = report_csv(report), "text/csv", "csv"
    else:
        body, ctype, ext = report_markdown(report), "text/markdown", "md"
    response = HttpResponse(body, content_type=f"{ctype}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="msme-lens-{stem}.{ext}"'
    return response
