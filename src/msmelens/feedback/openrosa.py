"""The OpenRosa channel: ODK Collect, KoboCollect and Enketo list the forms, download them and submit.

``GET /openrosa/formList``, ``GET /openrosa/forms/<form_id>/form.xml``, ``HEAD|POST /openrosa/submission``
(OpenRosa 1.0 Form List and Form Submission APIs). The views only check the request, call the feedback
selectors and services, and answer in OpenRosa's XML (``openrosa_xml``). A submission is acknowledged only
after :func:`services.submit_response` has returned, that is after it is committed; the same submission sent
twice is stored once and acknowledged twice, so a phone that lost the first answer can mark it sent.

Open surveys take anyone (rate-limited per address); restricted surveys take their collector accounts,
authenticated with HTTP Basic (ODK Collect sends Basic credentials only over HTTPS: serve behind TLS).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.urls import reverse
from django.utils.http import http_date
from django.views.decorators.csrf import csrf_exempt

from msmelens.feedback import access, selectors, services
from msmelens.feedback.answers import AnswerProblem
from msmelens.feedback.formspec import FormSpec
from msmelens.feedback.models import Survey
from msmelens.feedback.openrosa_xml import (
    FormListItem,
    InstanceError,
    form_list_xml,
    read_instance,
    response_xml,
)

log = logging.getLogger(__name__)

REALM = "MSME Lens"
XML_TYPE = "text/xml; charset=utf-8"
SUBMISSION_FIELD = "xml_submission_file"
STATUS_MESSAGES = {
    "created": "Thank you: your answers were received.",
    "duplicate": "These answers were already received: they are stored once.",
}
PROBLEMS_HEADING = {
    "en": "Some answers were not accepted; correct them and send the form again:",
    "fr": "Certaines réponses n'ont pas été acceptées ; corrigez-les et renvoyez le formulaire :",
    "es": "Algunas respuestas no se aceptaron; corríjalas y vuelva a enviar el formulario:",
}


# --- responses --------------------------------------------------------------------------------------------


def _openrosa(
    request: HttpRequest, body: bytes | str, status: int = 200, content_type: str = XML_TYPE
) -> HttpResponse:
    """Every OpenRosa answer carries ``X-OpenRosa-Version: 1.0`` and a ``Date`` (gunicorn writes its own
    Date header, so it is left to gunicorn there rather than sent twice)."""
    response = HttpResponse(body, status=status, content_type=content_type)
    response["X-OpenRosa-Version"] = "1.0"
    if not str(request.META.get("SERVER_SOFTWARE", "")).lower().startswith("gunicorn"):
        response["Date"] = http_date()
    return response


def _message(
    request: HttpRequest, status: int, lines: str | Iterable[str], *, nature: str = ""
) -> HttpResponse:
    return _openrosa(request, response_xml(lines, nature=nature), status)


def _challenge(request: HttpRequest, text: str) -> HttpResponse:
    """401 with a Basic challenge, so that the app asks for the collector's user name and password."""
    response = _message(request, 401, text)
    response["WWW-Authenticate"] = f'Basic realm="{REALM}"'
    return response


def _refuse_access(request: HttpRequest, survey: Survey, user: Any) -> HttpResponse:
    """401 when no valid collector credentials came, 403 when a signed-in user is no collector of ``survey``."""
    if user is None:
        return _challenge(
            request,
            f"The survey '{survey.title}' is for its data collectors only: enter your collector user name "
            "and password in the app's server settings.",
        )
    return _message(
        request,
        403,
        f"The account '{user.get_username()}' does not collect data for the survey '{survey.title}'. Ask the "
        "survey's administrator to add it as a collector.",
    )


def _sent_credentials(request: HttpRequest) -> bool:
    return request.META.get("HTTP_AUTHORIZATION", "").lower().startswith("basic ")


def _method_not_allowed(request: HttpRequest, allowed: str) -> HttpResponse:
    response = _message(request, 405, f"This address accepts {allowed} requests only.")
    response["Allow"] = allowed
    return response


# --- form list and download -------------------------------------------------------------------------------


def form_list(request: HttpRequest) -> HttpResponse:
    """The forms the requester may fill in: open surveys for anyone, restricted ones for their collectors.

    Answers 401 with a Basic challenge when restricted surveys are hidden and either the list would be empty
    or credentials came that are wrong, so that the app asks for (or corrects) the user name and password.
    ``?formID=`` keeps the one form asked for."""
    if request.method not in ("GET", "HEAD"):
        return _method_not_allowed(request, "GET, HEAD")
    user = access.basic_auth_user(request)
    wanted = request.GET.get("formID", "").strip()
    active = [s for s in selectors.list_surveys() if not wanted or s.form_id == wanted]
    visible = [s for s in active if access.may_submit(s, user)]
    hidden = len(active) - len(visible)
    if user is None and hidden and (not visible or _sent_credentials(request)):
        return _challenge(
            request,
            "Some surveys are for their data collectors only: enter your collector user name and password in "
            "the app's server settings.",
        )
    items = []
    for survey in visible:
        form = selectors.current_form(survey)
        url = request.build_absolute_uri(reverse("openrosa:form_download", args=[survey.form_id]))
        items.append(FormListItem(survey.form_id, survey.title, form.version, form.xform_md5, url))
    return _openrosa(request, form_list_xml(items))


def form_download(request: HttpRequest, form_id: str) -> HttpResponse:
    """The current XForm of an active survey (404 for an unknown or closed one)."""
    if request.method not in ("GET", "HEAD"):
        return _method_not_allowed(request, "GET, HEAD")
    survey = selectors.get_survey_by_form_id(form_id)
    if survey is None or not survey.is_active:
        return _message(request, 404, f"There is no open survey with the form id '{form_id[:100]}'.")
    if survey.access != Survey.OPEN:
        user = access.basic_auth_user(request)
        if not access.may_submit(survey, user):
            return _refuse_access(request, survey, user)
    form = selectors.current_form(survey)
    response = _openrosa(request, form.xform.encode("utf-8"))
    response["Content-Disposition"] = f'inline; filename="{survey.form_id}.xml"'
    return response


# --- submission -------------------------------------------------------------------------------------------


def _max_bytes() -> int:
    return int(getattr(settings, "MSMELENS_MAX_UPLOAD_MB", 10)) * 1024 * 1024


def _too_many(request: HttpRequest) -> HttpResponse:
    _limit, period = services.parse_rate(getattr(settings, "MSMELENS_SUBMISSION_RATE", ""))
    wait = max(1, int(period - time.time() % period)) if period else 60
    response = _message(
        request,
        429,
        f"Too many submissions from this network just now. The app will send again; or try in {wait} seconds.",
    )
    response["Retry-After"] = str(wait)
    return response


def _submitted_xml(request: HttpRequest) -> bytes:
    """The instance document: the ``xml_submission_file`` part of a multipart POST (other parts, such as
    photos, are ignored), or the body itself when it was sent as XML. Raises :class:`InstanceError`."""
    content_type = request.META.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
    if content_type in ("text/xml", "application/xml"):
        return request.body
    if content_type != "multipart/form-data":
        raise InstanceError(
            "Send the submission as multipart/form-data with the form's XML in the part 'xml_submission_file'."
        )
    upload = request.FILES.get(SUBMISSION_FIELD)
    if upload is None:
        raise InstanceError("The submission has no 'xml_submission_file' part with the form's XML.")
    if upload.size is not None and upload.size > _max_bytes():
        raise InstanceError("The submitted XML is too large.")
    return upload.read()


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InstanceError("The submitted XML must be encoded as UTF-8.") from None


def _phone_language(request: HttpRequest) -> str:
    """The first supported language of the app's Accept-Language header. /openrosa/ has no language prefix,
    so the page language the middleware sets is always the site default, not the phone's."""
    for part in request.META.get("HTTP_ACCEPT_LANGUAGE", "").split(","):
        code = part.split(";")[0].strip().split("-")[0].lower()
        if code in access.LANGUAGES:
            return code
    return ""


def _problem_lines(problems: Iterable[AnswerProblem], spec: FormSpec, language: str) -> list[str]:
    """One line per problem: the question's label and name, then what is wrong with the answer."""
    lines = [PROBLEMS_HEADING.get(language, PROBLEMS_HEADING["en"])]
    for problem in problems:
        question = spec.by_name.get(problem.name)
        label = spec.text(question.label, language) if question is not None else ""
        place = f"{label} ({problem.name})" if label else problem.name
        lines.append(f"- {place}: {problem.message}")
    return lines


@csrf_exempt
def submission(request: HttpRequest) -> HttpResponse:
    """Receive one filled-in form. HEAD tells the app the size it may send (204)."""
    if request.method == "HEAD":
        if _sent_credentials(request) and access.basic_auth_user(request) is None:
            return _challenge(request, "The user name or password is not right.")
        response = _openrosa(request, b"", 204)
        response["X-OpenRosa-Accept-Content-Length"] = str(_max_bytes())
        return response
    if request.method != "POST":
        return _method_not_allowed(request, "HEAD, POST")
    user = access.basic_auth_user(request)
    if not access.within_rate(request, user):
        return _too_many(request)
    try:
        data = _submitted_xml(request)
        xml_text = _decode(data)
        instance = read_instance(data)
    except InstanceError as exc:
        return _message(request, 400, str(exc))
    except RequestDataTooBig:
        return _message(
            request, 413, f"The submission is too large: up to {_max_bytes() // 2**20} MB is accepted."
        )
    except (MultiPartParserError, SuspiciousOperation, OSError):
        return _message(request, 400, "The submission could not be read: send it as multipart/form-data.")

    survey = selectors.get_survey_by_form_id(instance.form_id)
    if survey is None or not survey.is_active:
        return _message(request, 404, f"There is no open survey with the form id '{instance.form_id[:100]}'.")
    if not access.may_submit(survey, user):
        return _refuse_access(request, survey, user)
    form = (selectors.form_version(survey, instance.version) if instance.version else None) or (
        selectors.current_form(survey)
    )
    spec = selectors.form_spec(form)
    language = access.request_language(request, _phone_language(request))
    try:
        outcome = services.submit_response(
            survey=survey,
            instance_id=instance.instance_id,
            answers=instance.answers(spec),
            raw=xml_text,
            raw_format="xml",
            channel="openrosa",
            payload_hash=services.text_hash(xml_text),
            language=language,
            user=user,
            deprecated_id=instance.deprecated_id,
            form=form,
            strict=False,
        )
    except services.FeedbackError as exc:
        return _message(request, 400, str(exc))
    if outcome.status in STATUS_MESSAGES:
        return _message(request, 201, STATUS_MESSAGES[outcome.status], nature="submit_success")
    if outcome.status == "conflict":
        log.info("openrosa conflict for %s %s", survey.form_id, instance.instance_id)
        return _message(
            request,
            409,
            f"Another submission with the same instance id ({instance.instance_id[:200]}) but different answers "
            "was already received. To correct a sent form, edit it in the app so that it gets a new instance "
            "id; otherwise contact the survey's administrator.",
        )
    return _message(request, 400, _problem_lines(outcome.problems, spec, language))
