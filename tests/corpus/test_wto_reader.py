"""The WTO reader on the real sample (GATS Annex on Telecommunications, ../shared/wto) and on fixture pages
written for these tests (tests/corpus/data/wto: TBT-, GATS-, TFA- and TPRM-shaped texts in en/fr/es)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from msmelens.corpus.errors import ReadError
from msmelens.corpus.model import Document
from msmelens.corpus.wto_reader import clean_text, read_wto_file, read_wto_text, roman_value, split_name

SAMPLE = Path(__file__).resolve().parents[2] / ".." / "shared" / "wto" / "gats-annex-telecommunications.txt"
DATA = Path(__file__).parent / "data" / "wto"


def _check(doc: Document) -> None:
    ids: set[str] = set()
    for ch in doc.chapters:
        assert 0 <= ch.start <= ch.end <= len(doc.text)
        assert ch.id not in ids
        ids.add(ch.id)
        for a in ch.articles:
            assert doc.text[a.start : a.end] == a.text and a.text.strip() == a.text and a.text
            assert a.id not in ids and a.id.startswith(ch.id)
            ids.add(a.id)
            for p in a.paragraphs:
                assert doc.text[p.start : p.end] == p.text
                assert p.text.strip() == p.text and p.text
                assert a.start <= p.start < p.end <= a.end
                assert p.id not in ids
                ids.add(p.id)


@pytest.fixture(scope="module")
def sample() -> Document:
    return read_wto_file(SAMPLE, language="en")


def test_sample_structure(sample: Document):
    _check(sample)
    assert sample.id == "wto-gats-annex-telecommunications-en"
    assert sample.meta.name == "GATS Annex on Telecommunications" and sample.meta.language == "en"
    assert len(sample.meta.parties) == 166 and "EUN" in sample.meta.parties
    assert sample.meta.sources == ["https://www.wto.org/english/docs_e/legal_e/26-gats_02_e.htm"]
    assert [c.heading for c in sample.chapters] == ["Annex on telecommunications"]
    assert [a.heading for a in sample.articles()] == [
        "1. Objectives",
        "2. Scope",
        "3. Definitions",
        "4. Transparency",
        "5. Access to and use of Public Telecommunications Transport Networks and Services",
        "6. Technical Cooperation",
        "7. Relation to International Organizations and Agreements",
    ]
    assert [a.source_ref for a in sample.articles()] == ["1", "2", "3", "4", "5", "6", "7"]


def test_sample_noise_removed_and_text_kept(sample: Document):
    assert "back to top" not in sample.text.lower()
    raw = SAMPLE.read_text(encoding="utf-8")
    words = re.sub(r"back to top", " ", raw, flags=re.IGNORECASE).replace("ScopeBack", "Scope ").split()
    assert sample.text.split() == [w for w in words if w]
    assert "services.(1)" in sample.text  # footnote markers stay in the text


def test_sample_paragraphs_and_sub_paragraph_refs(sample: Document):
    refs = [p.source_ref for p in sample.paragraphs()]
    assert len(refs) == 38
    assert refs[:6] == ["1#p1", "2#2(a)", "2#2(b)", "2#2(c)", "2#2(c)(i)", "2#2(c)(ii)"]
    assert [r for r in refs if r.startswith("5#5(f)")] == [
        "5#5(f)",
        "5#5(f)(i)",
        "5#5(f)(ii)",
        "5#5(f)(iii)",
        "5#5(f)(iv)",
        "5#5(f)(v)",
        "5#5(f)(vi)",
    ]
    definitions = next(a for a in sample.articles() if a.source_ref == "3")
    assert definitions.paragraphs[0].text == "For the purposes of this Annex:"
    assert definitions.paragraphs[1].text.startswith("(a) “Telecommunications” means")
    scope = next(a for a in sample.articles() if a.source_ref == "2")
    assert scope.paragraphs[4].text.startswith("(ii) to require a Member (or to require")
    assert scope.paragraphs[4].path == ["Annex on telecommunications", "2. Scope"]


def test_tbt_page_articles_sections_annex_and_footnotes():
    doc = read_wto_file(DATA / "tbt.en.html")
    _check(doc)
    assert doc.id == "wto-tbt-en" and doc.format == "html"
    assert [c.heading for c in doc.chapters] == [
        "Agreement on Technical Barriers to Trade",
        "ANNEX 1 TERMS AND THEIR DEFINITIONS FOR THE PURPOSE OF THIS AGREEMENT",
        "Footnotes",
    ]
    main, annex, notes = doc.chapters
    assert [a.source_ref for a in main.articles] == ["preamble", "1", "2", "12"]
    assert main.articles[0].paragraphs[0].text == "Members,"
    art2 = main.articles[2]
    assert art2.heading.startswith("Article 2: Preparation, Adoption") and "Back to top" not in art2.heading
    assert art2.path[1] == "TECHNICAL REGULATIONS AND STANDARDS"
    assert [p.source_ref for p in art2.paragraphs] == [
        "2#p1",
        "2#2.1",
        "2#2.2",
        "2#2.2(a)",
        "2#2.2(b)",
        "2#2.2(c)",
        "2#2.2(c)(i)",
        "2#2.2(c)(ii)",
        "2#2.3",
    ]
    assert art2.paragraphs[1].text.endswith("like products of national origin.(1)")
    assert [a.heading for a in annex.articles] == [annex.heading, "1. Technical regulation", "2. Standard"]
    assert annex.articles[1].text.startswith("Document which lays down product characteristics")
    assert [(a.heading, a.source_ref) for a in notes.articles] == [
        ("Footnote 1", "fn1"),
        ("Footnote 2", "fn2"),
    ]
    assert notes.articles[1].text.startswith('For the purposes of this Agreement, the term "developing')
    for noise in (
        "back to top",
        "problems viewing",
        "about wto",
        "legal texts: the wto",
        "var menu",
        "share",
    ):
        assert noise not in doc.text.lower()


def test_sps_page_titles_on_their_own_line_and_anchor_footnotes():
    doc = read_wto_file(DATA / "sps.en.html")
    _check(doc)
    main, annex, notes = doc.chapters
    assert main.heading == "Agreement on the Application of Sanitary and Phytosanitary Measures"
    assert [a.heading for a in main.articles] == [
        "Preamble",
        "Article 1 General Provisions",
        "Article 2 Basic Rights and Obligations",
    ]
    assert main.articles[2].paragraphs[0].text.endswith("plant life or health.(1)")
    assert annex.heading == "ANNEX A DEFINITIONS(2)"
    assert [p.source_ref for p in annex.articles[0].paragraphs] == [
        "intro#1",
        "intro#1(a)",
        "intro#1(b)",
        "intro#2",
    ]
    assert [a.source_ref for a in notes.articles] == ["fn1", "fn2"]
    assert (
        notes.articles[1].text
        == 'For the purpose of these definitions, "animal" includes fish and wild fauna.'
    )
    assert "back to top" not in doc.text.lower() and "Home" not in doc.text


def test_footnotes_after_each_article_belong_to_the_chapter():
    page = (
        "<html><body><h1>Agreement on Trade Facilitation</h1><p>Article 1</p><p>Publication</p>"
        '<p>1.1 Each Member shall publish.<a href="#fnt-1" name="fntext-1"><sup>1</sup></a></p>'
        '<p class="footnote"><a name="fnt-1" href="#fntext-1">1</a> First note.</p>'
        "<p>Article 2</p><p>Consultations</p><p>2.1 Each Member shall consult.<sup>2</sup></p>"
        '<p><a name="fnt-2"></a>2 Second note.</p><p><a name="fnt-3"></a>3 Third note.</p>'
        "<p>Article 3</p><p>Advance Rulings</p><p>3.1 Each Member shall issue.</p></body></html>"
    )
    doc = read_wto_text(page, key="tfa", language="en")
    _check(doc)
    assert [(a.source_ref, a.text) for a in doc.articles()] == [
        ("1", "1.1 Each Member shall publish.(1)"),
        ("fn1", "First note."),
        ("2", "2.1 Each Member shall consult.(2)"),
        ("fn2", "Second note."),
        ("fn3", "Third note."),
        ("3", "3.1 Each Member shall issue."),
    ]
    assert len(doc.chapters) == 1


def test_page_wrapped_in_a_form_with_html5_article_headers():
    page = (
        '<html><body><form id="aspnetForm"><header><a>Home</a></header><nav>Menu</nav><main>'
        "<h1>Agreement on Safeguards</h1><article><header><h2>Article 1</h2><p>General Provision</p></header>"
        "<p>This Agreement establishes rules.</p></article></main><footer>Contact</footer></form></body></html>"
    )
    doc = read_wto_text(page, key="safeguards", language="en")
    assert (
        doc.text
        == "Agreement on Safeguards\n\nArticle 1\n\nGeneral Provision\n\nThis Agreement establishes rules."
    )
    assert [(a.heading, a.text) for a in doc.articles()] == [
        ("Article 1 General Provision", "This Agreement establishes rules.")
    ]


def test_french_gats_parts_article_premier_bis_and_notes():
    doc = read_wto_file(DATA / "gats.fr.html")
    _check(doc)
    assert doc.id == "wto-gats-fr" and doc.meta.language == "fr"
    assert [c.source_ref for c in doc.chapters] == ["main", "Part I", "Part II", "footnotes"]
    assert doc.chapters[1].heading == "PARTIE I PORTÉE ET DÉFINITION"
    arts = [(a.source_ref, a.heading) for a in doc.articles()]
    assert ("premier", "Article premier Portée et définition") in arts
    assert ("V bis", "Article V bis Accords d'intégration des marchés du travail") in arts
    premier = doc.chapters[1].articles[0]
    assert [p.source_ref for p in premier.paragraphs] == [
        "premier#1",
        "premier#2",
        "premier#2(a)",
        "premier#2(b)",
    ]
    assert doc.chapters[3].articles[0].heading == "Note 1"
    assert "haut de page" not in doc.text.lower()


def test_shared_page_keeps_only_the_annex_asked_for():
    page = DATA / "gats-end.es.html"
    telecom = read_wto_file(page, key="gats-annex-telecommunications")
    _check(telecom)
    assert telecom.id == "wto-gats-annex-telecommunications-es" and not telecom.warnings
    assert [c.heading for c in telecom.chapters] == ["Anexo sobre telecomunicaciones"]
    assert [a.heading for a in telecom.articles()] == ["1. Objetivos", "2. Alcance"]
    assert "financieros" not in telecom.text and "básicas" not in telecom.text
    assert [p.source_ref for p in telecom.chapters[0].articles[1].paragraphs] == ["2#2(a)", "2#2(b)"]
    basic = read_wto_file(page, key="gats-annex-basic-telecommunications")
    assert basic.text.startswith("Anexo relativo a las negociaciones") and "Objetivos" not in basic.text
    missing = read_wto_file(page, key="gats-annex-maritime")
    assert missing.warnings and "not found" in missing.warnings[0]
    assert "Anexo sobre telecomunicaciones" in missing.text


def test_tfa_text_sections_dotted_articles_and_wrapped_footnotes():
    doc = read_wto_file(DATA / "tfa.en.txt")
    _check(doc)
    assert doc.format == "text" and doc.meta.date_into_force == "2017-02-22"
    main, notes = doc.chapters
    assert [a.source_ref for a in main.articles] == ["preamble", "1", "7.4", "13"]
    assert main.articles[1].path[1] == "SECTION I"
    assert main.articles[3].path[1].startswith("SECTION II SPECIAL AND DIFFERENTIAL TREATMENT")
    assert [p.source_ref for p in main.articles[1].paragraphs] == [
        "1#1",
        "1#1.1",
        "1#1.1(a)",
        "1#1.1(b)",
        "1#2",
        "1#2.1",
        "1#2.1(a)",
    ]
    assert notes.articles[1].text == "A second fixture footnote,\nwhich runs over two lines."
    assert len(notes.articles[1].paragraphs) == 1


def test_tprm_letter_headings():
    doc = read_wto_file(DATA / "tprm.en.txt")
    _check(doc)
    assert [(a.source_ref, a.heading) for a in doc.articles()] == [
        ("preamble", "Preamble"),
        ("A", "A. Objectives"),
        ("B", "B. Domestic Transparency"),
    ]
    assert [p.source_ref for p in doc.chapters[0].articles[1].paragraphs] == ["A#(i)", "A#(ii)"]


def test_gatt_style_understandings_and_article_references():
    text = "\n".join(
        [
            "GENERAL AGREEMENT ON TARIFFS AND TRADE 1994",
            '1. The General Agreement on Tariffs and Trade 1994 ("GATT 1994") shall consist of:',
            "(a) the provisions in the General Agreement on Tariffs and Trade, dated 30 October 1947;",
            "UNDERSTANDING ON THE INTERPRETATION OF ARTICLE II:1(b) OF THE GENERAL AGREEMENT ON TARIFFS AND TRADE 1994",
            "Members hereby agree as follows:",
            "1. In order to ensure transparency, the nature and level of any other duties shall be recorded.",
            "Article XXIV:5 applies.",
        ]
    )
    doc = read_wto_text(text, key="gatt1994", language="en")
    _check(doc)
    first, understanding = doc.chapters[0].articles
    assert first.heading == "Preamble" and [p.source_ref for p in first.paragraphs] == [
        "preamble#1",
        "preamble#1(a)",
    ]
    assert understanding.heading.startswith("UNDERSTANDING ON THE INTERPRETATION OF ARTICLE II:1(b)")
    assert understanding.paragraphs[-1].text == "Article XXIV:5 applies."  # a reference, not a heading


def test_file_names_and_errors(tmp_path: Path):
    assert split_name("gats-annex-telecommunications.es.html") == ("gats-annex-telecommunications", "es")
    assert split_name("/x/tbt.en.txt") == ("tbt", "en")
    assert split_name("notes.html") == ("notes", None)
    with pytest.raises(ReadError) as err:
        read_wto_file(tmp_path / "nothing.en.html")
    assert err.value.code == "MSL101"
    (tmp_path / "empty.en.txt").write_text("  \n")
    with pytest.raises(ReadError) as err:
        read_wto_file(tmp_path / "empty.en.txt")
    assert err.value.code == "MSL102"
    with pytest.raises(ReadError) as err:
        read_wto_text("Back to top\nShare\n", key="tbt", language="en")
    assert err.value.code == "MSL109"


def test_clean_text_and_roman_numerals():
    assert (
        clean_text("2. ScopeBack to top\n\n\n\nText\nHaut de page\nVolver al principio\n")
        == "2. Scope\n\nText"
    )
    assert [roman_value(r) for r in ("i", "iv", "vi", "ix", "xiv", "b")] == [1, 4, 6, 9, 14, 0]


LINES = [
    "PART II",
    "Article 7",
    "ARTICLE VII: Title",
    "Article 7.4",
    "Annex on Telecommunications",
    "ANNEX 1",
    "SECTION B",
    "Footnotes",
    "(1) a note",
    "2. ScopeBack to top",
    "1.1 Each Member shall",
    "(a) first;",
    "(i) roman",
    "a) lettre",
    "GENERAL PROVISIONS",
    "Back to top",
]


TAGS = ["<p>", "</p>", "<h2>", "</h2>", "<sup>", "</sup>", '<div class="footnote">', "</div>", '<a name="fnt-1">',
        "</a>", "<br>", "<h1>", "</h1>", "<script>", "</script>", "<nav>", "</nav>", "<tr><td>", "&amp;", "<"]  # fmt: skip


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(LINES), st.sampled_from(TAGS), st.text(max_size=30)), max_size=40))
def test_html_soup_gives_document_or_read_error(parts: list[str]):
    try:
        doc = read_wto_text("<!DOCTYPE html><html><body>" + "".join(parts), key="tbt", language="fr")
    except ReadError as err:
        assert err.code == "MSL109"
    else:
        _check(doc)
        assert doc.format == "html"


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.one_of(st.sampled_from(LINES), st.text(max_size=40)), max_size=25),
    st.sampled_from(["\n", "\n\n", " \n"]),
    st.sampled_from(["tbt", "gats-annex-telecommunications", "unknown-key"]),
)
def test_offsets_always_quote_the_text(lines: list[str], sep: str, key: str):
    try:
        doc = read_wto_text(sep.join(lines), key=key, language="en")
    except ReadError as err:
        assert err.code == "MSL109"
    else:
        _check(doc)
