"""/surveys/{slug}/results and /surveys/{slug}/changes: weighted survey results that are safe to publish.

Endpoints only check who may see the survey, call ``msmelens.feedback.results`` and shape its answer. The
figures come from ``ResultTable.to_dict()`` / ``Change.to_dict()``, after disclosure control: a suppressed
cell has every figure null. Results are aggregates, so they are public for open surveys; a restricted survey's
results need one of its collectors' ``Authorization: Token <key>`` or a signed-in staff user.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Path, Query, Router

from msmelens.api.errors import ApiError, error_response
from msmelens.api.results_schemas import (
    ChangesOut,
    ChangesParams,
    ResultsParams,
    ResultTableOut,
    change_rows,
    changes_document,
    result_rows,
    split_dimensions,
    write_csv,
)
from msmelens.api.schemas import ErrorOut
from msmelens.api.survey_schemas import SlugPath
from msmelens.api.token_auth import challenge, token_caller
from msmelens.feedback import access, selectors
from msmelens.feedback.models import Survey

router = Router(tags=["survey results"])

ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WHO = (
    "Results of open surveys are public. A restricted survey's results need one of its collectors' "
    "'Authorization: Token <key>' or a signed-in staff user (401 without either, 403 with an account that "
    "is neither)."
)
DISCLOSURE = (
    "Disclosure control is applied before anything is published: a cell with fewer than 5 respondents, an "
    "effective sample size under 30 or an interval too wide for its share (the NCHS standard for proportions) "
    "has status 'suppressed' and every figure null; a second cell is suppressed where it would let a reader "
    "work out a suppressed one. Borderline cells are 'flagged' (shown; interpret with caution)."
)


def _results_module() -> Any:
    # imported when first used: the results engine (numpy, scipy, statsmodels) stays out of the API's start-up
    from msmelens.feedback import results

    return results


def _viewer_survey(request: HttpRequest, slug: str) -> Survey:
    """The survey ``slug`` if the caller may see its results: 404 unknown, 401 no credentials, 403 not allowed.
    A closed survey (no longer taking responses) still publishes its results."""
    survey = selectors.get_survey(slug)
    if survey is None:
        raise ApiError(404, "not_found", f"No survey with the address '{slug}' was found. See /api/v1/surveys.")
    if survey.access == Survey.OPEN:
        return survey
    user = token_caller(request)
    if user is not None and selectors.user_can_collect(survey, user):
        return survey
    signed_in = access.session_user(request)
    if signed_in is not None and (signed_in.is_staff or selectors.user_can_collect(survey, signed_in)):
        return survey
    if user is None and signed_in is None:
        raise ApiError(401, "unauthorized", f"The results of the survey '{slug}' are for its team only: send "
                       "'Authorization: Token <your key>' or sign in as staff.")
    raise ApiError(403, "forbidden", f"Your account may not see the results of the survey '{slug}'.")


def _csv(rows: Iterator[list[str]], filename: str) -> HttpResponse:
    buffer = io.StringIO()
    buffer.write("\ufeff")  # BOM, so spreadsheet programs read UTF-8
    write_csv(buffer, rows)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _guarded(request: HttpRequest, call: Any) -> Any:
    """Run ``call``; a ResultsError (unknown dimension, unknown wave, ...) becomes a 422 naming it; a 401
    carries ``WWW-Authenticate: Token``."""
    results = _results_module()
    try:
        return call(results)
    except results.ResultsError as exc:
        return error_response(422, "invalid_parameter", " ".join(str(exc).split()))
    except ApiError as exc:
        if exc.status != 401:
            raise
        return challenge(exc)


_CSV_CONTENT = {"text/csv": {"schema": {"type": "string"}}}


@router.get(
    "/{slug}/results",
    response={200: ResultTableOut, **ERRORS},
    url_name="survey_results",
    summary="Survey results: obstacle ratings by group",
    description=(
        "For each group (the 'by' dimensions, e.g. by=country,size_class) and each of the eight obstacle "
        "categories: the share of firms rating it a major or very severe obstacle (3–4) with its 95% "
        "Korn–Graubard interval, the mean severity (0–4) with its 95% t interval, the respondents (n) and the "
        "effective sample size (n_eff); and the distribution of the answers to 'which is your biggest "
        "obstacle?'. Weighted by the waves' sampling designs (post-stratification or raking) when they have "
        "one; 'weighted' and 'weighting' say which.\n\n"
        f"{DISCLOSURE}\n\n"
        "format=csv gives one row per obstacle cell: the 'by' dimensions as columns, then category, status, "
        "reason, share_major, ci_low, ci_high, mean_severity, mean_ci_low, mean_ci_high, n, n_eff (suppressed "
        "cells empty).\n\n"
        f"{WHO} 422: an unknown dimension or wave, named in 'detail'."
    ),
    openapi_extra={"responses": {200: {"content": _CSV_CONTENT}}},
)
def survey_results(request: HttpRequest, path: Path[SlugPath], params: Query[ResultsParams]) -> Any:
    def compute(results: Any) -> Any:
        survey = _viewer_survey(request, path.slug)
        table = results.survey_results(
            survey=survey, by=split_dimensions(params.by), wave=params.wave, include_synthetic=params.synthetic
        )
        if params.format == "csv":
            return _csv(result_rows(table), f"{survey.slug}-results.csv")
        return table.to_dict()

    return _guarded(request, compute)


@router.get(
    "/{slug}/changes",
    response={200: ChangesOut, **ERRORS},
    url_name="survey_changes",
    summary="Survey results: change between two waves",
    description=(
        "For each group and obstacle category, how the share of firms rating it a major or very severe "
        "obstacle moved from one wave ('from') to another ('to'): the difference (0–1 scale) with its 95% "
        "interval, and a plain-words direction: 'clearly_up' or 'clearly_down' when the interval excludes 0, "
        "else 'no_clear_change'. A change is 'suppressed' (every figure null) when either wave's cell is.\n\n"
        f"{DISCLOSURE}\n\n"
        "format=csv gives one row per change: the 'by' dimensions, then category, from_wave, to_wave, status, "
        "direction, difference, ci_low, ci_high, from_share, to_share.\n\n"
        f"{WHO} 422: an unknown dimension or wave, named in 'detail'."
    ),
    openapi_extra={"responses": {200: {"content": _CSV_CONTENT}}},
)
def survey_changes(request: HttpRequest, path: Path[SlugPath], params: Query[ChangesParams]) -> Any:
    def compute(results: Any) -> Any:
        survey = _viewer_survey(request, path.slug)
        by = split_dimensions(params.by)
        changes = results.wave_changes(
            survey=survey, by=by, from_wave=params.from_wave, to_wave=params.to_wave,
            include_synthetic=params.synthetic,
        )
        document = changes_document(survey.slug, by, params.from_wave, params.to_wave, changes)
        if params.format == "csv":
            return _csv(change_rows(document), f"{survey.slug}-changes.csv")
        return document

    return _guarded(request, compute)
