"""The web form's pages: /surveys/ (the list) and /surveys/<slug>/ (one page of a survey at a time).

Views validate the request, call ``web_form`` (the page logic), the selectors and ``services.submit_response``,
and render; every page works without JavaScript. Page submits are POSTs with the CSRF token; after a page is
saved or the response stored the browser is redirected (Post/Redirect/Get), so a reload never sends twice.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from msmelens.feedback import access, selectors, services, web_form
from msmelens.feedback.answers import AnswerProblem, check_answers
from msmelens.feedback.formspec import FormSpec
from msmelens.feedback.models import FormVersion, Survey


def _survey_or_404(slug: str) -> Survey:
    survey = selectors.get_survey(slug)
    if survey is None or not survey.is_active:
        raise Http404
    return survey


def _title(survey: Survey, language: str) -> str:
    """The survey's title in the page's language (the form's msmelens_title::<language>), else its own."""
    return selectors.form_spec(selectors.current_form(survey)).title_in(language) or survey.title


def _form_url(survey: Survey) -> str:
    return reverse("feedback:survey_form", args=[survey.slug])


def _redirect(url: str) -> HttpResponse:
    return HttpResponseRedirect(url, status=303)


@require_http_methods(["GET", "HEAD"])
def survey_list(request: HttpRequest) -> HttpResponse:
    """The active surveys this visitor may answer, with a link to start (or carry on with) each."""
    user = access.session_user(request)
    items = [
        {
            "survey": survey,
            "title": _title(survey, access.request_language(request)),
            "url": _form_url(survey),
            "in_progress": bool(web_form.load_draft(request.session, survey.slug).answers),
        }
        for survey in selectors.surveys_for(user)
    ]
    return render(request, "feedback/survey_list.html", {"items": items})


def _render_page(
    request: HttpRequest,
    survey: Survey,
    spec: FormSpec,
    draft: web_form.Draft,
    index: int,
    language: str,
    *,
    problems: list[AnswerProblem] | None = None,
    notice: str = "",
    resumed: bool = False,
) -> HttpResponse:
    page = web_form.build_page(spec, index, draft.answers, language, problems)
    context: dict[str, Any] = {
        "survey": survey,
        "survey_title": spec.title_in(language) or survey.title,
        "page": page,
        "draft_id": draft.instance_id,
        "has_answers": bool(draft.answers),
        "resumed": resumed,
        "notice": notice,
        "form_url": _form_url(survey),
    }
    return render(request, "feedback/survey_page.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def survey_form(request: HttpRequest, slug: str) -> HttpResponse:
    """GET: the page where the visitor's draft stands. POST: save the page on screen and move on."""
    survey = _survey_or_404(slug)
    user = access.session_user(request)
    if not access.may_submit(survey, user):
        context = {"survey": survey, "survey_title": _title(survey, access.request_language(request))}
        return render(request, "feedback/restricted.html", context, status=403)
    form = selectors.current_form(survey)
    spec = selectors.form_spec(form)
    language = access.request_language(request)
    draft = web_form.load_draft(request.session, slug)
    if request.method == "POST":
        return _post_page(request, survey, form, spec, draft, language, user)
    values = web_form.known_values(spec, draft.answers)
    index = web_form.page_to_show(spec, draft.page, values)
    resumed = web_form.returning(request.session, slug, draft)
    return _render_page(request, survey, spec, draft, index, language, resumed=resumed)


def _post_page(
    request: HttpRequest,
    survey: Survey,
    form: FormVersion,
    spec: FormSpec,
    draft: web_form.Draft,
    language: str,
    user: Any,
) -> HttpResponse:
    action = request.POST.get("_action", "next")
    if action == "restart":
        web_form.clear_draft(request.session, survey.slug)
        return _redirect(_form_url(survey))
    posted_id = request.POST.get("_draft", "")
    if posted_id and posted_id == web_form.last_submitted(request.session, survey.slug):
        # a second click on Submit, or Submit again from a page kept by the browser: already stored
        return _redirect(reverse("feedback:survey_thanks", args=[survey.slug]))
    try:
        index = int(request.POST.get("_page", ""))
    except ValueError:
        index = draft.page
    if not 0 <= index < len(spec.pages):
        return _redirect(_form_url(survey))
    shown = request.POST.get("_shown", "").split()
    names = web_form.read_page(spec, index, shown, request.POST, draft)
    values = web_form.known_values(spec, draft.answers)
    if action == "previous":
        before = web_form.previous_page(spec, index, values)
        draft.page = index if before is None else before
        draft.moved = True
        web_form.save_draft(request.session, survey.slug, draft)
        return _redirect(_form_url(survey))
    draft.page, draft.moved = index, False
    web_form.save_draft(request.session, survey.slug, draft)
    problems = web_form.check_page(spec, draft.answers, names, language)
    appeared = [q.name for q in web_form.visible_questions(spec, index, values) if q.is_value and q.name not in shown]
    if problems or appeared:
        notice = _("More questions appeared on this page, based on your answers.") if appeared else ""
        return _render_page(request, survey, spec, draft, index, language, problems=problems, notice=notice)
    after = web_form.next_page(spec, index, values)
    if after is not None:
        draft.page, draft.moved = after, True
        web_form.save_draft(request.session, survey.slug, draft)
        return _redirect(_form_url(survey))
    return _submit(request, survey, form, spec, draft, language, user, index)


def _submit(
    request: HttpRequest,
    survey: Survey,
    form: FormVersion,
    spec: FormSpec,
    draft: web_form.Draft,
    language: str,
    user: Any,
    index: int,
) -> HttpResponse:
    """The last page was fine: check the whole draft, then store it once and thank the person."""
    answers = web_form.relevant_answers(spec, draft.answers)
    checked = check_answers(spec, answers, language=language, strict=False, enforce_required=True)
    if not checked.ok:
        return _show_problems(request, survey, spec, draft, language, checked.problems, index)
    if not access.within_rate(request, user):
        return render(request, "feedback/rate_limited.html", {"survey": survey, "form_url": _form_url(survey),
                      "survey_title": _title(survey, language)},
                      status=429)
    outcome = services.submit_response(
        survey=survey,
        instance_id=draft.instance_id,
        answers=answers,
        raw=web_form.payload(answers),
        raw_format="json",
        channel="web",
        payload_hash=services.canonical_hash(answers),
        language=language,
        user=user,
        form=form,
        strict=False,
        # the same respondent already counted through the firm guide: these answers replace that response
        deprecated_id=web_form.counted_elsewhere(request.session, survey.slug),
    )
    if outcome.status == "invalid":
        return _show_problems(request, survey, spec, draft, language, outcome.problems, index)
    # created or duplicate: stored once. A conflict (this draft's id already stored with other answers, in a
    # race between two tabs) keeps the first version, as the other channels do.
    web_form.clear_draft(request.session, survey.slug)
    web_form.forget_counted_elsewhere(request.session, survey.slug)
    web_form.mark_submitted(request.session, survey.slug, draft.instance_id)
    return _redirect(reverse("feedback:survey_thanks", args=[survey.slug]))


def _show_problems(
    request: HttpRequest,
    survey: Survey,
    spec: FormSpec,
    draft: web_form.Draft,
    language: str,
    problems: list[AnswerProblem],
    index: int,
) -> HttpResponse:
    """Send the person to the first page with a problem, with the problems shown next to their fields."""
    values = web_form.known_values(spec, draft.answers)
    first = web_form.first_problem_page(spec, problems, values)
    draft.page = index if first is None else first
    web_form.save_draft(request.session, survey.slug, draft)
    notice = _("Some answers still need attention before your report can be sent.")
    return _render_page(request, survey, spec, draft, draft.page, language, problems=problems, notice=notice)


@require_http_methods(["GET", "HEAD"])
def survey_thanks(request: HttpRequest, slug: str) -> HttpResponse:
    """Shown after a response was stored (the submit redirects here)."""
    survey = _survey_or_404(slug)
    if not web_form.last_submitted(request.session, slug):
        return _redirect(_form_url(survey))
    context = {"survey": survey, "form_url": _form_url(survey),
               "survey_title": _title(survey, access.request_language(request))}
    return render(request, "feedback/thanks.html", context)
