"""Read + lens one file, in a worker process (no Django here: only msmelens.corpus and msmelens.lens)."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from msmelens.corpus.errors import ReadError
from msmelens.corpus.model import Document
from msmelens.lens.record import ProvisionResult


@dataclass(slots=True)
class Analyzed:
    """A document with its lens results and profile, ready to store."""

    source_name: str
    document: Document
    results: list[ProvisionResult]
    profile: dict[str, Any]


@dataclass(slots=True)
class Failed:
    source_name: str
    message: str
    code: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def lens_version() -> str:
    from msmelens.lens import LENS_VERSION

    return LENS_VERSION


def stored_hash(source_hash: str, version: str | None = None) -> str:
    """The ``content_hash`` kept on an agreement: sha256 over the source bytes' hash and the lens version."""
    return hashlib.sha256(f"{source_hash}\n{version or lens_version()}".encode()).hexdigest()


def file_hash(path: str | os.PathLike[str]) -> str | None:
    """sha256 hex of a file's bytes, or None when it cannot be read (the reader will then explain why)."""
    try:
        digest = hashlib.sha256()
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        return digest.hexdigest()
    except OSError:
        return None


def analyze_document(document: Document, source_name: str) -> Analyzed:
    from msmelens.lens import analyze
    from msmelens.lens.profile import profile_agreement

    results = analyze(document)
    profile = profile_agreement(document, results).to_dict()
    return Analyzed(source_name=source_name, document=document, results=results, profile=profile)


def analyze_file(path: str) -> Analyzed | Failed:
    """Read and analyse one file; never raises (a failure is returned with its one-line message)."""
    from msmelens.corpus.readers import read_path

    name = Path(path).name
    try:
        document = read_path(path)
        return analyze_document(document, name)
    except ReadError as err:
        return Failed(source_name=name, message=err.message, code=err.code)
    except Exception as exc:  # a lens or reader bug must not stop a batch
        return Failed(
            source_name=name,
            message=f"{name}: could not be analysed ({type(exc).__name__}: {str(exc)[:200]}).",
            code="MSL900",
        )
