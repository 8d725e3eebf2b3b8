"""Template helpers: evidence highlighting, translated labels, language links, percentages."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import translate_url
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, get_language_info

from msmelens.agreements import labels

register = template.Library()


def merge_spans(evidence: Iterable[Mapping[str, Any]], length: int) -> list[tuple[int, int, list[str]]]:
    """Evidence offsets clamped to the text, sorted, overlapping/touching spans merged (with their supports)."""
    spans: list[tuple[int, int, str]] = []
    for ev in evidence or []:
        try:
            start, end = int(ev.get("start", 0)), int(ev.get("end", 0))
        except (TypeError, ValueError):
            continue
        start, end = max(0, start), min(length, end)
        if end > start:
            spans.append((start, end, str(ev.get("supports", ""))))
    spans.sort()
    merged: list[tuple[int, int, list[str]]] = []
    for start, end, sup in spans:
        if merged and start <= merged[-1][1]:
            last = merged[-1]
            supports = last[2] if sup in last[2] else [*last[2], sup]
            merged[-1] = (last[0], max(last[1], end), supports)
        else:
            merged.append((start, end, [sup]))
    return merged


_BLANK_LINES = re.compile(r"[ \t]*\n[\s]*")


def _segment(text: str) -> str:
    """One escaped segment, runs of blank lines squashed to one line break (offsets are applied already)."""
    return str(escape(_BLANK_LINES.sub("\n", text)))


def highlight_evidence(text: str, evidence: Iterable[Mapping[str, Any]] | None) -> SafeString:
    """The text HTML-escaped, with each (merged) evidence span wrapped in ``<mark>``."""
    text = text or ""
    out: list[str] = []
    pos = 0
    for start, end, supports in merge_spans(evidence or [], len(text)):
        out.append(_segment(text[pos:start]))
        title = ", ".join(_support_label(s) for s in supports if s)
        out.append(f'<mark title="{escape(title)}">{_segment(text[start:end])}</mark>')
        pos = end
    out.append(_segment(text[pos:]))
    return mark_safe("".join(out))


def _support_label(key: str) -> str:
    if key.startswith("committee:"):
        return labels.committee_label(key.split(":", 1)[1])
    if key in labels.CATEGORY_LABELS:
        return labels.category_label(key)
    if key in labels.RELEVANCE_LABELS:
        return labels.relevance_label(key)
    if key in labels.BINDING_LABELS:
        return labels.binding_label(key)
    return key


@register.filter
def highlight(provision: Any) -> SafeString:
    """``{{ provision|highlight }}`` for a Provision or a dict with text/evidence."""
    if isinstance(provision, Mapping):
        return highlight_evidence(provision.get("text", ""), provision.get("evidence"))
    return highlight_evidence(provision.text, provision.evidence)


def provision_title_of(path: Any, source_ref: str, provision_id: str) -> str:
    """The article heading when the path has one (below the chapter), else the source reference or id."""
    path = list(path or [])
    if len(path) >= 2 and str(path[-1]).strip():
        return str(path[-1]).strip()
    return source_ref or provision_id


@register.filter
def provision_title(provision: Any) -> str:
    """``{{ p|provision_title }}`` for a Provision or a dict (``path``, ``source_ref``, ``provision_id``)."""
    if isinstance(provision, Mapping):
        return provision_title_of(
            provision.get("path"), provision.get("source_ref", ""), provision.get("provision_id", "")
        )
    return provision_title_of(provision.path, provision.source_ref, provision.provision_id)


@register.filter
def category_label(key: str) -> str:
    return labels.category_label(key)


@register.filter
def language_label(code: str) -> str:
    return labels.language_label(code)


@register.filter
def language_in_text(code: str) -> str:
    return labels.language_in_text(code)


@register.filter
def committee_label(key: str) -> str:
    return labels.committee_label(key)


@register.filter
def relevance_label(key: str) -> str:
    return labels.relevance_label(key)


@register.filter
def binding_label(key: str | None) -> str:
    return labels.binding_label(key)


@register.filter
def status_label(value: str) -> str:
    return labels.status_label(value)


@register.filter
def region_label(value: str) -> str:
    return labels.region_label(value)


@register.filter
def pct(value: Any) -> str:
    """0.4567 → "46%" (empty for missing values)."""
    try:
        return f"{float(value) * 100:.0f}%"
    except (TypeError, ValueError):
        return ""


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@lru_cache(maxsize=4096)
def _translated_path(path: str, code: str) -> str:
    """``path`` (no query string) in language ``code`` (resolving and reversing it: remembered per path)."""
    return translate_url(path, code)


@register.simple_tag(takes_context=True)
def language_links(context: template.Context) -> list[dict[str, Any]]:
    """One entry per configured language: code, native name, URL of the current page in that language."""
    request = context.get("request")
    path, mark, query = (request.get_full_path() if request is not None else "/").partition("?")
    current = context.get("LANGUAGE_CODE") or settings.LANGUAGE_CODE
    links = []
    for code, _name in settings.LANGUAGES:
        info = get_language_info(code)
        url = _translated_path(path, code)
        links.append(
            {
                "code": code,
                "name": info["name_local"],
                "url": url + mark + query,
                "current": code == current,
            }
        )
    return links


@register.simple_tag(takes_context=True)
def page_url(context: template.Context, page: int, param: str = "page") -> str:
    """The current URL with ``param`` set to ``page`` (other query parameters kept)."""
    request = context["request"]
    query = request.GET.copy()
    query[param] = str(page)
    return "?" + query.urlencode()


# (label, id it is for, suffixes, required class) -> the <label> Django renders through a template; the same
# few labels come back on every page, so each is rendered once per process
_LABELS: dict[tuple[Any, ...], str] = {}
MAX_REMEMBERED_LABELS = 5_000


def _label_html(field: Any) -> str:
    form = field.form
    key = (
        str(field.label),
        field.id_for_label,
        field.field.label_suffix,
        form.label_suffix,
        field.field.required,
        getattr(form, "required_css_class", None),
        field.field.widget.attrs.get("id"),
    )
    found = _LABELS.get(key)
    if found is None:
        if len(_LABELS) >= MAX_REMEMBERED_LABELS:
            _LABELS.clear()
        found = _LABELS[key] = str(field.label_tag())
    return found


@register.filter
def fields_html(form: Any) -> SafeString:
    """``{{ form|fields_html }}``: every field as ``msmelens/_field.html`` writes it (label, widget, errors),
    without one template include per field."""
    parts = []
    for field in form:
        errors = ""
        if field.errors:
            items = "".join(f"<li>{escape(e)}</li>" for e in field.errors)
            errors = f'<ul class="errorlist" id="{escape(field.auto_id)}_error">{items}</ul>'
        parts.append(f"<div>{_label_html(field)}{field}{errors}</div>\n")
    return mark_safe("".join(parts))  # noqa: S308 - labels and widgets come escaped from Django, errors above


# (language, page name, app) -> the site's main navigation; a dozen links and translations that are the
# same on every page of a kind, rendered once per process
_NAVS: dict[tuple[str, str, str], str] = {}


@register.simple_tag(takes_context=True)
def main_nav(context: template.Context) -> SafeString:
    """``{% main_nav %}``: ``msmelens/_nav.html`` with the current page marked."""
    match = getattr(context.get("request"), "resolver_match", None)
    key = (get_language() or "", getattr(match, "url_name", "") or "", getattr(match, "app_name", "") or "")
    found = _NAVS.get(key)
    if found is None:
        html = render_to_string("msmelens/_nav.html", {"current": key[1], "app_name": key[2]})
        found = _NAVS[key] = "\n" + html.strip("\n") + "\n"
    return mark_safe(found)  # noqa: S308 - rendered by the template engine, escaped there
