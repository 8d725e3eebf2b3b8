"""The search page's hits, written in Python (same markup and escaping as a template would give).

A search page shows twenty hits, each with a link, a title, badges and a snippet: through Django's template
engine that is some 400 nodes and the larger part of the page's time (see ``web/widgets.py`` for the same
reason). ``hits_html`` writes them in one pass; the page template only places the result.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from msmelens.agreements.labels import category_label, relevance_label
from msmelens.agreements.templatetags.msmelens_tags import provision_title_of


def _hit_html(row: dict[str, Any], language_title: str, urls: dict[str, str]) -> str:
    hit = row["hit"]
    provision, agreement = hit.provision, hit.agreement
    url = urls.get(agreement.lens_id)
    if url is None:
        url = urls[agreement.lens_id] = reverse("agreement_detail", args=[agreement.lens_id])
    title = provision_title_of(provision.path, provision.source_ref, provision.provision_id)
    year = f" ({escape(agreement.year_signed)})" if agreement.year_signed else ""
    tags = []
    if row["language"]:
        tags.append(
            f'<li><span class="badge lang" title="{language_title}">{escape(row["language_label"])}</span></li>'
        )
    tags.append(
        f'<li><span class="badge {escape(provision.relevance)}">{escape(relevance_label(provision.relevance))}'
        "</span></li>"
    )
    tags += [f'<li><span class="badge">{escape(category_label(c))}</span></li>' for c in provision.categories]
    lang = f' lang="{escape(row["language"])}"' if row["language"] else ""
    return (
        '<div class="hit">\n'
        f'<h2 style="font-size:1rem;margin:0"><a href="{escape(url)}#{escape(provision.provision_id)}">'
        f"{escape(title)}</a> · {escape(agreement.name)}{year}</h2>\n"
        f'<ul class="tags">{"".join(tags)}</ul>\n'
        f"<p{lang}>{hit.snippet_html}</p>\n"
        "</div>"
    )


def hits_html(rows: list[dict[str, Any]]) -> SafeString:
    """The hits of ``search_form.hit_rows`` as HTML, or the "nothing found" notice when there is none."""
    if not rows:
        return format_html('<p class="notice">{}</p>', _("Nothing found. Try fewer or other words."))
    language_title = escape(_("Language of the provision"))
    urls: dict[str, str] = {}
    return mark_safe("".join(_hit_html(row, language_title, urls) for row in rows))  # noqa: S308 - escaped above
