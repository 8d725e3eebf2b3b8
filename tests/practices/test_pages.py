"""The library's pages (/practices/ and /practices/<slug>/) through Django's test client, on the real database
with the seed file imported: filters and search return the right records, the page's language or the marked
original, the record page's outcomes, chart, sources, evidence, agreement provisions (the sample ToTA
agreements) and survey figures before and after, and 404 for unpublished records."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from tests.feedback.conftest import valid_answers
from tests.practices.conftest import SEED_PATH

from msmelens.feedback import services as feedback_services
from msmelens.lens.taxonomy import CATEGORIES
from msmelens.practices import selectors, services

SEED = [json.loads(line) for line in SEED_PATH.read_text(encoding="utf-8").splitlines() if line.strip()]


def slugs(page: str) -> list[str]:
    """The records listed on a page, in order."""
    return re.findall(r'data-slug="([^"]+)"', page)


def all_pages(client: Any, url: str, params: dict[str, Any]) -> list[str]:
    """Every record listed across the pages of the library for these filters."""
    out: list[str] = []
    for number in range(1, 10):
        response = client.get(url, {**params, "page": number})
        assert response.status_code == 200
        page = response.content.decode()
        out += slugs(page)
        if 'rel="next"' not in page:
            return out
    raise AssertionError("more than 9 pages")


def seed_ids(keep: Any) -> set[str]:
    return {r["id"] for r in SEED if keep(r)}


def _import(tmp_path: Path, *records: dict[str, Any]) -> None:
    path = tmp_path / "extra.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    report = services.import_practices(path=path)
    assert not report.rejected, [str(r) for r in report.rejected]


def _record(**changes: Any) -> dict[str, Any]:
    base = next(r for r in SEED if r["id"] == "egypt-rug-export-rct")
    return {**base, **changes}


@pytest.mark.parametrize(
    ("params", "keep"),
    [
        ({"obstacle": "finance"}, lambda r: "finance" in r["obstacles"]),
        ({"country": "KEN"}, lambda r: "KEN" in r["countries"]),
        ({"instrument": "single_window"}, lambda r: r["instrument"] == "single_window"),
        ({"target_group": "women_owned"}, lambda r: "women_owned" in r["target_groups"]),
        ({"evidence_min": "4"}, lambda r: (r["evidence_level"] or 0) >= 4),
        ({"region": "oceania"}, lambda r: bool({"FJI", "PNG", "WSM", "TON", "VUT", "SLB", "AUS"} & set(r["countries"]))),
        (
            {"obstacle": "finance", "evidence_min": "3"},
            lambda r: "finance" in r["obstacles"] and (r["evidence_level"] or 0) >= 3,
        ),
        (
            {"year_from": "2020", "year_to": "2021"},
            lambda r: r["start_year"] is not None and r["start_year"] <= 2021
            and (r["end_year"] is None or r["end_year"] >= 2020),
        ),
    ],
)
def test_filters_list_the_right_records(client, seeded, params, keep) -> None:  # type: ignore[no-untyped-def]
    expected = seed_ids(keep)
    assert expected  # the filter is not vacuous
    listed = all_pages(client, "/practices/", params)
    assert sorted(listed) == sorted(expected)
    assert len(listed) == len(set(listed))


def test_known_filter_values(client, seeded) -> None:  # type: ignore[no-untyped-def]
    """Hand-checked values, independent of the lambdas above."""
    strong = all_pages(client, "/practices/", {"evidence_min": "4"})
    assert sorted(strong) == [
        "albania-customs-risk-based-inspections", "brazil-simples-tax-regime", "chile-fogape-guarantees",
        "china-rural-ecommerce-rct", "egypt-rug-export-rct", "ethiopia-waln-business-training",
        "india-pmgsy-rural-roads", "kenya-get-ahead-business-training", "uruguay-customs-verification-channels-delays",
    ]
    peru = all_pages(client, "/practices/", {"country": "PER"})
    assert sorted(peru) == ["peru-exporta-facil", "peru-promperu-crisis-support", "peru-sierra-exportadora"]


def test_search_ignores_case_and_accents_and_needs_every_word(client, seeded) -> None:  # type: ignore[no-untyped-def]
    assert all_pages(client, "/practices/", {"q": "RÚG makers"}) == ["egypt-rug-export-rct"]
    assert all_pages(client, "/practices/", {"q": "rug zzzunknownword"}) == []
    # the implementer is searched too
    hits = all_pages(client, "/practices/", {"q": "Hamis Carpets"})
    assert hits == ["egypt-rug-export-rct"]
    page = client.get("/practices/", {"q": "zzzunknownword"}).content.decode()
    assert "No practice matches these filters." in page


def test_search_finds_a_translation(client, seeded, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _import(tmp_path, _record(
        id="test-translated-record",
        title="Translated test record",
        translations={"fr": {"title": "Fiche traduite d’essai sur les tapis", "summary": "Un résumé en français."}},
    ))
    assert all_pages(client, "/practices/", {"q": "resume en FRANCAIS"}) == ["test-translated-record"]


def test_list_shows_title_countries_years_instrument_obstacles_level_and_pages(client, seeded) -> None:  # type: ignore[no-untyped-def]
    first = client.get("/practices/").content.decode()
    assert "73 practices" in first
    assert len(slugs(first)) == 20 and 'rel="next"' in first
    last = client.get("/practices/", {"page": 4}).content.decode()
    assert len(slugs(last)) == 73 - 60
    page = client.get("/practices/", {"country": "EGY", "instrument": "export_promotion_services"}).content.decode()
    item = page[page.index('data-slug="egypt-rug-export-rct"'):]
    item = item[: item.index("</article>")]
    for text in ("Randomised export orders for Egyptian rug makers", "Egypt", "2011–2015",
                 "Export promotion services", "Market information", "Skills and training",
                 "Level 5: randomised trial"):
        assert text in item, text
    assert 'data-level="5"' in item


def test_bad_filter_is_a_400_with_the_field_named(client, seeded) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/practices/", {"obstacle": "nonsense"})
    assert response.status_code == 400
    assert "nonsense" in response.content.decode()
    response = client.get("/practices/", {"year_from": "2020", "year_to": "2010"})
    assert response.status_code == 400
    assert "The first year must not be after the last year." in response.content.decode()


def test_french_page_marks_the_original_language_or_shows_the_translation(client, seeded, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _import(tmp_path, _record(
        id="test-translated-record",
        title="Translated test record",
        translations={"fr": {"title": "Fiche traduite d’essai", "summary": "Un résumé en français."}},
    ))
    page = client.get("/fr/practices/", {"country": "EGY", "instrument": "export_promotion_services"}).content.decode()
    assert sorted(slugs(page)) == ["egypt-rug-export-rct", "test-translated-record"]
    original = page[page.index('data-slug="egypt-rug-export-rct"'):]
    original = original[: original.index("</article>")]
    assert "Randomised export orders for Egyptian rug makers" in original
    assert "anglais" in original  # the original language, named in French
    assert 'class="muted original-language"' in original
    translated = page[page.index('data-slug="test-translated-record"'):]
    translated = translated[: translated.index("</article>")]
    assert "Fiche traduite d’essai" in translated
    assert "Translated test record" not in translated
    assert "original-language" not in translated
    detail = client.get("/fr/practices/test-translated-record/").content.decode()
    assert "Fiche traduite d’essai" in detail and "Un résumé en français." in detail
    assert "original-language" not in detail
    english = client.get("/practices/test-translated-record/").content.decode()
    assert "Translated test record" in english and "original-language" not in english
    spanish = client.get("/es/practices/test-translated-record/").content.decode()
    assert "Translated test record" in spanish and 'class="notice original-language"' in spanish


def test_record_page_outcomes_sources_evidence_and_versions_link(client, seeded) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/practices/egypt-rug-export-rct/").content.decode()
    table = page[page.index('id="outcomes-table"'): page.index("</table>", page.index('id="outcomes-table"'))]
    assert "Profits of treatment firms relative to control firms" in table
    assert "<td class=\"num\">15</td>" in table and "2014" in table and "randomised" in table
    assert 'href="http://www.nber.org/papers/w20690"' in page
    assert "National Bureau of Economic Research" in page
    evidence = page[page.index('id="evidence-section"'):]
    evidence = evidence[: evidence.index("</section>")]
    assert "Level 5: randomised trial" in evidence and "assigned to the programme" in evidence
    assert 'href="/practices/egypt-rug-export-rct/versions/"' in page
    assert "outcome-chart" not in page  # one outcome, one year: no chart
    french = client.get("/fr/practices/egypt-rug-export-rct/").content.decode()
    assert 'href="/fr/practices/egypt-rug-export-rct/versions/"' in french


def test_a_record_without_outcome_evidence_says_so(client, seeded) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/practices/canada-canexport-smes/").content.decode()
    assert "No outcome evidence" in page
    assert "No measured outcome is recorded." in page
    assert "whether it worked is unknown" in page


def test_outcome_chart_for_an_indicator_measured_in_several_years(client, seeded) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/practices/adb-trade-supply-chain-finance-program/").content.decode()
    charts = re.findall(r'<figure class="card outcome-chart">(.*?)</figure>', page, flags=re.S)
    assert len(charts) == 1  # "SMEs helped" in 2020 and 2021; "Supported transactions" only in 2017
    chart = charts[0]
    assert re.findall(r'class="bar"[^>]*data-value="([^"]+)"', chart) == ["2114", "2858"]
    assert "SMEs helped by the trade finance business" in chart
    table = chart[chart.index("<table>"):]
    assert re.findall(r"<th scope=\"row\">(\d+)</th><td class=\"num\">(\d+)</td>", table) == [
        ("2020", "2114"), ("2021", "2858")
    ]


def test_record_page_lists_provisions_of_its_countries_in_its_categories(client, seeded, sample_db) -> None:  # type: ignore[no-untyped-def]
    # Viet Nam is a party to the Trans-Pacific Partnership (English and Spanish texts in the sample: one
    # agreement, listed once by its English text)
    page = client.get("/practices/adb-trade-supply-chain-finance-program/").content.decode()
    section = page[page.index('id="provisions-section"'):]
    section = section[: section.index("</section>")]
    assert "<h3>Access to finance</h3>" in section
    assert 'href="/agreements/tota-449/"' in section and 'href="/agreements/tota-450/"' not in section
    assert re.search(r"\d+ explicit, \d+ implicit", section)
    assert "Explicit" in section
    # Egypt is party to no sample agreement: a plain line
    egypt = client.get("/practices/egypt-rug-export-rct/").content.decode()
    assert 'id="no-provisions"' in egypt


def test_provisions_are_only_in_the_records_categories(client, seeded, sample_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _import(tmp_path, _record(id="test-japan-skills", countries=["JPN"], obstacles=["skills"], title="Japan test"))
    page = client.get("/practices/test-japan-skills/").content.decode()
    section = page[page.index('id="provisions-section"'):]
    section = section[: section.index("</section>")]
    headings = re.findall(r"<h3>([^<]+)</h3>", section)
    assert headings == ["Skills and training"] or headings == []
    if headings:  # Japan – Thailand and the TPP (Japan signed it) are the sample agreements Japan is party to
        assert set(re.findall(r'href="/agreements/(tota-\d+)/"', section)) <= {"tota-1", "tota-449", "tota-450"}


def test_unpublished_records_are_404_for_anonymous_visitors(client, seeded, curator) -> None:  # type: ignore[no-untyped-def]
    practice = selectors.practice_get("egypt-rug-export-rct")
    services.withdraw(practice=practice, user=curator, reason="checking the figures again")
    response = client.get("/practices/egypt-rug-export-rct/")
    assert response.status_code == 404
    assert "egypt-rug-export-rct" not in all_pages(client, "/practices/", {"country": "EGY"})
    draft = services.create_practice(
        data=_record(id="test-draft-record", title="Zebrafish draft record"), user=curator, reason="new", publish=False
    )
    assert client.get(f"/practices/{draft.slug}/").status_code == 404
    assert all_pages(client, "/practices/", {"q": "zebrafish"}) == []
    client.force_login(curator)
    page = client.get("/practices/egypt-rug-export-rct/")
    assert page.status_code == 200 and "This record is not published" in page.content.decode()
    assert all_pages(client, "/practices/", {"q": "zebrafish"}) == ["test-draft-record"]


def test_unknown_record_is_404(client, seeded) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/practices/no-such-record/")
    assert response.status_code == 404


# --- survey figures before and after ------------------------------------------------------------------


def _firms(survey: Any, country: str, n: int, every: int, *, prefix: str, wave: Any, when: dt.datetime) -> None:
    """``n`` firms of ``country``: one in ``every`` rates each obstacle 4 (very severe), the others 1."""
    for i in range(n):
        rating = "4" if i % every == 0 else "1"
        ratings = {f"obstacle_{key}": rating for key in CATEGORIES}
        answers = valid_answers(country=country, item_customs_time=rating, **ratings)
        outcome = feedback_services.submit_response(
            survey=survey, instance_id=f"uuid:{prefix}{country}-{i}", answers=answers, raw=json.dumps(answers),
            raw_format="json", channel="api", payload_hash=feedback_services.canonical_hash(answers),
            wave=wave, received_at=when,
        )
        assert outcome.status == "created", outcome


@pytest.fixture
def two_waves(db):  # type: ignore[no-untyped-def]
    """Wave 2023 (Peru: a quarter rate every obstacle very severe) and wave 2025 (Peru: half); Colombia 80 firms
    in each (so that Kenya's 3 firms can be suppressed without giving the others away)."""
    survey = feedback_services.ensure_default_survey()
    first = feedback_services.add_wave(survey=survey, name="2023", starts_on=dt.date(2023, 1, 1),
                                       ends_on=dt.date(2023, 12, 31))
    second = feedback_services.add_wave(survey=survey, name="2025", starts_on=dt.date(2025, 1, 1),
                                        ends_on=dt.date(2025, 12, 31))
    _firms(survey, "PER", 100, 4, prefix="a", wave=first, when=dt.datetime(2023, 5, 1, tzinfo=dt.UTC))
    _firms(survey, "KEN", 3, 1, prefix="a", wave=first, when=dt.datetime(2023, 5, 1, tzinfo=dt.UTC))
    _firms(survey, "COL", 80, 4, prefix="a", wave=first, when=dt.datetime(2023, 5, 1, tzinfo=dt.UTC))
    _firms(survey, "PER", 100, 2, prefix="b", wave=second, when=dt.datetime(2025, 5, 1, tzinfo=dt.UTC))
    _firms(survey, "KEN", 3, 1, prefix="b", wave=second, when=dt.datetime(2025, 5, 1, tzinfo=dt.UTC))
    _firms(survey, "COL", 80, 4, prefix="b", wave=second, when=dt.datetime(2025, 5, 1, tzinfo=dt.UTC))
    return survey


def test_reported_obstacle_before_and_after(client, seeded, two_waves, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _import(tmp_path, _record(id="test-peru-2024", countries=["PER", "KEN"], start_year=2024, end_year=None,
                              obstacles=["border_procedures"], title="Peru 2024 test"))
    page = client.get("/practices/test-peru-2024/").content.decode()
    section = page[page.index('id="before-after-section"'):]
    section = section[: section.index("</section>")]
    rows = re.findall(
        r'<tr data-country="(\w+)" data-category="(\w+)" data-period="(\w+)">(.*?)</tr>', section, flags=re.S
    )
    assert [(c, k, p) for c, k, p, _ in rows] == [
        ("PER", "border_procedures", "before"), ("PER", "border_procedures", "after")
    ]  # Kenya's 3 firms are suppressed: never shown
    assert "25%" in rows[0][3] and "2023" in rows[0][3]
    assert "50%" in rows[1][3] and "2025" in rows[1][3]
    assert "Kenya" not in section


def test_no_waves_on_both_sides_gives_a_plain_line(client, seeded, two_waves, tmp_path) -> None:  # type: ignore[no-untyped-def]
    # started in 2025: no wave started after it; Kenya alone: only suppressed cells
    _import(tmp_path,
            _record(id="test-peru-2025", countries=["PER"], start_year=2025, end_year=None, obstacles=["border_procedures"]),
            _record(id="test-kenya-2024", countries=["KEN"], start_year=2024, end_year=None, obstacles=["border_procedures"]))
    for slug in ("test-peru-2025", "test-kenya-2024"):
        page = client.get(f"/practices/{slug}/").content.decode()
        assert 'id="no-before-after"' in page and 'id="before-after-table"' not in page, slug
