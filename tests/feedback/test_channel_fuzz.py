"""Fuzzed payloads on the OpenRosa and web-form channels never produce a 500 (hypothesis).

The JSON API is fuzzed from its OpenAPI schema in tests/api/test_schema_fuzz_surveys.py; here the other two
channels get arbitrary answer values (any text, numbers, lists, odd Unicode), arbitrary bytes and arbitrary
form fields. Every answer is one the channel documents, and nothing half-stored is left behind.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.feedback.conftest import valid_answers
from tests.feedback.test_openrosa_xml import build_instance

from msmelens.feedback import selectors
from msmelens.feedback.models import Response

OPENROSA = {"X-OpenRosa-Version": "1.0"}
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
NAMES = sorted(valid_answers()) + ["size_class", "contact_email", "start", "unknown_name"]
# text an XML document can carry (no control characters, no lone surrogates)
XML_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=40)
VALUES = st.one_of(
    XML_TEXT,
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.lists(XML_TEXT, max_size=4).map(" ".join),
    st.sampled_from(["", "PER", "0", "4", "dk", "yes", "C", "KOR NPL", "1e309", "-0"]),
)


def _post(client: Client, xml: bytes) -> Any:
    upload = SimpleUploadedFile("submission.xml", xml, content_type="text/xml")
    return client.post("/openrosa/submission", {"xml_submission_file": upload}, headers=OPENROSA)


@FUZZ
@given(changes=st.dictionaries(st.sampled_from(NAMES), VALUES, max_size=8))
def test_openrosa_answers_never_500(default_survey: Any, changes: dict[str, str]) -> None:
    answers = {**valid_answers(), **changes}
    instance_id = f"uuid:{uuid.uuid4()}"
    xml = build_instance(selectors.current_form(default_survey).xform, answers, instance_id=instance_id)
    response = _post(Client(), xml)
    assert response.status_code in (201, 400), response.content[:300]
    stored = Response.objects.filter(instance_id=instance_id)
    assert stored.count() == (1 if response.status_code == 201 else 0)
    if response.status_code == 201:
        assert stored.get().raw == xml.decode("utf-8")


@FUZZ
@given(payload=st.binary(max_size=400))
def test_openrosa_bytes_never_500(default_survey: Any, payload: bytes) -> None:
    response = _post(Client(), payload)
    assert response.status_code in (400, 404), response.content[:300]


@FUZZ
@given(
    fields=st.dictionaries(
        st.sampled_from(NAMES + ["_action", "_page", "csrfmiddlewaretoken"]),
        st.one_of(VALUES, st.lists(VALUES, max_size=3)),
        max_size=10,
    ),
    action=st.sampled_from(["next", "previous", "submit", "restart", "bogus", ""]),
    language=st.sampled_from(["", "/fr", "/es"]),
)
def test_web_form_posts_never_500(default_survey: Any, fields: dict[str, Any], action: str, language: str) -> None:
    client = Client()
    url = f"{language}/surveys/{default_survey.slug}/"
    assert client.get(url).status_code == 200
    response = client.post(url, {**fields, "_action": action})
    assert response.status_code in (200, 303, 400, 403, 429), response.status_code
