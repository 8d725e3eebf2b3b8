"""Read any supported agreement file into a ``Document``: the one entry point for readers.

Dispatch is on content first (ToTA XML, PDF, DOCX/zip signatures), then on the file extension.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from msmelens.corpus.errors import ReadError, human_size
from msmelens.corpus.model import Document
from msmelens.corpus.tota import build_tota, is_tota, parse_xml

DEFAULT_MAX_BYTES = 100 * 1024 * 1024
SUPPORTED_SUFFIXES = frozenset({".xml", ".html", ".htm", ".xhtml", ".txt", ".text", ".pdf", ".docx"})


def read_path(
    path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES, paragraphs: bool = True
) -> Document:
    """Read the file at ``path``; raises ``ReadError`` with a plain-language message."""
    p = Path(path)
    source = str(p)
    try:
        size = p.stat().st_size
        if not p.is_file():
            raise ReadError(
                "MSL101", source, "it is a folder, not a file" if p.is_dir() else "not a regular file"
            )
        if size > max_bytes:
            raise ReadError("MSL110", source, f"{human_size(size)}, the limit is {human_size(max_bytes)}")
        data = p.read_bytes()
    except FileNotFoundError:
        raise ReadError("MSL101", source) from None
    except PermissionError:
        raise ReadError("MSL101", source, "permission denied") from None
    except OSError as exc:
        raise ReadError("MSL101", source, exc.strerror or type(exc).__name__) from None
    return _read(data, p.name, source, max_bytes=max_bytes, paragraphs=paragraphs)


def read_bytes(
    data: bytes, filename: str, *, max_bytes: int = DEFAULT_MAX_BYTES, paragraphs: bool = True
) -> Document:
    """Read an uploaded file's bytes; ``filename`` gives the extension and names the file in errors."""
    if len(data) > max_bytes:
        raise ReadError("MSL110", filename, f"{human_size(len(data))}, the limit is {human_size(max_bytes)}")
    return _read(data, Path(filename).name or filename, filename, max_bytes=max_bytes, paragraphs=paragraphs)


def _sniff(data: bytes, name: str) -> str:
    head = data[:1024].lstrip()
    suffix = Path(name).suffix.lower()
    if head.startswith(b"%PDF") or (suffix == ".pdf" and b"%PDF-" in data[:1024]):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "docx" if suffix in ("", ".docx") else "unsupported"
    low = head.lower()
    if low.startswith(b"\xef\xbb\xbf"):
        low = low[3:].lstrip()
    if (
        low.startswith(b"<!doctype html")
        or (low.startswith(b"<") and b"<html" in low)  # also XHTML with an XML declaration and a DOCTYPE
        or suffix in (".html", ".htm", ".xhtml")
    ):
        return "html"
    if (
        low.startswith(b"<?xml")
        or suffix == ".xml"
        or (low.startswith(b"<") and suffix not in (".txt", ".text"))
    ):
        return "xml"
    if suffix in (".pdf",):
        return "pdf"
    if suffix in (".docx",):
        return "docx"
    if suffix in ("", ".txt", ".text", ".md"):
        return "text"
    return "unsupported"


def _read(data: bytes, name: str, source: str, *, max_bytes: int, paragraphs: bool) -> Document:
    if not data.strip():
        raise ReadError("MSL102", name)
    kind = _sniff(data, name)
    if kind == "xml":
        root = parse_xml(data, name)
        if is_tota(root):
            return build_tota(root, data, source, paragraphs=paragraphs)
        if root.tag == "html" or root.tag.endswith("}html"):  # XHTML
            from msmelens.corpus.text_formats import read_html

            return read_html(data, source, paragraphs=paragraphs)
        from msmelens.corpus.text_formats import read_xml_root

        return read_xml_root(root, data, source, paragraphs=paragraphs)
    if kind == "html":
        from msmelens.corpus.text_formats import read_html

        return read_html(data, source, paragraphs=paragraphs)
    if kind == "text":
        from msmelens.corpus.text_formats import read_text

        return read_text(data, source, paragraphs=paragraphs)
    if kind == "pdf":
        from msmelens.corpus.office import read_pdf

        return read_pdf(data, source, paragraphs=paragraphs)
    if kind == "docx":
        from msmelens.corpus.office import read_docx

        return read_docx(data, source, paragraphs=paragraphs)
    raise ReadError("MSL103", name, f"'{Path(name).suffix or 'no extension'}'")


def iter_input_files(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path]:
    """Yield the files named by ``paths``; folders are walked (sorted, hidden files skipped)."""
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = [
                f
                for f in p.rglob("*")
                if f.is_file()
                and not any(part.startswith(".") for part in f.relative_to(p).parts)
                and f.suffix.lower() in SUPPORTED_SUFFIXES
            ]
            yield from sorted(found, key=_natural_key)
        else:
            yield p


def _natural_key(p: Path) -> tuple[object, ...]:
    import re

    return tuple(int(t) if t.isdigit() else t for t in re.split(r"(\d+)", str(p)))


def read_many(
    paths: Iterable[str | os.PathLike[str]], *, max_bytes: int = DEFAULT_MAX_BYTES, paragraphs: bool = True
) -> Iterator[Document | ReadError]:
    """Read every input file in order; a bad file yields its ``ReadError`` and the batch continues."""
    for p in iter_input_files(paths):
        try:
            yield read_path(p, max_bytes=max_bytes, paragraphs=paragraphs)
        except ReadError as err:
            yield err
