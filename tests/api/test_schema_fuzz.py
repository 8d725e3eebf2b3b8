"""Property-based tests of every GET endpoint against the app's own OpenAPI schema (schemathesis).

Each operation gets ~20 generated requests (valid and invalid parameters); every response must be
a non-5xx with a documented status, content type and body shape. The analyze upload is tested directly
in test_api_analyze.py; its JSON body is fuzzed here too.
"""

from __future__ import annotations

import copy

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from msmelens.api.openapi_doc import openapi_schema

APP = get_wsgi_application()
RAW = openapi_schema()
schema = schemathesis.openapi.from_dict(RAW)
schema.app = APP

# the analyze operation with only its JSON body (uploads are tested directly)
JSON_ONLY = copy.deepcopy(RAW)
JSON_ONLY["paths"] = {"/api/v1/lens/analyze": JSON_ONLY["paths"]["/api/v1/lens/analyze"]}
del JSON_ONLY["paths"]["/api/v1/lens/analyze"]["post"]["requestBody"]["content"]["multipart/form-data"]
analyze_schema = schemathesis.openapi.from_dict(JSON_ONLY)
analyze_schema.app = APP


@pytest.fixture(autouse=True)
def _keep_test_connection_open():  # type: ignore[no-untyped-def]
    """Like Django's test Client: a request must not close the test's database connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


FUZZ = settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)


@pytest.mark.usefixtures("sample_db")
@schema.include(method="GET").parametrize()
@FUZZ
def test_get_endpoints_conform_to_schema(case: schemathesis.Case) -> None:
    response = case.call_and_validate()
    assert response.status_code < 500


@pytest.mark.django_db
@analyze_schema.parametrize()
@FUZZ
def test_analyze_json_conforms_to_schema(case: schemathesis.Case) -> None:
    response = case.call_and_validate()
    assert response.status_code < 500
