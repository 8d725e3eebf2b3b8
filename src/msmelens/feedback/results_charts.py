"""SVG charts of published survey results: shares with their 95% intervals, a group × category grid, and the
change between two waves. Rendered on the server, no JavaScript, accessible (role=img, <title>, <desc>).

The charts draw only what they are given, and the results pages give them only the published figures
(``Cell.to_dict()`` and friends), so a suppressed cell arrives here without any figure: it is drawn as an
empty, dashed slot labelled "not shown (too few answers)", never as a bar or a number. Every text is escaped
here; callers mark the returned string safe. Labels are passed in already translated.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from django.utils.translation import gettext as _

from msmelens.web.charts import _clamp, _open, _pct

BAR = "#1f5f8b"
BAR_FLAGGED = "#8fb3cc"  # a lighter bar: shown, but "interpret with caution"
WHISKER = "#1d2630"
GRID = "#d7dde4"
MUTED = "#4a5561"
EMPTY = "#f1f4f7"
UP, DOWN, FLAT = "#b5561d", "#3d8b5a", "#6b7785"


@dataclass(frozen=True, slots=True)
class Bar:
    """One row of a chart: a label and a published figure (all None when the cell is suppressed)."""

    key: str  # category key or group value, written to data-key for tests and readers
    label: str
    status: str  # shown, flagged, suppressed
    value: float | None = None  # 0..1 (a share) or -1..1 (a difference)
    low: float | None = None
    high: float | None = None
    note: str = ""  # for changes: "clearly up" ... in words
    tone: str = ""  # for changes: the direction key (clearly_up, clearly_down, no_clear_change)
    link: str | None = None


def _not_shown() -> str:
    return _("not shown (too few answers)")


def _caution() -> str:
    return _("interpret with caution")


def _row_label(x: float, y: float, bar: Bar, extra: str = "") -> str:
    text = (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="13" fill="#1d2630">{escape(bar.label)}'
        + (f'<tspan font-size="11.5" fill="{MUTED}" font-style="italic"> · {escape(extra)}</tspan>' if extra else "")
        + "</text>"
    )
    return f'<a href="{escape(bar.link)}">{text}</a>' if bar.link else text


def _whisker(x1: float, x2: float, y: float) -> str:
    return (
        f'<g class="whisker" stroke="{WHISKER}" stroke-width="1.5">'
        f'<line x1="{x1:.1f}" x2="{x2:.1f}" y1="{y:.1f}" y2="{y:.1f}"/>'
        f'<line x1="{x1:.1f}" x2="{x1:.1f}" y1="{y - 5:.1f}" y2="{y + 5:.1f}"/>'
        f'<line x1="{x2:.1f}" x2="{x2:.1f}" y1="{y - 5:.1f}" y2="{y + 5:.1f}"/></g>'
    )


def _empty_slot(x: float, y: float, w: float, h: float) -> str:
    return (
        f'<rect class="not-shown" x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" fill="#fff" '
        f'stroke="#8a96a3" stroke-dasharray="4 3" rx="2"/>'
        f'<text x="{x + 8:.1f}" y="{y + h / 2 + 4:.1f}" font-size="12" fill="{MUTED}">{escape(_not_shown())}</text>'
    )


def interval_bars(bars: Sequence[Bar], *, title: str, desc: str, css_class: str = "interval-bars") -> str:
    """Horizontal bars of shares (0..1) with their 95% interval drawn as a whisker, label above each bar so
    long names fit on a phone. Suppressed rows get an empty dashed slot and no number; flagged rows a lighter
    bar and the words "interpret with caution"."""
    width, left, right, top = 360, 4, 40, 24
    row_h, bar_h = 44, 15
    plot_w = width - left - right
    height = top + row_h * len(bars) + 6
    _, out = _open(width, height, title, desc, f"results-chart {css_class}")
    for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
        x = left + plot_w * tick
        out.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top - 4}" y2="{height - 4}" stroke="{GRID}"/>')
        anchor = "start" if tick == 0 else "end" if tick == 1 else "middle"
        out.append(
            f'<text x="{x:.1f}" y="{top - 10}" font-size="11" text-anchor="{anchor}" fill="{MUTED}">'
            f"{_pct(tick)}</text>"
        )
    for i, bar in enumerate(bars):
        y0 = top + i * row_h
        by = y0 + 22
        hidden = bar.status == "suppressed" or bar.value is None
        extra = "" if hidden or bar.status != "flagged" else _caution()
        out.append(f'<g class="row {escape(bar.status)}" data-key="{escape(bar.key)}">')
        out.append(_row_label(left, y0 + 15, bar, extra))
        if hidden:
            out.append(_empty_slot(left, by, plot_w, bar_h))
            out.append("</g>")
            continue
        v = _clamp(bar.value)
        fill = BAR_FLAGGED if bar.status == "flagged" else BAR
        out.append(
            f'<rect class="bar" x="{left}" y="{by}" width="{plot_w * v:.1f}" height="{bar_h}" fill="{fill}" '
            f'rx="2" data-value="{v:.4f}"><title>{escape(bar.label)}: {_pct(v)}</title></rect>'
        )
        end = v
        if bar.low is not None and bar.high is not None:
            lo, hi = _clamp(bar.low), _clamp(bar.high)
            out.append(_whisker(left + plot_w * lo, left + plot_w * hi, by + bar_h / 2))
            end = max(end, hi)
        out.append(
            f'<text class="value" x="{left + plot_w * end + 5:.1f}" y="{by + bar_h - 3}" font-size="12" '
            f'fill="#1d2630">{_pct(v)}</text>'
        )
        out.append("</g>")
    out.append("</svg>")
    return "".join(out)


def group_grid(
    row_labels: Sequence[str],
    row_keys: Sequence[str],
    col_labels: Sequence[str],
    cells: Sequence[Sequence[Bar | None]],
    *,
    title: str,
    desc: str,
    row_links: Sequence[str | None] | None = None,
) -> str:
    """A compact groups × categories grid of shares: darker = more firms rating it a major obstacle. A
    suppressed cell is hatched grey with a dash and no number; a flagged one carries an asterisk."""
    left, top, cell_w, cell_h = 164, 112, 44, 26
    width = left + cell_w * max(len(col_labels), 1) + 70  # room for the slanted column labels
    height = top + cell_h * len(row_labels) + 8
    _, out = _open(width, height, title, desc, "results-chart group-grid")
    out.append(
        '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#f1f4f7"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#c9d1da" stroke-width="2"/></pattern></defs>'
    )
    for j, label in enumerate(col_labels):
        x = left + j * cell_w + cell_w / 2
        out.append(
            f'<text x="{x:.1f}" y="{top - 8}" font-size="11" fill="#1d2630" '
            f'transform="rotate(-40 {x:.1f} {top - 8})">{escape(label)}</text>'
        )
    for i, label in enumerate(row_labels):
        y = top + i * cell_h
        short = label if len(label) <= 23 else label[:22] + "…"
        text = (
            f'<text x="{left - 6}" y="{y + cell_h / 2 + 4:.1f}" font-size="11.5" text-anchor="end" '
            f'fill="#1d2630">{escape(short)}<title>{escape(label)}</title></text>'
        )
        link = row_links[i] if row_links and i < len(row_links) else None
        out.append(f'<g class="row" data-key="{escape(row_keys[i])}">')
        out.append(f'<a href="{escape(link)}">{text}</a>' if link else text)
        row = cells[i] if i < len(cells) else []
        for j in range(len(col_labels)):
            bar = row[j] if j < len(row) else None
            x = left + j * cell_w
            if bar is None or bar.status == "suppressed" or bar.value is None:
                out.append(
                    f'<rect class="cell not-shown" x="{x}" y="{y}" width="{cell_w - 2}" height="{cell_h - 2}" '
                    f'fill="url(#hatch)"><title>{escape(_not_shown())}</title></rect>'
                    f'<text x="{x + cell_w / 2 - 1:.1f}" y="{y + cell_h / 2 + 3:.1f}" font-size="11" '
                    f'text-anchor="middle" fill="{MUTED}">–</text>'
                )
                continue
            v = _clamp(bar.value)
            shade = [round(lo + (hi - lo) * v) for lo, hi in zip((246, 248, 251), (31, 95, 139), strict=True)]
            fill = "#{:02x}{:02x}{:02x}".format(*shade)
            ink = "#ffffff" if v > 0.55 else "#1d2630"
            mark = "*" if bar.status == "flagged" else ""
            tip = f"{label} · {col_labels[j]}: {_pct(v)}" + (f" ({_caution()})" if mark else "")
            out.append(
                f'<rect class="cell" x="{x}" y="{y}" width="{cell_w - 2}" height="{cell_h - 2}" fill="{fill}" '
                f'data-value="{v:.4f}"><title>{escape(tip)}</title></rect>'
                f'<text x="{x + cell_w / 2 - 1:.1f}" y="{y + cell_h / 2 + 3:.1f}" font-size="11" '
                f'text-anchor="middle" fill="{ink}">{_pct(v)}{mark}</text>'
            )
        out.append("</g>")
    out.append("</svg>")
    return "".join(out)


def points(value: float) -> str:
    """0.052 → "+5 pts" (a difference of shares in percentage points, in the page's language)."""
    return _("%(value)s pts") % {"value": f"{value * 100:+.0f}".replace("+0", "0").replace("-0", "0")}


def change_bars(bars: Sequence[Bar], *, title: str, desc: str) -> str:
    """Differences between two waves (in share points) as bars from a zero line, each with its 95% interval
    and the plain-words verdict (clearly up, clearly down, no clear change). Suppressed rows: an empty slot."""
    width, left, right, top = 360, 4, 4, 24
    row_h, bar_h = 44, 15
    plot_w = width - left - right
    height = top + row_h * len(bars) + 6
    reach = 0.1
    for bar in bars:
        for v in (bar.value, bar.low, bar.high):
            if v is not None and bar.status != "suppressed":
                reach = max(reach, abs(v))
    reach = min(1.0, (int(reach * 10) + 1) / 10)  # round up to the next 10 points: ticks every 5 or more

    def xpos(v: float) -> float:
        return left + plot_w * (max(-reach, min(reach, v)) + reach) / (2 * reach)

    _, out = _open(width, height, title, desc, "results-chart change-bars")
    for tick in (-reach, -reach / 2, 0.0, reach / 2, reach):
        x = xpos(tick)
        out.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top - 4}" y2="{height - 4}" '
            f'stroke="{"#8a96a3" if tick == 0 else GRID}"/>'
        )
        anchor = "start" if tick == -reach else "end" if tick == reach else "middle"
        out.append(
            f'<text x="{x:.1f}" y="{top - 10}" font-size="11" text-anchor="{anchor}" fill="{MUTED}">'
            f"{escape(points(tick))}</text>"
        )
    colours = {"clearly_up": UP, "clearly_down": DOWN}
    for i, bar in enumerate(bars):
        y0 = top + i * row_h
        by = y0 + 22
        hidden = bar.status == "suppressed" or bar.value is None
        out.append(f'<g class="row {escape(bar.status)}" data-key="{escape(bar.key)}">')
        out.append(_row_label(left, y0 + 15, bar, "" if hidden else bar.note))
        if hidden:
            out.append(_empty_slot(left, by, plot_w, bar_h))
            out.append("</g>")
            continue
        assert bar.value is not None
        x0, x1 = sorted((xpos(0.0), xpos(bar.value)))
        fill = colours.get(bar.tone, FLAT)
        out.append(
            f'<rect class="bar" x="{x0:.1f}" y="{by}" width="{max(x1 - x0, 1.5):.1f}" height="{bar_h}" '
            f'fill="{fill}" rx="2" data-value="{bar.value:.4f}"><title>{escape(bar.label)}: '
            f"{escape(points(bar.value))}</title></rect>"
        )
        if bar.low is not None and bar.high is not None:
            out.append(_whisker(xpos(bar.low), xpos(bar.high), by + bar_h / 2))
        text_x = xpos(bar.high if bar.high is not None else bar.value) + 5
        anchor = "start"
        if text_x > width - 46:
            text_x, anchor = xpos(bar.low if bar.low is not None else bar.value) - 5, "end"
        out.append(
            f'<text class="value" x="{text_x:.1f}" y="{by + bar_h - 3}" font-size="12" text-anchor="{anchor}" '
            f'fill="#1d2630">{escape(points(bar.value))}</text>'
        )
        out.append("</g>")
    out.append("</svg>")
    return "".join(out)
