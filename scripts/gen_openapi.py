#!/usr/bin/env python
"""Write docs/openapi.json from the live API definition (sorted keys, stable).

Usage: .venv/bin/python scripts/gen_openapi.py [--check]
--check exits 1 (and writes nothing) when the committed file differs from the API.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "msmelens.web.settings")
    # generating the schema needs no data: keep the user's data directory untouched
    os.environ.setdefault("MSMELENS_HOME", tempfile.mkdtemp(prefix="msmelens-openapi-"))
    os.environ.setdefault("MSMELENS_SECRET_KEY", "openapi-generation-only")
    import django

    django.setup()
    from msmelens.api.openapi_doc import OPENAPI_PATH, render_openapi

    target = ROOT / OPENAPI_PATH
    text = render_openapi()
    current = target.read_text(encoding="utf-8") if target.exists() else ""
    if "--check" in argv:
        if current != text:
            print(f"{OPENAPI_PATH} is out of date: run scripts/gen_openapi.py", file=sys.stderr)
            return 1
        print(f"{OPENAPI_PATH} is up to date")
        return 0
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    print(f"wrote {OPENAPI_PATH} ({len(text):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
