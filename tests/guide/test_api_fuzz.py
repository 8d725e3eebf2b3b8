"""POST /api/v1/guide/report fuzzed from the app's own OpenAPI schema (schemathesis): never a 5xx, and every
answer has a documented status, content type and body shape."""

from __future__ import annotations

import copy

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from msmelens.api.openapi_doc import openapi_schema
from msmelens.guide import assessment as spec

APP = get_wsgi_application()
RAW = openapi_schema()
GUIDE = copy.deepcopy(RAW)
GUIDE["paths"] = {path: ops for path, ops in RAW["paths"].items() if path.startswith("/api/v1/guide")}
schema = schemathesis.openapi.from_dict(GUIDE)
schema.app = APP

# the same operation with real countries and the guide's own question names and values, so that generated
# bodies get past the checks and reach the report builder (an empty answer is an unanswered question)
PINNED = copy.deepcopy(GUIDE)
_body = PINNED["components"]["schemas"]["GuideRequest"]["properties"]
_body["country"] = {"type": "string", "enum": ["PER", "JPN", "THA", "NPL"]}
_body["markets"]["items"] = {"type": "string", "enum": ["PER", "JPN", "THA", "NPL", "CHL", "KOR"]}
_body["answers"] = {
    "type": "object",
    "properties": {
        q.name: ({"type": "array", "items": {"type": "string", "enum": [k for k, _l in q.choices]}}
                 if q.kind == "many" else {"type": "string", "enum": ["", *(k for k, _l in q.choices)]})
        for q in spec.QUESTIONS if q.name in spec.ANSWER_NAMES
    },
    "additionalProperties": False,
}
pinned_schema = schemathesis.openapi.from_dict(PINNED)
pinned_schema.app = APP

FUZZ = settings(
    max_examples=40, deadline=None, derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def test_the_guide_operation_is_in_the_schema() -> None:
    assert set(GUIDE["paths"]) == {"/api/v1/guide/report"}
    assert "post" in GUIDE["paths"]["/api/v1/guide/report"]


@pytest.fixture(autouse=True)
def _keep_test_connection_open():  # type: ignore[no-untyped-def]
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.usefixtures("sample_db")
@schema.parametrize()
@FUZZ
def test_guide_report_conforms_to_schema(case: schemathesis.Case) -> None:
    # a body the schema allows may still name an unknown country or question (a readable 422)
    response = case.call_and_validate(excluded_checks=[positive_data_acceptance])
    assert response.status_code < 500
    if response.status_code == 422:
        assert set(response.json()) == {"detail", "code"}


@pytest.mark.usefixtures("sample_db")
@pinned_schema.parametrize()
@FUZZ
def test_guide_report_with_real_countries_and_answers(case: schemathesis.Case) -> None:
    response = case.call_and_validate(excluded_checks=[positive_data_acceptance])
    assert response.status_code < 500
    if response.status_code == 200:
        body = response.json()
        assert body["stage"] in spec.STAGES
        assert [m["market"] for m in body["markets"]] == list(dict.fromkeys(
            m.upper() for m in case.body.get("markets", []) if m.upper() != case.body["country"].upper()))
