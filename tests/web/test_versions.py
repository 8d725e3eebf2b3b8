"""Language versions in the database, pages and API (issue 11, point 1); runs on SQLite and PostgreSQL.

The sample holds the Trans-Pacific Partnership twice, as ToTA does: English (tota-449) and Spanish
(tota-450). It must be one agreement with two versions everywhere.
"""

from __future__ import annotations

import importlib
import re
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from tests.sample import JAPAN_THAILAND, SAMPLE_IDS, TPP_EN, TPP_ES

from msmelens.agreements import services, version_selectors
from msmelens.agreements.models import Agreement, Provision

pytestmark = pytest.mark.django_db


def _numbers(path: list[str]) -> list[str]:
    return [m.group(0) if (m := re.search(r"\d+(?:\.\d+)*", h)) else "-" for h in path]


def test_import_groups_the_tpp_texts_and_leaves_the_others_alone(sample_db):
    rows = {a.lens_id: (a.group_key, a.is_primary) for a in Agreement.objects.all()}
    assert rows[TPP_EN] == (TPP_EN, True)
    assert rows[TPP_ES] == (TPP_EN, False)
    for lens_id in set(SAMPLE_IDS) - {TPP_EN, TPP_ES}:
        assert rows[lens_id] == (lens_id, True)
    assert services.regroup_versions() == 0  # nothing to change a second time


def test_an_existing_database_is_grouped_by_the_migration_and_by_the_import_path(sample_db):
    Agreement.objects.update(group_key="", is_primary=True)  # as before migration 0005's data step
    migration = importlib.import_module("msmelens.agreements.migrations.0005_language_versions")
    migration.regroup(apps, None)
    assert Agreement.objects.get(lens_id=TPP_ES).is_primary is False
    assert Agreement.objects.filter(is_primary=True).count() == len(SAMPLE_IDS) - 1
    Agreement.objects.update(group_key="", is_primary=True)
    assert services.regroup_versions() == len(SAMPLE_IDS)  # every row gets its key, the TPP_ES its primary
    assert set(Agreement.objects.filter(is_primary=False).values_list("lens_id", flat=True)) == {TPP_ES}


def test_versions_are_listed_primary_first_and_shown_in_the_readers_language(sample_db):
    en = Agreement.objects.get(lens_id=TPP_EN)
    es = Agreement.objects.get(lens_id=TPP_ES)
    for member in (en, es):
        assert [v.lens_id for v in version_selectors.agreement_versions(agreement=member)] == [TPP_EN, TPP_ES]
    versions = [en, es]
    show = version_selectors.version_to_show
    assert show(agreement=en, versions=versions, language="es").lens_id == TPP_ES
    assert show(agreement=en, versions=versions, language="fr").lens_id == TPP_EN  # no French text
    assert show(agreement=en, versions=versions, language="es", requested=TPP_EN).lens_id == TPP_EN
    assert show(agreement=es, versions=versions, language="en").lens_id == TPP_ES  # a version's own id
    assert show(agreement=en, versions=versions, language="en", requested=JAPAN_THAILAND).lens_id == TPP_EN
    japan = Agreement.objects.get(lens_id=JAPAN_THAILAND)
    assert version_selectors.agreement_versions(agreement=japan) == [japan]


def test_disagreements_are_between_provisions_at_the_same_article(sample_db):
    en = Agreement.objects.get(lens_id=TPP_EN)
    es = Agreement.objects.get(lens_id=TPP_ES)
    (comparison,) = version_selectors.compare_versions(shown=en, others=[es])
    n_en, n_es = (
        Provision.objects.filter(agreement=en).count(),
        Provision.objects.filter(agreement=es).count(),
    )
    assert (comparison.n_shown, comparison.n_other) == (n_en, n_es)
    # ToTA's Spanish text lacks one article: all but that one correspond
    assert min(n_en, n_es) - 1 <= comparison.n_aligned <= min(n_en, n_es)
    assert 0 < comparison.n_differences < comparison.n_aligned
    for d in comparison.differences:
        assert _numbers(d.shown.path) == _numbers(d.other.path)  # same chapter and article numbers
        assert d.shown.agreement_id == en.pk and d.other.agreement_id == es.pk
        assert d.relevance_differs == (d.shown.relevance != d.other.relevance)
        assert d.only_shown == [c for c in d.shown.categories if c not in d.other.categories]
        assert d.only_other == [c for c in d.other.categories if c not in d.shown.categories]
        assert d.relevance_differs or d.only_shown or d.only_other
    # and every corresponding pair left out agrees: count the agreeing ones independently
    by_numbers_es = {tuple(_numbers(p.path)): p for p in Provision.objects.filter(agreement=es)}
    agreeing = 0
    for p in Provision.objects.filter(agreement=en):
        other = by_numbers_es.get(tuple(_numbers(p.path)))
        if (
            other is not None
            and other.relevance == p.relevance
            and set(other.categories) == set(p.categories)
        ):
            agreeing += 1
    assert agreeing == comparison.n_aligned - comparison.n_differences


def _about(html: str) -> str:
    found = re.search(r"<dt>Identifier</dt><dd>([^<]+)</dd>", html) or re.search(
        r"<dt>Identificador</dt><dd>([^<]+)</dd>", html
    )
    assert found, html[:300]
    return found.group(1)


def test_the_page_offers_each_version_and_defaults_to_the_readers_language(sample_db, client: Client):
    english = client.get(f"/agreements/{TPP_EN}/").content.decode()
    assert _about(english) == TPP_EN
    assert 'id="versions"' in english
    assert f'href="/agreements/{TPP_EN}/?version={TPP_ES}" hreflang="es"' in english
    spanish = client.get(f"/es/agreements/{TPP_EN}/").content.decode()
    assert _about(spanish) == TPP_ES  # the reader's language, where a text exists in it
    assert f'href="/es/agreements/{TPP_EN}/?version={TPP_EN}" hreflang="en"' in spanish
    assert _about(client.get(f"/es/agreements/{TPP_EN}/?version={TPP_EN}").content.decode()) == TPP_EN
    assert _about(client.get(f"/agreements/{TPP_ES}/").content.decode()) == TPP_ES  # old URLs keep working
    french = client.get(f"/fr/agreements/{TPP_EN}/").content.decode()
    assert 'lang="fr"' in french and TPP_EN in french and 'id="versions"' in french
    japan = client.get(f"/agreements/{JAPAN_THAILAND}/").content.decode()
    assert 'id="versions"' not in japan


def test_the_page_says_how_many_provisions_the_versions_label_differently(sample_db, client: Client):
    en = Agreement.objects.get(lens_id=TPP_EN)
    es = Agreement.objects.get(lens_id=TPP_ES)
    (comparison,) = version_selectors.compare_versions(shown=en, others=[es])
    html = client.get(f"/agreements/{TPP_EN}/").content.decode()
    text = re.sub(r"\s+", " ", html)
    assert (
        f"The lens labels {comparison.n_differences} of {comparison.n_aligned} corresponding provisions "
        "differently in the Spanish text." in text
    )
    table = re.search(r'<div class="version-diff" data-other="tota-450">.*?</table>', html, re.S)
    assert table is not None
    assert table.group(0).count("<tr>") == comparison.n_differences + 1  # header + one row each
    first = comparison.differences[0]
    assert f"{first.shown.provision_id} · {first.other.provision_id}" in table.group(0)


def test_the_list_has_the_tpp_once_with_its_texts(sample_db, client: Client):
    html = client.get("/agreements/?sort=name").content.decode()
    assert html.count(f'href="/agreements/{TPP_EN}/"') == 1 and f"/agreements/{TPP_ES}/" not in html
    assert html.count('class="muted versions"') == 1
    assert "Authentic texts: English, Spanish" in html
    spanish = client.get("/es/agreements/").content.decode()
    assert "Inglés, Español" in spanish


def test_compare_lists_each_agreement_once_and_still_compares_two_versions(sample_db, client: Client):
    form = client.get("/compare/").content.decode()
    assert form.count(f'value="{TPP_EN}"') == 2 and f'value="{TPP_ES}"' not in form  # two selects
    response = client.get("/compare/", {"a": TPP_ES, "b": TPP_EN})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="/agreements/{TPP_ES}/"' in html and f'href="/agreements/{TPP_EN}/"' in html
    assert client.get("/compare/", {"a": "tota-999999", "b": TPP_EN}).status_code == 400


def test_pager_and_show_all_links_keep_the_version(sample_db, client: Client):
    html = client.get(f"/agreements/{TPP_EN}/?version={TPP_ES}").content.decode()
    assert _about(html) == TPP_ES
    assert f'href="?version={TPP_ES}&amp;show=all"' in html
    page2 = client.get(f"/agreements/{TPP_EN}/?version={TPP_ES}&show=all&page=2").content.decode()
    assert _about(page2) == TPP_ES and f'href="?version={TPP_ES}&amp;show=all&amp;page=1"' in page2


def _keys(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


def test_the_api_lists_versions_under_the_agreement(sample_db, client: Client):
    detail = client.get(f"/api/v1/agreements/{TPP_ES}").json()
    assert detail["agreement_id"] == TPP_ES and detail["language"] == "es"
    assert [(v["agreement_id"], v["language"], v["primary"]) for v in detail["versions"]] == [
        (TPP_EN, "en", True),
        (TPP_ES, "es", False),
    ]
    assert detail["versions"][1]["links"] == {
        "self": f"/api/v1/agreements/{TPP_ES}",
        "page": f"/agreements/{TPP_EN}/?version={TPP_ES}",
    }
    items = client.get("/api/v1/agreements", {"limit": 200}).json()["items"]
    assert [i["agreement_id"] for i in items].count(TPP_EN) == 1 and TPP_ES not in [
        i["agreement_id"] for i in items
    ]
    by_id = {i["agreement_id"]: i for i in items}
    assert [v["agreement_id"] for v in by_id[TPP_EN]["versions"]] == [TPP_EN, TPP_ES]
    assert [v["agreement_id"] for v in by_id[JAPAN_THAILAND]["versions"]] == [JAPAN_THAILAND]
    # the Spanish text keeps its own lens results
    provisions = client.get(f"/api/v1/agreements/{TPP_ES}/provisions", {"limit": 5}).json()
    assert provisions["count"] == Provision.objects.filter(agreement__lens_id=TPP_ES).count()


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/agreements",
        f"/api/v1/agreements/{TPP_EN}",
        f"/api/v1/agreements/{TPP_EN}/provisions?limit=3",
        "/api/v1/countries/JPN",
        "/api/v1/search?q=enterprises&limit=3",
        "/api/v1/overview",
    ],
)
def test_one_name_for_the_agreement_id_across_the_api(sample_db, client: Client, url: str):
    response = client.get(url)
    assert response.status_code == 200
    keys = _keys(response.json())
    assert "lens_id" not in keys
    if "overview" not in url:
        assert "agreement_id" in keys


def test_openapi_names_the_id_agreement_id():
    from msmelens.api.openapi_doc import openapi_schema

    schema = openapi_schema()
    assert '"lens_id"' not in repr(schema).replace("'", '"')
    assert "/api/v1/agreements/{agreement_id}" in schema["paths"]
    assert "versions" in schema["components"]["schemas"]["AgreementItem"]["properties"]
