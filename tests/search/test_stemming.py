"""Stems and shared concepts (pure Python): plural and accent forms meet, queries are cut into units."""

from __future__ import annotations

import pytest

from msmelens.corpus.stemming import index_text, language_of, query_stems, stem, stems, words
from msmelens.lens.concepts import concept_phrases, concepts, highlight_stems, parse_query, query_language


@pytest.mark.parametrize(
    ("a", "b", "language"),
    [
        ("ruling", "rulings", "en"),
        ("enterprise", "enterprises", "en"),
        ("empresa", "empresas", "es"),
        ("resolución", "resoluciones", "es"),
        ("décision", "décisions", "fr"),
        ("entreprise", "entreprises", "fr"),
    ],
)
def test_forms_of_a_word_share_a_stem(a: str, b: str, language: str) -> None:
    assert stem(words(a)[0], language) == stem(words(b)[0], language)


def test_accents_and_case_do_not_change_stems() -> None:
    assert stems("Décisions ANTICIPÉES", "fr") == stems("decisions anticipees", "fr") == ["decis", "anticipe"]
    assert stems("PEQUEÑAS empresas", "es") == stems("pequenas Empresas", "es") == ["pequen", "empres"]


def test_other_languages_are_indexed_unstemmed() -> None:
    assert index_text("Die Unternehmen", "de") == "die unternehmen"
    assert language_of("en-GB") == "en" and language_of("de") == "" and language_of(None) == ""


def test_a_query_word_has_its_stem_in_each_language() -> None:
    assert query_stems("rulings") == ("rulings", "ruling")
    assert stem("ruling", "en") == stem("rulings", "en") != stem("rules", "en")
    assert "empres" in query_stems("empresas")


def test_words_drop_punctuation_and_underscores() -> None:
    assert words('"Élément" AND (NEAR*) x_y') == ["element", "and", "near", "x", "y"]


def test_concepts_have_phrases_in_the_three_languages() -> None:
    table = concepts()
    assert len(table) >= 60
    for concept in table:
        assert set(concept.phrases) == {"en", "fr", "es"}, concept.key
        assert all(concept.phrases[lang] for lang in ("en", "fr", "es")), concept.key
    # the lexicons' SME acronyms join the curated phrases
    sme = concept_phrases("sme")
    assert {"smes", "msme"} <= set(sme["en"]) and {"pyme", "mipymes"} <= set(sme["es"]) and "pme" in sme["fr"]


@pytest.mark.parametrize(
    ("query", "concept", "language"),
    [
        ("ventanilla única", "single_window", "es"),
        ("Ventanilla Unica", "single_window", "es"),
        ("guichet unique", "single_window", "fr"),
        ("single windows", "single_window", "en"),
        ("resoluciones anticipadas", "advance_rulings", "es"),
        ("advance ruling", "advance_rulings", "en"),
        ("décisions anticipées", "advance_rulings", "fr"),
    ],
)
def test_a_concept_phrase_is_one_unit_with_its_translations(query: str, concept: str, language: str) -> None:
    units = parse_query(query)
    assert [u.concept for u in units] == [concept]
    assert language in units[0].languages
    alternatives = set(units[0].alternatives)
    assert ("singl", "window") in alternatives or ("advanc", "ruling") in alternatives
    assert ("guichet", "uniqu") in alternatives or ("decis", "anticipe") in alternatives
    assert ("ventanill", "unic") in alternatives or ("resolu", "anticip") in alternatives


def test_longest_phrase_wins_and_plain_words_stay() -> None:
    units = parse_query("small and medium-sized enterprises in government procurement rulings")
    assert [u.concept for u in units] == ["sme", "government_procurement", ""]
    assert units[-1].words == ("rulings",)
    assert parse_query("ventanilla única", cross_lingual=False)[0].concept == ""


def test_stopwords_are_dropped_unless_alone() -> None:
    assert [u.words for u in parse_query("the rules of the game")] == [("rules",), ("game",)]
    assert [u.words for u in parse_query("the")] == [("the",)]
    assert parse_query("") == [] and parse_query("!!! ???") == []


def test_query_language_is_voted_by_concepts_and_stopwords() -> None:
    for query, expected in [
        ("comité de pymes", "es"),
        ("committee on SMEs", "en"),
        ("droit de la concurrence", "fr"),
        ("rulings", ""),
    ]:
        assert query_language(query, parse_query(query)) == expected, query


def test_highlight_stems_leave_stopwords_out() -> None:
    marks = highlight_stems(parse_query("pequeñas y medianas empresas"))
    assert {"pequen", "median", "empres", "small", "enterpris", "pme"} <= marks
    assert not {"y", "and", "et"} & marks


def test_stemming_is_safe_from_several_threads() -> None:
    """Web threads stem query words at once: each must get its own words' stems (a shared Snowball stemmer
    mixed them up and failed with IndexError)."""
    import sys
    import threading

    import snowballstemmer

    from msmelens.corpus import stemming

    vocabulary = sorted(
        {w for t in ("procedimientos aduaneros simplificados para las pequeñas empresas exportadoras",
                     "les procédures douanières simplifiées des petites entreprises exportatrices",
                     "simplified customs procedures for small exporting enterprises") for w in stemming.words(t)}
    )
    words = [f"{w}{suffix}" for w in vocabulary for suffix in ("", "s", "es", "mente", "ation", "ions", "idades")]
    reference = snowballstemmer.stemmer("spanish")
    expected = {w: stemming.fold(reference.stemWord(w)) or w for w in words}
    errors: list[str] = []
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible
    try:

        def work() -> None:
            for _ in range(40):
                stemming.stem.cache_clear()
                for w in words:
                    try:
                        got = stemming.stem(w, "es")
                    except Exception as exc:  # noqa: BLE001 - any failure is the finding
                        errors.append(f"{w}: {exc!r}")
                        return
                    if got != expected[w] and stemming.EXCEPTIONS["es"].get(w) is None:
                        errors.append(f"{w}: {got} != {expected[w]}")
                        return

        threads = [threading.Thread(target=work) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(interval)
        stemming.stem.cache_clear()
    assert errors == []


def test_the_index_was_built_from_the_current_concept_table() -> None:
    """Concept tokens are written into the search index: a changed concept table needs a migration that
    runs ``search.rebuild_index()`` (like agreements 0007), then ``search.INDEXED_CONCEPTS`` updated."""
    from msmelens.agreements import search
    from msmelens.lens.concepts import fingerprint

    assert fingerprint() == search.INDEXED_CONCEPTS, (
        "The concept table changed: add a migration that rebuilds the search index, then set "
        f"search.INDEXED_CONCEPTS = {fingerprint()!r}"
    )


def test_concepts_in_finds_every_mention_in_any_language() -> None:
    from msmelens.corpus.stemming import stems
    from msmelens.lens.concepts import concept_token, concepts_in

    english = stems("The single window and the SME committee: small and medium-sized enterprises.", "en")
    spanish = stems("La ventanilla única para las pequeñas y medianas empresas y las pymes.", "es")
    assert concepts_in(english).count("single_window") == 1 and concepts_in(english).count("sme") == 2
    assert concepts_in(spanish).count("single_window") == 1 and concepts_in(spanish).count("sme") == 2
    assert concepts_in(stems("A window that is single.", "en")).count("single_window") == 0
    assert concept_token("single_window") == "zzcsinglewindow"
