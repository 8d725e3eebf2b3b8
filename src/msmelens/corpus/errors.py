"""The catalogue of reading errors (codes MSL1xx), one plain-language line each.

Every ``ReadError`` names the file, says what is wrong and what to do. ``docs/errors.md`` documents the codes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ErrorKind:
    code: str
    title: str
    cause: str  # may use {detail}
    advice: str


CATALOGUE: dict[str, ErrorKind] = {
    k.code: k
    for k in (
        ErrorKind(
            "MSL101",
            "file not found",
            "the file does not exist or cannot be opened{detail}",
            "Check the path and that you are allowed to read the file.",
        ),
        ErrorKind("MSL102", "empty file", "the file is empty", "Export or download the agreement again."),
        ErrorKind(
            "MSL103",
            "unsupported file type",
            "this kind of file cannot be read{detail}",
            "Use a ToTA XML, other XML, HTML, plain text (.txt), PDF or Word (.docx) file.",
        ),
        ErrorKind(
            "MSL104",
            "unreadable PDF",
            "the PDF is damaged or not a real PDF{detail}",
            "Open it in a PDF viewer and save or print it again as PDF.",
        ),
        ErrorKind(
            "MSL105",
            "encrypted PDF",
            "the PDF is password-protected",
            "Remove the password (save an unprotected copy) and try again.",
        ),
        ErrorKind(
            "MSL106",
            "unreadable Word file",
            "the Word (.docx) file is damaged or not a real .docx{detail}",
            "Open it in a word processor and save it again as .docx.",
        ),
        ErrorKind(
            "MSL107",
            "XML not well-formed",
            "the XML is not well-formed{detail}",
            "Fix the XML (an XML validator shows the line) or download the file again.",
        ),
        ErrorKind(
            "MSL108",
            "XML declarations refused",
            "the XML contains a DTD or entity declarations, which are refused for safety{detail}",
            "Remove the <!DOCTYPE ...> / <!ENTITY ...> declarations and try again.",
        ),
        ErrorKind(
            "MSL109",
            "no text found",
            "no readable text was found{detail}",
            "If it is a scanned document, run it through OCR first, then try again.",
        ),
        ErrorKind(
            "MSL110",
            "file too large",
            "the file is too large{detail}",
            "Split the agreement into smaller files or raise the size limit.",
        ),
        ErrorKind(
            "MSL111",
            "text encoding not recognised",
            "the file is not readable text{detail}",
            "Save it again as UTF-8 text (encodings tried: UTF-8, UTF-16 with BOM, Windows-1252).",
        ),
        ErrorKind(
            "MSL112",
            "ToTA XML incomplete",
            "the ToTA XML is missing required parts{detail}",
            "Download the agreement again from the ToTA repository.",
        ),
    )
}


class ReadError(Exception):
    """A file could not be read. ``str(err)`` is one line for a non-programmer."""

    def __init__(self, code: str, source: str | os.PathLike[str], detail: str = "") -> None:
        kind = CATALOGUE[code]
        self.code = code
        self.source = os.path.basename(os.fspath(source)) or os.fspath(source)
        self.detail = detail
        cause = kind.cause.format(detail=f" ({detail})" if detail else "")
        self.message = f"{self.code} {self.source}: {cause}. {kind.advice}"
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[type[ReadError], tuple[str, str, str]]:
        return (ReadError, (self.code, self.source, self.detail))


def human_size(n: int) -> str:
    """A byte count for people: "512 bytes", "3.2 MB"."""
    if n < 1000:
        return f"{n} bytes"
    if n < 1_000_000:
        return f"{n / 1000:.1f} kB"
    return f"{n / 1_000_000:.1f} MB"
