"""/lens/analyze: run the lens on pasted text or an uploaded file; nothing is stored."""

from __future__ import annotations

import json
from pathlib import PurePath
from typing import Any

import pydantic
from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest
from django.http.multipartparser import MultiPartParserError
from ninja import Router

import msmelens.lens as lens
from msmelens.api.errors import ApiError, validation_message
from msmelens.api.schemas import MAX_ANALYZE_CHARS, AnalyzeIn, AnalyzeOut, ErrorOut
from msmelens.corpus.errors import ReadError
from msmelens.corpus.model import Document
from msmelens.corpus.readers import SUPPORTED_SUFFIXES, read_bytes
from msmelens.lens.profile import profile_agreement

router = Router(tags=["lens"])

ALLOWED_EXTENSIONS: tuple[str, ...] = tuple(sorted(SUPPORTED_SUFFIXES))
# reading errors that are not "unreadable file" (422)
READ_ERROR_STATUS: dict[str, int] = {"MSL103": 415, "MSL110": 413}
PASTED_NAME = "pasted-text.txt"


def max_upload_bytes() -> int:
    """The upload/body limit: settings.MSMELENS_MAX_UPLOAD_MB (default 10) in bytes."""
    mb = getattr(settings, "MSMELENS_MAX_UPLOAD_MB", 10)
    return int(float(mb) * 1024 * 1024)


def _too_large(what: str) -> ApiError:
    limit_mb = max_upload_bytes() / (1024 * 1024)
    return ApiError(413, "too_large", f"{what} is too large: the limit is {limit_mb:g} MB.")


def _check_length(request: HttpRequest) -> None:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > max_upload_bytes():
        raise _too_large(f"The request ({length / (1024 * 1024):.1f} MB)")


def _from_json(request: HttpRequest) -> tuple[Document, AnalyzeIn]:
    try:
        raw = request.body
    except RequestDataTooBig:
        raise _too_large("The request") from None
    try:
        data = json.loads(raw or b"null")
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, "invalid_json", "The request body is not valid JSON.") from None
    if not isinstance(data, dict):
        raise ApiError(422, "invalid_parameter", 'The body must be a JSON object like {"text": "..."}.')
    text = data.get("text")
    if isinstance(text, str) and len(text) > MAX_ANALYZE_CHARS:
        raise ApiError(
            413,
            "too_large",
            f"Field 'text' has {len(text):,} characters: the limit is {MAX_ANALYZE_CHARS:,}.",
        )
    try:
        payload = AnalyzeIn.model_validate(data)
    except pydantic.ValidationError as exc:
        errors = [dict(e, loc=("body", *e["loc"])) for e in exc.errors(include_url=False)]
        raise ApiError(422, "invalid_parameter", validation_message(errors)) from None
    if not payload.text.strip():
        raise ApiError(422, "empty_text", "Field 'text' is empty: paste the agreement's text.")
    document = read_bytes(payload.text.encode("utf-8"), PASTED_NAME)
    if payload.language:
        document.meta.language = payload.language
    return document, payload


def _from_upload(request: HttpRequest) -> tuple[Document, str, str | None]:
    try:
        upload = request.FILES.get("file")
        unit = request.POST.get("unit") or "article"
        language = request.POST.get("language") or None
    except RequestDataTooBig:
        raise _too_large("The upload") from None
    except (MultiPartParserError, SuspiciousOperation):
        raise ApiError(400, "bad_upload", "The upload could not be read as a multipart form.") from None
    if upload is None:
        raise ApiError(422, "invalid_parameter", "Field 'file' is required: attach the agreement file.")
    if unit not in ("article", "paragraph"):
        raise ApiError(422, "invalid_parameter", "Field 'unit' must be 'article' or 'paragraph'.")
    if language not in (None, "en", "fr", "es"):
        raise ApiError(422, "invalid_parameter", "Field 'language' must be 'en', 'fr' or 'es' (or left out).")
    name = PurePath(upload.name or "upload").name
    if PurePath(name).suffix.lower() not in ALLOWED_EXTENSIONS:
        allowed = ", ".join(ALLOWED_EXTENSIONS)
        raise ApiError(
            415,
            "unsupported_file_type",
            f"The file '{name}' is not a supported type. Send one of: {allowed}.",
        )
    if upload.size is not None and upload.size > max_upload_bytes():
        raise _too_large(f"The file '{name}'")
    data = upload.read()
    if not data:
        raise ApiError(422, "empty_file", f"The file '{name}' is empty.")
    document = read_bytes(data, name, max_bytes=max_upload_bytes())
    if language:
        document.meta.language = language
    return document, unit, language


def _read_error(err: ReadError) -> ApiError:
    return ApiError(READ_ERROR_STATUS.get(err.code, 422), err.code, err.message)


def _agreement_meta(document: Document) -> dict[str, Any]:
    chapters = document.chapters
    return {
        "agreement_id": document.id,
        "name": document.meta.name,
        "format": document.format,
        "source": PurePath(document.source).name if document.source else "",
        "language": document.meta.language,
        "parties": list(document.meta.parties),
        "date_signed": document.meta.date_signed,
        "n_chapters": len(chapters),
        "n_articles": sum(len(c.articles) for c in chapters),
        "warnings": list(document.warnings),
    }


_REQUEST_BODY = {
    "required": True,
    "description": "Either JSON with the text, or a multipart form with the agreement file.",
    "content": {
        "application/json": {"schema": AnalyzeIn.model_json_schema()},
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file"],
                "properties": {
                    "file": {
                        "type": "string",
                        "format": "binary",
                        "description": "PDF, DOCX, HTML, TXT or XML (ToTA) file, at most the upload limit.",
                    },
                    "unit": {"type": "string", "enum": ["article", "paragraph"], "default": "article"},
                    "language": {"type": "string", "enum": ["en", "fr", "es"], "description": "If known."},
                },
            }
        },
    },
}


@router.post(
    "/analyze",
    response={200: AnalyzeOut, 400: ErrorOut, 413: ErrorOut, 415: ErrorOut, 422: ErrorOut},
    url_name="lens_analyze",
    summary="Analyse a text or file",
    description=(
        "Run the MSME lens on pasted text (JSON) or an uploaded agreement (multipart field 'file'). "
        "Returns the document's metadata, its MSME profile and one lens record per article (or paragraph). "
        "Nothing is stored."
    ),
    openapi_extra={"requestBody": _REQUEST_BODY},
)
def analyze(request: HttpRequest) -> dict[str, Any]:
    _check_length(request)
    if not request.META.get("CONTENT_LENGTH") or request.META.get("CONTENT_LENGTH") == "0":
        raise ApiError(422, "empty_body", "The request is empty: send JSON with a 'text' field, or a 'file'.")
    content_type = (request.content_type or "").lower()
    unit = "article"
    language = None
    if content_type == "multipart/form-data":
        try:
            document, unit, language = _from_upload(request)
        except ReadError as err:
            raise _read_error(err) from None
    elif content_type == "application/json" or content_type.endswith("+json"):
        try:
            document, payload = _from_json(request)
        except ReadError as err:
            raise _read_error(err) from None
        unit, language = payload.unit, payload.language
    else:
        raise ApiError(
            415,
            "unsupported_media_type",
            "Send JSON (Content-Type: application/json) with a 'text' field, "
            "or a multipart form (multipart/form-data) with a 'file' field.",
        )
    results = lens.analyze(document, unit=unit)
    if not results and document.text.strip():  # no article found: the whole text is one provision
        record = lens.analyze_text(document.text, language=language or document.meta.language or None)
        record.agreement_id, record.provision_id = document.id, f"{document.id}-a1"
        results = [record]
    profile = profile_agreement(document, results)
    return {
        "lens_version": lens.LENS_VERSION,
        "agreement": _agreement_meta(document),
        "profile": profile.to_dict(),
        "provisions": [r.to_dict() for r in results],
    }
