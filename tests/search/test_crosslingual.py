"""Search in three languages over the sample agreements (real ToTA texts; SQLite and PostgreSQL).

The TPP is imported in English and in Spanish, WAEMU in French: a query in one language finds the
provisions of the others through the shared concepts, every hit says its language, and the known relevant
provisions of ``crosslingual_queries.json`` come back in the first ten.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.db import connection
from tests.sample import TPP_EN, TPP_ES, WAEMU_FR

from msmelens.agreements import search
from msmelens.agreements.models import Provision
from msmelens.agreements.search_selectors import hit_language, provision_search
from msmelens.corpus.stemming import fold, words

QUERIES = json.loads((Path(__file__).parent / "crosslingual_queries.json").read_text(encoding="utf-8"))
pytestmark = pytest.mark.usefixtures("sample_db")


def ids(page) -> set[str]:  # type: ignore[no-untyped-def]
    return {h.provision.provision_id for h in page.hits}


def test_forms_of_a_word_find_the_same_provisions():
    ruling, rulings = provision_search(q="ruling", limit=100), provision_search(q="rulings", limit=100)
    assert ruling.total == rulings.total > 0 and ids(ruling) == ids(rulings)
    for hit in rulings.hits:  # an advance ruling is no rule: "rules" alone does not match
        assert {"ruling", "rulings"} & set(words(hit.provision.text + " " + " ".join(hit.provision.path)))
    plural = provision_search(q="empresas", language="es", cross_lingual=False, limit=100)
    singular = provision_search(q="empresa", language="es", cross_lingual=False, limit=100)
    assert singular.total == plural.total > 0
    only_plural = [
        h for h in singular.hits
        if "empresas" in words(h.provision.text) and "empresa" not in words(h.provision.text)
    ]
    assert only_plural  # "empresa" now finds provisions that only say "empresas"


def test_a_spanish_query_finds_english_and_spanish_provisions_marked_with_their_language():
    page = provision_search(q="resoluciones anticipadas", limit=50)
    by_language = {hit_language(h) for h in page.hits}
    assert {"en", "es"} <= by_language
    english = [h for h in page.hits if hit_language(h) == "en"]
    assert TPP_EN in {h.agreement.lens_id for h in english}
    assert any("advance ruling" in fold(h.provision.text) for h in english)
    assert all("<mark>" in h.snippet_html for h in page.hits)
    assert any("<mark>advance</mark> <mark>ruling" in h.snippet_html.lower() for h in english)


def test_the_language_filter_keeps_one_language():
    for language, agreement in (("en", TPP_EN), ("es", TPP_ES), ("fr", WAEMU_FR)):
        page = provision_search(q="enterprises", language=language, limit=100)
        assert page.total > 0, language
        assert {hit_language(h) for h in page.hits} == {language}
        assert agreement in {h.agreement.lens_id for h in page.hits}
    everything = provision_search(q="enterprises", limit=1).total
    parts = sum(provision_search(q="enterprises", language=lang, limit=1).total for lang in ("en", "fr", "es"))
    assert everything == parts


def test_without_concepts_a_query_stays_in_its_language():
    plain = provision_search(q="resoluciones anticipadas", cross_lingual=False, limit=100)
    assert plain.total > 0 and {hit_language(h) for h in plain.hits} == {"es"}
    crossed = provision_search(q="resoluciones anticipadas", limit=100)
    assert crossed.total > plain.total and ids(plain) <= ids(crossed)


def test_plain_words_rank_other_languages_but_do_not_exclude_them():
    """"protección de datos personales": "protección" has no concept; Spanish hits need it, others not."""
    page = provision_search(q="protección de datos personales", limit=100)
    spanish = [h for h in page.hits if hit_language(h) == "es"]
    english = [h for h in page.hits if hit_language(h) == "en"]
    assert spanish and english
    assert all("proteccion" in fold(h.provision.text) or "proteccion" in fold(" ".join(h.provision.path))
               for h in spanish)
    assert "tota-449-a40215" in ids(page)  # ARTICLE 14.8 Personal Information Protection


def recall_by_pair(*, cross_lingual: bool) -> dict[tuple[str, str], float]:
    present = set(Provision.objects.values_list("provision_id", flat=True))
    found: dict[tuple[str, str], list[float]] = {}
    for topic in QUERIES["topics"]:
        for qlang, text in topic["queries"].items():
            for hlang, relevant in topic["relevant"].items():
                relevant = [r for r in relevant if r in present]
                if not relevant:
                    continue
                page = provision_search(q=text, language=hlang, cross_lingual=cross_lingual, limit=10)
                found.setdefault((qlang, hlang), []).append(len(ids(page) & set(relevant)) / len(relevant))
    return {pair: sum(v) / len(v) for pair, v in found.items()}


def test_recall_at_10_on_the_known_relevant_provisions():
    crossed = recall_by_pair(cross_lingual=True)
    plain = recall_by_pair(cross_lingual=False)
    pairs = {(q, h) for q in ("en", "fr", "es") for h in ("en", "es", "fr")}
    assert set(crossed) == pairs  # every pair has relevant provisions in the sample agreements
    for (qlang, hlang), value in crossed.items():
        assert value >= (0.8 if hlang != "fr" else 0.5), (qlang, hlang, value)
    for qlang, hlang in (("en", "es"), ("es", "en"), ("fr", "en"), ("fr", "es")):
        assert plain[(qlang, hlang)] < 0.2 < crossed[(qlang, hlang)]  # the concepts do the crossing


def test_the_query_set_names_real_provisions_in_the_language_given():
    present = dict(Provision.objects.values_list("provision_id", "language"))
    sample = {p for topic in QUERIES["topics"] for v in topic["relevant"].values() for p in v if p in present}
    assert len(sample) >= 20
    for topic in QUERIES["topics"]:
        assert set(topic["queries"]) == {"en", "fr", "es"}
        for language, relevant in topic["relevant"].items():
            for provision_id in relevant:
                if provision_id in present:
                    assert present[provision_id] == language, provision_id


def test_rebuilding_the_index_gives_the_same_results():
    before = provision_search(q="ventanilla única small and medium-sized enterprises", limit=100)
    table = search.SEARCH_TABLE if connection.vendor == "postgresql" else search.STEM_TABLE
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")
    assert provision_search(q="enterprises").total == 0
    assert search.rebuild_index() == Provision.objects.count()
    after = provision_search(q="ventanilla única small and medium-sized enterprises", limit=100)
    assert after.total == before.total and ids(after) == ids(before)


def test_headings_are_searched():
    article = Provision.objects.get(provision_id="tota-449-a40062")  # ARTICLE 5.7 Express Shipments
    assert "Express Shipments" in article.path[-1]
    page = provision_search(q="express shipments", language="en", limit=10)
    assert article.provision_id in ids(page)


def test_hits_in_the_query_language_rank_a_little_higher():
    english = provision_search(q="advance rulings", limit=5)
    spanish = provision_search(q="resoluciones anticipadas", limit=5)
    assert hit_language(english.hits[0]) == "en" and hit_language(spanish.hits[0]) == "es"
    assert english.total == spanish.total > 0  # the same concept, the same hits
    plan = search.plan("resoluciones anticipadas", search.query_units("resoluciones anticipadas"))
    assert plan.prefer == "es" and plan.language == ""  # a concept alone: nothing required per language
