"""The interactive API docs (Swagger UI) served with the assets bundled in django-ninja: works offline.

Ninja's default page loads Swagger UI from a CDN unless ``ninja`` is an installed app with static files
served; here the few asset files are served by the API itself, from ninja's package, with a day of caching.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import ninja
from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils.html import escape
from ninja import NinjaAPI, Router
from ninja.openapi.docs import DocsBase

from msmelens.api.errors import ApiError

ASSETS_DIR = Path(ninja.__file__).resolve().parent / "static" / "ninja"
ASSETS: dict[str, str] = {
    "swagger-ui.css": "text/css; charset=utf-8",
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui-init.js": "text/javascript; charset=utf-8",
    "favicon.svg": "image/svg+xml",
}

router = Router(tags=["docs"])


class LocalSwagger(DocsBase):
    """Swagger UI whose CSS/JS come from ``<api root>docs/assets/`` instead of a CDN."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        openapi_url = self.get_openapi_url(api, kwargs)
        assets = openapi_url.rsplit("/", 1)[0] + "/docs/assets/"
        # raw JSON inside <script> (not entity-decoded there); "<" escaped so it can never close the tag
        settings = json.dumps({"url": openapi_url, "layout": "BaseLayout", "deepLinking": True})
        settings = settings.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{escape(api.title)} – interactive documentation</title>
<link rel="stylesheet" href="{assets}swagger-ui.css">
<link rel="icon" href="{assets}favicon.svg" type="image/svg+xml">
</head>
<body>
<script type="application/json" id="swagger-settings">{settings}</script>
<div id="swagger-ui"></div>
<noscript><p>This page needs JavaScript. The API description is at <a href="{openapi_url}">{openapi_url}</a>.</p></noscript>
<script src="{assets}swagger-ui-bundle.js"></script>
<script src="{assets}swagger-ui-init.js"></script>
</body>
</html>
"""
        return HttpResponse(page, content_type="text/html; charset=utf-8")


@router.get("/docs/assets/{name}", include_in_schema=False, url_name="docs_asset")
def docs_asset(request: HttpRequest, name: str) -> FileResponse:
    """One of the Swagger UI files bundled with django-ninja (a fixed list: no other file is reachable)."""
    if name not in ASSETS:
        raise ApiError(404, "not_found", f"There is no documentation asset named '{name[:60]}'.")
    response = FileResponse((ASSETS_DIR / name).open("rb"), content_type=ASSETS[name])
    response["Cache-Control"] = "public, max-age=86400"
    return response
