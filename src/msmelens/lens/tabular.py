"""One CSV shape for provision records, wherever they are exported (CLI, API, the draft report).

Lists are joined with ";", the evidence list is compact JSON, booleans are ``true``/``false``, a missing value
is an empty cell, and a cell a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage
return) gets a leading apostrophe (CSV injection).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

CSV_FIELDS: tuple[str, ...] = (
    "agreement_id",
    "provision_id",
    "source_ref",
    "path",
    "unit",
    "language",
    "relevance",
    "categories",
    "binding",
    "committees",
    "score",
    "evidence",
    "text",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str:
    """One record value as a safe CSV cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        if value and isinstance(value[0], Mapping):
            return json.dumps(list(value), ensure_ascii=False, separators=(",", ":"))
        value = ";".join(str(v) for v in value)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_row(record: Mapping[str, Any], fields: Sequence[str] = CSV_FIELDS) -> list[str]:
    """The cells of ``record`` in the order of ``fields`` (a field the record lacks gives an empty cell)."""
    return [csv_cell(record.get(name)) for name in fields]
