"""The OpenRosa channel end to end with the Django test client and the real database: instance documents are
built from the default form's own XForm and posted as ODK Collect posts them (multipart,
``xml_submission_file``, ``X-OpenRosa-Version: 1.0``); the form list, form download, HEAD, duplicates,
conflicts, edits, restricted surveys, invalid answers, hostile XML and the rate limit."""

from __future__ import annotations

import base64
import hashlib
import http.client
import os
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from tests import serving
from tests.feedback.conftest import valid_answers
from tests.feedback.test_openrosa_xml import BILLION_LAUGHS, EXTERNAL_ENTITY, build_instance

from msmelens.feedback import selectors, services
from msmelens.feedback.models import ContactDetail, Response, Survey

FORM_ID = "msme_trade_obstacles"
LIST_NS = "{http://openrosa.org/xforms/xformsList}"
RESPONSE_NS = "{http://openrosa.org/http/response}"
OPENROSA = {"X-OpenRosa-Version": "1.0"}


def new_id() -> str:
    return f"uuid:{uuid.uuid4()}"


def instance_for(survey: Survey, answers: dict[str, Any], **kwargs: Any) -> bytes:
    return build_instance(selectors.current_form(survey).xform, answers, **kwargs)


def basic(username: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {**OPENROSA, "Authorization": f"Basic {token}"}


def post(client: Client, xml: bytes, headers: dict[str, str] | None = None, **files: Any) -> Any:
    data = {"xml_submission_file": SimpleUploadedFile("submission.xml", xml, content_type="text/xml"), **files}
    return client.post("/openrosa/submission", data, headers=headers or OPENROSA)


def message(response: Any) -> tuple[str, str | None]:
    """The text and nature of an OpenRosaResponse (a test-client response, or the body as bytes)."""
    root = ET.fromstring(response if isinstance(response, bytes) else response.content)
    assert root.tag == f"{RESPONSE_NS}OpenRosaResponse"
    node = root.find(f"{RESPONSE_NS}message")
    assert node is not None
    return node.text or "", node.get("nature")


def assert_openrosa_headers(response: Any) -> None:
    assert response["X-OpenRosa-Version"] == "1.0"
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.has_header("Date")


def listed(response: Any) -> dict[str, dict[str, str]]:
    """The form list's entries by formID (a test-client response, or the body as bytes)."""
    root = ET.fromstring(response if isinstance(response, bytes) else response.content)
    assert root.tag == f"{LIST_NS}xforms"
    return {
        x.findtext(f"{LIST_NS}formID", ""): {child.tag.replace(LIST_NS, ""): child.text or "" for child in x}
        for x in root.findall(f"{LIST_NS}xform")
    }


@pytest.fixture
def client() -> Client:
    return Client()


@pytest.fixture
def restricted(default_survey: Survey) -> Survey:
    return services.set_survey_access(survey=default_survey, access=Survey.RESTRICTED)


@pytest.fixture
def collector(restricted: Survey) -> Any:
    user, _token = services.add_collector(username="enumerator.lima", survey=restricted, password="S3cret-lima-26")
    return user


# --- submission -----------------------------------------------------------------------------------------


def test_submission_built_from_the_xform_is_stored(client: Client, default_survey: Survey) -> None:
    instance_id = new_id()
    xml = instance_for(default_survey, valid_answers(comment="Customs took 3 weeks"), instance_id=instance_id)
    photo = SimpleUploadedFile("photo.jpg", b"\xff\xd8\xff\xe0 not really a photo", content_type="image/jpeg")
    response = post(client, xml, **{"photo.jpg": photo})
    assert response.status_code == 201, response.content
    assert_openrosa_headers(response)
    text, nature = message(response)
    assert nature == "submit_success" and "received" in text

    stored = selectors.find_response(default_survey, instance_id)
    assert stored is not None
    assert stored.channel == "openrosa" and stored.raw_format == "xml" and stored.is_current
    assert stored.answers["employees"] == 12  # normalised: the XML's "12" became an integer
    assert stored.answers["size_class"] == "small"  # computed on the server
    assert stored.answers["markets"] == ["KOR", "NPL"]
    assert stored.answers["comment"] == "Customs took 3 weeks"
    assert stored.raw == xml.decode("utf-8")  # the XML as received
    assert stored.payload_hash == services.text_hash(xml.decode("utf-8"))
    assert stored.form_version == selectors.current_form(default_survey)
    assert stored.submitted_by is None
    assert not ContactDetail.objects.filter(response=stored).exists()


def test_the_same_xml_twice_is_stored_once_and_acknowledged_twice(client: Client, default_survey: Survey) -> None:
    instance_id = new_id()
    xml = instance_for(default_survey, valid_answers(), instance_id=instance_id)
    assert post(client, xml).status_code == 201
    again = post(client, xml)
    assert again.status_code == 201
    text, nature = message(again)
    assert nature == "submit_success" and "already received" in text
    assert Response.objects.filter(survey=default_survey, instance_id=instance_id).count() == 1


def test_other_answers_under_the_same_instance_id_conflict(client: Client, default_survey: Survey) -> None:
    instance_id = new_id()
    assert post(client, instance_for(default_survey, valid_answers(), instance_id=instance_id)).status_code == 201
    other = instance_for(default_survey, valid_answers(employees=300), instance_id=instance_id)
    response = post(client, other)
    assert response.status_code == 409
    assert_openrosa_headers(response)
    text, nature = message(response)
    assert instance_id in text and "different answers" in text and nature is None
    stored = Response.objects.get(survey=default_survey, instance_id=instance_id)
    assert stored.answers["employees"] == 12 and stored.answers["size_class"] == "small"


def test_an_edit_with_deprecated_id_replaces_the_earlier_submission(client: Client, default_survey: Survey) -> None:
    first, second = new_id(), new_id()
    assert post(client, instance_for(default_survey, valid_answers(), instance_id=first)).status_code == 201
    edited = instance_for(default_survey, valid_answers(employees=60), instance_id=second, deprecated_id=first)
    assert post(client, edited).status_code == 201
    old = Response.objects.get(survey=default_survey, instance_id=first)
    new = Response.objects.get(survey=default_survey, instance_id=second)
    assert old.is_current is False and new.is_current is True
    assert new.replaces == old
    assert new.answers["size_class"] == "medium"
    assert [r.instance_id for r in selectors.responses(default_survey)] == [second]


def test_an_unknown_version_falls_back_to_the_current_form(client: Client, default_survey: Survey) -> None:
    instance_id = new_id()
    xml = instance_for(default_survey, valid_answers(), instance_id=instance_id)
    xml = xml.replace(b'version="', b'version="19990101', 1)
    assert post(client, xml).status_code == 201
    stored = selectors.find_response(default_survey, instance_id)
    assert stored is not None and stored.form_version == selectors.current_form(default_survey)


def test_contact_details_go_apart_from_the_answers(client: Client, default_survey: Survey) -> None:
    instance_id = new_id()
    given = valid_answers(consent_followup="yes", contact_email="ana@example.org", contact_phone="+51 1 234 5678")
    assert post(client, instance_for(default_survey, given, instance_id=instance_id)).status_code == 201
    stored = selectors.find_response(default_survey, instance_id)
    assert stored is not None
    assert stored.answers["consent_followup"] == "yes"
    assert "contact_email" not in stored.answers and "contact_phone" not in stored.answers
    contact = ContactDetail.objects.get(response=stored)
    assert (contact.email, contact.phone) == ("ana@example.org", "+51 1 234 5678")
    rows = list(selectors.iter_answer_rows(default_survey))
    assert "ana@example.org" not in repr(rows)


def test_invalid_answers_are_listed_and_nothing_is_stored(client: Client, default_survey: Survey) -> None:
    instance_id = new_id()
    given = valid_answers(employees="many", sector="Z", country=None)
    response = post(client, instance_for(default_survey, given, instance_id=instance_id))
    assert response.status_code == 400
    assert_openrosa_headers(response)
    text, _nature = message(response)
    lines = text.splitlines()
    assert len(lines) == 4  # a heading, then one line per problem
    assert any(line.startswith("- ") and "(employees)" in line and "whole number" in line for line in lines)
    assert any("(sector)" in line and "'Z' is not one of the answers offered" in line for line in lines)
    assert any("(country)" in line and "needs an answer" in line for line in lines)
    assert not Response.objects.filter(survey=default_survey).exists()


def test_problems_come_in_the_phone_language(client: Client, default_survey: Survey) -> None:
    xml = instance_for(default_survey, valid_answers(employees="beaucoup"), instance_id=new_id())
    response = post(client, xml, {**OPENROSA, "Accept-Language": "fr-FR,fr;q=0.9"})
    assert response.status_code == 400
    heading, problem = message(response)[0].splitlines()
    assert heading.startswith("Certaines réponses n'ont pas été acceptées")
    assert "(employees)" in problem and "Indiquez un nombre entier" in problem


@pytest.mark.parametrize(
    "payload",
    [
        BILLION_LAUGHS,
        EXTERNAL_ENTITY,
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
        b"country,employees\nPER,12\n",
        b"<data id='msme_trade_obstacles'><firm>",
        b"",
        "<data id='msme_trade_obstacles'><meta><instanceID>uuid:latin</instanceID></meta><c>é</c></data>".encode(
            "latin-1"
        ),
    ],
    ids=["billion-laughs", "external-entity", "png", "csv", "truncated", "empty", "not-utf8"],
)
def test_unreadable_xml_is_refused_and_nothing_is_stored(client: Client, default_survey: Survey, payload: bytes) -> None:
    response = post(client, payload)
    assert response.status_code == 400
    assert_openrosa_headers(response)
    assert message(response)[0]
    assert not Response.objects.exists()


def test_missing_file_part_and_wrong_encoding_are_refused(client: Client, default_survey: Survey) -> None:
    response = client.post("/openrosa/submission", {"other": "x"}, headers=OPENROSA)
    assert response.status_code == 400 and "xml_submission_file" in message(response)[0]
    response = client.post("/openrosa/submission", "a=b", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400 and "multipart/form-data" in message(response)[0]
    broken = client.post(
        "/openrosa/submission",
        b"--xx\r\nContent-Disposition: form-data; name=\"xml_submission_file\"; filename=\"a.xml\"\r\n\r\n<da",
        content_type="multipart/form-data; boundary=",
    )
    assert broken.status_code == 400
    assert not Response.objects.exists()


def test_raw_xml_body_is_accepted_too(client: Client, default_survey: Survey) -> None:
    instance_id = new_id()
    xml = instance_for(default_survey, valid_answers(), instance_id=instance_id)
    response = client.post("/openrosa/submission", xml, content_type="text/xml", headers=OPENROSA)
    assert response.status_code == 201
    assert selectors.find_response(default_survey, instance_id) is not None


def test_unknown_form_is_404(client: Client, default_survey: Survey) -> None:
    xml = instance_for(default_survey, valid_answers(), instance_id=new_id())
    xml = xml.replace(b'id="msme_trade_obstacles"', b'id="no_such_form"')
    response = post(client, xml)
    assert response.status_code == 404 and "no_such_form" in message(response)[0]
    assert not Response.objects.exists()


def test_head_announces_the_accepted_size(client: Client, settings: Any) -> None:
    settings.MSMELENS_MAX_UPLOAD_MB = 3
    response = client.head("/openrosa/submission", headers=OPENROSA)
    assert response.status_code == 204
    assert response["X-OpenRosa-Accept-Content-Length"] == str(3 * 1024 * 1024)
    assert response["X-OpenRosa-Version"] == "1.0" and response.has_header("Date")
    assert client.get("/openrosa/submission").status_code == 405


def test_rate_limit_answers_429_with_retry_after(client: Client, default_survey: Survey, settings: Any) -> None:
    settings.MSMELENS_SUBMISSION_RATE = "1/d"
    ids = [new_id() for _ in range(3)]
    statuses = [post(client, instance_for(default_survey, valid_answers(), instance_id=i)) for i in ids]
    assert statuses[0].status_code == 201
    refused = [(i, r) for i, r in zip(ids, statuses, strict=True) if r.status_code == 429]
    assert refused  # with one submission a day, the second or (across midnight) the third is refused
    for instance_id, response in refused:
        assert 1 <= int(response["Retry-After"]) <= 86400
        assert_openrosa_headers(response)
        assert selectors.find_response(default_survey, instance_id) is None


# --- form list and download -----------------------------------------------------------------------------


def test_form_list_names_the_default_form_and_its_download(client: Client, default_survey: Survey) -> None:
    response = client.get("/openrosa/formList", headers=OPENROSA)
    assert response.status_code == 200
    assert_openrosa_headers(response)
    forms = listed(response)
    form = selectors.current_form(default_survey)
    entry = forms[FORM_ID]
    assert entry["name"] == default_survey.title == "Obstacles to trade for small businesses"
    assert entry["version"] == form.version
    assert entry["hash"] == f"md5:{form.xform_md5}"
    url = urlsplit(entry["downloadUrl"])
    assert (url.scheme, url.netloc, url.path) == ("http", "testserver", f"/openrosa/forms/{FORM_ID}/form.xml")

    download = client.get(url.path, headers=OPENROSA)
    assert download.status_code == 200
    assert_openrosa_headers(download)
    assert download.content.decode("utf-8") == form.xform
    assert "md5:" + hashlib.md5(download.content).hexdigest() == entry["hash"]


def test_form_list_filters_by_form_id(client: Client, default_survey: Survey) -> None:
    assert list(listed(client.get("/openrosa/formList", {"formID": FORM_ID}))) == [FORM_ID]
    assert listed(client.get("/openrosa/formList", {"formID": "other_form"})) == {}
    assert client.post("/openrosa/formList").status_code == 405


def test_unknown_form_download_is_404(client: Client, default_survey: Survey) -> None:
    response = client.get("/openrosa/forms/no_such_form/form.xml")
    assert response.status_code == 404
    assert_openrosa_headers(response)


# --- restricted surveys ---------------------------------------------------------------------------------


def test_restricted_survey_asks_for_credentials(client: Client, restricted: Survey, collector: Any) -> None:
    for response in (
        client.get("/openrosa/formList", headers=OPENROSA),
        client.get(f"/openrosa/forms/{FORM_ID}/form.xml", headers=OPENROSA),
        client.get("/openrosa/formList", headers=basic("enumerator.lima", "wrong-password")),
    ):
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == 'Basic realm="MSME Lens"'
        assert_openrosa_headers(response)

    good = basic("enumerator.lima", "S3cret-lima-26")
    forms = listed(client.get("/openrosa/formList", headers=good))
    assert list(forms) == [FORM_ID]
    download = client.get(urlsplit(forms[FORM_ID]["downloadUrl"]).path, headers=good)
    assert download.status_code == 200 and download.content.decode() == selectors.current_form(restricted).xform


def test_restricted_submission_needs_a_collector(client: Client, restricted: Survey, collector: Any) -> None:
    xml = instance_for(restricted, valid_answers(), instance_id=new_id())
    anonymous = post(client, xml)
    assert anonymous.status_code == 401
    assert anonymous["WWW-Authenticate"] == 'Basic realm="MSME Lens"'
    assert post(client, xml, basic("enumerator.lima", "not-it")).status_code == 401

    get_user_model().objects.create_user(username="visitor", password="Another-pass-99")
    outsider = post(client, xml, basic("visitor", "Another-pass-99"))
    assert outsider.status_code == 403 and "visitor" in message(outsider)[0]
    download = client.get(f"/openrosa/forms/{FORM_ID}/form.xml", headers=basic("visitor", "Another-pass-99"))
    assert download.status_code == 403
    assert listed(client.get("/openrosa/formList", headers=basic("visitor", "Another-pass-99"))) == {}
    assert not Response.objects.exists()

    accepted = post(client, xml, basic("enumerator.lima", "S3cret-lima-26"))
    assert accepted.status_code == 201
    stored = Response.objects.get(survey=restricted)
    assert stored.submitted_by == collector and stored.answers["employees"] == 12


# --- over real HTTP -------------------------------------------------------------------------------------


def _request(
    base: str, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, http.client.HTTPMessage, bytes]:
    url = urlsplit(base)
    conn = http.client.HTTPConnection(url.hostname or "127.0.0.1", url.port, timeout=30)
    try:
        conn.request(method, path, body=body, headers={**OPENROSA, **(headers or {})})
        response = conn.getresponse()
        return response.status, response.msg, response.read()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real ``msmelens serve`` (gunicorn, which migrates a fresh SQLite database holding the default
    survey) on a free port."""
    env = serving.server_env(dict(os.environ), str(tmp_path_factory.mktemp("openrosa-home")))
    with serving.served(env, ready_path="/openrosa/formList") as base:
        yield base


def test_odk_round_trip_over_http(served: str) -> None:
    """What a phone does: list the forms, download the one listed, fill it in, send it (twice)."""
    status, headers, body = _request(served, "GET", "/openrosa/formList")
    assert status == 200 and headers["X-OpenRosa-Version"] == "1.0"
    assert headers["Content-Type"] == "text/xml; charset=utf-8"
    assert len(headers.get_all("Date") or []) == 1  # gunicorn's own, not a second one
    entry = listed(body)[FORM_ID]
    assert entry["downloadUrl"] == f"{served}/openrosa/forms/{FORM_ID}/form.xml"

    status, _headers, xform = _request(served, "GET", urlsplit(entry["downloadUrl"]).path)
    assert status == 200 and entry["hash"] == "md5:" + hashlib.md5(xform).hexdigest()

    status, headers, _body = _request(served, "HEAD", "/openrosa/submission")
    assert status == 204 and int(headers["X-OpenRosa-Accept-Content-Length"]) == 10 * 1024 * 1024

    xml = build_instance(xform.decode("utf-8"), valid_answers(), instance_id=new_id())
    boundary = uuid.uuid4().hex
    parts = [
        (b'name="xml_submission_file"; filename="submission.xml"', b"text/xml", xml),
        (b'name="photo.jpg"; filename="photo.jpg"', b"image/jpeg", b"\xff\xd8\xff\xe0 photo"),
    ]
    payload = b"".join(
        b"--%s\r\nContent-Disposition: form-data; %s\r\nContent-Type: %s\r\n\r\n%s\r\n"
        % (boundary.encode(), disposition, kind, content)
        for disposition, kind, content in parts
    ) + b"--%s--\r\n" % boundary.encode()
    multipart = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    for expected in ("Thank you", "already received"):
        status, headers, body = _request(served, "POST", "/openrosa/submission", payload, multipart)
        assert status == 201, body
        text, nature = message(body)
        assert nature == "submit_success" and expected in text
