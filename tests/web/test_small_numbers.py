"""Honest small numbers (issue 11, point 4): every share shows its n, and shares on fewer than five
agreements are marked and explained, in charts, tables and the API."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from django.test import Client

from msmelens.agreements import selectors
from msmelens.agreements.models import Agreement
from msmelens.web import charts

SVG = "{http://www.w3.org/2000/svg}"
NOTE = "rests on fewer than five agreements"


def _bars(svg: str) -> list[ET.Element]:
    return ET.fromstring(svg).findall(f".//{SVG}rect[@class='bar']")


def test_is_small_n_threshold():
    assert [charts.is_small_n(n) for n in (0, 1, 4, 5, 120)] == [True, True, True, False, False]
    assert charts.is_small_n(None) is False


def test_column_chart_gives_each_column_its_n_and_marks_the_small_ones():
    svg = charts.column_chart(
        ["2015", "2016"],
        [charts.Series("Explicit", [1.0, 0.5]), charts.Series("Implicit", [0.0, 0.25])],
        title="t",
        desc="d",
        counts=[1, 12],
        small_note=NOTE,
    )
    bars = _bars(svg)
    assert [b.get("data-n") for b in bars] == ["1", "1", "12", "12"]
    assert [b.get("data-small-n") for b in bars] == ["1", "1", None, None]
    titles = [b.find(f"{SVG}title").text for b in bars]
    assert titles[0] == "2015 · Explicit: 100% (n = 1*)" and titles[2] == "2016 · Explicit: 50% (n = 12)"
    root = ET.fromstring(svg)
    marks = root.findall(f".//{SVG}text[@class='small-n-mark']")
    assert [m.text for m in marks] == ["*"]
    note = root.find(f".//{SVG}text[@class='small-n-note']")
    assert note is not None and note.text == f"* {NOTE}"


def test_no_mark_and_no_note_when_every_share_rests_on_five_or_more():
    svg = charts.column_chart(
        ["a"], [charts.Series("s", [0.4])], title="t", desc="d", counts=[5], small_note=NOTE
    )
    assert "small-n" not in svg and NOTE not in svg
    plain = charts.bar_chart(["a"], [charts.Series("s", [0.4])], title="t", desc="d")
    assert "n =" not in plain and "data-n" not in plain  # charts of scores (no counts) are unchanged


def test_bar_chart_prints_n_after_each_value():
    svg = charts.bar_chart(
        ["Skills", "Finance"],
        [charts.Series("Agreements", [0.5, 0.25])],
        title="t",
        desc="d",
        counts=[3, 40],
        small_note=NOTE,
    )
    texts = [t.text for t in ET.fromstring(svg).iter(f"{SVG}text")]
    assert "50% (n = 3*)" in texts and "25% (n = 40)" in texts
    assert [b.get("data-small-n") for b in _bars(svg)] == ["1", None]
    assert f"* {NOTE}" in texts


@pytest.mark.django_db
def test_overview_figures_carry_small_n_flags(sample_db, client: Client):
    figures = selectors.corpus_overview()
    for row in figures["by_year"] + figures["by_region"]:
        assert row["small_n"] == (row["n"] < 5)
    assert figures["small_n"] == (figures["n_agreements"] < 5)
    api = client.get("/api/v1/overview").json()
    assert [(r["year"], r["n"], r["small_n"]) for r in api["by_year"]] == [
        (r["year"], r["n"], r["small_n"]) for r in figures["by_year"]
    ]


@pytest.mark.django_db
def test_overview_page_shows_n_and_marks_small_years(sample_db, client: Client):
    html = client.get("/").content.decode()
    figures = selectors.corpus_overview()
    n = Agreement.objects.filter(is_primary=True).count()
    assert figures["n_agreements"] == n == 6
    year_svg, category_svg = re.findall(r"<svg .*?</svg>", html, flags=re.S)
    years = [r for r in figures["by_year"] if r["year"]]
    bars = _bars(year_svg)
    assert [b.get("data-n") for b in bars[::2]] == [str(r["n"]) for r in years]
    small_years = [r for r in years if r["n"] < 5]
    assert small_years  # the sample has at most two agreements a year
    assert len(ET.fromstring(year_svg).findall(f".//{SVG}text[@class='small-n-mark']")) == len(small_years)
    assert NOTE in year_svg
    # the table gives each year's n, marked when small, with the explanation under it
    table = re.search(r'aria-labelledby="by-year">.*?</section>', html, re.S).group(0)
    for r in years:
        mark = "*" if r["small_n"] else ""
        assert f'<th scope="row">{r["year"]}</th><td class="num">{r["n"]}{mark}</td>' in table
    assert "Fewer than five agreements were signed that year" in table
    # categories: shares of all 6 agreements, n shown on every bar and in the table; 6 is not small
    assert all(b.get("data-n") == "6" and b.get("data-small-n") is None for b in _bars(category_svg))
    assert category_svg.count("(n = 6)") == 16  # printed after each value and in each tooltip
    categories = re.search(r'aria-labelledby="by-category">.*?</section>', html, re.S).group(0)
    assert categories.count('<td class="num">6</td>') == 8
    assert "Shares are of the 6 agreements stored" in html


@pytest.mark.django_db
def test_the_binding_share_names_the_provisions_behind_it(sample_db, client: Client):
    from tests.sample import TPP_EN

    tpp = Agreement.objects.get(lens_id=TPP_EN)
    counts = tpp.profile["binding_counts"]
    n = counts["binding"] + counts["soft"]
    assert n > 0
    html = client.get(f"/agreements/{TPP_EN}/").content.decode()
    assert f'<span class="muted">(of {n} MSME provisions)</span>' in html
