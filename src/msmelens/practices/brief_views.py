"""The country brief: /countries/<ISO3>/brief/ (HTML) and /countries/<ISO3>/brief.pdf, in the page's language.

The views check the code, ask :func:`msmelens.practices.brief.country_brief` for the content and lay it out
(template, or :mod:`msmelens.practices.brief_pdf`). ``?synthetic=1`` counts demo survey responses, as on the
results pages. An unknown country is a 404; a known one without agreements or survey answers gets a brief
that says so.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from msmelens.countries.names import is_known
from msmelens.feedback import results_charts
from msmelens.practices.brief import Brief, country_brief
from msmelens.practices.brief_pdf import render_brief_pdf
from msmelens.web import charts


def _lang() -> str:
    return (get_language() or "en").split("-")[0]


def _code_or_404(iso3: str) -> str:
    code = (iso3 or "").strip().upper()
    if len(code) > 8 or not code.isalnum() or not is_known(code):
        raise Http404(_("No country with the code “%(code)s”.") % {"code": iso3})
    return code


def _synthetic(request: HttpRequest) -> bool:
    return request.GET.get("synthetic", "") in ("1", "on", "yes", "true")


def practice_url(slug: str) -> str | None:
    """The practice's page in the library (None while the library has no page for it)."""
    try:
        return reverse("practices:practice_detail", args=[slug])
    except NoReverseMatch:
        return None


def _coverage_chart(brief: Brief) -> str:
    return charts.bar_chart(
        [c.label for c in brief.coverage],
        [charts.Series(_("Best coverage among its agreements"), [c.best for c in brief.coverage])],
        title=_("MSME coverage of %(country)s's agreements by category") % {"country": brief.name},
        desc=_(
            "One bar per obstacle category: the strongest coverage of that category among the country's "
            "agreements. The table below gives the figures."
        ),
    )


def _obstacle_chart(brief: Brief) -> str:
    bars = [
        results_charts.Bar(
            key=o.category,
            label=o.label,
            status=o.status,
            value=o.share_major,
            low=o.ci[0] if o.ci else None,
            high=o.ci[1] if o.ci else None,
        )
        for o in brief.obstacles
    ]
    return results_charts.interval_bars(
        bars,
        title=_("Obstacles reported by firms in %(country)s") % {"country": brief.name},
        desc=_(
            "Share of firms calling each obstacle major or very severe, with its 95%% interval. Figures held "
            "back for too few answers are drawn as empty slots without a number."
        )
        % {},
    )


@require_GET
def country_brief_page(request: HttpRequest, iso3: str) -> HttpResponse:
    """/countries/<ISO3>/brief/: the brief as a web page."""
    code = _code_or_404(iso3)
    synthetic = _synthetic(request)
    brief = country_brief(code, _lang(), include_synthetic=synthetic)
    links = {p.slug: practice_url(p.slug) for p in brief.practices}
    for gap in brief.gaps:
        links.update({p.slug: practice_url(p.slug) for p in gap.elsewhere})
    pdf_url = reverse("country_brief_pdf", args=[code]) + ("?synthetic=1" if synthetic else "")
    context = {
        "brief": brief,
        "links": links,
        "pdf_url": pdf_url,
        "coverage_chart": mark_safe(_coverage_chart(brief)) if brief.has_agreements else "",
        "obstacle_chart": mark_safe(_obstacle_chart(brief)) if brief.has_feedback else "",
        "synthetic": synthetic,
    }
    return render(request, "practices/brief.html", context)


@require_GET
def country_brief_pdf(request: HttpRequest, iso3: str) -> HttpResponse:
    """/countries/<ISO3>/brief.pdf: the same brief as a PDF, in the page's language."""
    code = _code_or_404(iso3)
    brief = country_brief(code, _lang(), include_synthetic=_synthetic(request))
    response = HttpResponse(render_brief_pdf(brief), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="msme-lens-brief-{code}-{brief.language}.pdf"'
    return response
