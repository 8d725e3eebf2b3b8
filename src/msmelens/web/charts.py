"""Server-rendered SVG charts: small, accessible (role=img, <title>, <desc>), no JavaScript.

Each function returns an SVG string (callers mark it safe); every text is escaped here. Bars carry
``class="bar"`` and ``data-value`` so tests and curious readers can check them against the data table that
each page shows next to the chart.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

_ids = itertools.count(1)

# a share resting on fewer agreements than this is marked (chart and table) and explained in a note
SMALL_N = 5
SMALL_MARK = "*"


def is_small_n(n: int | None) -> bool:
    """True when a share rests on fewer than ``SMALL_N`` agreements (and on at least one)."""
    return n is not None and n < SMALL_N


def _n_text(counts: Sequence[int | None] | None, i: int) -> str:
    """The text after the i-th label's value, " (n = 12)", with the small-n mark when it applies."""
    if counts is None or i >= len(counts) or counts[i] is None:
        return ""
    n = counts[i]
    return f" (n = {n}{SMALL_MARK if is_small_n(n) else ''})"


def _small(counts: Sequence[int | None] | None, i: int) -> bool:
    return counts is not None and i < len(counts) and is_small_n(counts[i])


def _note(text: str, x: float, y: float) -> str:
    return f'<text class="small-n-note" x="{x:.1f}" y="{y:.1f}" font-size="11" fill="#4a5561">{escape(text)}</text>'


PALETTE = ("#1f5f8b", "#d08c2f", "#3d8b5a", "#8b3d6f")
HEAT_LOW = (246, 248, 251)
HEAT_HIGH = (31, 95, 139)


@dataclass(frozen=True, slots=True)
class Series:
    name: str
    values: Sequence[float | None]  # shares 0..1; None = no data


def _pct(value: float) -> str:
    return f"{value * 100:.0f}%"


def _clamp(value: float | None) -> float:
    if value is None or value != value:  # None or NaN
        return 0.0
    return max(0.0, min(1.0, float(value)))


def _open(width: int, height: int, title: str, desc: str, css_class: str) -> tuple[str, list[str]]:
    uid = next(_ids)
    tid, did = f"chart{uid}-title", f"chart{uid}-desc"
    head = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {css_class}" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-labelledby="{tid} {did}" preserveAspectRatio="xMinYMin meet">',
        f'<title id="{tid}">{escape(title)}</title>',
        f'<desc id="{did}">{escape(desc)}</desc>',
    ]
    return tid, head


def _legend(series: Sequence[Series], x: float, y: float) -> list[str]:
    out = ['<g class="legend">']
    lx = x
    for i, s in enumerate(series):
        out.append(f'<rect x="{lx:.1f}" y="{y - 10:.1f}" width="12" height="12" fill="{PALETTE[i % 4]}"/>')
        out.append(f'<text x="{lx + 18:.1f}" y="{y:.1f}" font-size="12">{escape(s.name)}</text>')
        lx += 18 + 7.2 * len(s.name) + 24  # box, label at ~7.2 px a character at 12 px, gap: no overlap
    out.append("</g>")
    return out


def column_chart(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    desc: str,
    height: int = 260,
    counts: Sequence[int | None] | None = None,
    small_note: str = "",
) -> str:
    """Vertical grouped columns of shares (0..1) for each label (e.g. years), with a 0–100 % axis.

    ``counts``: the number of agreements behind each label's shares; it is given in every bar's tooltip and
    a column resting on fewer than ``SMALL_N`` is drawn pale with ``SMALL_MARK`` above it, explained by
    ``small_note`` under the chart (shown when some column is marked)."""
    n = max(len(labels), 1)
    marked = any(_small(counts, i) for i in range(len(labels)))
    left, right, top, bottom = 44, 12, 30, 46 + (18 if marked and small_note else 0)
    width = 720
    group_w = (width - left - right) / n
    plot_h = height - top - bottom
    _, out = _open(width, height, title, desc, "column-chart")
    out += _legend(series, left, 16)
    for tick in (0, 0.25, 0.5, 0.75, 1.0):
        y = top + plot_h * (1 - tick)
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d7dde4"/>')
        out.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end" fill="#4a5561">'
            f"{_pct(tick)}</text>"
        )
    k = max(len(series), 1)
    bar_w = max(2.0, (group_w - 3) / k)
    step = max(1, math.ceil(36 / group_w))  # label every step-th column so labels don't collide
    for i, label in enumerate(labels):
        gx = left + i * group_w + 1.5
        small = _small(counts, i)
        n_attr = f' data-n="{counts[i]}"' if counts is not None and i < len(counts) else ""
        style = (
            ' fill-opacity="0.4" stroke="#4a5561" stroke-dasharray="2 2" stroke-width="0.8"' if small else ""
        )
        small_attr = ' data-small-n="1"' if small else ""
        top_bar = float(plot_h)
        for j, s in enumerate(series):
            value = s.values[i] if i < len(s.values) else None
            v = _clamp(value)
            h = plot_h * v
            top_bar = min(top_bar, plot_h - h)
            out.append(
                f'<rect class="bar"{small_attr} x="{gx + j * bar_w:.1f}" '
                f'y="{top + plot_h - h:.1f}" width="{bar_w:.1f}" height="{h:.1f}" fill="{PALETTE[j % 4]}"'
                f'{style} data-value="{v:.4f}"{n_attr}>'
                f"<title>{escape(str(label))} · {escape(s.name)}: {_pct(v)}{_n_text(counts, i)}</title></rect>"
            )
        if small:
            out.append(
                f'<text class="small-n-mark" x="{gx + group_w / 2:.1f}" y="{top + top_bar - 3:.1f}" '
                f'font-size="12" text-anchor="middle" fill="#1d2630">{SMALL_MARK}</text>'
            )
        if i % step == 0:
            lx = gx + group_w / 2
            out.append(
                f'<text x="{lx:.1f}" y="{top + plot_h + 16}" font-size="11" text-anchor="middle" '
                f'fill="#4a5561">{escape(str(label))}</text>'
            )
    if marked and small_note:
        out.append(_note(f"{SMALL_MARK} {small_note}", left, height - 8))
    out.append("</svg>")
    return "".join(out)


def bar_chart(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    desc: str,
    links: Sequence[str | None] | None = None,
    counts: Sequence[int | None] | None = None,
    small_note: str = "",
) -> str:
    """Horizontal bars (one row per label, one bar per series) of shares 0..1, value printed at the end.

    ``counts``: the number of agreements behind each label's shares, printed after the value ("45% (n = 12)");
    a bar resting on fewer than ``SMALL_N`` is drawn pale and marked ``SMALL_MARK``, explained by
    ``small_note`` under the chart (shown when some bar is marked)."""
    marked = any(_small(counts, i) for i in range(len(labels)))
    # room for the longest label at 12px (about 6.6px a character): French and Spanish names are longer
    longest = max((len(str(label)) for label in labels), default=0)
    left, right, top = max(190, min(320, int(longest * 6.6) + 16)), 56, 30 if len(series) > 1 else 8
    width = 640
    k = max(len(series), 1)
    bar_h = 14
    row_h = k * bar_h + 10
    height = top + row_h * len(labels) + 8 + (18 if marked and small_note else 0)
    plot_w = width - left - right - (70 if counts is not None else 0)  # room for "(n = 123*)"
    _, out = _open(width, height, title, desc, "bar-chart")
    if len(series) > 1:
        out += _legend(series, left, 16)
    for i, label in enumerate(labels):
        y0 = top + i * row_h
        text = (
            f'<text x="{left - 8}" y="{y0 + row_h / 2 + 2:.1f}" font-size="12" text-anchor="end" '
            f'fill="#1d2630">{escape(str(label))}</text>'
        )
        link = links[i] if links and i < len(links) else None
        out.append(f'<a href="{escape(link)}">{text}</a>' if link else text)
        out.append(
            f'<rect x="{left}" y="{y0 + 4}" width="{plot_w}" height="{row_h - 8}" fill="#f1f4f7" rx="2"/>'
        )
        small = _small(counts, i)
        n_attr = f' data-n="{counts[i]}"' if counts is not None and i < len(counts) else ""
        style = (
            ' fill-opacity="0.4" stroke="#4a5561" stroke-dasharray="2 2" stroke-width="0.8"' if small else ""
        )
        small_attr = ' data-small-n="1"' if small else ""
        for j, s in enumerate(series):
            value = s.values[i] if i < len(s.values) else None
            v = _clamp(value)
            y = y0 + 5 + j * bar_h
            out.append(
                f'<rect class="bar"{small_attr} x="{left}" y="{y}" width="{plot_w * v:.1f}" '
                f'height="{bar_h - 2}" fill="{PALETTE[j % 4]}"{style} rx="2" data-value="{v:.4f}"{n_attr}>'
                f"<title>{escape(str(label))} · {escape(s.name)}: {_pct(v)}{_n_text(counts, i)}</title></rect>"
            )
            out.append(
                f'<text x="{left + plot_w * v + 4:.1f}" y="{y + bar_h - 4}" font-size="11" '
                f'fill="#1d2630">{_pct(v)}{escape(_n_text(counts, i))}</text>'
            )
    if marked and small_note:
        out.append(_note(f"{SMALL_MARK} {small_note}", left, height - 6))
    out.append("</svg>")
    return "".join(out)


def _heat(v: float) -> str:
    rgb = [round(lo + (hi - lo) * v) for lo, hi in zip(HEAT_LOW, HEAT_HIGH, strict=True)]
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def heatmap(
    row_labels: Sequence[str],
    col_labels: Sequence[str],
    values: Sequence[Sequence[float | None]],
    *,
    title: str,
    desc: str,
    row_links: Sequence[str | None] | None = None,
) -> str:
    """A rows × columns grid of shares 0..1 (e.g. agreement × category), darker = higher."""
    left, top, cell_w, cell_h = 230, 120, 52, 24
    width = left + cell_w * max(len(col_labels), 1) + 90  # room for the slanted column labels
    height = top + cell_h * len(row_labels) + 10
    _, out = _open(width, height, title, desc, "heatmap")
    out.append('<g font-size="10" text-anchor="middle">')
    for j, label in enumerate(col_labels):
        x = left + j * cell_w + cell_w / 2
        out.append(
            f'<text x="{x:.1f}" y="{top - 8}" font-size="11" fill="#1d2630" text-anchor="start" '
            f'transform="rotate(-40 {x:.1f} {top - 8})">{escape(str(label))}</text>'
        )
    for i, label in enumerate(row_labels):
        y = top + i * cell_h
        short = str(label) if len(str(label)) <= 34 else str(label)[:33] + "…"
        text = (
            f'<text x="{left - 8}" y="{y + cell_h / 2 + 4:.1f}" font-size="11" text-anchor="end" '
            f'fill="#1d2630">{escape(short)}<title>{escape(str(label))}</title></text>'
        )
        link = row_links[i] if row_links and i < len(row_links) else None
        out.append(
            f'<g class="row"><a href="{escape(link)}">{text}</a>' if link else f'<g class="row">{text}'
        )
        row = values[i] if i < len(values) else []
        for j in range(len(col_labels)):
            raw = row[j] if j < len(row) else None
            v = _clamp(raw)
            fill = "#ffffff" if raw is None else _heat(v)
            ink = "#ffffff" if v > 0.55 else "#1d2630"
            x = left + j * cell_w
            out.append(
                f'<rect class="cell" x="{x}" y="{y}" width="{cell_w - 2}" height="{cell_h - 2}" fill="{fill}" '
                f'data-value="{v:.4f}"/><text x="{x + cell_w // 2 - 1}" y="{y + cell_h // 2 + 3}" '
                f'fill="{ink}">{_pct(v)}</text>'
            )
        out.append("</g>")
    out.append("</g></svg>")
    return "".join(out)
