"""A small hand-made Document for lens tests (not a ToTA file)."""

from __future__ import annotations

from msmelens.corpus.model import AgreementMeta, Article, Chapter, Document, Paragraph

ARTICLES = [
    # (chapter heading, article heading, paragraphs)
    (
        "Chapter 1 Initial Provisions",
        "Article 1.1 Entry into Force",
        ["This Agreement shall enter into force on the sixtieth day after signature."],
    ),
    (
        "Chapter 2 Customs",
        "Article 2.1 Advance Rulings",
        [
            "Each Party shall issue advance rulings to exporters within 90 days.",
            "Each Party shall publish its advance rulings on the internet.",
        ],
    ),
    (
        "Chapter 3 Small and Medium-Sized Enterprises",
        "Article 3.1 Information Sharing",
        [
            "Each Party shall establish a website with information for SMEs.",
            "The website shall include information on customs procedures.",
        ],
    ),
    (
        "Chapter 3 Small and Medium-Sized Enterprises",
        "Article 3.2 Cooperation",
        ["The Parties shall endeavour to cooperate on training for small and medium-sized enterprises."],
    ),
]


def make_document(language: str = "en") -> Document:
    text = ""
    chapters: dict[str, Chapter] = {}
    for ci, (chapter_heading, heading, paragraphs) in enumerate(ARTICLES):
        chapter = chapters.get(chapter_heading)
        if chapter is None:
            chapter = Chapter(
                f"doc-test-c{len(chapters) + 1}", chapter_heading, chapter_heading, len(text), len(text)
            )
            chapters[chapter_heading] = chapter
        art_start = len(text)
        paras = []
        for k, para in enumerate(paragraphs, 1):
            if k > 1:
                text += "\n"
            paras.append(Paragraph("", len(text), len(text) + len(para), para, [chapter_heading, heading]))
            text += para
        art_id = f"{chapter.id}-a{len(chapter.articles) + 1}"
        for k, para_obj in enumerate(paras, 1):
            para_obj.id = f"{art_id}-p{k}"
        article = Article(
            art_id,
            f"{chapter_heading} > {heading}",
            heading,
            [chapter_heading, heading],
            art_start,
            len(text),
            text[art_start:],
            paras,
        )
        chapter.articles.append(article)
        chapter.end = len(text)
        text += "\n\n"
        del ci
    return Document(
        id="doc-test",
        source="hand-made",
        format="text",
        meta=AgreementMeta(
            name="Test Agreement", language=language, date_signed="2020-05-01", region="Europe; Asia"
        ),
        text=text,
        chapters=list(chapters.values()),
    )
