"""The country brief as a PDF (ReportLab): the same content as the web page, laid out for print.

Takes a :class:`msmelens.practices.brief.Brief` (plain data) and returns PDF bytes. Text is set in Bitstream
Vera, the TrueType family shipped with ReportLab, embedded (subset) in the file so that French and Spanish
accents print the same everywhere. Charts are drawn with ``reportlab.graphics``: a bar chart of MSME coverage
by category, and, when survey figures exist, the obstacle ranking with 95% intervals (a suppressed figure is
an empty dashed slot without a number). Every page carries the brief's title, the date and "page n of m";
the last section lists the data sources. Headings and labels follow the brief's language.
"""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from msmelens.practices.brief import COVERED_SOFTLY, RANKED_HIGH, Brief, PracticeItem

FONT, FONT_BOLD, FONT_ITALIC = "MsmeVera", "MsmeVera-Bold", "MsmeVera-Italic"
ACCENT = colors.HexColor("#1f5f8b")
ACCENT_LIGHT = colors.HexColor("#8fb3cc")
INK = colors.HexColor("#1d2630")
MUTED = colors.HexColor("#4a5561")
LINE = colors.HexColor("#d7dde4")
SHADE = colors.HexColor("#eef2f6")
CONTENT_WIDTH = A4[0] - 36 * mm


def _register_fonts() -> None:
    """Register the embedded TrueType fonts once per process (ReportLab keeps a global registry)."""
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    pdfmetrics.registerFont(TTFont(FONT, "Vera.ttf"))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, "VeraBd.ttf"))
    pdfmetrics.registerFont(TTFont(FONT_ITALIC, "VeraIt.ttf"))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD)


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13, textColor=INK, alignment=TA_LEFT)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10.5, textColor=MUTED),
        "title": ParagraphStyle("title", parent=base, fontName=FONT_BOLD, fontSize=18, leading=22, spaceAfter=6),
        "h2": ParagraphStyle(
            "h2", parent=base, fontName=FONT_BOLD, fontSize=13, leading=16, spaceBefore=12, spaceAfter=6,
            textColor=ACCENT,
        ),
        "h3": ParagraphStyle("h3", parent=base, fontName=FONT_BOLD, fontSize=10.5, leading=13, spaceBefore=6,
                             spaceAfter=2),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.5, leading=10.5),
    }


def _p(text: Any, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(str(text)), style)


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.0f}%"


class _NumberedCanvas(pdfcanvas.Canvas):
    """A canvas that writes "page n of m", the brief's title and date on every page once all pages are known."""

    header = ""
    footer = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 - ReportLab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._decorate(total)
            super().showPage()
        super().save()

    def _decorate(self, total: int) -> None:
        width, _height = A4
        self.setFont(FONT, 7.5)
        self.setFillColor(MUTED)
        self.drawString(18 * mm, 10 * mm, self.footer)
        with translation.override(self._language):
            label = _("Page %(page)s of %(total)s") % {"page": self._pageNumber, "total": total}
        self.drawRightString(width - 18 * mm, 10 * mm, label)
        self.drawString(18 * mm, A4[1] - 10 * mm, self.header)
        self.setStrokeColor(LINE)
        self.line(18 * mm, A4[1] - 12 * mm, width - 18 * mm, A4[1] - 12 * mm)

    _language = "en"


def _canvas_for(brief: Brief, header: str, footer: str) -> type[_NumberedCanvas]:
    return type("BriefCanvas", (_NumberedCanvas,), {"header": header, "footer": footer, "_language": brief.language})


def coverage_drawing(brief: Brief) -> Drawing:
    """Horizontal bars: the best coverage (0–100%) of each category among the country's agreements."""
    labels = [c.label for c in brief.coverage]
    values = [round(c.best * 100, 1) for c in brief.coverage]
    height = 22 * len(labels) + 30
    drawing = Drawing(CONTENT_WIDTH, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = 150, 20
    chart.width, chart.height = CONTENT_WIDTH - 190, height - 30
    chart.data = [list(reversed(values))]
    chart.categoryAxis.categoryNames = list(reversed(labels))
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 8
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 25
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7.5
    chart.valueAxis.labelTextFormat = "%d%%"
    chart.bars[0].fillColor = ACCENT
    chart.bars[0].strokeColor = None
    chart.barLabelFormat = "%.0f%%"
    chart.barLabels.fontName = FONT
    chart.barLabels.fontSize = 7.5
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    drawing.add(chart)
    return drawing


def obstacle_drawing(brief: Brief) -> Drawing:
    """The obstacle ranking: one bar per category with its 95% interval as a whisker; a suppressed figure is
    an empty dashed slot labelled "not enough answers", with no number."""
    left, right, row_h, bar_h, top = 150, 40, 20, 10, 16
    plot_w = CONTENT_WIDTH - left - right
    height = top + row_h * len(brief.obstacles) + 6
    d = Drawing(CONTENT_WIDTH, height)
    for tick in (0, 0.25, 0.5, 0.75, 1.0):
        x = left + plot_w * tick
        d.add(Line(x, 4, x, height - top + 4, strokeColor=LINE, strokeWidth=0.5))
        d.add(String(x, height - 10, _pct(tick), fontName=FONT, fontSize=7, fillColor=MUTED, textAnchor="middle"))
    for i, o in enumerate(brief.obstacles):
        y = height - top - (i + 1) * row_h + (row_h - bar_h) / 2
        d.add(String(left - 6, y + 2, o.label, fontName=FONT, fontSize=8, fillColor=INK, textAnchor="end"))
        if not o.published:
            d.add(Rect(left, y, plot_w, bar_h, fillColor=colors.white, strokeColor=MUTED, strokeWidth=0.5,
                       strokeDashArray=[3, 2]))
            d.add(String(left + 6, y + 2.5, _("not enough answers"), fontName=FONT_ITALIC, fontSize=7.5,
                         fillColor=MUTED))
            continue
        share = max(0.0, min(1.0, float(o.share_major or 0.0)))
        fill = ACCENT_LIGHT if o.status == "flagged" else ACCENT
        d.add(Rect(left, y, plot_w * share, bar_h, fillColor=fill, strokeColor=None))
        end = share
        if o.ci is not None:
            lo, hi = (max(0.0, min(1.0, float(v))) for v in o.ci)
            mid = y + bar_h / 2
            d.add(Line(left + plot_w * lo, mid, left + plot_w * hi, mid, strokeColor=INK, strokeWidth=0.8))
            for x in (lo, hi):
                d.add(Line(left + plot_w * x, mid - 3, left + plot_w * x, mid + 3, strokeColor=INK, strokeWidth=0.8))
            end = max(end, hi)
        d.add(String(left + plot_w * end + 4, y + 2, _pct(share), fontName=FONT, fontSize=7.5, fillColor=INK))
    return d


_CELL = ParagraphStyle("cell", fontName=FONT, fontSize=8.5, leading=10)
_HEAD_CELL = ParagraphStyle("head-cell", parent=_CELL, fontName=FONT_BOLD)


def _table(rows: list[list[Any]], widths: list[float]) -> Table:
    """A table whose text cells wrap within their column (long French and Spanish headings overlapped)."""
    wrapped = [
        [Paragraph(escape(cell), _HEAD_CELL if i == 0 else _CELL) if isinstance(cell, str) else cell for cell in row]
        for i, row in enumerate(rows)
    ]
    table = Table(wrapped, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("FONTSIZE", (0, 0), (-1, -1), 8.5),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, LINE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]))
    return table


def _level_word(level: str) -> str:
    return {"binding": _("Binding"), "soft": _("Soft only")}.get(level, _("Not covered"))


def _agreements_section(brief: Brief, st: dict[str, ParagraphStyle]) -> list[Any]:
    out: list[Any] = [_p(_("1. Agreements and their MSME coverage"), st["h2"])]
    if not brief.has_agreements:
        out.append(_p(_("No stored trade agreement has this country as a party, so its coverage of small firms' "
                        "obstacles cannot be shown."), st["body"]))
        return out
    out.append(coverage_drawing(brief))
    rows: list[list[Any]] = [[_p(_("Category"), st["cell"]), _("Best coverage"), _("Agreements covering it"),
                              _("Strongest commitment")]]
    rows += [[_p(c.label, st["cell"]), _pct(c.best), str(c.n_agreements), _level_word(c.level)]
             for c in brief.coverage]
    out.append(_table(rows, [CONTENT_WIDTH * f for f in (0.4, 0.17, 0.2, 0.23)]))
    out.append(Spacer(1, 6))
    rows = [[_p(_("Agreement"), st["cell"]), _("Year"), _("Overall")]]
    rows += [[_p(a.name, st["cell"]), str(a.year or "—"), _pct(a.coverage_overall)] for a in brief.agreements]
    out.append(_table(rows, [CONTENT_WIDTH * f for f in (0.7, 0.12, 0.18)]))
    return out


def _obstacles_section(brief: Brief, st: dict[str, ParagraphStyle]) -> list[Any]:
    out: list[Any] = [_p(_("2. Obstacles its firms report"), st["h2"])]
    if not brief.has_feedback:
        out.append(_p(_("No survey answers from this country's firms have been published yet."), st["body"]))
        return out
    out.append(_p(_("Share of firms calling each obstacle major or very severe in the survey “%(survey)s”, with "
                    "its 95%% interval.") % {"survey": brief.survey_title}, st["body"]))
    out.append(obstacle_drawing(brief))
    rows: list[list[Any]] = [[_p(_("Obstacle"), st["cell"]), _("Major or very severe"), _("95%% interval") % {},
                              _("Answers")]]
    for o in brief.obstacles:
        if o.published:
            ci = f"{_pct(o.ci[0])}–{_pct(o.ci[1])}" if o.ci else ""
            share = _pct(o.share_major) + (" *" if o.status == "flagged" else "")
            rows.append([_p(o.label, st["cell"]), share, ci, str(o.n or "")])
        else:
            rows.append([_p(o.label, st["cell"]), _("Not enough answers"), "", ""])
    out.append(_table(rows, [CONTENT_WIDTH * f for f in (0.4, 0.22, 0.22, 0.16)]))
    if any(o.status == "flagged" for o in brief.obstacles):
        out.append(_p("* " + _("interpret with caution"), st["small"]))
    return out


def _practice_block(p: PracticeItem, st: dict[str, ParagraphStyle]) -> list[Any]:
    years = f"{p.start_year}–{p.end_year or ''}" if p.start_year else _("Years not known")
    title = p.title + ("" if p.is_translated else f" ({_('original language')})")
    out: list[Any] = [
        _p(title, st["h3"]),
        _p(f"{years} · {p.instrument_label} · {p.evidence_label}", st["small"]),
        _p(p.summary, st["body"]),
    ]
    if p.outcomes:
        rows: list[list[Any]] = [[_p(_("Outcome"), st["cell"]), _("Value"), _("Year"), _("How it was measured")]]
        for o in p.outcomes:
            value = "—" if o.get("value") is None else f"{o.get('value')} {o.get('unit') or ''}"
            rows.append([_p(o.get("indicator") or "", st["cell"]), _p(value, st["cell"]), str(o.get("year") or "—"),
                         _p(o.get("design_label") or o.get("design") or "—", st["cell"])])
        out.append(_table(rows, [CONTENT_WIDTH * f for f in (0.44, 0.28, 0.1, 0.18)]))
    else:
        out.append(_p(_("No measured outcome is recorded."), st["small"]))
    return [KeepTogether(out[:3]), *out[3:]]


def _practices_section(brief: Brief, st: dict[str, ParagraphStyle]) -> list[Any]:
    out: list[Any] = [_p(_("3. Its practices and their outcomes"), st["h2"])]
    if not brief.practices:
        out.append(_p(_("The library holds no practice from this country yet."), st["body"]))
    for p in brief.practices:
        out += _practice_block(p, st)
    return out


def _gaps_section(brief: Brief, st: dict[str, ParagraphStyle]) -> list[Any]:
    out: list[Any] = [_p(_("4. Gaps, and what worked elsewhere"), st["h2"]), _p(brief.gap_rule, st["small"])]
    if not brief.gaps:
        out.append(_p(_("No gap found by this rule."), st["body"]))
    for g in brief.gaps:
        block: list[Any] = [_p(g.label, st["h3"])]
        for r in g.reasons:
            if r == RANKED_HIGH:
                text = _("Its firms rank it high: %(share)s call it a major or very severe obstacle.") % {
                    "share": _pct(g.share_major)}
            elif r == COVERED_SOFTLY:
                text = _("Its agreements cover it only softly: no binding provision.")
            else:
                text = _("Its agreements do not cover it.")
            block.append(_p("• " + text, st["body"]))
        if g.elsewhere:
            block.append(_p(_("Practices from elsewhere that addressed it:"), st["body"]))
            for p in g.elsewhere:
                where = ", ".join(p.country_names) or _("global")
                block.append(_p(f"– {p.title} ({where}) · {p.evidence_label}", st["body"]))
        else:
            block.append(_p(_("The library holds no practice from elsewhere for this category yet."), st["small"]))
        out.append(KeepTogether(block))
    return out


def render_brief_pdf(brief: Brief) -> bytes:
    """The brief as PDF bytes, in the brief's language (A4, embedded fonts, charts, page numbers, sources)."""
    _register_fonts()
    with translation.override(brief.language):
        st = _styles()
        title = _("Country brief: %(country)s") % {"country": brief.name}
        day = date_format(brief.generated, "DATE_FORMAT")
        story: list[Any] = [
            _p(title, st["title"]),
            _p(_("Prepared on %(date)s.") % {"date": day}, st["small"]),
            Spacer(1, 4),
            _p(_("The country's trade agreements and how far they cover small firms' obstacles, the obstacles its "
                 "firms report, its practices, and the gaps, with practices from elsewhere that addressed them."),
               st["body"]),
        ]
        story += _agreements_section(brief, st)
        story += _obstacles_section(brief, st)
        story += _practices_section(brief, st)
        story += _gaps_section(brief, st)
        story.append(_p(_("Sources"), st["h2"]))
        story += [_p("• " + s, st["body"]) for s in brief.sources]
        footer = "MSME Lens · " + _("Prepared on %(date)s.") % {"date": day}
        buffer = io.BytesIO()
        doc = SimpleDocTemplate(
            buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=18 * mm, bottomMargin=18 * mm,
            title=title, author="MSME Lens", lang=brief.language,
        )
        doc.build(story, canvasmaker=_canvas_for(brief, title, footer))
    return buffer.getvalue()
