"""/guide: the firm guide's report as JSON (stateless: nothing is stored and nothing joins the survey)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import translation
from ninja import Router

from msmelens.api.errors import ApiError
from msmelens.api.guide_schemas import GuideReport, GuideRequest
from msmelens.api.schemas import ErrorOut
from msmelens.feedback.access import request_language
from msmelens.guide import services
from msmelens.guide.report import build_report

router = Router(tags=["guide"])


@router.post(
    "/report",
    response={200: GuideReport, 400: ErrorOut, 422: ErrorOut},
    summary="A firm's report: its stage, strengths and gaps, agreements with its markets, programmes, next steps",
    description=(
        "Send the firm's country, sector, size, markets and answers (partial answers are fine: what is "
        "unanswered counts as not yet known). The answer gives its readiness stage (awareness, skills, "
        "infrastructure, ready), strengths and gaps in plain words, for each market the agreements between the "
        "two countries (in force first, then signed, then others) with the provisions on its gaps, each "
        "explained in one sentence, or the WTO rules that apply when there is none, programmes in its country "
        "with their evidence level, and next steps. Nothing is stored."
    ),
)
def guide_report(request: HttpRequest, body: GuideRequest) -> dict[str, Any]:
    language = request_language(request, body.language or request.GET.get("lang"))
    try:
        firm = services.clean_firm(
            country=body.country, sector=body.sector, employees=body.employees, markets=list(body.markets)
        )
        answers = services.clean_answers(body.answers)
    except services.GuideError as exc:
        raise ApiError(422, "invalid_answers", str(exc)) from None
    with translation.override(language):
        return build_report(firm=firm, answers=answers)
