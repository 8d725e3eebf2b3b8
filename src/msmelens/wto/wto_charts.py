"""SVG chart for the Beyond-the-WTO pages: regional agreements going beyond the WTO, by year of signature.

Same conventions as :mod:`msmelens.web.charts` (role=img, <title>, <desc>, escaped text, bars with
``class="bar"`` and ``data-value``); values are counts of agreements, so the axis is scaled to the largest
count and every column prints its n.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from html import escape

from msmelens.web.charts import PALETTE

_ids = itertools.count(1)


def year_counts_chart(
    years: Sequence[int | None], counts: Sequence[int], *, title: str, desc: str, unknown_label: str = "?"
) -> str:
    """Vertical columns, one per year (``None``: year not known), each labelled with its count."""
    uid = next(_ids)
    n = max(len(years), 1)
    width, height = 720, 240
    left, right, top, bottom = 40, 12, 24, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max([*counts, 1])
    col_w = plot_w / n
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart year-count-chart" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-labelledby="wtoy{uid}-t wtoy{uid}-d" preserveAspectRatio="xMinYMin meet">',
        f'<title id="wtoy{uid}-t">{escape(title)}</title>',
        f'<desc id="wtoy{uid}-d">{escape(desc)}</desc>',
        f'<line x1="{left}" x2="{width - right}" y1="{top + plot_h}" y2="{top + plot_h}" stroke="#d7dde4"/>',
        f'<text x="{left - 6}" y="{top + 4}" font-size="11" text-anchor="end" fill="#4a5561">{peak}</text>',
        f'<text x="{left - 6}" y="{top + plot_h + 4}" font-size="11" text-anchor="end" fill="#4a5561">0</text>',
    ]
    step = max(1, math.ceil(36 / col_w))  # label every step-th column so labels do not collide
    for i, (year, count) in enumerate(zip(years, counts, strict=True)):
        label = unknown_label if year is None else str(year)
        h = plot_h * count / peak
        x = left + i * col_w + 1
        w = max(2.0, col_w - 2)
        out.append(
            f'<rect class="bar" x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{w:.1f}" height="{h:.1f}" '
            f'fill="{PALETTE[0]}" data-value="{count}"><title>{escape(label)}: {count}</title></rect>'
        )
        if col_w >= 14:
            out.append(
                f'<text x="{x + w / 2:.1f}" y="{top + plot_h - h - 3:.1f}" font-size="10" text-anchor="middle" '
                f'fill="#1d2630">{count}</text>'
            )
        if i % step == 0:
            out.append(
                f'<text x="{x + w / 2:.1f}" y="{height - bottom + 16}" font-size="11" text-anchor="middle" '
                f'fill="#4a5561">{escape(label)}</text>'
            )
    out.append("</svg>")
    return "".join(out)
