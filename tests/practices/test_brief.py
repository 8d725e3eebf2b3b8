"""The country brief (data, page, PDF) and the practices timeline on the country page, on the real database:
sample agreements (tests/sample.py), the 73 seed practices, and survey answers stored through the real
submission service."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import uuid

import pytest
from pypdf import PdfReader
from tests.feedback.conftest import valid_answers
from tests.practices.conftest import SEED_PATH
from tests.sample import TPP_EN

from msmelens.feedback import services as feedback_services
from msmelens.lens.taxonomy import CATEGORIES
from msmelens.practices import selectors as practice_selectors
from msmelens.practices.brief import COVERED_SOFTLY, NOT_COVERED, RANKED_HIGH, country_brief
from msmelens.practices.brief_pdf import render_brief_pdf

# Peru's records in the seed file, read from the file itself
PER_PRACTICES = {
    record["id"] for record in map(json.loads, SEED_PATH.read_text(encoding="utf-8").splitlines())
    if "PER" in record["countries"]
}

# the share of Peruvian (and Kenyan) firms rating each category 4 (the rest rate it 1); skills is left mostly
# unanswered in Peru ("dk"): 2 answers, so that cell must be suppressed
SHARES = {
    "market_information": 0.3, "border_procedures": 0.85, "finance": 0.6, "digital": 0.4,
    "infrastructure": 0.35, "regulatory_framework": 0.5, "dialogue_and_data": 0.3,
}


def _submit(survey, **changes) -> None:  # type: ignore[no-untyped-def]
    answers = valid_answers(**changes)
    outcome = feedback_services.submit_response(
        survey=survey, instance_id=f"uuid:{uuid.uuid4()}", answers=answers, raw=json.dumps(answers),
        raw_format="json", channel="api", payload_hash=feedback_services.canonical_hash(answers),
    )
    assert outcome.status == "created", outcome.problems


@pytest.fixture
def answered(sample_db):  # type: ignore[no-untyped-def]
    """80 Peruvian and 80 Kenyan firms' answers (real submissions, not synthetic)."""
    survey = feedback_services.ensure_default_survey()
    for country in ("PER", "KEN"):
        for i in range(80):
            changes = {f"obstacle_{c}": "4" if i < round(s * 80) else "1" for c, s in SHARES.items()}
            if country == "PER":
                changes["obstacle_skills"] = "4" if i < 3 and i % 2 == 0 else "dk"
            else:
                changes["obstacle_skills"] = "4" if i % 2 == 0 else "1"
            _submit(survey, country=country, **changes)
    return survey


def test_brief_without_feedback_lists_agreements_practices_and_coverage_gaps(sample_db, seeded):
    brief = country_brief("PER", "en")
    assert brief.name == "Peru"
    assert {a.lens_id for a in brief.agreements} == {TPP_EN}  # its Spanish text is a version, listed once
    assert [c.category for c in brief.coverage] == list(CATEGORIES)
    for c in brief.coverage:
        assert c.best == max(a.coverage[c.category] for a in brief.agreements)
        assert c.n_agreements == sum(1 for a in brief.agreements if a.coverage[c.category] > 0)
    # no survey answers: no obstacle figures, so every gap comes from coverage alone
    assert brief.obstacles == [] and not brief.has_feedback and brief.median_share is None
    assert {p.slug for p in brief.practices} == PER_PRACTICES and len(PER_PRACTICES) == 3
    levels = {c.category: c.level for c in brief.coverage}
    expected = [c for c in CATEGORIES if levels[c] != "binding"]
    assert sorted(g.category for g in brief.gaps) == sorted(expected)
    for g in brief.gaps:
        assert RANKED_HIGH not in g.reasons
        assert g.reasons == [COVERED_SOFTLY if levels[g.category] == "soft" else NOT_COVERED]
        # practices from elsewhere: same category, not Peru's, published, best evidence first, up to 3
        assert 1 <= len(g.elsewhere) <= 3
        for item in g.elsewhere:
            assert g.category in item.obstacles and "PER" not in item.countries
        expected_levels = sorted(
            (p.evidence_level or 0 for p in practice_selectors.practices_for_category(g.category)
             if "PER" not in (p.countries or [])), reverse=True)[: len(g.elsewhere)]
        assert [p.evidence_level or 0 for p in g.elsewhere] == expected_levels


def test_brief_with_feedback_ranks_obstacles_and_suppressed_cells_carry_no_figure(answered, seeded):
    brief = country_brief("PER", "en")
    by_cat = {o.category: o for o in brief.obstacles}
    assert set(by_cat) == set(CATEGORIES)
    skills = by_cat["skills"]
    assert skills.status == "suppressed" and (skills.share_major, skills.ci, skills.n) == (None, None, None)
    published = brief.published_obstacles
    assert [o.category for o in published][:2] == ["border_procedures", "finance"]
    assert published[0].share_major == pytest.approx(0.85) and published[0].n == 80
    lo, hi = published[0].ci
    assert lo < 0.85 < hi
    shares = sorted(o.share_major for o in published)
    mid = len(shares) // 2
    median = shares[mid] if len(shares) % 2 else (shares[mid - 1] + shares[mid]) / 2
    assert brief.median_share == pytest.approx(median)
    high = {g.category for g in brief.gaps if RANKED_HIGH in g.reasons}
    assert high == {o.category for o in published if o.share_major >= median}
    assert "border_procedures" in high and "skills" not in high
    assert brief.gaps[0].category == "border_procedures" and brief.gaps[0].share_major == pytest.approx(0.85)


def test_brief_page_in_english_and_french(answered, seeded, client):
    response = client.get("/countries/PER/brief/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Country brief: Peru" in html
    assert "Trans-Pacific Partnership" in html
    for slug in PER_PRACTICES:
        assert f'data-practice="{slug}"' in html and f'href="/practices/{slug}/"' in html
    row = re.search(r'<tr data-category="skills" data-status="suppressed">(.*?)</tr>', html, re.S)
    assert row is not None and "Not enough answers" in row.group(1) and "%" not in row.group(1)
    row = re.search(r'<tr data-category="border_procedures" data-status="(shown|flagged)">(.*?)</tr>', html, re.S)
    assert row is not None and "85%" in row.group(2)
    assert "How gaps are chosen" in html
    assert 'href="/countries/PER/brief.pdf"' in html
    french = client.get("/fr/countries/PER/brief/").content.decode()
    assert "Pérou" in french and 'href="/fr/countries/PER/brief.pdf"' in french


def test_unknown_country_is_404_and_a_country_without_anything_still_gets_a_brief(sample_db, seeded, client):
    assert client.get("/countries/XYZ/brief/").status_code == 404
    assert client.get("/countries/XYZ/brief.pdf").status_code == 404
    brief = country_brief("ISL", "en")  # Iceland: no sample agreement, no answers, no seed practice
    assert (brief.agreements, brief.obstacles, brief.practices, brief.gaps) == ([], [], [], [])
    html = client.get("/countries/ISL/brief/").content.decode()
    assert "No stored trade agreement has this country as a party" in html
    assert "No survey answers from this country" in html
    assert "The library holds no practice from this country yet." in html


def _pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_pdf_opens_and_holds_the_country_and_its_agreements(answered, seeded, client):
    response = client.get("/countries/PER/brief.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    assert "Peru" in text
    assert "Trans-Pacific Partnership" in text
    assert "1. Agreements and their MSME coverage" in text and "2. Obstacles its firms report" in text
    assert "Not enough answers" in text  # the suppressed skills cell, without a figure
    assert re.search(r"Page 1 of \d+", text)
    assert b"/FontFile2" in response.content  # the TrueType font program is embedded


def test_french_pdf_has_french_headings(sample_db, seeded, client):
    text = _pdf_text(client.get("/fr/countries/PER/brief.pdf").content)
    assert "Pérou" in text
    # table headings from the existing French catalogue (the section headings follow once /tmp/tr/p4.json is
    # merged into the catalogues)
    for heading in ("Catégorie", "Accord", "Année", "Contraignante"):
        assert heading in text
    assert "Category" not in text and "Agreement\n" not in text
    english = render_brief_pdf(country_brief("PER", "en"))
    assert _pdf_text(english) != text


def test_country_page_shows_practices_timeline_and_brief_links(sample_db, seeded, client):
    html = client.get("/countries/PER/").content.decode()
    assert 'href="/countries/PER/brief/"' in html and 'href="/countries/PER/brief.pdf"' in html
    timeline = html[html.index('id="practices-timeline"'):]
    found = re.findall(r'data-practice="([^"]+)"', timeline)
    assert set(found) == PER_PRACTICES
    starts = [p.start_year for p in practice_selectors.practices_for_country("PER")]
    assert [p.slug for p in practice_selectors.practices_for_country("PER")] == found
    assert starts == sorted(s for s in starts if s is not None) + [None] * starts.count(None)
    for p in practice_selectors.practices_for_country("PER"):
        if p.start_year is None:
            years = "Years not known"
        else:
            years = f"{p.start_year}–{p.end_year}" if p.end_year else f"{p.start_year}–ongoing"
        assert years in timeline
    assert timeline.count('class="bar-track"') == sum(1 for p in practice_selectors.practices_for_country("PER")
                                                       if p.start_year)
    # Japan is a party too, but no seed practice is Japanese
    assert "The library holds no practice from this country yet." in client.get("/countries/JPN/").content.decode()


def test_timeline_bars_run_from_start_year_and_ongoing_ones_are_open_ended(sample_db, seeded, client):
    html = client.get("/countries/MEX/").content.decode()
    timeline = html[html.index('id="practices-timeline"'):]
    practices = practice_selectors.practices_for_country("MEX")
    dated = [p for p in practices if p.start_year]
    assert len(dated) >= 3
    assert re.findall(r'data-practice="([^"]+)"', timeline) == [p.slug for p in practices]
    assert [p.start_year for p in dated] == sorted(p.start_year for p in dated)
    first = dated[0].start_year
    last = max([dt.date.today().year, *[p.end_year or 0 for p in practices], *[p.start_year for p in dated]])
    span = last - first + 1
    bars = re.findall(r'<li data-practice="([^"]+)".*?<div style="margin-left:([\d.]+)%;width:([\d.]+)%', timeline,
                      re.S)
    assert [b[0] for b in bars] == [p.slug for p in dated]
    for (slug, left, width), p in zip(bars, dated, strict=True):
        assert float(left) == pytest.approx(100 * (p.start_year - first) / span, abs=0.01), slug
        end = p.end_year or last
        assert float(width) == pytest.approx(max(1.5, 100 * (end - p.start_year + 1) / span), abs=0.01), slug
        if p.end_year is None:
            assert f"{p.start_year}–ongoing" in timeline
    assert float(bars[0][1]) == 0.0
