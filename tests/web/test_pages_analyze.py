"""/analyze/: pasted text and uploaded files through the real readers and lens; errors; downloads."""

from __future__ import annotations

import csv
import io
import json
import re

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from pypdf import PdfWriter

pytestmark = pytest.mark.django_db

DRAFT = """Chapter 1 Small and Medium-Sized Enterprises

Article 1.1 Information Sharing
1. Each Party shall establish and maintain a publicly accessible website containing information for small and
medium-sized enterprises, including customs regulations and procedures, and an enquiry point.

Article 1.2 Cooperation
The Parties shall endeavour to cooperate to promote training for SMEs and their participation in trade.

Article 1.3 Entry into force
This Agreement shall enter into force on the first day of the second month after the exchange of notes.
"""


def test_form_page_is_a_multipart_form(client):
    html = client.get("/analyze/").content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert '<label for="id_text">' in html and '<label for="id_file">' in html


def test_pasted_text_gives_report_and_suggestions(sample_db, client):
    response = client.post("/analyze/", {"text": DRAFT})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<b>3</b> provisions read" in html
    assert "<b>2</b> explicit MSME provisions" in html
    assert "<mark" in html and ">small and\nmedium-sized enterprises</mark>" in html
    assert "Model language for what the draft lacks" in html
    assert 'href="/agreements/tota-' in html  # suggestions link to stored agreements
    assert 'name="format" value="json"' in html
    # the draft's only skills provision is soft; finance is missing altogether
    assert re.search(
        r'id="sugg-skills"[^>]*>[^<]*<span class="badge">only soft provisions in the draft<', html
    )
    assert re.search(r'id="sugg-finance"[^>]*>[^<]*<span class="badge">missing from the draft<', html)


def test_uploaded_docx_and_txt(sample_db, client):
    document = docx.Document()
    for block in DRAFT.strip().split("\n\n"):
        heading, _, body = block.partition("\n")
        document.add_paragraph(heading, style="Heading 1" if heading.startswith("Chapter") else "Heading 2")
        document.add_paragraph(body.replace("\n", " "))
    buf = io.BytesIO()
    document.save(buf)
    upload = SimpleUploadedFile(
        "draft.docx",
        buf.getvalue(),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    html = client.post("/analyze/", {"file": upload}).content.decode()
    assert "Lens report" in html and "<b>2</b> explicit MSME provisions" in html
    txt = SimpleUploadedFile("draft.txt", DRAFT.encode("utf-8"), "text/plain")
    html = client.post("/analyze/", {"file": txt}).content.decode()
    assert "<b>2</b> explicit MSME provisions" in html


def test_french_report(sample_db, client):
    html = client.post("/fr/analyze/", {"text": DRAFT}).content.decode()
    assert '<html lang="fr">' in html and "Rapport d’analyse" in html


@pytest.mark.parametrize("fmt", ["json", "csv", "md"])
def test_downloads_are_rebuilt_from_the_posted_text(sample_db, client, fmt):
    response = client.post("/analyze/", {"text": DRAFT, "format": fmt})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'.{fmt}"')
    body = response.content.decode()
    if fmt == "json":
        report = json.loads(body)
        assert report["profile"]["relevance_counts"]["explicit"] == 2
        assert len(report["provisions"]) == 2
        assert all(p["relevance"] != "none" for p in report["provisions"])
        assert set(report["suggestions"]) and "skills" in report["suggestions"]
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(body)))
        assert len(rows) == 2 and rows[0]["relevance"] == "explicit"
        assert "market_information" in rows[0]["categories"].split(";")
    else:
        assert body.startswith("# MSME lens report")
        assert "## Relevant provisions" in body and "| Skills and training |" in body
        assert "## Model language from stored agreements" in body and "**Trans-Pacific Partnership**" in body


def test_empty_input_is_400_with_message(client):
    response = client.post("/analyze/", {"text": "   "})
    assert response.status_code == 400
    assert "Paste some text or choose a file" in response.content.decode()


def test_wrong_file_type_is_400(client):
    upload = SimpleUploadedFile("draft.exe", b"MZ\x90\x00", "application/octet-stream")
    response = client.post("/analyze/", {"file": upload})
    assert response.status_code == 400
    assert "draft.exe" in response.content.decode()


def test_encrypted_pdf_shows_reader_message(client):
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt("secret")
    buf = io.BytesIO()
    writer.write(buf)
    response = client.post(
        "/analyze/", {"file": SimpleUploadedFile("locked.pdf", buf.getvalue(), "application/pdf")}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "MSL105" in html and "locked.pdf" in html and "password" in html


def test_damaged_docx_shows_reader_message(client):
    response = client.post(
        "/analyze/", {"file": SimpleUploadedFile("broken.docx", b"not a zip", "application/zip")}
    )
    assert response.status_code == 400
    assert "broken.docx" in response.content.decode()


@override_settings(MSMELENS_MAX_UPLOAD_MB=1)
def test_too_large_upload_is_413(client):
    big = SimpleUploadedFile("big.txt", b"Small enterprises. " * 70_000, "text/plain")
    response = client.post("/analyze/", {"file": big})
    assert response.status_code == 413
