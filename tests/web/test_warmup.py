"""``web.warmup.prepare_to_fork``: the serving process builds shared tables and freezes its objects."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap


def test_prepare_to_fork_freezes_the_start_up_objects_without_a_database_connection(tmp_path) -> None:  # type: ignore[no-untyped-def]
    script = textwrap.dedent(
        """
        import gc, json, django
        django.setup()
        from django.db import connections
        from msmelens.lens import concepts
        from msmelens.web.warmup import prepare_to_fork
        frozen = prepare_to_fork()
        print(json.dumps({
            "frozen": frozen,
            "reported": gc.get_freeze_count(),
            "open_connections": [a for a in connections if connections[a].connection is not None],
            "concepts_ready": concepts._alternatives_by_first_stem.cache_info().currsize,
            "tracked_after": len(gc.get_objects()),
        }))
        """
    )
    env = dict(os.environ, MSMELENS_HOME=str(tmp_path), DJANGO_SETTINGS_MODULE="msmelens.web.settings")
    env.pop("MSMELENS_DATABASE_URL", None)
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    import json

    facts = json.loads(out.stdout.strip().splitlines()[-1])
    assert facts["frozen"] == facts["reported"] > 20_000  # Django, the lens tables, the templates
    assert facts["open_connections"] == []  # workers must never share a connection
    assert facts["concepts_ready"] == 1
    assert facts["tracked_after"] < facts["frozen"] // 10  # a full collection no longer walks them
