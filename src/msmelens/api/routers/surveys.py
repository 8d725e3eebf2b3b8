"""/surveys: describe the feedback surveys and take responses as JSON.

Endpoints only validate, call ``msmelens.feedback`` selectors/services/access, and shape the answer. A response
is acknowledged (201, or 200 for a resend) only after ``services.submit_response`` committed it, so a client
that got no answer may safely send the same ``instance_id`` and answers again: it is stored once.

Restricted surveys take ``Authorization: Token <key>`` (or ``Bearer <key>``) of one of their collectors. Open
surveys take anyone, rate-limited per client address (``MSMELENS_SUBMISSION_RATE``).
"""

from __future__ import annotations

import functools
import json
import math
import time
from collections.abc import Callable
from typing import Any

import pydantic
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation
from ninja import Path, Query, Router
from ninja.responses import Status

from msmelens.api.errors import ApiError, validation_message
from msmelens.api.schemas import ErrorOut
from msmelens.api.serialize import API_PREFIX
from msmelens.api.survey_schemas import (
    InvalidAnswersOut,
    LangParams,
    SlugPath,
    SubmissionIn,
    SubmissionOut,
    SurveyDetail,
    SurveyList,
)
from msmelens.api.token_auth import challenge, token_caller
from msmelens.feedback import access, selectors, services
from msmelens.feedback.models import FormVersion, Response, Survey

router = Router(tags=["surveys"])

AUTH_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
QUESTION_FIELDS = (
    "name", "type", "label", "hint", "page", "group", "required", "required_message", "relevant",
    "group_relevant", "constraint", "constraint_message", "calculation", "appearance", "default",
)
INVALID_DETAIL = {
    "en": "{count} answer(s) need attention: {fields}. Nothing was stored.",
    "fr": "{count} réponse(s) à revoir : {fields}. Rien n'a été enregistré.",
    "es": "{count} respuesta(s) por revisar: {fields}. No se guardó nada.",
}


# --- who may see and submit -------------------------------------------------------------------------------


def _unauthorized(detail: str) -> ApiError:
    return ApiError(401, "unauthorized", detail)


def _survey(slug: str, user: Any) -> Survey:
    """The active survey ``slug`` if ``user`` may use it: 404 unknown, 401 no token, 403 not a collector."""
    survey = selectors.get_survey(slug)
    if survey is None or not survey.is_active:
        raise ApiError(404, "not_found", f"No survey with the address '{slug}' was found. See /api/v1/surveys.")
    if not access.may_submit(survey, user):
        if user is None:
            raise _unauthorized(
                f"The survey '{slug}' is for its collectors only: send 'Authorization: Token <your key>'."
            )
        raise ApiError(403, "forbidden", f"Your account is not a collector of the survey '{slug}'.")
    return survey


def _challenge(view: Callable[..., Any]) -> Callable[..., Any]:
    """A 401 carries ``WWW-Authenticate: Token`` (the scheme the client should use)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        try:
            return view(request, *args, **kwargs)
        except ApiError as exc:
            if exc.status != 401:
                raise
            return challenge(exc)

    return wrapper


# --- shaping -------------------------------------------------------------------------------------------------


def _survey_item(survey: Survey, form: FormVersion) -> dict[str, Any]:
    spec = selectors.form_spec(form)
    base = f"{API_PREFIX}/surveys/{survey.slug}"
    return {
        "slug": survey.slug,
        "title": survey.title,
        "form_id": survey.form_id,
        "access": survey.access,
        "version": form.version,
        "default_language": spec.default_language,
        "languages": list(spec.languages),
        "waves": [
            {"name": w.name, "starts_on": w.starts_on, "ends_on": w.ends_on} for w in selectors.waves(survey)
        ],
        "links": {
            "self": base,
            "responses": f"{base}/responses",
            "xform": f"{base}/form.xml",
            "web_form": f"/surveys/{survey.slug}/",
        },
    }


def _survey_detail(survey: Survey) -> dict[str, Any]:
    form = selectors.current_form(survey)
    spec = selectors.form_spec(form)
    questions = []
    for question in spec.questions:
        if question.repeat:
            continue
        item = {key: getattr(question, key) for key in QUESTION_FIELDS}
        item["choices"] = [{"name": c.name, "label": c.label} for c in question.choices]
        questions.append(item)
    pages = [
        {"name": p.name, "label": p.label, "relevant": p.relevant, "questions": p.questions} for p in spec.pages
    ]
    return {**_survey_item(survey, form), "questions": questions, "pages": pages}


def _acknowledgement(response: Response, status: str) -> dict[str, Any]:
    return {
        "instance_id": response.instance_id,
        "status": status,
        "wave": response.wave.name if response.wave is not None else None,
        "received_at": response.received_at,
    }


# --- reading the body ----------------------------------------------------------------------------------------


def _invalid(detail: str, errors: list[dict[str, str]] | None = None, code: str = "invalid_parameter") -> Any:
    return Status(422, {"detail": detail, "code": code, "errors": errors or []})


def _read_submission(request: HttpRequest) -> tuple[str, SubmissionIn]:
    """The body as text and as a validated :class:`SubmissionIn`; ApiError (400/413/415/422) otherwise."""
    content_type = (request.content_type or "").lower()
    if content_type and content_type != "application/json" and not content_type.endswith("+json"):
        raise ApiError(
            415,
            "unsupported_media_type",
            'Send the response as JSON (Content-Type: application/json): {"instance_id": "...", "answers": {...}}.',
        )
    try:
        body = request.body
    except RequestDataTooBig:
        raise ApiError(413, "too_large", "The request body is too large.") from None
    try:
        text = body.decode("utf-8")
        data = json.loads(text)
        json.dumps(data, ensure_ascii=False).encode("utf-8")  # lone surrogates (\ud800) cannot be stored
    except UnicodeError:
        raise ApiError(400, "invalid_json", "The request body is not valid UTF-8 JSON text.") from None
    except (ValueError, RecursionError):
        raise ApiError(400, "invalid_json", "The request body is not valid JSON.") from None
    if not isinstance(data, dict):
        raise ApiError(
            422, "invalid_parameter", 'The body must be a JSON object: {"instance_id": "...", "answers": {...}}.'
        )
    try:
        return text, SubmissionIn.model_validate(data)
    except pydantic.ValidationError as exc:
        errors = [dict(e, loc=("body", *e["loc"])) for e in exc.errors(include_url=False)]
        raise ApiError(422, "invalid_parameter", validation_message(errors)) from None


def _header_language(request: HttpRequest) -> str:
    """Accept-Language (or the site's language cookie). The API is outside the /fr/ and /es/ address
    prefixes, so LocaleMiddleware sets the request's language to the default and would shadow the header."""
    if not request.META.get("HTTP_ACCEPT_LANGUAGE") and not request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME):
        return ""
    return translation.get_language_from_request(request)


def _retry_after() -> int:
    """Seconds until the current rate-limit window ends (windows are aligned on the epoch)."""
    _limit, period = services.parse_rate(getattr(settings, "MSMELENS_SUBMISSION_RATE", ""))
    if not period:
        return 1
    return max(1, math.ceil(period - time.time() % period))


# --- endpoints -------------------------------------------------------------------------------------------------


@router.get(
    "",
    response={200: SurveyList, 401: ErrorOut},
    url_name="survey_list",
    summary="List surveys",
    description=(
        "The active surveys you may respond to: every open survey, and the restricted ones your API token "
        "collects for (send 'Authorization: Token <key>'). Each names its current form version, languages, "
        "waves and the links to its questions, its response endpoint and its XForm."
    ),
)
@_challenge
def list_surveys(request: HttpRequest) -> Any:
    user = token_caller(request)
    items = [_survey_item(s, selectors.current_form(s)) for s in selectors.surveys_for(user)]
    return {"count": len(items), "items": items}


@router.get(
    "/{slug}",
    response={200: SurveyDetail, **AUTH_ERRORS},
    url_name="survey_detail",
    summary="One survey and its questions",
    description=(
        "Everything a client needs to show the current form: every question with its type, labels and hints "
        "by language, choices, and the ODK expressions for 'required', 'relevant' (when to ask) and "
        "'constraint' (what is allowed), grouped into pages. Restricted surveys need a collector's token."
    ),
)
@_challenge
def get_survey(request: HttpRequest, path: Path[SlugPath]) -> Any:
    return _survey_detail(_survey(path.slug, token_caller(request)))


@router.get(
    "/{slug}/form.xml",
    response=AUTH_ERRORS,
    url_name="survey_xform",
    summary="The survey's XForm",
    description="The current form as ODK XForm XML (what ODK Collect, KoboCollect or Enketo load).",
    openapi_extra={
        "responses": {
            "200": {
                "description": "The XForm XML.",
                "content": {"text/xml": {"schema": {"type": "string"}}},
            }
        }
    },
)
@_challenge
def get_xform(request: HttpRequest, path: Path[SlugPath]) -> HttpResponse:
    form = selectors.current_form(_survey(path.slug, token_caller(request)))
    response = HttpResponse(form.xform, content_type="text/xml; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="form.xml"'
    return response


_REQUEST_BODY = {
    "required": True,
    "description": "One response: the client's instance id and the answers by question name.",
    "content": {"application/json": {"schema": SubmissionIn.model_json_schema()}},
}


@router.post(
    "/{slug}/responses",
    response={
        200: SubmissionOut,
        201: SubmissionOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        413: ErrorOut,
        415: ErrorOut,
        422: InvalidAnswersOut,
        429: ErrorOut,
    },
    url_name="survey_responses",
    summary="Send a response",
    description=(
        "Store one response to the survey's current form. The server checks every answer as ODK Collect "
        "would (types, choices, required, relevance, constraints), computes the calculated ones (e.g. "
        "size_class from employees) and stores the normalised answers; contact details are kept apart.\n\n"
        "201: stored. 200: this instance_id was already stored with the same answers (a resend after a lost "
        "connection; stored once). 409: this instance_id is stored with other answers. 422 with code "
        "'invalid_answers': 'errors' lists each faulty answer in the respondent's language ('language' in "
        "the body, else ?lang=, else Accept-Language); nothing is stored. 401/403: a restricted survey needs "
        "a collector's 'Authorization: Token <key>'. 429: too many responses from your address; wait for "
        "the number of seconds in Retry-After."
    ),
    openapi_extra={"requestBody": _REQUEST_BODY},
)
@_challenge
def submit(request: HttpRequest, path: Path[SlugPath], params: Query[LangParams]) -> Any:
    user = token_caller(request)
    survey = _survey(path.slug, user)
    if not access.within_rate(request, user):
        wait = _retry_after()
        response = JsonResponse(
            {
                "detail": f"Too many responses from your address: wait {wait} seconds and send again.",
                "code": "rate_limited",
            },
            status=429,
        )
        response["Retry-After"] = str(wait)
        return response
    raw, body = _read_submission(request)
    language = access.request_language(request, body.language or params.lang or _header_language(request))
    try:
        outcome = services.submit_response(
            survey=survey,
            instance_id=body.instance_id,
            answers=body.answers,
            raw=raw,
            raw_format="json",
            channel="api",
            payload_hash=services.canonical_hash(body.answers),
            language=language,
            user=user,
            strict=True,
        )
    except services.FeedbackError as exc:
        return _invalid(str(exc), code="invalid_instance_id")
    if outcome.status == "invalid":
        errors = [p.to_dict() for p in outcome.problems]
        names = ", ".join(e["field"][:60] for e in errors[:10]) + (", …" if len(errors) > 10 else "")
        detail = INVALID_DETAIL.get(language, INVALID_DETAIL["en"]).format(count=len(errors), fields=names)
        return _invalid(detail, errors, code="invalid_answers")
    if outcome.status == "conflict":
        raise ApiError(
            409,
            "conflict",
            f"A different response with the instance id '{body.instance_id[:80]}' is already stored: "
            "give every new response its own instance id.",
        )
    assert outcome.response is not None
    return Status(201 if outcome.status == "created" else 200, _acknowledgement(outcome.response, outcome.status))

