"""Render the most visited public pages into the page cache right after an import.

An import starts a new data version, which empties the page cache (``msmelens.web.page_cache``). Rendering
an agreement page costs 20–40 ms of CPU; rendering them ahead of the first visitor keeps the site fast under
load. The pages go through the full middleware stack in-process (Django's test client is a plain WSGI
driver), so what is cached is exactly what a visitor would get.
"""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor

from django.conf import settings
from django.db import connections
from django.test import Client

Progress = Callable[[int, int], None]


def pages_to_prerender(*, languages: Iterable[str] | None = None) -> list[str]:
    """The overview, lists and every agreement and country page, in each UI language."""
    from msmelens.agreements.models import Agreement, AgreementParty

    codes = list(languages) if languages is not None else [code for code, _ in settings.LANGUAGES]
    agreement_ids = list(Agreement.objects.order_by("lens_id").values_list("lens_id", flat=True))
    countries = sorted(set(AgreementParty.objects.values_list("iso3", flat=True)))
    paths: list[str] = []
    for code in codes:
        prefix = "" if code == settings.LANGUAGE_CODE else f"/{code}"
        paths += [f"{prefix}/", f"{prefix}/agreements/", f"{prefix}/countries/"]
        paths += [f"{prefix}/agreements/{lens_id}/" for lens_id in agreement_ids]
        paths += [f"{prefix}/countries/{iso3}/" for iso3 in countries]
    return paths


def _render(paths: list[str]) -> int:
    client = Client(raise_request_exception=False)
    return sum(1 for path in paths if client.get(path).status_code == 200)


def _close_connections() -> None:
    connections.close_all()


def prerender_pages(
    *, languages: Iterable[str] | None = None, workers: int = 1, progress: Progress | None = None
) -> int:
    """Render the pages of ``pages_to_prerender`` into the cache; return how many rendered with status 200."""
    paths = pages_to_prerender(languages=languages)
    chunks = [paths[i : i + 50] for i in range(0, len(paths), 50)]
    rendered = done = 0
    if workers > 1 and sys.platform == "linux" and len(chunks) > 1:
        connections.close_all()  # never share a database connection with forked processes
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_close_connections) as pool:
            for count, chunk in zip(pool.map(_render, chunks), chunks, strict=True):
                rendered += count
                done += len(chunk)
                if progress:
                    progress(done, len(paths))
        return rendered
    for chunk in chunks:
        rendered += _render(chunk)
        done += len(chunk)
        if progress:
            progress(done, len(paths))
    return rendered
