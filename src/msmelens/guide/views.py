"""The firm guide's pages: the self-assessment form, the firm's report at its private link, and changing it.

Views validate, call the guide's services and selectors, and render. The private pages are never cached and
send no referrer to other sites (the token is in their address), and ask search engines not to index them.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from msmelens.feedback import access, web_form
from msmelens.feedback.selectors import DEFAULT_SURVEY_SLUG
from msmelens.guide import selectors, services
from msmelens.guide.assessment import BY_NAME, OBSTACLE_LABELS
from msmelens.guide.forms import GuideForm, initial_for
from msmelens.guide.models import Assessment
from msmelens.guide.report import build_report

ACTION_STATUS_LABELS = {
    "planned": gettext_lazy("Planned"), "in_progress": gettext_lazy("In progress"), "done": gettext_lazy("Done"),
    "dropped": gettext_lazy("Dropped"),
}


def _lang() -> str:
    return (get_language() or "en").split("-")[0]


def _private(response: HttpResponse) -> HttpResponse:
    response["Referrer-Policy"] = "same-origin"  # no referrer to other sites; "no-referrer" would send
    # "Origin: null" with the page's own forms, which the CSRF check refuses
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _counted_as(request: HttpRequest) -> str:
    """The survey response this browser already sent through the survey's own form, if any."""
    return web_form.last_submitted(request.session, DEFAULT_SURVEY_SLUG)


def _remember_counted(request: HttpRequest, assessment: Assessment) -> None:
    """Once the assessment's answers are in the survey, the survey's own form in this browser replaces them
    (instead of counting the firm twice)."""
    if assessment.survey_status == services.SHARED and assessment.survey_instance_id:
        web_form.mark_counted_elsewhere(request.session, DEFAULT_SURVEY_SLUG, assessment.survey_instance_id)


def _firm_error(form: GuideForm, exc: services.GuideError) -> None:
    form.add_error(None, str(exc))


@never_cache
@require_http_methods(["GET", "POST"])
def guide_start(request: HttpRequest) -> HttpResponse:
    form = GuideForm(request.POST or None, language=_lang())
    if request.method == "POST" and form.is_valid():
        if not access.within_rate(request, getattr(request, "user", None)):
            form.add_error(None, _("Many reports were sent from your connection in a short time. Your answers "
                                   "are kept below: wait a minute, then press the button again."))
            return render(request, "guide/start.html", {"form": form, "editing": False}, status=429)
        try:
            firm = services.clean_firm(**asdict(form.firm()))
            assessment, token = services.create_assessment(
                firm=firm, answers=form.answers(), language=_lang(), consent=form.cleaned_data["consent"],
                counted_as=_counted_as(request),
            )
        except services.GuideError as exc:
            _firm_error(form, exc)
        else:
            _remember_counted(request, assessment)
            return HttpResponseRedirect(reverse("guide:report", args=[token]) + "?new=1")
    return render(request, "guide/start.html", {"form": form, "editing": False})


def _get(token: str) -> Assessment:
    assessment = selectors.assessment_by_token(token)
    if assessment is None:
        raise Http404(_("This link does not open a saved report. Check that it was copied whole."))
    return assessment


def _actions(assessment: Assessment, named: list[str]) -> list[dict[str, Any]]:
    return [
        {
            "title": a.title, "description": a.description, "responsible": a.responsible,
            "started_on": a.started_on, "completed_on": a.completed_on,
            "status": str(ACTION_STATUS_LABELS.get(a.status, a.status)),
            "categories": [str(OBSTACLE_LABELS[c]) for c in a.categories if c in OBSTACLE_LABELS],
        }
        for a in selectors.actions_for(assessment.country, named)
    ]


@never_cache
@require_http_methods(["GET", "POST"])
def guide_report(request: HttpRequest, token: str) -> HttpResponse:
    assessment = _get(token)
    share = None
    if request.method == "POST" and request.POST.get("action") == "share":
        share = services.share_with_survey(assessment=assessment, counted_as=_counted_as(request))
        _remember_counted(request, assessment)
        if share.status != services.REFUSED:  # post, then redirect: reloading the page sends nothing again
            return HttpResponseRedirect(reverse("guide:report", args=[token]) + "#survey")
    firm = services.Firm(assessment.country, assessment.sector, assessment.employees, list(assessment.markets))
    report = build_report(firm=firm, answers=assessment.answers)
    missing = services.survey_answers(firm=firm, answers=assessment.answers)[1]
    context = {
        "assessment": assessment,
        "report": report,
        "known_gaps": [g for g in report["gaps"] if g["known"]],
        "unknown_gaps": [g for g in report["gaps"] if not g["known"]],
        "token": token,
        "new": request.GET.get("new") == "1",
        "share": share,
        "missing_labels": [str(BY_NAME[name].label) for name in missing],
        "named_labels": [str(OBSTACLE_LABELS[c]) for c in report["named_obstacles"]],
        "actions": _actions(assessment, report["named_obstacles"]),
        "counted": selectors.survey_response_current(assessment.survey_instance_id)
        or assessment.survey_status == services.ALREADY_COUNTED,
        "link": request.build_absolute_uri(reverse("guide:report", args=[token])),
    }
    return _private(render(request, "guide/report.html", context))


@never_cache
@require_http_methods(["GET", "POST"])
def guide_edit(request: HttpRequest, token: str) -> HttpResponse:
    assessment = _get(token)
    initial = initial_for(country=assessment.country, sector=assessment.sector, employees=assessment.employees,
                          markets=list(assessment.markets), answers=dict(assessment.answers), language=_lang())
    initial["consent"] = assessment.consent
    form = GuideForm(request.POST or None, initial=initial, language=_lang())
    # once in the survey, the answers stay there and follow every change (the survey keeps no second copy)
    in_survey = assessment.survey_status in (services.SHARED, services.ALREADY_COUNTED)
    if in_survey:
        del form.fields["consent"]
    if request.method == "POST" and form.is_valid():
        try:
            firm = services.clean_firm(**asdict(form.firm()))
            services.update_assessment(
                assessment=assessment, firm=firm, answers=form.answers(), language=_lang(),
                consent=None if in_survey else form.cleaned_data["consent"], counted_as=_counted_as(request),
            )
        except services.GuideError as exc:
            _firm_error(form, exc)
        else:
            _remember_counted(request, assessment)
            return HttpResponseRedirect(reverse("guide:report", args=[token]))
    return _private(render(request, "guide/start.html",
                           {"form": form, "editing": True, "token": token, "in_survey": in_survey}))
