"""Property-based tests of the surveys operations against the app's own OpenAPI schema (schemathesis).

Two passes, 40 examples per operation: with the schema as published (any slug, so mostly 404 and 422), and with the slug pinned to the
default survey, so that generated bodies reach the answer checks and the database. Every response must be a
non-5xx with a documented status, content type and body shape.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from msmelens.api.openapi_doc import openapi_schema
from msmelens.feedback import selectors, services

APP = get_wsgi_application()
RAW = openapi_schema()
SLUG = "msme-trade-obstacles"
SURVEY_PATHS = {path: ops for path, ops in RAW["paths"].items() if path.startswith("/api/v1/surveys")}

PUBLISHED = copy.deepcopy(RAW)
PUBLISHED["paths"] = copy.deepcopy(SURVEY_PATHS)
schema = schemathesis.openapi.from_dict(PUBLISHED)
schema.app = APP

# the same operations with the slug pinned to the default survey
PINNED = copy.deepcopy(PUBLISHED)
for _operations in PINNED["paths"].values():
    for _operation in _operations.values():
        for _parameter in _operation.get("parameters", []):
            if _parameter["name"] == "slug":
                _parameter["schema"] = {"type": "string", "enum": [SLUG]}
pinned_schema = schemathesis.openapi.from_dict(PINNED)
pinned_schema.app = APP


def test_every_survey_operation_is_fuzzed() -> None:
    assert set(SURVEY_PATHS) == {
        "/api/v1/surveys",
        "/api/v1/surveys/{slug}",
        "/api/v1/surveys/{slug}/form.xml",
        "/api/v1/surveys/{slug}/responses",
        "/api/v1/surveys/{slug}/results",
        "/api/v1/surveys/{slug}/changes",
    }
    assert "post" in SURVEY_PATHS["/api/v1/surveys/{slug}/responses"]


@pytest.fixture(autouse=True)
def _keep_test_connection_open():  # type: ignore[no-untyped-def]
    """Like Django's test Client: a request must not close the test's database connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def survey(db: None, settings: Any) -> Any:
    settings.MSMELENS_SUBMISSION_RATE = "0"
    return services.ensure_default_survey()


FUZZ = hypothesis_settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)


@pytest.mark.usefixtures("survey")
@schema.parametrize()
@FUZZ
def test_survey_operations_conform_to_schema(case: schemathesis.Case) -> None:
    response = case.call_and_validate()
    assert response.status_code < 500


@pytest.mark.usefixtures("survey")
@pinned_schema.parametrize()
@FUZZ
def test_default_survey_operations_conform_to_schema(case: schemathesis.Case) -> None:
    # a body the schema allows may still hold answers the form refuses (a 422 listing them): the answers'
    # rules (choices, required, relevance) live in the form, not in the JSON schema
    response = case.call_and_validate(excluded_checks=[positive_data_acceptance])
    assert response.status_code < 500
    if case.method == "POST" and response.status_code in (200, 201):  # pragma: no cover - random answers
        survey = selectors.get_survey(SLUG)
        assert selectors.find_response(survey, case.body["instance_id"].strip()) is not None
    if case.method == "POST" and response.status_code == 422:
        body = response.json()
        assert body["code"] in ("invalid_answers", "invalid_parameter", "invalid_instance_id")
        if body["code"] == "invalid_answers":
            assert body["errors"], body
            assert all(e["field"] and e["message"] for e in body["errors"])
