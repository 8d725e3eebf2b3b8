"""Streamed CSV and JSON exports of provisions (never one big string in memory).

CSV: one row per provision in the one CSV shape of ``msmelens.lens.tabular`` (lists joined by ";",
``evidence`` as compact JSON, formula-like cells prefixed with an apostrophe), plus the ``curated`` column.
JSON: one array of provision records, written element by element.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet
from django.http import StreamingHttpResponse

from msmelens.agreements.models import Provision
from msmelens.api.serialize import provision_record
from msmelens.lens.tabular import CSV_FIELDS, csv_row

CSV_COLUMNS: tuple[str, ...] = (*CSV_FIELDS[:-2], "curated", *CSV_FIELDS[-2:])
CHUNK = 500


def _records(provisions: QuerySet[Provision]) -> Iterator[dict[str, Any]]:
    rows = provisions.select_related("agreement").only(
        "provision_id",
        "source_ref",
        "path",
        "chapter",
        "unit",
        "language",
        "text",
        "relevance",
        "categories",
        "binding",
        "committees",
        "score",
        "evidence",
        "curated",
        "agreement__lens_id",
    )
    for provision in rows.iterator(chunk_size=CHUNK):
        yield provision_record(provision, provision.agreement.lens_id)


def csv_rows(records: Iterable[dict[str, Any]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def flush() -> str:
        out = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate(0)
        return out

    writer.writerow(CSV_COLUMNS)
    yield "\ufeff" + flush()  # BOM so spreadsheet programs read UTF-8
    for record in records:
        writer.writerow(csv_row(record, CSV_COLUMNS))
        yield flush()


def json_array(records: Iterable[dict[str, Any]]) -> Iterator[str]:
    yield "["
    first = True
    for record in records:
        yield ("" if first else ",") + json.dumps(record, ensure_ascii=False)
        first = False
    yield "]"


def stream_provisions(provisions: QuerySet[Provision], *, fmt: str, filename: str) -> StreamingHttpResponse:
    """A streamed download of ``provisions`` in ``fmt`` ("csv" or "json")."""
    records = _records(provisions)
    if fmt == "csv":
        response = StreamingHttpResponse(csv_rows(records), content_type="text/csv; charset=utf-8")
        filename += ".csv"
    else:
        response = StreamingHttpResponse(json_array(records), content_type="application/json")
        filename += ".json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def openapi_responses(item_schema_ref: str) -> dict[int, Any]:
    """OpenAPI content of a 200 export response (both media types)."""
    return {
        200: {
            "description": "The provisions, streamed as CSV or as a JSON array.",
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                "application/json": {"schema": {"type": "array", "items": {"$ref": item_schema_ref}}},
            },
        }
    }
