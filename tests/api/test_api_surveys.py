"""The surveys API: survey descriptions, and JSON responses stored once, checked per field, in the respondent's
language; restricted surveys behind collector tokens; the rate limit. Real database, Django's test client."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from tests.feedback.conftest import valid_answers

from msmelens.feedback import selectors, services

SLUG = "msme-trade-obstacles"
URL = f"/api/v1/surveys/{SLUG}/responses"

pytestmark = pytest.mark.usefixtures("default_survey")


@pytest.fixture
def default_survey(db: None) -> Any:
    """The default survey (installed by migration; as in tests/feedback/conftest.py)."""
    return services.ensure_default_survey()


def post(client: Client, body: Any, *, url: str = URL, **extra: Any) -> Any:
    text = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(url, text, content_type=extra.pop("content_type", "application/json"), **extra)


def stored(survey: Any) -> list[Any]:
    return list(selectors.responses(survey, include_replaced=True))


# --- descriptions ---------------------------------------------------------------------------------------


def test_list_names_the_default_survey_with_links(client: Client, default_survey: Any) -> None:
    response = client.get("/api/v1/surveys")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["slug"] == SLUG
    assert item["form_id"] == "msme_trade_obstacles"
    assert item["access"] == "open"
    assert item["languages"] == ["en", "fr", "es"]
    assert item["version"] == selectors.current_form(default_survey).version
    assert item["links"]["responses"] == URL
    assert item["links"]["xform"] == f"/api/v1/surveys/{SLUG}/form.xml"


def test_list_shows_waves(client: Client, default_survey: Any) -> None:
    import datetime as dt

    services.add_wave(survey=default_survey, name="2026-Q4", starts_on=dt.date(2026, 10, 1))
    item = client.get("/api/v1/surveys").json()["items"][0]
    assert item["waves"] == [{"name": "2026-Q4", "starts_on": "2026-10-01", "ends_on": None}]


def test_detail_gives_what_a_client_needs_to_build_the_form(client: Client) -> None:
    response = client.get(f"/api/v1/surveys/{SLUG}")
    assert response.status_code == 200
    body = response.json()
    questions = {q["name"]: q for q in body["questions"]}
    employees = questions["employees"]
    assert employees["type"] == "integer"
    assert employees["required"] == "yes"
    assert set(employees["label"]) == {"en", "fr", "es"}
    assert ". >= 0" in employees["constraint"]
    assert questions["size_class"]["type"] == "calculate"
    assert questions["size_class"]["calculation"]
    obstacle = questions["obstacle_finance"]
    assert [c["name"] for c in obstacle["choices"]] == ["0", "1", "2", "3", "4", "dk"]
    assert all(set(c["label"]) == {"en", "fr", "es"} for c in obstacle["choices"])
    assert questions["contact_email"]["relevant"] == "${consent_followup} = 'yes'"
    assert len(questions["country"]["choices"]) > 200
    assert len(body["pages"]) == 16
    assert "employees" in {name for page in body["pages"] for name in page["questions"]}


def test_xform_is_served(client: Client) -> None:
    response = client.get(f"/api/v1/surveys/{SLUG}/form.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    assert b"msme_trade_obstacles" in response.content
    assert b"<h:html" in response.content


@pytest.mark.parametrize("url", ["/api/v1/surveys/nope", "/api/v1/surveys/nope/form.xml"])
def test_unknown_survey_is_404(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert "'nope'" in response.json()["detail"]


# --- submissions ----------------------------------------------------------------------------------------


def test_created_stores_normalised_answers(client: Client, default_survey: Any) -> None:
    body = {"instance_id": "uuid:a-1", "answers": valid_answers(employees="12", markets="KOR NPL")}
    response = post(client, body)
    assert response.status_code == 201
    ack = response.json()
    assert ack["instance_id"] == "uuid:a-1"
    assert ack["status"] == "created"
    assert ack["wave"] is None
    row = selectors.find_response(default_survey, "uuid:a-1")
    assert row is not None
    assert row.channel == "api"
    assert row.raw_format == "json"
    assert json.loads(row.raw) == body
    assert row.answers["employees"] == 12
    assert row.answers["size_class"] == "small"
    assert row.answers["markets"] == ["KOR", "NPL"]
    assert row.payload_hash == services.canonical_hash(body["answers"])
    assert ack["received_at"].startswith(row.received_at.isoformat()[:19])


def test_resend_is_200_and_stored_once(client: Client, default_survey: Any) -> None:
    body = {"instance_id": "uuid:a-2", "answers": valid_answers()}
    first = post(client, body)
    again = post(client, {"answers": dict(reversed(list(body["answers"].items()))), "instance_id": "uuid:a-2"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["status"] == "duplicate"
    assert again.json()["received_at"] == first.json()["received_at"]
    assert [r.instance_id for r in stored(default_survey)] == ["uuid:a-2"]


def test_same_id_other_answers_is_409_and_keeps_the_first(client: Client, default_survey: Any) -> None:
    assert post(client, {"instance_id": "uuid:a-3", "answers": valid_answers()}).status_code == 201
    response = post(client, {"instance_id": "uuid:a-3", "answers": valid_answers(employees=300)})
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    assert "uuid:a-3" in response.json()["detail"]
    rows = stored(default_survey)
    assert len(rows) == 1
    assert rows[0].answers["employees"] == 12


def test_wave_is_named_in_the_acknowledgement(client: Client, default_survey: Any) -> None:
    import datetime as dt

    services.add_wave(survey=default_survey, name="launch", starts_on=dt.date(2000, 1, 1))
    response = post(client, {"instance_id": "uuid:w", "answers": valid_answers()})
    assert response.status_code == 201
    assert response.json()["wave"] == "launch"


def test_contact_details_are_kept_apart(client: Client, default_survey: Any) -> None:
    answers = valid_answers(consent_followup="yes", contact_email="ana@example.org")
    assert post(client, {"instance_id": "uuid:c", "answers": answers}).status_code == 201
    row = selectors.find_response(default_survey, "uuid:c")
    assert "contact_email" not in row.answers
    assert row.contact.email == "ana@example.org"


def test_invalid_answers_are_422_per_field_and_nothing_stored(client: Client, default_survey: Any) -> None:
    answers = valid_answers(employees="lots", sector="ZZ", colour="blue")
    del answers["country"]
    response = post(client, {"instance_id": "uuid:bad", "answers": answers})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_answers"
    problems = {e["field"]: (e["code"], e["message"]) for e in body["errors"]}
    assert problems == {
        "colour": ("unknown", "This form has no question with this name."),
        "country": ("required", "This question needs an answer."),
        "sector": ("choice", "'ZZ' is not one of the answers offered."),
        "employees": ("integer", "Enter a whole number, such as 12."),
    }
    assert body["detail"].startswith("4 answer(s) need attention:")
    assert stored(default_survey) == []


@pytest.mark.parametrize(
    "how",
    [
        {"HTTP_ACCEPT_LANGUAGE": "fr-FR,fr;q=0.9"},
        {"body_language": "fr"},
        {"url": URL + "?lang=fr"},
    ],
    ids=["accept-language", "body", "query"],
)
def test_problems_in_french(client: Client, default_survey: Any, how: dict[str, str]) -> None:
    body: dict[str, Any] = {"instance_id": "uuid:fr", "answers": valid_answers(employees="-3", country=None)}
    extra = dict(how)
    if "body_language" in extra:
        body["language"] = extra.pop("body_language")
    response = post(client, body, **extra)
    assert response.status_code == 422
    messages = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert messages["country"] == "Cette question demande une réponse."
    assert set(messages) == {"country", "employees"}
    assert "Rien n'a été enregistré" in response.json()["detail"]
    assert stored(default_survey) == []


def test_body_language_wins_and_is_stored(client: Client, default_survey: Any) -> None:
    body = {"instance_id": "uuid:es", "answers": valid_answers(), "language": "es"}
    assert post(client, body, HTTP_ACCEPT_LANGUAGE="fr").status_code == 201
    assert selectors.find_response(default_survey, "uuid:es").language == "es"


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ("{not json", 400, "invalid_json"),
        (b"\xff\xfe{}", 400, "invalid_json"),
        ('{"instance_id": "x", "answers": {"comment": "\\ud800"}}', 400, "invalid_json"),
        ("[" * 100_000, 400, "invalid_json"),
        ("", 400, "invalid_json"),
        ("[1, 2]", 422, "invalid_parameter"),
        ('"text"', 422, "invalid_parameter"),
        ({"instance_id": "x", "answers": ["country", "PER"]}, 422, "invalid_parameter"),
        ({"instance_id": "x", "answers": "country=PER"}, 422, "invalid_parameter"),
        ({"instance_id": 7, "answers": {}}, 422, "invalid_parameter"),
        ({"instance_id": "", "answers": {}}, 422, "invalid_parameter"),
        ({"instance_id": "x" * 201, "answers": {}}, 422, "invalid_parameter"),
        ({"instance_id": "a\nb", "answers": {}}, 422, "invalid_parameter"),
        ({"answers": {}}, 422, "invalid_parameter"),
        ({"instance_id": "x"}, 422, "invalid_parameter"),
        ({"instance_id": "x", "answers": {}, "language": "de"}, 422, "invalid_parameter"),
        ({"instance_id": "x", "answers": {}, "extra": 1}, 422, "invalid_parameter"),
        ({"instance_id": "x", "answers": {"": "PER"}}, 422, "invalid_parameter"),
        ({"instance_id": "x", "answers": {f"q{i}": i for i in range(501)}}, 422, "invalid_parameter"),
        ({"instance_id": "   ", "answers": valid_answers()}, 422, "invalid_instance_id"),
    ],
)
def test_malformed_bodies_are_json_4xx(
    client: Client, default_survey: Any, body: Any, status: int, code: str
) -> None:
    response = post(client, body)
    assert response.status_code == status, response.content[:300]
    assert response.json()["code"] == code
    assert response.json()["detail"]
    assert stored(default_survey) == []


def test_wrong_answer_types_are_422_not_500(client: Client, default_survey: Any) -> None:
    answers = valid_answers(
        employees=[1], sector={"a": 1}, markets={"KOR": True}, year_started=True, comment=["x"],
        owner_gender=1.5, exporter=None,
    )
    response = post(client, {"instance_id": "uuid:types", "answers": answers})
    assert response.status_code == 422
    fields = {e["field"]: e["code"] for e in response.json()["errors"]}
    assert fields == {
        "employees": "integer", "sector": "text", "markets": "text", "year_started": "integer",
        "comment": "text", "owner_gender": "choice", "exporter": "required",
    }
    assert stored(default_survey) == []


def test_form_encoded_body_is_415(client: Client) -> None:
    response = client.post(URL, {"instance_id": "x"})
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"


def test_get_on_responses_is_json_405(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


def test_unknown_survey_post_is_404_and_bad_slug_422(client: Client) -> None:
    response = post(client, {"instance_id": "x", "answers": valid_answers()}, url="/api/v1/surveys/nope/responses")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    response = post(client, {"instance_id": "x", "answers": {}}, url="/api/v1/surveys/a%20b/responses")
    assert response.status_code in (404, 422)
    assert response.json()["code"] in ("not_found", "invalid_parameter")


def test_oversize_body_is_413(client: Client, settings: Any) -> None:
    settings.MSMELENS_MAX_UPLOAD_MB = 0
    body = {"instance_id": "x", "answers": {"comment": "a" * (1024 * 1024 + 10)}}
    response = post(client, body)
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"


# --- access ---------------------------------------------------------------------------------------------


def test_restricted_survey_needs_a_collector_token(client: Client, default_survey: Any) -> None:
    services.set_survey_access(survey=default_survey, access="restricted")
    user, key = services.add_collector(username="amina", survey=default_survey)
    outsider, other_key = services.add_collector(username="zed", survey=default_survey)
    default_survey.collectors.remove(outsider)  # a valid token, but no longer a collector here
    body = {"instance_id": "uuid:r-1", "answers": valid_answers()}

    anonymous = post(client, body)
    assert anonymous.status_code == 401
    assert anonymous.json()["code"] == "unauthorized"
    assert anonymous["WWW-Authenticate"].startswith("Token")
    wrong = post(client, body, HTTP_AUTHORIZATION="Token not-a-real-key")
    assert wrong.status_code == 401
    assert "not valid" in wrong.json()["detail"]
    forbidden = post(client, body, HTTP_AUTHORIZATION=f"Token {other_key}")
    assert (forbidden.status_code, forbidden.json()["code"]) == (403, "forbidden")
    assert stored(default_survey) == []

    assert client.get("/api/v1/surveys").json()["count"] == 0
    assert client.get(f"/api/v1/surveys/{SLUG}").status_code == 401
    assert client.get(f"/api/v1/surveys/{SLUG}", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    listed = client.get("/api/v1/surveys", HTTP_AUTHORIZATION=f"Token {key}").json()
    assert [s["slug"] for s in listed["items"]] == [SLUG]
    assert listed["items"][0]["access"] == "restricted"

    created = post(client, body, HTTP_AUTHORIZATION=f"Token {key}")
    assert created.status_code == 201
    again = post(client, body, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert again.status_code == 200
    row = selectors.find_response(default_survey, "uuid:r-1")
    assert row.submitted_by == user

    services.revoke_tokens(username="amina")
    assert post(client, body, HTTP_AUTHORIZATION=f"Token {key}").status_code == 401


def test_inactive_survey_is_404(client: Client, default_survey: Any) -> None:
    services.set_survey_active(survey=default_survey, active=False)
    assert client.get(f"/api/v1/surveys/{SLUG}").status_code == 404
    assert post(client, {"instance_id": "x", "answers": valid_answers()}).status_code == 404
    assert client.get("/api/v1/surveys").json() == {"count": 0, "items": []}


def test_rate_limit_is_429_with_retry_after(client: Client, default_survey: Any, settings: Any) -> None:
    settings.MSMELENS_SUBMISSION_RATE = "2/d"
    codes = [post(client, {"instance_id": f"uuid:rate-{i}", "answers": valid_answers()}).status_code for i in range(3)]
    assert codes == [201, 201, 429]
    response = post(client, {"instance_id": "uuid:rate-9", "answers": valid_answers()})
    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited"
    assert 1 <= int(response["Retry-After"]) <= 86400
    assert len(stored(default_survey)) == 2


def test_collectors_are_not_rate_limited(client: Client, default_survey: Any, settings: Any) -> None:
    settings.MSMELENS_SUBMISSION_RATE = "1/d"
    _user, key = services.add_collector(username="kim", survey=default_survey)
    codes = [
        post(client, {"instance_id": f"uuid:k-{i}", "answers": valid_answers()}, HTTP_AUTHORIZATION=f"Token {key}")
        .status_code
        for i in range(3)
    ]
    assert codes == [201, 201, 201]


def test_openapi_documents_every_survey_operation(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    post_op = schema["paths"]["/api/v1/surveys/{slug}/responses"]["post"]
    assert {"200", "201", "401", "403", "404", "409", "422", "429"} <= set(post_op["responses"])
    body = post_op["requestBody"]["content"]["application/json"]["schema"]
    assert body["required"] == ["instance_id", "answers"]
    for path in ("/api/v1/surveys", "/api/v1/surveys/{slug}", "/api/v1/surveys/{slug}/form.xml"):
        operation = schema["paths"][path]["get"]
        assert operation["summary"] and operation["description"]
        for parameter in operation.get("parameters", []):
            assert parameter.get("description"), (path, parameter)
