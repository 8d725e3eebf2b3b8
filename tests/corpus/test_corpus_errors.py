"""Every catalogue error on a real bad input: right code, message naming the file; batches survive."""

from __future__ import annotations

import pickle
import zipfile
from pathlib import Path

import pytest
from tests.corpus.builders import encrypted_pdf, minimal_pdf

from msmelens.corpus.errors import CATALOGUE, ReadError
from msmelens.corpus.readers import read_bytes, read_many, read_path

BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<treaty><meta/><body>&lol9;</body></treaty>"""


def _zip_without_word(path: Path) -> bytes:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "not a word document")
    return path.read_bytes()


def _error(data: bytes, name: str) -> ReadError:
    with pytest.raises(ReadError) as exc:
        read_bytes(data, name)
    return exc.value


@pytest.mark.parametrize(
    "data,name,code",
    [
        (b"", "empty.txt", "MSL102"),
        (b" \n\t ", "blank.xml", "MSL102"),
        (b"some bytes", "sheet.xlsx", "MSL103"),
        (b"%PDF-1.4\n1 0 obj garbage", "broken.pdf", "MSL104"),
        (b"PK\x03\x04 not really a zip", "broken.docx", "MSL106"),
        (b"<treaty><meta></treaty>", "broken.xml", "MSL107"),
        (BOMB, "bomb.xml", "MSL108"),
        (b'<!DOCTYPE x SYSTEM "http://example.com/x.dtd"><x>hi</x>', "dtd.xml", "MSL108"),
        (b"\x00\x01\x02\x03\x04\x05\x06binary\x00\x00\x00\x00", "binary.txt", "MSL111"),
        (b"<treaty><meta><name>X</name></meta><body/></treaty>", "pta_x.xml", "MSL112"),
        (
            b"<treaty><meta><treaty_identifier>7</treaty_identifier></meta><body></body></treaty>",
            "pta_7.xml",
            "MSL109",
        ),
    ],
)
def test_error_codes(data: bytes, name: str, code: str):
    err = _error(data, name)
    assert err.code == code
    assert err.source == name
    assert str(err) == err.message
    assert name in err.message and code in err.message and "\n" not in err.message
    assert CATALOGUE[code].advice in err.message


def test_bomb_is_refused_fast_without_expansion():
    import time

    t0 = time.perf_counter()
    err = _error(BOMB, "bomb.xml")
    assert time.perf_counter() - t0 < 1.0 and err.code == "MSL108"


def test_encrypted_and_scanned_pdf():
    assert _error(encrypted_pdf(["Article 1", "Text."], "pw"), "locked.pdf").code == "MSL105"
    assert _error(minimal_pdf([]), "scan.pdf").code == "MSL109"


def test_zip_that_is_not_docx(tmp_path: Path):
    assert _error(_zip_without_word(tmp_path / "z.docx"), "z.docx").code == "MSL106"


def test_file_not_found_and_folder(tmp_path: Path):
    with pytest.raises(ReadError) as exc:
        read_path(tmp_path / "missing.xml")
    assert exc.value.code == "MSL101" and "missing.xml" in exc.value.message
    with pytest.raises(ReadError) as exc:
        read_path(tmp_path)
    assert exc.value.code == "MSL101" and "folder" in exc.value.message


def test_too_large(tmp_path: Path):
    f = tmp_path / "big.txt"
    f.write_text("Article 1\n" + "The Parties cooperate. " * 100, encoding="utf-8")
    with pytest.raises(ReadError) as exc:
        read_path(f, max_bytes=1000)
    assert exc.value.code == "MSL110" and "big.txt" in exc.value.message and "1.0 kB" in exc.value.message
    with pytest.raises(ReadError) as exc:
        read_bytes(f.read_bytes(), "upload.txt", max_bytes=100)
    assert exc.value.code == "MSL110"
    assert len(list(read_path(f, max_bytes=10_000).articles())) == 1


def test_error_survives_pickling():
    err = ReadError("MSL107", "/some/dir/file.xml", "line 3")
    again = pickle.loads(pickle.dumps(err))
    assert (again.code, again.source, again.message) == (err.code, "file.xml", err.message)


def test_catalogue_is_documented():
    doc = (Path(__file__).resolve().parents[2] / "docs" / "errors.md").read_text(encoding="utf-8")
    for code, kind in CATALOGUE.items():
        assert f"`{code}`" in doc, code
        assert kind.title in doc


def test_batch_survives_bad_files(tmp_path: Path):
    (tmp_path / "a.txt").write_text("Article 1\nThe Parties shall support SMEs.", encoding="utf-8")
    (tmp_path / "b.pdf").write_bytes(b"%PDF-1.4 truncated")
    (tmp_path / "c.txt").write_text("Article 2\nThe Parties cooperate.", encoding="utf-8")
    (tmp_path / "notes.xlsx").write_bytes(b"ignored: not a supported extension")
    (tmp_path / ".hidden.txt").write_text("Article 9\nHidden.", encoding="utf-8")
    results = list(read_many([tmp_path, tmp_path / "nope.txt"]))
    kinds = [type(r).__name__ for r in results]
    assert kinds == ["Document", "ReadError", "Document", "ReadError"]
    assert results[1].code == "MSL104" and results[3].code == "MSL101"
    assert [a.text for a in results[2].articles()] == ["The Parties cooperate."]
