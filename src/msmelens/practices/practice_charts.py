"""Server-side SVG charts for the practice pages: an outcome's values over the years, and counts by evidence
level. Same conventions as :mod:`msmelens.web.charts` (role=img, <title>, <desc>, escaped text, bars with
``class="bar"`` and ``data-value``) and its frame and palette; values here are counts or amounts in the
outcome's own unit, not shares, so the axis is scaled to the largest value.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from msmelens.web import charts


@dataclass(frozen=True, slots=True)
class OutcomeSeries:
    """One indicator measured in several years (years ascending)."""

    indicator: str
    unit: str
    points: list[tuple[int, float]]  # (year, value)
    rows: list[dict[str, Any]]  # the outcomes themselves, same order, for the table under the chart


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        return None
    return float(value)


def outcome_series(outcomes: Sequence[dict[str, Any]]) -> list[OutcomeSeries]:
    """Indicators that have a figure in at least two different years (one value per year: the first given),
    in the order they first appear. Outcomes without a year or a number are left out of the chart (they stay
    in the page's outcomes table)."""
    by_indicator: dict[str, dict[int, dict[str, Any]]] = {}
    for o in outcomes:
        if not isinstance(o, dict):
            continue
        year, value = o.get("year"), _number(o.get("value"))
        if not isinstance(year, int) or value is None:
            continue
        by_indicator.setdefault(str(o.get("indicator") or ""), {}).setdefault(year, o)
    out = []
    for indicator, years in by_indicator.items():
        if len(years) < 2:
            continue
        ordered = [years[y] for y in sorted(years)]
        out.append(
            OutcomeSeries(
                indicator=indicator,
                unit=str(ordered[0].get("unit") or ""),
                points=[(int(o["year"]), float(o["value"])) for o in ordered],
                rows=ordered,
            )
        )
    return out


def _fmt(value: float) -> str:
    if abs(value) >= 1000 or value == int(value):
        return f"{value:,.0f}".replace(",", "\u202f")  # narrow no-break space: readable in every language
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def outcome_chart(series: OutcomeSeries, *, title: str, desc: str) -> str:
    """Columns, one per year, of one indicator's values (axis from 0 to a round maximum; negative values
    drawn as empty columns with their figure printed)."""
    width, height = 560, 240
    left, right, top, bottom = 70, 12, 16, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    top_value = _nice_max(max((v for _, v in series.points), default=0.0))
    _, out = charts._open(width, height, title, desc, "column-chart outcome-chart")
    for tick in (0, 0.25, 0.5, 0.75, 1.0):
        y = top + plot_h * (1 - tick)
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d7dde4"/>')
        out.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end" fill="#4a5561">'
            f"{_fmt(top_value * tick)}</text>"
        )
    n = max(len(series.points), 1)
    slot = plot_w / n
    bar_w = min(60.0, slot * 0.6)
    for i, (year, value) in enumerate(series.points):
        h = plot_h * max(0.0, min(1.0, value / top_value))
        x = left + i * slot + (slot - bar_w) / 2
        out.append(
            f'<rect class="bar" x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
            f'fill="{charts.PALETTE[0]}" data-value="{value:g}">'
            f"<title>{year}: {escape(_fmt(value))} {escape(series.unit)}</title></rect>"
        )
        out.append(
            f'<text x="{x + bar_w / 2:.1f}" y="{top + plot_h - h - 4:.1f}" font-size="11" text-anchor="middle" '
            f'fill="#1d2630">{escape(_fmt(value))}</text>'
        )
        out.append(
            f'<text x="{x + bar_w / 2:.1f}" y="{height - bottom + 16}" font-size="11" text-anchor="middle" '
            f'fill="#4a5561">{year}</text>'
        )
    out.append("</svg>")
    return "".join(out)


def level_chart(labels: Sequence[str], counts: Sequence[int], *, title: str, desc: str) -> str:
    """Horizontal bars: how many records at each evidence level (the count printed at the end of each bar)."""
    left, right, top, row_h = 250, 40, 6, 24
    width = 600
    height = top + row_h * len(labels) + 6
    plot_w = width - left - right
    most = max(max(counts, default=0), 1)
    _, out = charts._open(width, height, title, desc, "bar-chart level-chart")
    for i, (label, count) in enumerate(zip(labels, counts, strict=True)):
        y = top + i * row_h
        w = plot_w * count / most
        out.append(
            f'<text x="{left - 8}" y="{y + row_h / 2 + 4:.1f}" font-size="12" text-anchor="end" '
            f'fill="#1d2630">{escape(str(label))}</text>'
        )
        out.append(
            f'<rect class="bar" x="{left}" y="{y + 4}" width="{w:.1f}" height="{row_h - 8}" '
            f'fill="{charts.PALETTE[0]}" rx="2" data-value="{count}"><title>{escape(str(label))}: {count}</title>'
            f"</rect>"
        )
        out.append(
            f'<text x="{left + w + 4:.1f}" y="{y + row_h / 2 + 4:.1f}" font-size="11" fill="#1d2630">{count}</text>'
        )
    out.append("</svg>")
    return "".join(out)
