"""Readers for text, HTML, XML, PDF and DOCX on files built at runtime; heading segmentation in en/es/fr."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.corpus.builders import docx_file, encrypted_pdf, minimal_pdf

from msmelens.corpus.errors import ReadError
from msmelens.corpus.readers import read_bytes, read_path
from msmelens.corpus.segment import find_headings

LINES = [
    "Free Trade Agreement between Atlantis and Utopia",
    "The Parties, recognising the role of small firms,",
    "Chapter 24: Small and Medium-Sized Enterprises",
    "Article 24.1 Information Sharing",
    "1. Each Party shall establish a website. 2. The website shall include:",
    "(a) the text of this Agreement; and",
    "(b) a summary for SMEs.",
    "Article 24.2 Committee on SMEs",
    "The Parties hereby establish a Committee on SMEs.",
]


def _check_offsets(doc):
    for ch in doc.chapters:
        assert 0 <= ch.start <= ch.end <= len(doc.text)
        for a in ch.articles:
            assert doc.text[a.start : a.end] == a.text
            for p in a.paragraphs:
                assert doc.text[p.start : p.end] == p.text


def _check_sme_structure(doc):
    _check_offsets(doc)
    assert doc.id == f"doc-{doc.content_hash[:12]}"
    assert [c.heading for c in doc.chapters] == ["Preamble", "Chapter 24: Small and Medium-Sized Enterprises"]
    arts = doc.chapters[1].articles
    assert [a.heading for a in arts] == ["Article 24.1 Information Sharing", "Article 24.2 Committee on SMEs"]
    assert [a.id for a in arts] == [f"{doc.id}-c2-a1", f"{doc.id}-c2-a2"]
    assert arts[0].path == [
        "Chapter 24: Small and Medium-Sized Enterprises",
        "Article 24.1 Information Sharing",
    ]
    assert (
        arts[0].source_ref
        == "Chapter 24: Small and Medium-Sized Enterprises > Article 24.1 Information Sharing"
    )
    assert [p.text[:4] for p in arts[0].paragraphs] == ["1. E", "2. T", "(a) ", "(b) "]
    assert arts[1].text.startswith("The Parties hereby establish a Committee on SMEs.")
    assert doc.chapters[0].articles[0].text.startswith("Free Trade Agreement between Atlantis and Utopia")
    assert doc.meta.language == "en"


def test_plain_text(tmp_path: Path):
    f = tmp_path / "fta.txt"
    f.write_text("\r\n".join(LINES), encoding="utf-8")
    doc = read_path(f)
    assert doc.format == "text"
    assert doc.meta.name == "Free Trade Agreement between Atlantis and Utopia"
    _check_sme_structure(doc)


def test_text_encodings_fall_back_to_cp1252():
    data = "Chapter 1 Général\nArticle 1\nLes Parties établissent une zone de libre-échange et la coopération.".encode(
        "cp1252"
    )
    doc = read_bytes(data, "accord.txt")
    assert "Général" in doc.text and doc.meta.language == "fr"
    bom = read_bytes("\ufeffArticle 1\nThe Parties shall cooperate.".encode(), "bom.txt")
    assert bom.text.startswith("Article 1")


def test_html(tmp_path: Path):
    body = "".join(f"<p>{line.replace('&', '&amp;')}</p>" for line in LINES)
    html = f"<html><head><title>FTA page</title><style>p {{}}</style></head><body>{body}<script>x=1</script></body></html>"
    doc = read_bytes(html.encode(), "fta.html")
    assert doc.format == "html" and doc.meta.name == "FTA page"
    assert "x=1" not in doc.text
    _check_sme_structure(doc)


def test_xhtml_goes_to_the_html_reader():
    body = "".join(f"<p>{line}</p>" for line in LINES)
    data = f'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><head><title>X</title></head><body>{body}</body></html>'
    doc = read_bytes(data.encode(), "fta.xhtml.xml")
    assert doc.format == "html" and doc.meta.name == "X"
    _check_sme_structure(doc)


def test_xhtml_with_doctype_is_read_as_html():
    data = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n'
        '<html xmlns="http://www.w3.org/1999/xhtml"><body><p>Article 1</p><p>The Parties support SMEs.</p></body></html>'
    )
    doc = read_bytes(data.encode(), "page.xml")
    assert doc.format == "html"
    assert [a.text for a in doc.articles()] == ["The Parties support SMEs."]


def test_generic_xml():
    body = "".join(f"<line>{line}</line>" for line in LINES)
    doc = read_bytes(f'<?xml version="1.0"?><agreement>{body}</agreement>'.encode(), "fta.xml")
    assert doc.format == "xml"
    _check_sme_structure(doc)


def test_docx(tmp_path: Path):
    f = docx_file(tmp_path / "fta.docx", LINES, title="Atlantis-Utopia FTA")
    doc = read_path(f)
    assert doc.format == "docx" and doc.meta.name == "Atlantis-Utopia FTA"
    assert doc.text.endswith("Cell small and medium-sized enterprises\nCell two")
    _check_offsets(doc)
    assert [a.heading for a in doc.chapters[1].articles] == [
        "Article 24.1 Information Sharing",
        "Article 24.2 Committee on SMEs",
    ]


def test_pdf():
    doc = read_bytes(minimal_pdf(LINES), "fta.pdf")
    assert doc.format == "pdf"
    _check_sme_structure(doc)


def test_encrypted_pdf_is_refused_and_open_password_is_read():
    with pytest.raises(ReadError) as exc:
        read_bytes(encrypted_pdf(LINES, "secret"), "locked.pdf")
    assert exc.value.code == "MSL105" and "locked.pdf" in exc.value.message
    doc = read_bytes(encrypted_pdf(LINES, ""), "open.pdf")
    assert len(list(doc.articles())) == 3


def test_same_content_same_id(tmp_path: Path):
    a = read_bytes("\n".join(LINES).encode(), "a.txt")
    b = read_bytes("\n".join(LINES).encode(), "b.txt")
    c = read_bytes(("\n".join(LINES) + " more").encode(), "a.txt")
    assert a.id == b.id != c.id


@pytest.mark.parametrize(
    "line,level",
    [
        ("Chapter 24", 1),
        ("CHAPTER TWENTY-FOUR", 1),
        ("Chapter 24: Small and Medium-Sized Enterprises", 1),
        ("Capítulo III", 1),
        ("Chapitre 2", 1),
        ("Annex 3-A", 1),
        ("Anexo", 1),
        ("Annexe", 1),
        ("Section B", 2),
        ("Article 24.2", 3),
        ("Article 5 bis", 3),
        ("Artículo 5", 3),
        ("Article premier", 3),
        ("ARTICLE 12 - Cooperation", 3),
    ],
)
def test_heading_forms(line: str, level: int):
    headings = find_headings(f"{line}\nSome body text follows here.\n")
    assert [(h.level, h.text) for h in headings] == [(level, line)]


@pytest.mark.parametrize(
    "line",
    [
        "Article 5 of this Agreement shall apply mutatis mutandis.",
        "Chapter 3 applies to measures adopted or maintained by a Party,",
        "Articles 3 and 4 are reserved.",
        "The Article 2 list",
    ],
)
def test_cross_references_are_not_headings(line: str):
    assert find_headings(f"Some text.\n{line}\nMore text.\n") == []


def test_spanish_and_french_hierarchy():
    es = "Tratado de Libre Comercio\nCapítulo III\nPequeñas y Medianas Empresas\nArtículo 5\nLas Partes promoverán la cooperación entre las pequeñas y medianas empresas de la región.\n"
    doc = read_bytes(es.encode(), "tlc.txt")
    assert doc.meta.language == "es"
    assert doc.chapters[-1].heading == "Capítulo III Pequeñas y Medianas Empresas"
    assert doc.chapters[-1].articles[0].path == ["Capítulo III Pequeñas y Medianas Empresas", "Artículo 5"]
    fr = "Chapitre 2\nSection B\nArticle premier\nLes Parties coopèrent pour les petites et moyennes entreprises et la douane.\n"
    doc = read_bytes(fr.encode(), "accord.txt")
    assert doc.meta.language == "fr"
    art = doc.chapters[0].articles[-1]
    assert art.path == ["Chapitre 2", "Section B", "Article premier"]
    assert art.source_ref == "Chapitre 2 > Section B > Article premier"
    assert doc.meta.name == "accord.txt"


def test_title_on_the_next_line_after_a_blank_line():
    doc = read_bytes(
        b"CHAPTER 24\n\nSMALL AND MEDIUM-SIZED ENTERPRISES\n\nArticle 24.1\nEach Party shall act.\n", "c.txt"
    )
    assert [c.heading for c in doc.chapters] == ["CHAPTER 24 SMALL AND MEDIUM-SIZED ENTERPRISES"]
    (article,) = list(doc.articles())
    assert article.heading == "Article 24.1" and article.text == "Each Party shall act."


def test_name_falls_back_to_the_file_name(tmp_path: Path):
    f = tmp_path / "draft-chapter.txt"
    f.write_text("Article 1\nThe Parties cooperate.", encoding="utf-8")
    assert read_path(f).meta.name == "draft-chapter.txt"


def test_articles_without_chapters():
    doc = read_bytes(b"Article 1\nThe Parties agree.\nArticle 2\nThe Parties cooperate.\n", "x.txt")
    assert [a.path for a in doc.articles()] == [["Article 1"], ["Article 2"]]
    assert [a.text for a in doc.articles()] == ["The Parties agree.", "The Parties cooperate."]


def test_text_without_headings_is_one_provision():
    doc = read_bytes(
        b"The Parties shall facilitate access to finance for SMEs.\n\nThey shall cooperate.", "draft.txt"
    )
    (article,) = list(doc.articles())
    assert doc.chapters[0].heading == "Full text" and article.path == ["Full text"]
    assert [p.text for p in article.paragraphs] == [
        "The Parties shall facilitate access to finance for SMEs.",
        "They shall cooperate.",
    ]
    assert doc.meta.name == "draft.txt"


INLINE_BODY_LINES = [
    "Chapter 1 General Provisions",
    "Article 1.1 Each Party shall publish its laws and regulations promptly on a free website accessible "
    "to small and medium-sized enterprises.",
    "Article 1.2. The Parties shall establish a Committee on SMEs.",
    "Article 1.3 Definitions",
    "For the purposes of this Chapter, an enterprise is small where it is defined so, as provided in",
    "Article 29. Each Party shall apply that definition.",
    "Artículo 5. Cada Parte publicará sus leyes.",
]


def test_article_number_followed_by_its_first_sentence_on_the_same_line(tmp_path: Path):
    """A heading that carries the body on its line (common in Word drafts) splits into heading and body,
    while a wrapped cross-reference ("as provided in / Article 29. ...") stays running text."""
    f = docx_file(tmp_path / "draft.docx", INLINE_BODY_LINES)
    for doc in (read_path(f), read_bytes("\n".join(INLINE_BODY_LINES).encode(), "draft.txt")):
        _check_offsets(doc)
        articles = list(doc.articles())
        assert [a.heading for a in articles] == [
            "Article 1.1",
            "Article 1.2",
            "Article 1.3 Definitions",
            "Artículo 5",
        ]
        assert articles[0].text.startswith("Each Party shall publish its laws")
        assert articles[0].path == ["Chapter 1 General Provisions", "Article 1.1"]
        assert articles[1].text == "The Parties shall establish a Committee on SMEs."
        assert articles[2].text.endswith("Article 29. Each Party shall apply that definition.")
        assert articles[3].text.startswith("Cada Parte publicará sus leyes.")  # the docx adds a table after
