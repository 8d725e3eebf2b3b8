"""SVG charts and evidence highlighting: valid XML, one bar per data point, every text escaped."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.utils import translation

from msmelens.agreements.templatetags.msmelens_tags import highlight_evidence, merge_spans
from msmelens.web import charts

SVG = "{http://www.w3.org/2000/svg}"


def _bars(svg: str, cls: str = "bar") -> list[ET.Element]:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.text and desc is not None and desc.text
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    return [r for r in root.iter(f"{SVG}rect") if r.get("class") == cls]


def test_column_chart_has_one_bar_per_point_and_series():
    years = [str(y) for y in range(1990, 2021)]
    explicit = [i / 40 for i in range(len(years))]
    implicit = [None if i % 7 == 0 else 0.5 for i in range(len(years))]
    svg = charts.column_chart(
        years, [charts.Series("Explicit", explicit), charts.Series("Implicit", implicit)], title="T", desc="D"
    )
    bars = _bars(svg)
    assert len(bars) == 2 * len(years)
    values = [float(b.get("data-value")) for b in bars]
    assert values[0::2] == pytest.approx(explicit, abs=1e-4)
    assert values[1::2] == pytest.approx([0.0 if v is None else v for v in implicit], abs=1e-4)
    heights = [float(b.get("height")) for b in bars[0::2]]
    assert heights == sorted(heights) and heights[0] == 0.0 and heights[-1] > 0


def test_bar_chart_clamps_values_and_prints_percentages():
    svg = charts.bar_chart(["a", "b", "c"], [charts.Series("s", [0.25, 1.7, -3])], title="T", desc="D")
    bars = _bars(svg)
    assert [float(b.get("data-value")) for b in bars] == [0.25, 1.0, 0.0]
    assert "25%" in svg and "100%" in svg


def test_chart_texts_are_escaped():
    nasty = '<script>alert("x")</script> & Co'
    svg = charts.bar_chart(
        [nasty], [charts.Series(nasty, [0.5])], title=nasty, desc=nasty, links=['/x?a=1&b="2"']
    )
    root = ET.fromstring(svg)  # would raise if anything were unescaped
    assert "<script>" not in svg
    assert root.find(f"{SVG}title").text == nasty
    heat = charts.heatmap([nasty], [nasty], [[0.3]], title=nasty, desc=nasty, row_links=["/a&b"])
    assert len(_bars(heat, "cell")) == 1
    col = charts.column_chart([nasty], [charts.Series(nasty, [0.1])], title=nasty, desc=nasty)
    assert len(_bars(col)) == 1


def test_heatmap_rows_times_columns():
    rows = ["A", "B", "C"]
    cols = ["x", "y"]
    values = [[0.0, 1.0], [0.5, None], [0.2, 0.3]]
    svg = charts.heatmap(rows, cols, values, title="T", desc="D")
    root = ET.fromstring(svg)
    assert len([g for g in root.iter(f"{SVG}g") if g.get("class") == "row"]) == 3
    cells = _bars(svg, "cell")
    assert len(cells) == 6
    assert cells[0].get("fill") != cells[1].get("fill")  # 0 % vs 100 %
    assert cells[3].get("fill") == "#ffffff"  # no data


def test_chart_ids_are_unique_per_call():
    a = charts.bar_chart(["a"], [charts.Series("s", [0.1])], title="T", desc="D")
    b = charts.bar_chart(["a"], [charts.Series("s", [0.1])], title="T", desc="D")
    assert ET.fromstring(a).get("aria-labelledby") != ET.fromstring(b).get("aria-labelledby")


def test_merge_spans_merges_overlaps_and_clamps():
    evidence = [
        {"start": 10, "end": 20, "supports": "explicit"},
        {"start": 15, "end": 25, "supports": "finance"},
        {"start": 25, "end": 27, "supports": "binding"},
        {"start": 40, "end": 999, "supports": "digital"},
        {"start": 5, "end": 5, "supports": "empty"},
        {"start": "x", "end": 3, "supports": "junk"},
    ]
    assert merge_spans(evidence, 50) == [(10, 27, ["explicit", "finance", "binding"]), (40, 50, ["digital"])]


def test_highlight_escapes_text_and_marks_evidence():
    text = "Parties <shall> promote SMEs & micro firms."
    start = text.index("SMEs")
    with translation.override("en"):
        html = str(highlight_evidence(text, [{"start": start, "end": start + 4, "supports": "explicit"}]))
    assert html == ('Parties &lt;shall&gt; promote <mark title="Explicit">SMEs</mark> &amp; micro firms.')
    # a span over an escaped character keeps the escaping inside the mark
    amp = text.index("&")
    html = str(highlight_evidence(text, [{"start": amp, "end": amp + 1, "supports": "x"}]))
    assert '<mark title="x">&amp;</mark>' in html
    assert str(highlight_evidence("<b>", None)) == "&lt;b&gt;"


def test_legend_entries_do_not_overlap_with_long_labels():
    long_names = ["Dispositions MPME explicites", "Dispositions MPME implicites"]
    svg = charts.column_chart(
        ["2000", "2001"], [charts.Series(name, [0.1, 0.2]) for name in long_names], title="T", desc="D"
    )
    legend = next(g for g in ET.fromstring(svg).iter(f"{SVG}g") if g.get("class") == "legend")
    boxes = [float(r.get("x")) for r in legend.iter(f"{SVG}rect")]
    first_label = next(legend.iter(f"{SVG}text"))
    # the second box starts after the first label at a generous 7 px a character
    assert boxes[1] >= float(first_label.get("x")) + 7 * len(long_names[0])
