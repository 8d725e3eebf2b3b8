"""The committed OpenAPI document (docs/openapi.json): rendered with sorted keys so it is stable."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

OPENAPI_PATH = Path("docs") / "openapi.json"


def openapi_schema() -> dict[str, Any]:
    """The API's OpenAPI schema as plain JSON types (Django must be set up)."""
    from msmelens.api.api import api

    return json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1/")))


def render_openapi() -> str:
    return json.dumps(openapi_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
