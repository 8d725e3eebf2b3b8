"""The server-rendered pages on the sample database (real ToTA agreements imported by the real service)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from html.parser import HTMLParser

import pytest
from tests.sample import JAPAN_THAILAND, SAMPLE_IDS, TPP_EN, TPP_ES, WAEMU_FR

from msmelens.agreements.models import Agreement, Provision
from msmelens.lens.taxonomy import CATEGORIES

pytestmark = pytest.mark.django_db


def _svgs(html: str) -> list[ET.Element]:
    return [ET.fromstring(m) for m in re.findall(r"<svg .*?</svg>", html, flags=re.S)]


def test_overview_shows_corpus_figures_and_charts(sample_db, client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert f"<b>{len(SAMPLE_IDS) - 1}</b>" in html  # the TPP's two texts are one agreement
    svgs = _svgs(html)
    assert len(svgs) == 2
    years = {a.year_signed for a in Agreement.objects.all() if a.year_signed}
    bars = svgs[0].findall(".//{http://www.w3.org/2000/svg}rect[@class='bar']")
    assert len(bars) == 2 * len(years)  # explicit + implicit per year of signature
    assert 'href="/agreements/"' in html and 'href="/analyze/"' in html


def test_agreement_list_filters_narrow_the_results(sample_db, client):
    all_page = client.get("/agreements/").content.decode()
    for lens_id in SAMPLE_IDS:
        assert (f'href="/agreements/{lens_id}/"' in all_page) == (lens_id != TPP_ES)  # listed once
    spanish_parties = client.get("/agreements/?party=PER").content.decode()
    assert f'href="/agreements/{TPP_EN}/"' in spanish_parties
    assert f'href="/agreements/{JAPAN_THAILAND}/"' not in spanish_parties
    explicit = client.get("/agreements/?relevance=explicit&sort=name").content.decode()
    n_explicit = Agreement.objects.filter(n_explicit__gt=0, is_primary=True).count()
    assert n_explicit < len(SAMPLE_IDS)
    assert explicit.count('href="/agreements/tota-') == n_explicit
    years = client.get("/agreements/?year_from=2000&year_to=2020").content.decode()
    expected = set(
        Agreement.objects.filter(year_signed__range=(2000, 2020), is_primary=True).values_list(
            "lens_id", flat=True
        )
    )
    assert set(re.findall(r'href="/agreements/(tota-\d+)/"', years)) == expected


def test_agreement_list_rejects_bad_filters_with_400(sample_db, client):
    response = client.get("/agreements/?year_from=2020&year_to=1990")
    assert response.status_code == 400
    assert "must not be after" in response.content.decode()
    assert client.get("/agreements/?category=nonsense").status_code == 400


def test_tpp_page_shows_sme_chapter_first_with_marked_evidence(sample_db, client):
    response = client.get(f"/agreements/{TPP_EN}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert len(response.content) < 100_000
    sme_at = html.index('class="sme"')
    first_provision = html.index('<article class="provision')
    assert sme_at < first_provision
    sme_section = html[sme_at : html.index("</section>", sme_at)]
    assert "small and medium-sized enterprises" in sme_section.lower()
    assert "<mark" in sme_section
    # the profile chart: one bar per category, and values match the stored profile
    svg = _svgs(html)[0]
    bars = svg.findall(".//{http://www.w3.org/2000/svg}rect[@class='bar']")
    tpp = Agreement.objects.get(lens_id=TPP_EN)
    assert [round(float(b.get("data-value")), 4) for b in bars] == [
        round(tpp.profile["coverage"][c], 4) for c in CATEGORIES
    ]


def test_tpp_pages_all_under_100_kb_and_cover_every_provision(sample_db, client):
    tpp = Agreement.objects.get(lens_id=TPP_EN)
    seen: set[str] = set()
    page = 1
    while True:
        response = client.get(f"/agreements/{TPP_EN}/?show=all&page={page}")
        assert response.status_code == 200
        assert len(response.content) < 100_000, (page, len(response.content))
        ids = set(re.findall(r'id="(tota-449-a[^"]+)"', response.content.decode()))
        if not ids - seen:
            break
        seen |= ids
        page += 1
    assert len(seen) == tpp.n_provisions == Provision.objects.filter(agreement=tpp).count()


def test_unknown_agreement_is_a_404_page(sample_db, client):
    response = client.get("/agreements/tota-999999/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_compare_shows_both_agreements(sample_db, client):
    response = client.get(f"/compare/?a={TPP_EN}&b={JAPAN_THAILAND}")
    assert response.status_code == 200
    html = response.content.decode()
    for lens_id in (TPP_EN, JAPAN_THAILAND):
        assert Agreement.objects.get(lens_id=lens_id).name in html
    svg = _svgs(html)[0]
    assert len(svg.findall(".//{http://www.w3.org/2000/svg}rect[@class='bar']")) == 16
    assert (
        "change=1" in html and '<select name="a"' not in html
    )  # the result page stays small: no 450-option lists
    assert client.get("/compare/?a=tota-1&b=no-such").status_code == 400


def test_compare_form_prefilled_from_one_agreement(sample_db, client):
    response = client.get(f"/compare/?a={TPP_EN}")
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(rf'<option value="{TPP_EN}" selected>', html)
    assert '<select name="a"' in html and '<select name="b"' in html
    assert "aria-invalid" not in html


def test_country_page_heatmap_has_one_row_per_agreement(sample_db, client):
    response = client.get("/countries/PER/")
    assert response.status_code == 200
    html = response.content.decode()
    svg = _svgs(html)[0]
    rows = svg.findall(".//{http://www.w3.org/2000/svg}g[@class='row']")
    # Peru is party to the TPP only, stored in English and Spanish: one agreement, one row (issue 11)
    assert Agreement.objects.filter(parties__iso3="PER").count() == 2
    assert len(rows) == 1
    assert html.count(f'href="/agreements/{TPP_EN}/"') >= 1 and f"/agreements/{TPP_ES}/" not in html
    assert "Peru" in html
    french = client.get("/fr/countries/PER/").content.decode()
    assert "Pérou" in french
    assert client.get("/countries/ZZZ/").status_code == 404


def test_country_list_names_in_the_ui_language(sample_db, client):
    html = client.get("/es/countries/").content.decode()
    assert "Japón" in html and 'href="/es/countries/JPN/"' in html


def test_search_highlights_matches(sample_db, client):
    response = client.get("/search/?q=small+and+medium-sized+enterprises")
    assert response.status_code == 200
    html = response.content.decode()
    assert "provisions found" in html or "provision found" in html
    assert "<mark>" in html
    narrowed = client.get("/search/?q=enterprises&party=THA").content.decode()
    assert f"/agreements/{JAPAN_THAILAND}/" in narrowed
    assert f"/agreements/{TPP_EN}/" not in narrowed
    assert client.get("/search/?q=%22%28NEAR*").status_code == 200


def test_french_and_spanish_pages(sample_db, client):
    fr = client.get(f"/fr/agreements/{WAEMU_FR}/").content.decode()
    assert '<html lang="fr">' in fr
    assert "À propos de cet accord" in fr
    assert 'hreflang="es"' in fr and f'href="/es/agreements/{WAEMU_FR}/"' in fr
    es = client.get(f"/es/agreements/{TPP_ES}/").content.decode()
    assert '<html lang="es">' in es and "Capítulo sobre pymes" in es


def test_error_pages_are_translated_and_helpful(sample_db, client):
    response = client.get("/fr/agreements/tota-999999/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="fr">' in html and "Page introuvable" in html
    assert "tota-999999" in html  # the page names what was not found


def test_post_without_csrf_cookie_gets_a_clear_403(db):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/analyze/", {"text": "Small enterprises."})
    assert response.status_code == 403
    assert "The form has expired" in response.content.decode()


def test_search_pages_through_results(sample_db, client):
    first = client.get("/search/?q=parties").content.decode()
    total = int(re.search(r"(\d+) provisions found", first).group(1))
    assert total > 20
    assert 'rel="next"' in first and 'href="?q=parties&amp;page=2"' in first
    second = client.get("/search/?q=parties&page=2").content.decode()
    ids_1 = set(re.findall(r'#(tota-[\w-]+)"', first))
    ids_2 = set(re.findall(r'#(tota-[\w-]+)"', second))
    assert len(ids_1) == 20 and ids_2 and not ids_1 & ids_2
    assert 'rel="prev"' in second
    explicit = client.get("/search/?q=parties&relevance=explicit").content.decode()
    assert int(re.search(r"(\d+) provisions? found", explicit).group(1)) < total
    assert 'class="badge implicit"' not in explicit


def test_curated_provision_is_marked_on_the_agreement_page(sample_db, client, django_user_model):
    from msmelens.agreements.services import curate_provision

    curator = django_user_model.objects.create_user("curator", password="x")
    provision = Provision.objects.filter(agreement__lens_id=JAPAN_THAILAND, relevance="none").first()
    curate_provision(
        provision=provision, curator=curator, relevance="implicit", categories=["finance"], binding="soft"
    )
    html = client.get(f"/agreements/{JAPAN_THAILAND}/").content.decode()
    start = html.index(f'id="{provision.provision_id}"')
    block = html[start : html.index("</article>", start)]
    assert "Curated" in block and "Access to finance" in block and "Implicit" in block


def test_provision_text_carries_its_own_language(sample_db, client):
    html = client.get(f"/agreements/{TPP_ES}/").content.decode()
    assert '<html lang="en">' in html
    assert '<p class="text" lang="es">' in html


class _Structure(HTMLParser):
    """Balanced tags and unique ids (void elements excepted)."""

    VOID = frozenset(
        {"meta", "link", "input", "br", "img", "hr", "rect", "line", "source", "col", "area", "wbr"}
    )

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.ids: Counter[str] = Counter()

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.ids.update(v for k, v in attrs if k == "id")
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self.ids.update(v for k, v in attrs if k == "id")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> at {self.getpos()} inside {self.stack[-3:]}")
        else:
            self.stack.pop()


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/agreements/",
        f"/agreements/{TPP_EN}/",
        f"/agreements/{TPP_EN}/?show=all&page=2",
        f"/fr/compare/?a={TPP_EN}&b={JAPAN_THAILAND}",
        "/compare/",
        "/es/countries/",
        "/countries/THA/",
        "/search/?q=customs",
        "/analyze/",
        "/agreements/no-such/",
    ],
)
def test_pages_are_well_formed(sample_db, client, url):
    response = client.get(url)
    assert response.status_code in (200, 404)
    parser = _Structure()
    parser.feed(response.content.decode())
    assert parser.errors == [] and parser.stack == []
    assert [i for i, n in parser.ids.items() if n > 1] == []
    assert response.content.decode().count("<h1") == 1
