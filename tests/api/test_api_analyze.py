"""POST /api/v1/lens/analyze: pasted text and uploaded files (built here with real libraries)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pypdf import PdfWriter

from msmelens.agreements.models import Agreement

URL = "/api/v1/lens/analyze"

SME_ARTICLE = (
    "Article 24.1: General Principles\n"
    "1. The Parties, recognising the fundamental role of small and medium-sized enterprises (SMEs) in "
    "maintaining dynamism and enhancing competitiveness, shall seek to foster close cooperation between "
    "SMEs of the Parties and cooperate in promoting jobs and growth in SMEs.\n"
)


def post_json(client: Client, payload: object) -> tuple[int, dict]:
    response = client.post(URL, data=json.dumps(payload), content_type="application/json")
    assert response["Content-Type"].startswith("application/json")
    return response.status_code, response.json()


@pytest.mark.django_db
def test_pasted_sme_article_is_explicit_with_quoting_evidence(client: Client) -> None:
    stored = Agreement.objects.count()
    status, data = post_json(client, {"text": SME_ARTICLE, "language": "en", "unit": "article"})
    assert status == 200, data
    provisions = data["provisions"]
    assert provisions, data
    explicit = [p for p in provisions if p["relevance"] == "explicit"]
    assert explicit
    record = explicit[0]
    assert record["evidence"]
    for ev in record["evidence"]:
        assert record["text"][ev["start"] : ev["end"]] == ev["text"]
        assert ev["text"] in SME_ARTICLE
    assert data["profile"]["relevance_counts"]["explicit"] == len(explicit)
    assert data["profile"]["n_provisions"] == len(provisions)
    assert data["agreement"]["agreement_id"] == record["agreement_id"]
    assert data["lens_version"]
    assert Agreement.objects.count() == stored  # nothing stored
    assert not Agreement.objects.filter(lens_id=data["agreement"]["agreement_id"]).exists()


@pytest.mark.django_db
def test_pasted_text_without_msme_content_is_none(client: Client) -> None:
    status, data = post_json(client, {"text": "Article 1\nCustoms duties on bananas shall be eliminated."})
    assert status == 200
    assert all(p["relevance"] == "none" for p in data["provisions"])
    assert data["profile"]["relevance_counts"]["explicit"] == 0


@pytest.mark.django_db
def test_paragraph_unit(client: Client) -> None:
    status, data = post_json(client, {"text": SME_ARTICLE, "unit": "paragraph"})
    assert status == 200
    assert data["provisions"] and all(p["unit"] == "paragraph" for p in data["provisions"])


@pytest.mark.django_db
def test_docx_upload(client: Client, tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("Chapter 24 Small and Medium-Sized Enterprises", level=1)
    document.add_heading("Article 24.1: Information Sharing", level=2)
    document.add_paragraph(
        "Each Party shall establish or maintain its own free, publicly accessible website containing "
        "information regarding this Agreement, including information designed for small and medium-sized "
        "enterprises."
    )
    document.add_heading("Article 24.2: Tariffs", level=2)
    document.add_paragraph("Each Party shall eliminate its customs duties on originating goods.")
    path = tmp_path / "sme-chapter.docx"
    document.save(path)
    with path.open("rb") as fh:
        response = client.post(URL, {"file": fh, "unit": "article"})
    assert response.status_code == 200, response.content[:500]
    data = response.json()
    assert data["agreement"]["format"] == "docx"
    assert data["agreement"]["source"] == "sme-chapter.docx"
    relevances = [p["relevance"] for p in data["provisions"]]
    assert "explicit" in relevances
    texts = " ".join(p["text"] for p in data["provisions"])
    assert "publicly accessible website" in texts


@pytest.mark.django_db
def test_txt_upload(client: Client) -> None:
    upload = SimpleUploadedFile("sme.txt", SME_ARTICLE.encode("utf-8"), content_type="text/plain")
    response = client.post(URL, {"file": upload})
    assert response.status_code == 200
    assert any(p["relevance"] == "explicit" for p in response.json()["provisions"])


@pytest.mark.django_db
def test_upload_form_fields_unit_and_language(client: Client) -> None:
    upload = SimpleUploadedFile("sme.txt", SME_ARTICLE.encode("utf-8"), content_type="text/plain")
    response = client.post(URL, {"file": upload, "unit": "paragraph", "language": "en"})
    assert response.status_code == 200
    data = response.json()
    assert data["agreement"]["language"] == "en"
    assert data["provisions"] and all(p["unit"] == "paragraph" for p in data["provisions"])
    for field, value in (("unit", "chapter"), ("language", "de")):
        upload = SimpleUploadedFile("sme.txt", SME_ARTICLE.encode("utf-8"), content_type="text/plain")
        response = client.post(URL, {"file": upload, field: value})
        assert response.status_code == 422
        assert f"'{field}'" in response.json()["detail"]


@pytest.mark.django_db
def test_encrypted_pdf_is_422_with_the_readers_message(client: Client, tmp_path: Path) -> None:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt("secret")
    buffer = io.BytesIO()
    writer.write(buffer)
    upload = SimpleUploadedFile("locked.pdf", buffer.getvalue(), content_type="application/pdf")
    response = client.post(URL, {"file": upload})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "MSL105"
    assert "locked.pdf" in body["detail"] and "password" in body["detail"]


@pytest.mark.django_db
def test_damaged_pdf_and_empty_file_are_422(client: Client) -> None:
    bad = SimpleUploadedFile(
        "broken.pdf", b"%PDF-1.7\nthis is not really a pdf", content_type="application/pdf"
    )
    response = client.post(URL, {"file": bad})
    assert response.status_code == 422
    assert "broken.pdf" in response.json()["detail"]
    empty = SimpleUploadedFile("empty.txt", b"", content_type="text/plain")
    response = client.post(URL, {"file": empty})
    assert response.status_code == 422
    assert "empty.txt" in response.json()["detail"]


@pytest.mark.django_db
def test_unsupported_file_type_is_415(client: Client) -> None:
    upload = SimpleUploadedFile(
        "sheet.xlsx", b"PK\x03\x04 not a docx", content_type="application/octet-stream"
    )
    response = client.post(URL, {"file": upload})
    assert response.status_code == 415
    body = response.json()
    assert body["code"] == "unsupported_file_type"
    assert "sheet.xlsx" in body["detail"] and ".docx" in body["detail"]
    response = client.post(URL, data="text", content_type="text/plain")
    assert response.status_code == 415


@pytest.mark.django_db
def test_missing_file_field_is_422(client: Client) -> None:
    response = client.post(URL, {"unit": "article"})
    assert response.status_code == 422
    assert "'file'" in response.json()["detail"]


def error_text(body: dict) -> str:
    """The message of a JSON error: {"detail", "code"} from the API and from the platform middleware alike
    (the middleware refuses grossly oversized bodies before they reach the API)."""
    assert set(body) == {"detail", "code"}
    assert body["code"]
    return str(body["detail"])


def test_twenty_megabyte_body_is_413(client: Client) -> None:
    payload = json.dumps({"text": "a" * (20 * 1024 * 1024)})
    response = client.post(URL, data=payload, content_type="application/json")
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")
    assert "10 MB" in error_text(response.json())


def test_twenty_megabyte_upload_is_413(client: Client) -> None:
    upload = SimpleUploadedFile("big.txt", b"x" * (20 * 1024 * 1024), content_type="text/plain")
    response = client.post(URL, {"file": upload})
    assert response.status_code == 413
    assert "10 MB" in error_text(response.json())


def test_upload_just_over_the_limit_is_413_from_the_api(client: Client) -> None:
    upload = SimpleUploadedFile("big.txt", b"x" * (10 * 1024 * 1024 + 4096), content_type="text/plain")
    response = client.post(URL, {"file": upload})
    assert response.status_code == 413
    body = response.json()
    assert body["code"] == "too_large"
    assert "10 MB" in body["detail"]


def test_text_over_the_character_limit_is_413(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.MSMELENS_MAX_UPLOAD_MB = 50
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024
    response = client.post(URL, data=json.dumps({"text": "a" * 2_000_001}), content_type="application/json")
    assert response.status_code == 413
    assert "2,000,000" in response.json()["detail"]


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "JSON object"),
        ('{"text": 5}', "'text'"),
        ('{"text": "ok", "unit": "chapter"}', "'unit'"),
        ('{"text": "ok", "language": "xx"}', "'language'"),
        ('{"text": "   "}', "'text'"),
        ('{"text": ""}', "'text'"),
        ("", "empty"),
    ],
)
def test_bad_json_bodies_are_4xx_naming_the_field(client: Client, body: str, fragment: str) -> None:
    response = client.post(URL, data=body, content_type="application/json")
    assert response.status_code in (400, 422), response.content
    assert fragment in response.json()["detail"]
