"""Writes: import the WTO legal texts found in a directory and record which stored agreements are WTO ones.

Files are named ``<key>.<lang>.html`` or ``<key>.<lang>.txt`` (what ``msmelens corpus download wto`` writes
into ``$MSMELENS_HOME/wto/``); the key is a ``msmelens.corpus.wto_sources`` key. Each file is read by the WTO
reader, analysed by the lens and stored through the agreements app's ``import_document`` service; this app
then records the agreement's administering body, source key and kind of parties (``WtoAgreement``).

WTO agreements are stored **without party rows**: they bind all WTO members (the GPA: its parties), which the
package's members list (``msmelens.corpus.wto_members``) answers, so a country's list of regional agreements is
not swamped by WTO texts. Country pages show membership and "Beyond the WTO" in a section of their own.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from msmelens.agreements import services as agreement_services
from msmelens.corpus.errors import ReadError
from msmelens.corpus.model import Document
from msmelens.lens.taxonomy import COMMITTEES
from msmelens.web.cache import bump_data_version
from msmelens.wto.models import WtoAgreement

FILE_NAME = re.compile(r"^(?P<key>[a-z0-9][a-z0-9-]*)\.(?P<lang>en|fr|es)\.(?:html?|txt)$")
_COMMITTEE_OF_NAME = {name.casefold(): key for key, name in COMMITTEES.items()}
_COMMITTEE_OF_NAME["council for trade-related aspects of intellectual property rights"] = "trips"


@dataclass(slots=True)
class WtoFile:
    path: Path
    key: str
    language: str


@dataclass(slots=True)
class WtoImportReport:
    imported: int = 0  # new or changed texts
    unchanged: int = 0
    failed: int = 0
    skipped: list[str] = field(default_factory=list)  # files whose name is not <key>.<lang>.html|txt
    errors: list[str] = field(default_factory=list)
    agreements: list[tuple[str, str, str, str]] = field(default_factory=list)  # key, lang, agreement id, status
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.imported + self.unchanged > 0

    def summary(self) -> str:
        return (
            f"{self.imported} WTO text(s) imported, {self.unchanged} unchanged, {self.failed} failed, "
            f"{len(self.skipped)} file(s) skipped in {self.seconds:.1f} s"
        )


class WtoImportError(Exception):
    """A directory that cannot be imported at all (missing, not a directory): the message says so."""


def default_directory() -> Path:
    """``$MSMELENS_HOME/wto``: where ``msmelens corpus download wto`` puts the WTO texts."""
    from msmelens.web.config import home_dir

    return home_dir() / "wto"


def body_key(body: str) -> str:
    """The lens's committee key for a WTO body's English name ("" when the lens has no such key)."""
    return _COMMITTEE_OF_NAME.get(body.strip().casefold(), "")


def wto_files(directory: Path) -> tuple[list[WtoFile], list[str]]:
    """The WTO text files of ``directory`` (known keys only, sorted), and the names of the other files."""
    from msmelens.corpus import wto_sources

    known = set(wto_sources.keys())
    found: list[WtoFile] = []
    skipped: list[str] = []
    for path in sorted(p for p in directory.iterdir() if p.is_file()):
        m = FILE_NAME.match(path.name)
        if m is None or m.group("key") not in known:
            if not path.name.startswith("."):
                skipped.append(path.name)
            continue
        found.append(WtoFile(path=path, key=m.group("key"), language=m.group("lang")))
    return found, skipped


@transaction.atomic
def record_wto_agreement(*, agreement_id: str, key: str, language: str) -> WtoAgreement:
    """Create or update the WTO record of a stored agreement from the source ``key``'s catalogue entry."""
    from msmelens.corpus import wto_sources

    src = wto_sources.source(key)
    record, _created = WtoAgreement.objects.update_or_create(
        agreement_id=agreement_id,
        defaults={
            "source_key": key,
            "language": language,
            "administering_body": src.body[:200],
            "body_key": body_key(src.body),
            "parties": WtoAgreement.GPA if src.parties == "gpa" else WtoAgreement.MEMBERS,
            "title": src.title[:500],
            "short_title": src.short_title[:200],
            "year": src.year,
            "imported_at": timezone.now(),
        },
    )
    return record


def _multilateral(document: Document) -> Document:
    """The document without party codes (see the module docstring)."""
    document.meta.parties = []
    return document


@transaction.atomic
def import_wto_document(*, document: Document, key: str, language: str, source_name: str) -> str:
    """Analyse and store one WTO text and its WTO record; returns the agreements app's status
    ("imported", "replaced" or "unchanged")."""
    from msmelens.lens import analyze
    from msmelens.lens.profile import profile_agreement

    document = _multilateral(document)
    results = analyze(document)
    profile = profile_agreement(document, results).to_dict()
    outcome = agreement_services.import_document(
        document=document, results=results, profile=profile, source_name=source_name, bump_version=False
    )
    record_wto_agreement(agreement_id=outcome.lens_id, key=key, language=language)
    return outcome.status


def import_wto_directory(*, directory: Path | None = None) -> WtoImportReport:
    """Import every ``<key>.<lang>.html|txt`` file of ``directory`` (default ``$MSMELENS_HOME/wto``).

    A file that cannot be read is counted as failed with its one-line message; the others go on. Raises
    ``WtoImportError`` when the directory does not exist."""
    from msmelens.corpus.wto_reader import read_wto_file

    folder = Path(directory) if directory is not None else default_directory()
    if not folder.is_dir():
        raise WtoImportError(
            f"{folder} is not a folder of WTO texts: run `msmelens corpus download wto` first, or give the "
            "folder that holds files such as tfa.en.html."
        )
    started = time.perf_counter()
    report = WtoImportReport()
    files, report.skipped = wto_files(folder)
    changed = False
    for item in files:
        try:
            document = read_wto_file(item.path, key=item.key, language=item.language)
        except ReadError as err:
            report.failed += 1
            report.errors.append(err.message)
            continue
        try:
            status = import_wto_document(
                document=document, key=item.key, language=item.language, source_name=item.path.name
            )
        except Exception as exc:  # one text the database refuses must not stop the others
            report.failed += 1
            report.errors.append(f"{item.path.name}: could not be stored ({type(exc).__name__}: {exc}).")
            continue
        changed = True  # a WTO record was (re)written even when the text is unchanged
        report.agreements.append((item.key, item.language, document.id, status))
        if status == "unchanged":
            report.unchanged += 1
        else:
            report.imported += 1
    report.seconds = time.perf_counter() - started
    if changed:
        bump_data_version()
    return report
