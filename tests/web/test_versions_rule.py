"""The language-version rule (pure): grouping texts into agreements and aligning their provisions.

Also checks the rule on the real ToTA corpus (metadata only): 450 files make 449 agreements, the only
multi-version one being the Trans-Pacific Partnership (English pta_449, Spanish pta_450).
"""

from __future__ import annotations

from defusedxml.ElementTree import iterparse
from tests.sample import TOTA_XML

from msmelens.agreements.versions import (
    Position,
    Text,
    align,
    group_versions,
    natural_key,
    normalise_name,
    position_key,
)
from msmelens.corpus.tota import read_meta


def test_same_name_and_date_are_one_agreement_whatever_the_case_accents_and_punctuation():
    grouping = group_versions(
        [
            Text("tota-450", "Acuerdo – Côte d'Ivoire", "2008-11-26", language="es"),
            Text("tota-449", "ACUERDO - COTE D'IVOIRE", "2008-11-26", language="en"),
            Text("tota-451", "Acuerdo - Cote d'Ivoire", "2008-11-27", language="fr"),  # another date
        ]
    )
    assert grouping.group_of == {"tota-449": "tota-449", "tota-450": "tota-449", "tota-451": "tota-451"}
    assert grouping.multi_version() == {"tota-449": ["tota-449", "tota-450"]}
    assert grouping.n_groups == 2
    assert normalise_name("  EU – Côte d'Ivoire ") == "eu cote d ivoire"


def test_a_shared_wto_rta_id_groups_texts_and_the_relation_is_transitive():
    grouping = group_versions(
        [
            Text("doc-a", "Agreement A", "2001-01-01", wto_rta_id="77", language="fr"),
            Text("doc-b", "Accord A (texte français)", "2001-02-02", wto_rta_id="77", language="es"),
            Text("doc-c", "Accord A (texte français)", "2001-02-02", language="en"),  # same name+date as b
            Text("doc-d", "Agreement D", "2001-01-01", wto_rta_id="78", language="en"),
        ]
    )
    assert grouping.members["doc-c"] == ["doc-c", "doc-a", "doc-b"]  # English first, then natural order
    assert grouping.group_of["doc-d"] == "doc-d"


def test_texts_without_a_name_or_date_are_never_grouped_by_them():
    grouping = group_versions(
        [
            Text("doc-1", "", "2001-01-01"),
            Text("doc-2", "", "2001-01-01"),
            Text("doc-3", "X", ""),
            Text("doc-4", "X"),
        ]
    )
    assert grouping.n_groups == 4


def test_primary_prefers_english_then_the_lowest_id_in_natural_order():
    texts = [
        Text("tota-10", "T", "2000-01-01", language="es"),
        Text("tota-9", "T", "2000-01-01", language="fr"),
    ]
    assert group_versions(texts).members == {"tota-9": ["tota-9", "tota-10"]}
    assert natural_key("tota-9") < natural_key("tota-10")
    english = [*texts, Text("tota-11", "T", "2000-01-01", language="en")]
    assert group_versions(english).members == {"tota-11": ["tota-11", "tota-9", "tota-10"]}


def test_position_key_reads_chapter_and_article_numbers_in_any_language():
    en = Position("tota-449-a1", "39979", ["CHAPTER 3 Rules Of Origin", "ARTICLE 3.15 Packing Materials"])
    es = Position(
        "tota-450-a1", "40487", ["CAPÍTULO 3 Reglas De Origen", "ARTÍCULO 3.15 Materiales De Embalaje"]
    )
    assert position_key(en) == position_key(es) == "3/3.15"
    assert position_key(Position("x", "", ["Preamble"])) == "-"
    paragraph = Position("tota-1-a7-p2", "", ["Chapter 1", "Article 4"], unit="paragraph")
    assert position_key(paragraph) == "1/4#p2"


def test_align_pairs_same_positions_and_skips_what_repeats_or_is_missing():
    left = [
        Position("a1", "1", ["Preamble"]),
        Position("a2", "2", ["CHAPTER 1", "ARTICLE 1.1 Establishment"]),
        Position("a3", "3", ["CHAPTER 1", "ARTICLE 1.2 Relation"]),
        Position("a4", "4", ["CHAPTER 2", "ANNEX"]),  # no number: key "2/-", twice in this text
        Position("a5", "5", ["CHAPTER 2", "ANNEX"]),
        Position("a6", "6", ["CHAPTER 2", "ARTICLE 2.1"]),
    ]
    right = [
        Position("b1", "91", ["Preámbulo"]),
        Position("b2", "92", ["CAPÍTULO 1", "ARTÍCULO 1.1 Establecimiento"]),
        Position("b3", "93", ["CAPÍTULO 2", "ANEXO"]),
        Position("b4", "94", ["CAPÍTULO 2", "ARTÍCULO 2.1"]),
    ]
    assert align(left, right) == [(0, 0), (1, 1), (5, 3)]


def test_align_uses_shared_source_references_when_the_texts_have_them():
    left = [
        Position("a1", "Article 1", ["1"]),
        Position("a2", "Article 2", ["2"]),
        Position("a3", "Article 3", []),
    ]
    right = [Position("b1", "Article 2", ["x"]), Position("b2", "Article 1", ["y"])]
    assert align(left, right) == [(0, 1), (1, 0)]


def _corpus_texts() -> list[Text]:
    texts = []
    for path in sorted(TOTA_XML.glob("pta_*.xml")):
        for _, element in iterparse(str(path)):
            if element.tag == "meta":
                meta = read_meta(element)
                break
        texts.append(
            Text(
                agreement_id="tota-" + path.stem.split("_", 1)[1],
                name=meta.name,
                date_signed=meta.date_signed or "",
                wto_rta_id=meta.wto_rta_id,
                language=meta.language,
            )
        )
    return texts


def test_on_the_real_corpus_the_tpp_is_the_one_agreement_with_two_texts():
    texts = _corpus_texts()
    assert len(texts) == 450
    grouping = group_versions(texts)
    assert grouping.n_groups == 449
    assert grouping.multi_version() == {"tota-449": ["tota-449", "tota-450"]}
