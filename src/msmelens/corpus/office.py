"""Readers for PDF (pypdf) and Word .docx (python-docx): extract text, then segment it by headings."""

from __future__ import annotations

import io
import logging
import zipfile
from pathlib import Path

from msmelens.corpus.errors import ReadError
from msmelens.corpus.model import Document
from msmelens.corpus.segment import build_document
from msmelens.corpus.text_formats import normalise

logging.getLogger("pypdf").setLevel(logging.CRITICAL)


def read_pdf(data: bytes, source: str, *, paragraphs: bool = True) -> Document:
    """Read a text PDF. Encrypted PDFs are MSL105; PDFs without a text layer are MSL109."""
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    name = Path(source).name
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    raise ReadError("MSL105", name)
            except ReadError:
                raise
            except Exception:
                raise ReadError("MSL105", name) from None
        pages = [page.extract_text() or "" for page in reader.pages]
    except ReadError:
        raise
    except FileNotDecryptedError:
        raise ReadError("MSL105", name) from None
    except PdfReadError as exc:
        raise ReadError("MSL104", name, str(exc)[:100]) from None
    except Exception as exc:  # pypdf raises many kinds of errors on damaged files
        raise ReadError("MSL104", name, type(exc).__name__) from None
    text = normalise("\n".join(pages))
    if not text:
        raise ReadError("MSL109", name, "the PDF has no text layer, it may be a scan")
    return build_document(text, data, source, "pdf", paragraphs=paragraphs)


def read_docx(data: bytes, source: str, *, paragraphs: bool = True) -> Document:
    """Read a Word .docx file: paragraphs and table cells, in document order."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph as DocxParagraph

    name = Path(source).name
    try:
        doc = docx.Document(io.BytesIO(data))
        lines: list[str] = []
        for block in doc.iter_inner_content():
            if isinstance(block, DocxParagraph):
                lines.append(block.text)
            elif isinstance(block, Table):
                for row in block.rows:
                    for cell in row.cells:
                        lines.append(cell.text)
        title = (doc.core_properties.title or "").strip()
    except zipfile.BadZipFile:
        raise ReadError("MSL106", name, "not a valid zip archive") from None
    except KeyError:
        raise ReadError("MSL106", name, "the Word document part is missing") from None
    except Exception as exc:  # python-docx/lxml raise many kinds of errors on damaged files
        raise ReadError("MSL106", name, type(exc).__name__) from None
    text = normalise("\n".join(lines))
    if not text:
        raise ReadError("MSL109", name, "the document has no text")
    return build_document(text, data, source, "docx", name=title, paragraphs=paragraphs)
