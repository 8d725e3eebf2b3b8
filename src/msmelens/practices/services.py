"""Writes to the practice library: imports, edits, proposals and their review, publishing, restoring.

Every write is a new version of the practice: ``version`` goes up by one and django-simple-history keeps the
whole record with who (``history_user``), when and why (``history_change_reason``). The delimited keys and
``search_text`` are recomputed from the record on every write, so filters and search never disagree with it.

Two people editing from the same version cannot overwrite each other: :func:`update_practice` takes the
version the editor started from and raises :class:`EditConflict` when someone saved in between (the caller
still has the second editor's text and shows it again). Contributors (``practices.propose_practice``) only
propose; curators (``practices.publish_practice``) update, review, publish, withdraw and restore.
``user=None`` means the command line, run by the operator of the server, and is allowed everything.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, transaction
from django.utils import timezone

from msmelens.practices import transfer
from msmelens.practices.models import Practice, Proposal
from msmelens.practices.records import (
    CONTENT_FIELDS,
    LIST_FIELDS,
    Problem,
    RecordInvalid,
    changed_fields,
    clean_record,
    key_of,
    record_of,
    search_text_of,
)
from msmelens.web.cache import bump_data_version

CURATOR_PERMISSION = "practices.publish_practice"
CONTRIBUTOR_PERMISSION = "practices.propose_practice"


class PracticeError(ValueError):
    """A request the library cannot carry out; the message says why, in plain words."""


class EditConflict(PracticeError):
    """Someone saved the practice after the editor opened it. Carries what the editor needs to decide:
    the current version, who saved it and when, and the fields where the editor's text and the current
    record differ (``differing``) and the fields changed since the editor's version (``changed_since``)."""

    def __init__(self, *, practice: Practice, expected_version: int, current_version: int,
                 changed_by: str, changed_at: dt.datetime | None, differing: list[str],
                 changed_since: list[str], yours: Mapping[str, Any]) -> None:
        self.practice = practice
        self.expected_version = expected_version
        self.current_version = current_version
        self.changed_by = changed_by
        self.changed_at = changed_at
        self.differing = differing
        self.changed_since = changed_since
        self.yours = dict(yours)
        when = f" on {changed_at:%Y-%m-%d %H:%M} UTC" if changed_at else ""
        super().__init__(
            f"'{practice.slug}' was changed by {changed_by or 'someone else'}{when} while you were editing: you "
            f"started from version {expected_version}, it is now version {current_version}. "
            f"Fields where your text differs from the saved one: {', '.join(differing) or 'none'}. "
            "Your text has not been saved and is not lost: compare it with the current version and save again."
        )


def _user_name(user: Any) -> str:
    if user is None:
        return "the command line"
    return getattr(user, "get_username", lambda: str(user))() or "an anonymous user"


def is_curator(user: Any) -> bool:
    """Curators review, publish, edit and restore (``practices.publish_practice``); None is the CLI."""
    return user is None or bool(getattr(user, "is_active", False) and user.has_perm(CURATOR_PERMISSION))


def is_contributor(user: Any) -> bool:
    """Contributors (and curators) may propose new records and changes."""
    return is_curator(user) or bool(getattr(user, "is_active", False) and user.has_perm(CONTRIBUTOR_PERMISSION))


def _require_curator(user: Any, action: str) -> None:
    if not is_curator(user):
        raise PermissionDenied(f"Only curators can {action}. You can propose a change instead; a curator will "
                               "review it.")


def _require_contributor(user: Any) -> None:
    if not is_contributor(user):
        raise PermissionDenied("Only signed-in contributors can propose practices or changes. Ask the "
                               "platform's curators for a contributor account.")


def _reason(reason: str, what: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise PracticeError(f"Say why you {what} (the reason is kept in the record's history).")
    return text


# --- the one place a practice is written ---------------------------------------------------------------------


def _apply(practice: Practice, record: Mapping[str, Any]) -> None:
    """Copy a clean record onto the practice with its keys and search text (no save)."""
    for name in CONTENT_FIELDS:
        if name in record:
            setattr(practice, name, record[name])
    for name in LIST_FIELDS:
        setattr(practice, f"{name}_key", key_of(getattr(practice, name)))
    practice.search_text = search_text_of(record_of(practice))


def _save(practice: Practice, *, user: Any, reason: str, new: bool = False) -> Practice:
    """Save as a new version: bump ``version`` (unless new), stamp times, tell simple-history who and why."""
    now = timezone.now()
    if new:
        practice.version = 1
        practice.created_at = now
        practice.created_by = user if getattr(user, "pk", None) else None
    else:
        practice.version += 1
    practice.updated_at = now
    practice._history_user = user if getattr(user, "pk", None) else None  # type: ignore[attr-defined]
    practice._change_reason = reason  # type: ignore[attr-defined]
    practice.save()
    bump_data_version()  # country pages (the practices timeline) are cached per data version
    return practice


def _locked(practice: Practice) -> Practice:
    """The practice as stored now, locked until the transaction ends (PostgreSQL; SQLite locks the file)."""
    return Practice.objects.select_for_update().get(pk=practice.pk)


def _merged(practice: Practice, data: Mapping[str, Any]) -> dict[str, Any]:
    """``data`` (all fields or some) laid over the practice's current record, cleaned."""
    slug = data.get("id")
    if slug not in (None, "") and str(slug).strip().lower() != practice.slug:
        raise RecordInvalid([Problem("id", f"cannot change from '{practice.slug}' to '{slug}': a record keeps "
                                           "its id. Propose a new record instead.")], slug=practice.slug)
    raw = {**record_of(practice), **{k: v for k, v in data.items() if k != "id"}}
    return clean_record(raw)


def _create(*, record: Mapping[str, Any], user: Any, reason: str, status: str) -> Practice:
    if Practice.objects.filter(slug=record["id"]).exists():
        raise RecordInvalid([Problem("id", f"'{record['id']}' is already used by another practice; choose "
                                           "another id or change that practice.")], slug=record["id"])
    practice = Practice(slug=record["id"], status=status)
    _apply(practice, record)
    return _save(practice, user=user, reason=reason, new=True)


# --- curators' writes ------------------------------------------------------------------------------------


@transaction.atomic
def create_practice(*, data: Mapping[str, Any], user: Any, reason: str, publish: bool) -> Practice:
    """A new practice from a seed-format record (draft, or published when ``publish``); curators only.
    Raises :class:`RecordInvalid` naming the fields to fix."""
    _require_curator(user, "add practices")
    text = _reason(reason, "add this practice")
    record = clean_record(data)
    return _create(record=record, user=user, reason=text, status=Practice.PUBLISHED if publish else Practice.DRAFT)


@transaction.atomic
def update_practice(*, practice: Practice, data: Mapping[str, Any], expected_version: int, user: Any,
                    reason: str) -> Practice:
    """Save an editor's changes (all fields or some) as a new version; curators only.

    ``expected_version`` is the version the editor started from: if someone saved since, nothing is written
    and :class:`EditConflict` says who, when and which fields differ. No change at all writes nothing."""
    _require_curator(user, "change practices")
    text = _reason(reason, "change this practice")
    current = _locked(practice)
    record = _merged(current, data)
    if int(expected_version) != current.version:
        raise _conflict(current, expected_version, record)
    if not changed_fields(record_of(current), record):
        return current
    _apply(current, record)
    return _save(current, user=user, reason=text)


def conflict_for(*, practice: Practice, data: Mapping[str, Any], expected_version: int) -> EditConflict | None:
    """The conflict an editor's save from ``expected_version`` would meet now, or None (writes nothing): lets
    a form say so before saving, with the editor's text still in it."""
    current = Practice.objects.get(pk=practice.pk)
    if int(expected_version) == current.version:
        return None
    return _conflict(current, expected_version, _merged(current, data))


def _conflict(current: Practice, expected_version: int, yours: Mapping[str, Any]) -> EditConflict:
    latest = current.history.order_by("-history_date", "-history_id").first()
    base = current.history.filter(version=expected_version).order_by("-history_id").first()
    since = changed_fields(record_of(base), record_of(current)) if base is not None else []
    return EditConflict(
        practice=current, expected_version=int(expected_version), current_version=current.version,
        changed_by=_user_name(latest.history_user) if latest is not None else "",
        changed_at=latest.history_date if latest is not None else None,
        differing=changed_fields(record_of(current), yours), changed_since=since, yours=yours,
    )


def _set_status(practice: Practice, *, status: str, user: Any, reason: str) -> Practice:
    current = _locked(practice)
    if current.status == status:
        return current
    current.status = status
    return _save(current, user=user, reason=reason)


@transaction.atomic
def publish(*, practice: Practice, user: Any, reason: str = "published") -> Practice:
    """Make a practice public (a new version); curators only. Already published: nothing changes."""
    _require_curator(user, "publish practices")
    return _set_status(practice, status=Practice.PUBLISHED, user=user, reason=_reason(reason, "publish it"))


@transaction.atomic
def withdraw(*, practice: Practice, user: Any, reason: str) -> Practice:
    """Take a practice off the public library (a new version; its history stays); curators only."""
    _require_curator(user, "withdraw practices")
    return _set_status(practice, status=Practice.WITHDRAWN, user=user, reason=_reason(reason, "withdraw it"))


@transaction.atomic
def restore_version(*, practice: Practice, history_id: int, user: Any, reason: str) -> Practice:
    """Save an earlier version's content again, as a new version (the status stays as it is now); curators
    only. Restoring never deletes a version: the ones in between stay in the history."""
    _require_curator(user, "restore earlier versions")
    text = _reason(reason, "restore this version")
    current = _locked(practice)
    old = current.history.filter(history_id=history_id).first()
    if old is None:
        raise PracticeError(f"'{current.slug}' has no saved version with history id {history_id}.")
    record = record_of(old)
    record.setdefault("original_language", "en")
    record.setdefault("translations", {})
    _apply(current, record)
    return _save(current, user=user, reason=f"restored version {old.version}: {text}")


# --- contributors' proposals and their review -----------------------------------------------------------


@transaction.atomic
def propose_new(*, data: Mapping[str, Any], user: Any, reason: str) -> Proposal:
    """A contributor's new record, kept aside for a curator's review (nothing public changes)."""
    _require_contributor(user)
    record = clean_record(data)
    if Practice.objects.filter(slug=record["id"]).exists():
        raise RecordInvalid([Problem("id", f"'{record['id']}' is already a practice: propose a change to it, "
                                           "or choose another id.")], slug=record["id"])
    return Proposal.objects.create(kind=Proposal.NEW, data=record, base_version=None, reason=(reason or "").strip(),
                                   proposed_by=user if getattr(user, "pk", None) else None,
                                   created_at=timezone.now())


@transaction.atomic
def propose_change(*, practice: Practice, data: Mapping[str, Any], base_version: int, user: Any,
                   reason: str) -> Proposal:
    """A contributor's change to a practice (e.g. new outcome figures), from the version they read; kept
    aside for a curator's review (nothing public changes)."""
    _require_contributor(user)
    current = Practice.objects.get(pk=practice.pk)
    if not 1 <= int(base_version) <= current.version:
        raise PracticeError(f"'{current.slug}' has no version {base_version} (it is at version {current.version}).")
    record = _merged(current, data)
    if not changed_fields(record_of(current), record):
        raise PracticeError("This proposal changes nothing: edit at least one field.")
    return Proposal.objects.create(kind=Proposal.CHANGE, practice=current, data=record,
                                   base_version=int(base_version), reason=(reason or "").strip(),
                                   proposed_by=user if getattr(user, "pk", None) else None,
                                   created_at=timezone.now())


@transaction.atomic
def review_proposal(*, proposal: Proposal, user: Any, accept: bool, note: str = "") -> Proposal:
    """A curator accepts or rejects a pending proposal. Accepting applies it as a new version with the reason
    "proposal #N by X accepted: note" (a new record is published). A change made from a version that is no
    longer current is not applied: the proposal's status becomes ``conflict`` for the curator to redo."""
    _require_curator(user, "review proposals")
    current = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if current.status != Proposal.PENDING:
        raise PracticeError(f"Proposal #{current.pk} was already reviewed ({current.status}).")
    current.reviewed_by = user if getattr(user, "pk", None) else None
    current.reviewed_at = timezone.now()
    current.review_note = (note or "").strip()
    if not accept:
        current.status = Proposal.REJECTED
        current.save()
        return current
    reason = f"proposal #{current.pk} by {_user_name(current.proposed_by)} accepted"
    reason = f"{reason}: {current.review_note}" if current.review_note else reason
    record = clean_record(current.data)
    if current.kind == Proposal.NEW:
        if Practice.objects.filter(slug=record["id"]).exists():
            current.status = Proposal.CONFLICT
        else:
            current.practice = _create(record=record, user=user, reason=reason, status=Practice.PUBLISHED)
            current.status = Proposal.ACCEPTED
    else:
        practice = _locked(current.practice)
        if practice.version != current.base_version:
            current.status = Proposal.CONFLICT
        else:
            _apply(practice, {k: v for k, v in record.items() if k != "id"})
            _save(practice, user=user, reason=reason)
            current.status = Proposal.ACCEPTED
    current.save()
    return current


# --- import ------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Rejected:
    """A row not stored: its line in the file, its id when it had one, and why."""

    line: int
    slug: str | None
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}{f' ({self.slug})' if self.slug else ''}: {self.reason}"


@dataclass(slots=True)
class ImportReport:
    """What an import did: ids created, updated (with the fields changed), unchanged, and rows rejected."""

    file: str
    created: list[str] = field(default_factory=list)
    updated: dict[str, list[str]] = field(default_factory=dict)
    unchanged: list[str] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.created) + len(self.updated) + len(self.unchanged) + len(self.rejected)

    def summary(self) -> str:
        return (f"{self.file}: {len(self.created)} created, {len(self.updated)} updated, "
                f"{len(self.unchanged)} unchanged, {len(self.rejected)} rejected.")


@transaction.atomic
def import_practices(*, path: str | Path, user: Any = None) -> ImportReport:
    """Import a JSONL or CSV file of seed-format records, idempotent by ``id``.

    A new id is created and published ("imported from <file>"); the same content changes nothing (no
    version); different content is a new version whose reason names the changed fields. A row that cannot
    be read or checked is rejected with its line and reason, and the other rows are still imported.
    Raises :class:`transfer.TransferError` when the file itself cannot be read."""
    _require_curator(user, "import practices")
    source = Path(path)
    report = ImportReport(file=source.name)
    _import_rows(transfer.read_records(source), report, user=user)
    return report


def _import_rows(rows: Iterable[tuple[int, Any]], report: ImportReport, *, user: Any) -> None:
    seen: dict[str, int] = {}
    for line, raw in rows:
        if isinstance(raw, transfer.RowError):
            report.rejected.append(Rejected(line, None, raw.message))
            continue
        try:
            record = clean_record(raw)
        except RecordInvalid as exc:
            report.rejected.append(Rejected(line, exc.slug, str(exc)))
            continue
        slug = record["id"]
        if slug in seen:
            report.rejected.append(Rejected(line, slug, f"id: '{slug}' already appears on line {seen[slug]}."))
            continue
        seen[slug] = line
        try:
            _import_one(record, report, user=user)
        except DatabaseError as exc:  # its savepoint is rolled back; the other rows go on
            report.rejected.append(Rejected(line, slug, f"could not be stored ({exc.__class__.__name__}: {exc})."))


def _import_one(record: dict[str, Any], report: ImportReport, *, user: Any) -> None:
    with transaction.atomic():  # one savepoint per row: a row that fails leaves the others in place
        existing = Practice.objects.select_for_update().filter(slug=record["id"]).first()
        if existing is None:
            _create(record=record, user=user, reason=f"imported from {report.file}", status=Practice.PUBLISHED)
            report.created.append(record["id"])
            return
        changes = changed_fields(record_of(existing), record)
        if not changes:
            report.unchanged.append(record["id"])
            return
        _apply(existing, record)
        _save(existing, user=user, reason=f"imported from {report.file}: changed {', '.join(changes)}")
        report.updated[record["id"]] = changes


@transaction.atomic
def import_records(*, records: Iterable[Mapping[str, Any]], source: str, user: Any = None) -> ImportReport:
    """Import records already read (from a form, an upload or a test), numbered from 1, exactly as
    :func:`import_practices` imports a file's rows."""
    _require_curator(user, "import practices")
    report = ImportReport(file=source)
    _import_rows(enumerate(records, start=1), report, user=user)
    return report
