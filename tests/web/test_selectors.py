"""Selectors and full-text search over the sample agreements (runs on SQLite and on PostgreSQL)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from tests.sample import GCC, INDIA_NEPAL, JAPAN_THAILAND, SA_RHODESIA, SAMPLE_IDS, TPP_EN, TPP_ES, WAEMU_FR

from msmelens.agreements import selectors, services
from msmelens.agreements.models import Agreement, Provision
from msmelens.agreements.search import fold, query_terms, snippet_html
from msmelens.corpus.stemming import stem, stems
from msmelens.countries.selectors import country_detail, country_list


def ids(qs) -> list[str]:  # type: ignore[no-untyped-def]
    return [a.lens_id for a in qs]


def test_agreement_list_filters(sample_db):
    # the Spanish text of the TPP is a version of the English one: listed once, by the English text
    assert set(ids(selectors.agreement_list())) == set(SAMPLE_IDS) - {TPP_ES}
    assert set(ids(selectors.agreement_list(party="jpn"))) == {TPP_EN, JAPAN_THAILAND}
    assert set(ids(selectors.agreement_list(party="NPL"))) == {INDIA_NEPAL}
    assert set(ids(selectors.agreement_list(region="africa"))) == {WAEMU_FR, SA_RHODESIA}
    assert set(ids(selectors.agreement_list(year_from=2000, year_to=2010))) == {JAPAN_THAILAND, INDIA_NEPAL}
    assert set(ids(selectors.agreement_list(status="inactive"))) == {
        a.lens_id for a in Agreement.objects.filter(status="Inactive", is_primary=True)
    }
    assert ids(selectors.agreement_list(party="ZZZ")) == []


def test_agreement_list_relevance_and_category_follow_the_provisions(sample_db):
    primaries = Provision.objects.filter(agreement__is_primary=True)
    explicit = set(primaries.filter(relevance="explicit").values_list("agreement__lens_id", flat=True))
    assert explicit and set(ids(selectors.agreement_list(relevance="explicit"))) == explicit
    finance = set(
        primaries.filter(categories_key__contains="|finance|")
        .exclude(relevance="none")
        .values_list("agreement__lens_id", flat=True)
    )
    assert set(ids(selectors.agreement_list(category="finance"))) == finance
    both = set(
        primaries.filter(categories_key__contains="|finance|", relevance="explicit").values_list(
            "agreement__lens_id", flat=True
        )
    )
    assert set(ids(selectors.agreement_list(category="finance", relevance="explicit"))) == both


def test_agreement_list_sorts(sample_db):
    by_coverage = list(selectors.agreement_list(sort="coverage"))
    assert [a.coverage for a in by_coverage] == sorted((a.coverage for a in by_coverage), reverse=True)
    years = [a.year_signed for a in selectors.agreement_list(sort="year")]
    assert years == sorted(years) and years[0] == 1948
    newest = [a.year_signed for a in selectors.agreement_list(sort="-year")]
    assert newest == sorted(newest, reverse=True) and newest[0] == 2016
    names = [a.name for a in selectors.agreement_list(sort="name")]
    assert names == sorted(names)


def test_agreement_get(sample_db):
    assert selectors.agreement_get(lens_id=TPP_EN).name == "Trans-Pacific Partnership"
    with pytest.raises(Agreement.DoesNotExist):
        selectors.agreement_get(lens_id="tota-999999")


def test_provision_list_filters(sample_db):
    all_tpp = selectors.provision_list(agreement=TPP_EN)
    assert all_tpp.count() == Agreement.objects.get(lens_id=TPP_EN).n_provisions
    assert [p.ordinal for p in all_tpp[:5]] == [1, 2, 3, 4, 5]
    explicit = selectors.provision_list(agreement=Agreement.objects.get(lens_id=TPP_EN), relevance="explicit")
    assert explicit.count() == Agreement.objects.get(lens_id=TPP_EN).n_explicit
    for p in selectors.provision_list(category="digital"):
        assert "digital" in p.categories
    committee_rows = selectors.provision_list(committee="msme_iwg")
    assert all("msme_iwg" in p.committees for p in committee_rows)
    assert selectors.provision_list(curated=True).count() == 0
    binding = selectors.provision_list(binding="binding")
    assert binding.exists() and all(p.binding == "binding" for p in binding)


def test_search_ranks_and_highlights(sample_db):
    page = selectors.provision_search(q="small and medium-sized enterprises", limit=10)
    assert page.total >= 2
    assert [h.rank for h in page.hits] == sorted((h.rank for h in page.hits), reverse=True)
    for hit in page.hits:
        assert hit.agreement.lens_id == hit.provision.agreement.lens_id
        marked = re.findall(r"<mark>(.*?)</mark>", hit.snippet_html)
        wanted = {"small", "medium", "size", "enterpris"}  # the English stems of the query's words
        assert marked and {stem(fold(m), "en") for m in marked} <= wanted
        assert wanted <= set(stems(hit.provision.text, "en"))


def test_search_is_case_and_accent_insensitive(sample_db):
    accented = selectors.provision_search(q="pequeñas empresas")
    plain = selectors.provision_search(q="PEQUENAS Empresas")
    assert accented.total == plain.total > 0
    assert {h.agreement.lens_id for h in plain.hits} == {TPP_ES}
    assert "<mark>pequeñas</mark>" in plain.hits[0].snippet_html.lower()
    french = selectors.provision_search(q="ENTREPRISES", party="SEN")
    assert french.total > 0 and {h.agreement.lens_id for h in french.hits} == {WAEMU_FR}


def test_search_filters_and_paging(sample_db):
    first = selectors.provision_search(q="enterprises", limit=3)
    second = selectors.provision_search(q="enterprises", limit=3, offset=3)
    assert first.total == second.total > 6
    assert not {h.provision.pk for h in first.hits} & {h.provision.pk for h in second.hits}
    explicit = selectors.provision_search(q="enterprises", relevance="explicit", limit=100)
    assert explicit.hits and all(h.provision.relevance == "explicit" for h in explicit.hits)
    recent = selectors.provision_search(q="enterprises", year_from=2010, limit=100)
    assert all(h.agreement.year_signed >= 2010 for h in recent.hits)
    old = selectors.provision_search(q="enterprises", year_to=2010, limit=100)
    assert all(h.agreement.year_signed <= 2010 for h in old.hits)
    assert recent.total + old.total == first.total
    thai = selectors.provision_search(q="enterprises", party="tha", limit=100)
    assert {h.agreement.lens_id for h in thai.hits} <= {TPP_EN, TPP_ES, JAPAN_THAILAND}
    digital = selectors.provision_search(q="enterprises", category="digital", limit=100)
    assert all("digital" in h.provision.categories for h in digital.hits)


@pytest.mark.parametrize(
    "q",
    [
        '"',
        '"unbalanced',
        "((",
        "NEAR(small medium)",
        "small NEAR/2 medium",
        "*",
        "enterpr*",
        "AND OR NOT",
        "'; DROP TABLE agreements_provision; --",
        "col:value",
        "^start",
        "\x00null",
        "a" * 5000,
        "",
        "   ",
        "-enterprises",
        "enterprises)",
        "{a b}",
        "@@ :* & | !",
    ],
)
def test_search_survives_hostile_queries(sample_db, q):
    page = selectors.provision_search(q=q)
    assert page.total >= 0
    assert len(page.hits) <= 20
    for hit in page.hits:
        assert "<script" not in hit.snippet_html
    assert Provision.objects.count() > 0  # the table is still there


def test_operator_words_are_plain_words(sample_db):
    near = selectors.provision_search(q="NEAR(small medium)")
    plain = selectors.provision_search(q="near small medium")
    assert near.total == plain.total


def test_snippets_escape_html():
    text = 'Rule <script>alert("x")</script> for small & medium firms'
    html = snippet_html(text, query_terms("Small firms"))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<mark>small</mark>" in html and "<mark>firms</mark>" in html and "&amp;" in html


def test_query_terms_drop_operators():
    assert query_terms('"Élément" AND (NEAR*) élément') == ["element", "and", "near"]
    assert len(query_terms(" ".join(f"w{i}" for i in range(50)))) == 12


def test_corpus_overview_matches_the_stored_profiles(sample_db):
    overview = selectors.corpus_overview()
    agreements = list(Agreement.objects.filter(is_primary=True))  # each agreement once, not each text
    assert overview["n_agreements"] == len(agreements) == len(SAMPLE_IDS) - 1
    assert overview["n_with_explicit"] == sum(1 for a in agreements if a.n_explicit > 0)
    assert overview["n_provisions"] == Provision.objects.filter(agreement__is_primary=True).count()
    assert {row["year"] for row in overview["by_year"]} == {a.year_signed for a in agreements}
    regions = {row["region"] for row in overview["by_region"]}
    assert {"Africa", "East Asia", "Middle East", "West Asia"} <= regions
    assert set(overview["category_coverage"]) == {
        "skills",
        "market_information",
        "border_procedures",
        "finance",
        "digital",
        "infrastructure",
        "regulatory_framework",
        "dialogue_and_data",
    }


def test_corpus_overview_is_recomputed_after_a_curation(sample_db):
    before = selectors.corpus_overview()
    target = Provision.objects.get(agreement__lens_id=SA_RHODESIA)  # a single-article agreement
    user = get_user_model().objects.create_user("cur", password="x-very-long-password-2")
    assert Agreement.objects.get(lens_id=SA_RHODESIA).n_explicit == 0
    services.curate_provision(
        provision=target, curator=user, relevance="explicit", categories=["finance"], binding="soft"
    )
    after = selectors.corpus_overview()
    assert after["n_with_explicit"] == before["n_with_explicit"] + 1


def test_filter_choices(sample_db):
    choices = selectors.filter_choices()
    assert choices["year_min"] == 1948 and choices["year_max"] == 2016
    assert "JPN" in choices["parties"] and choices["parties"] == sorted(set(choices["parties"]))
    assert len(choices["statuses"]) == len(set(choices["statuses"]))
    assert "In Force" in choices["statuses"]
    assert "Africa" in choices["regions"] and all(";" not in r for r in choices["regions"])


def test_compare_agreements(sample_db):
    result = selectors.compare_agreements(a=TPP_EN, b=JAPAN_THAILAND)
    assert result["a"].lens_id == TPP_EN and result["b"].lens_id == JAPAN_THAILAND
    assert len(result["categories"]) == 8
    for row in result["categories"]:
        cat = row["category"]
        assert row["a"]["coverage"] == pytest.approx(result["a"].profile["coverage"][cat])
        for p in row["a"]["provisions"]:
            assert p.agreement_id == result["a"].pk and cat in p.categories and p.relevance != "none"
        assert len(row["b"]["provisions"]) == result["b"].profile["category_counts"][cat]
    with pytest.raises(Agreement.DoesNotExist):
        selectors.compare_agreements(a=TPP_EN, b="tota-0")


def test_country_list_and_detail(sample_db):
    french = country_list(language="fr")
    by_code = {c.iso3: c for c in french}
    assert by_code["JPN"].name == "Japon" and by_code["JPN"].n_agreements == 2  # the TPP counts once
    assert by_code["NPL"].n_agreements == 1
    assert [fold(c.name) for c in french] == sorted(fold(c.name) for c in french)
    detail = country_detail(iso3="jpn", language="es")
    assert detail.name == "Japón" and detail.n_agreements == 2
    assert [a.agreement.lens_id for a in detail.agreements] == [TPP_EN, JAPAN_THAILAND]
    assert len(detail.heatmap) == 8
    for row in detail.heatmap:
        assert [cell["agreement_id"] for cell in row["cells"]] == [a.agreement.lens_id for a in detail.agreements]
        for cell, item in zip(row["cells"], detail.agreements, strict=True):
            assert cell["value"] == pytest.approx(item.agreement.profile["coverage"][row["category"]])
    with pytest.raises(Agreement.DoesNotExist):
        country_detail(iso3="ZZZ", language="en")


def test_gcc_is_stored(sample_db):
    assert Agreement.objects.get(lens_id=GCC).region == "Middle East"


@pytest.mark.parametrize(
    ("iso3", "language", "expected"),
    [
        ("DEU", "en", "Germany"),
        ("DEU", "fr", "Allemagne"),
        ("DEU", "es", "Alemania"),
        ("BOL", "en", "Bolivia"),
        ("BOL", "es", "Bolivia"),
        ("KOR", "fr", "Corée du Sud"),
        ("usa", "es", "Estados Unidos"),
        ("YUG", "en", "Yugoslavia"),
        ("ANT", "fr", "Antilles néerlandaises"),
        ("RKS", "es", "Kosovo"),
        ("EUN", "fr", "Union européenne"),
        ("ZZZ", "fr", "ZZZ"),
        ("", "en", ""),
        ("JPN", "de", "Japan"),
        ("JPN", "fr-ca", "Japon"),
    ],
)
def test_country_names(iso3, language, expected):
    from msmelens.countries.names import country_name

    assert country_name(iso3, language) == expected
