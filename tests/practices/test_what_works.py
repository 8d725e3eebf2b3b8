"""/what-works/ and /what-works/<category>/ on the seeded library: the ranking (level, then a quantified outcome,
then the latest outcome year), the counts by evidence level in the chart and its table, the gaps, and the
ranking rule itself on hand-made records."""

from __future__ import annotations

import re

from msmelens.practices import evidence, selectors, services

FINANCE_RANKED = [
    "chile-fogape-guarantees",  # 5
    "brazil-simples-tax-regime",  # 4 (no figure, but level first)
    "kenya-mpesa-mobile-money",  # 3, figures, latest 2014
    "tunisia-famex",  # 3, figures, latest 2009
    "us-sba-step",  # 1, figures 2024
    "asean-qris-cross-border-qr-payments",  # 1, 2023, "Cross-border ..." before "Enterprise ..."
    "eu-enterprise-europe-network",  # 1, 2023
    "uk-tradeshow-access-programme",  # 1, 2022
    "adb-trade-supply-chain-finance-program",  # 1, 2021
    "malaysia-matrade-mdg",  # 1, 2020
    "australia-emdg",  # 1, 2018, "Export Market ..." before "Kafalat ..."
    "lebanon-kafalat-guarantees",  # 1, 2018
    "ifc-global-trade-finance-program",  # 1, 2013
    "india-cgtmse",  # 1, figures without a year
]
FINANCE_UNRATED = {"canada-canexport-smes", "afreximbank-papss", "mexico-nafin-cadenas-productivas"}


def _slugs(page: str) -> list[str]:
    return re.findall(r'data-slug="([^"]+)"', page)


def _section(page: str, marker: str) -> str:
    part = page[page.index(marker):]
    return part[: part.index("</section>")]


def test_finance_is_ranked_by_level_then_figures_then_latest_year(client, seeded) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/what-works/finance/").content.decode()
    ranked = _slugs(page)
    assert ranked[: len(FINANCE_RANKED)] == FINANCE_RANKED
    assert set(ranked[len(FINANCE_RANKED):]) == FINANCE_UNRATED
    assert len(ranked) == 17
    assert "17 published practices address this obstacle." in page
    assert "cannot be compared directly" in page  # the ranking rule is stated on the page


def test_counts_by_level_in_chart_and_table(client, seeded) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/what-works/finance/").content.decode()
    levels = _section(page, 'id="levels"')
    bars = re.findall(r'class="bar"[^>]*data-value="(\d+)"', levels)
    assert bars == ["1", "1", "2", "0", "10", "3"]  # levels 5, 4, 3, 2, 1, none
    rows = re.findall(r'<tr data-level="(\w+)"><th scope="row">[^<]+</th><td class="num">(\d+)</td>', levels)
    assert rows == [("5", "1"), ("4", "1"), ("3", "2"), ("2", "0"), ("1", "10"), ("none", "3")]


def test_gaps_name_instruments_and_regions_without_a_strong_evaluation(client, seeded) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/what-works/finance/").content.decode()
    gaps = _section(page, 'id="gaps-section"')
    instruments = re.findall(r"<li>([^<]+)</li>", gaps[gaps.index('id="gap-instruments"'): gaps.index("<h3>", gaps.index('id="gap-instruments"'))])
    # matching grants (Tunisia, level 3), credit guarantees (Chile, 5), digital payments (Kenya, 3) and
    # regulatory simplification (Brazil, 4) have a strong evaluation; these three do not
    assert instruments == ["Export promotion services", "Supply chain finance", "Trade finance facility"]
    regions = gaps[gaps.index('id="gap-regions"'):]
    assert re.findall(r"<li>(\w+) ", regions) == ["Asia", "Europe", "Oceania"]
    assert "6 practices, none evaluated at that level" in regions  # Asia


def test_a_region_with_nothing_tried_is_a_gap_too(client, seeded) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/what-works/digital/").content.decode()
    regions = _section(page, 'id="gaps-section"')
    regions = regions[regions.index('id="gap-regions"'):]
    digital = selectors.practices_for_category("digital")
    tried = {selectors_region for p in digital for selectors_region in _regions(p)}
    strong = {r for p in digital if (p.evidence_level or 0) >= 3 for r in _regions(p)}
    expected = [r for r in ("Africa", "Americas", "Asia", "Europe", "Oceania") if r.lower() not in strong]
    assert re.findall(r"<li>(\w+) ", regions) == expected
    for name in expected:
        if name.lower() not in tried:
            assert f"<li>{name} <span class=\"muted\">(nothing tried there yet)</span>" in regions


def _regions(practice) -> set[str]:  # type: ignore[no-untyped-def]
    from msmelens.practices.records import region_of

    return {region_of(c) for c in practice.countries or []} - {None}


def test_index_lists_the_eight_categories_with_counts(client, seeded) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/what-works/").content.decode()
    rows = re.findall(
        r'<tr data-category="(\w+)"><th scope="row"><a href="/what-works/\w+/">[^<]+</a></th>'
        r'<td class="num">(\d+)</td><td class="num">(\d+)</td>', page
    )
    assert len(rows) == 8
    counts = {key: (int(n), int(strong)) for key, n, strong in rows}
    assert counts["finance"] == (17, 4)
    for key, (n, strong) in counts.items():
        records = selectors.practices_for_category(key)
        assert n == len(records) and strong == sum(1 for p in records if (p.evidence_level or 0) >= 3), key
    french = client.get("/fr/what-works/").content.decode()
    assert 'href="/fr/what-works/finance/"' in french


def test_withdrawn_records_leave_the_ranking(client, seeded, curator) -> None:  # type: ignore[no-untyped-def]
    services.withdraw(practice=selectors.practice_get("chile-fogape-guarantees"), user=curator, reason="test")
    page = client.get("/what-works/finance/").content.decode()
    assert _slugs(page)[:2] == ["brazil-simples-tax-regime", "kenya-mpesa-mobile-money"]
    assert "chile-fogape-guarantees" not in page


def test_unknown_category_is_404(client, seeded) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/what-works/cheese/").status_code == 404


def test_rank_rule_on_hand_made_records() -> None:
    def rec(slug: str, level: int | None, outcomes: list[dict]) -> dict:  # type: ignore[type-arg]
        return {"slug": slug, "title": slug, "evidence_level": level, "outcomes": outcomes}

    records = [
        rec("none", None, [{"value": 5, "year": 2024}]),
        rec("l2-words", 2, [{"value": None, "year": 2024}]),
        rec("l2-old", 2, [{"value": 1.5, "year": 2010}]),
        rec("l2-new", 2, [{"value": 3, "year": 2020}, {"value": 4, "year": 2012}]),
        rec("l3", 3, []),
        rec("l2-bool", 2, [{"value": True, "year": 2030}]),  # a boolean is not a figure
    ]
    assert [r["slug"] for r in evidence.rank(records)] == ["l3", "l2-new", "l2-old", "l2-bool", "l2-words", "none"]
    assert evidence.counts_by_level(records) == [(5, 0), (4, 0), (3, 1), (2, 4), (1, 0), (None, 1)]
    gaps = evidence.gaps(
        [{"instrument": "a", "evidence_level": 3, "countries": ["X"]},
         {"instrument": "b", "evidence_level": 2, "countries": ["X"]},
         {"instrument": "b", "evidence_level": None, "countries": ["Y"]}],
        regions_of=lambda r: r["countries"], all_regions=["X", "Y", "Z"],
    )
    assert gaps.instruments == ["b"] and gaps.regions == ["Y", "Z"]
    assert gaps.region_counts == {"X": 2, "Y": 1} and gaps.strong == 1


def test_plain_words_for_every_level() -> None:
    texts = {level: evidence.explain(level) for level in (1, 2, 3, 4, 5, None)}
    assert len(set(texts.values())) == 6
    assert "random" in texts[5] and "before and after" in texts[2] and "unknown" in texts[None]
    assert evidence.level_name(7) == "No outcome evidence"
