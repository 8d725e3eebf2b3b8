"""Prepare the serving process before it forks its web workers.

Two things make a worker's first requests and its garbage collections slow: tables every worker builds on
first use (compiled templates, URL patterns, translation catalogues, the search concepts), and the cyclic
garbage collector, which walks every live object on a full collection: some 200,000 after start-up, ~100 ms
during which the worker answers nothing. ``prepare_to_fork`` builds the shared tables once in the parent,
then moves every object it holds out of the collector's sight (``gc.freeze``), so that workers inherit
them ready, share their memory pages, and collect only what their requests create.
"""

from __future__ import annotations

import gc

from django.template.loader import get_template
from django.urls import reverse
from django.utils import translation

# the pages most asked for: their templates are compiled once, here
TEMPLATES = (
    "msmelens/base.html",
    "msmelens/search.html",
    "msmelens/agreement_list.html",
    "msmelens/agreement_detail.html",
    "msmelens/country_detail.html",
    "msmelens/overview.html",
)


def prepare_to_fork() -> int:
    """Build the shared tables, collect, and freeze what is left; returns how many objects were frozen.
    Opens no database connection (workers must not share one)."""
    from msmelens.lens.concepts import concepts_in, parse_query

    for language in ("en", "fr", "es"):
        with translation.override(language):
            reverse("overview")
            str(translation.gettext("Search"))
    parse_query("ventanilla única small and medium-sized enterprises")
    concepts_in(["singl", "window"])
    for name in TEMPLATES:
        try:
            get_template(name)
        except Exception:  # noqa: BLE001 - a template missing here is found again, and reported, by its page
            continue
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
