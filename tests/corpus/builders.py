"""Build small real test files (PDF, DOCX) at runtime."""

from __future__ import annotations

from pathlib import Path


def _pdf_escape(s: str) -> str:
    return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def minimal_pdf(lines: list[str]) -> bytes:
    """A valid one-page PDF whose text layer holds ``lines`` (Helvetica, one line each)."""
    ops = ["BT", "/F1 11 Tf", "14 TL", "50 800 Td"]
    for line in lines:
        ops.append(f"({_pdf_escape(line)}) Tj T*")
    ops.append("ET")
    stream = "\n".join(ops).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def encrypted_pdf(lines: list[str], password: str) -> bytes:
    """The minimal PDF above, encrypted with a user password through pypdf's writer."""
    import io

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(minimal_pdf(lines))))
    writer.encrypt(user_password=password, owner_password=password + "-owner", algorithm="RC4-128")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def docx_file(path: Path, lines: list[str], title: str = "") -> Path:
    """A real .docx written by python-docx, one paragraph per line (headings styled as headings)."""
    import docx

    doc = docx.Document()
    if title:
        doc.core_properties.title = title
    for line in lines:
        if line.lower().startswith(("chapter", "article")):
            doc.add_heading(line, level=1 if line.lower().startswith("chapter") else 2)
        else:
            doc.add_paragraph(line)
    table = doc.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Cell small and medium-sized enterprises"
    table.rows[0].cells[1].text = "Cell two"
    doc.save(str(path))
    return path


def multipage_pdf(lines: list[str], per_page: int = 55) -> bytes:
    """A real multi-page PDF (pages of ``per_page`` lines) joined with pypdf's writer."""
    import io

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for i in range(0, len(lines), per_page):
        writer.add_page(PdfReader(io.BytesIO(minimal_pdf(lines[i : i + per_page]))).pages[0])
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()
