"""Writes: import agreements, curate provisions. Every state change goes through here and is audited."""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from msmelens.agreements import search
from msmelens.agreements.models import Agreement, AgreementParty, AuditLog, Curation, Provision
from msmelens.agreements.pipeline import Analyzed, Failed, analyze_file, file_hash, stored_hash
from msmelens.agreements.versions import Text, group_versions
from msmelens.corpus.model import AgreementMeta, Article, Chapter, Document
from msmelens.lens.record import Evidence, ProvisionResult
from msmelens.lens.taxonomy import BINDING_LEVELS, CATEGORIES, RELEVANCE_LEVELS
from msmelens.web.cache import bump_data_version

Progress = Callable[[int, int, str], None]  # (done, total, file name)
BATCH_SIZE = 25


@dataclass(slots=True)
class ImportOutcome:
    lens_id: str
    status: str  # "imported" (new), "replaced" (changed text or lens version), "unchanged"
    n_provisions: int = 0
    n_curations_reapplied: int = 0


@dataclass(slots=True)
class ImportReport:
    imported: int = 0  # new or replaced agreements
    unchanged: int = 0
    failed: int = 0
    replaced: int = 0  # of ``imported``, how many replaced an earlier version
    errors: list[str] = field(default_factory=list)
    outcomes: list[ImportOutcome] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """True when at least one file was imported or found unchanged."""
        return self.imported + self.unchanged > 0

    def summary(self) -> str:
        return (
            f"{self.imported} imported ({self.replaced} replaced), {self.unchanged} unchanged, "
            f"{self.failed} failed in {self.seconds:.1f} s"
        )


def _audit(
    action: str, *, actor: Any = None, object_ref: str = "", data: dict[str, Any] | None = None
) -> None:
    AuditLog.objects.create(
        action=action, actor=actor, object_ref=object_ref[:200], data=data or {}, created_at=timezone.now()
    )


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _key(values: Iterable[str]) -> str:
    items = [v for v in values if v]
    return "|" + "|".join(items) + "|" if items else ""


def _chapter_of_nodes(document: Document) -> dict[str, str]:
    """Map article and paragraph ids to their chapter heading."""
    out: dict[str, str] = {}
    for chapter in document.chapters:
        for article in chapter.articles:
            out[article.id] = chapter.heading
            for paragraph in article.paragraphs:
                out[paragraph.id] = chapter.heading
    return out


def _provision_rows(
    agreement: Agreement, document: Document, results: list[ProvisionResult]
) -> list[Provision]:
    chapters = _chapter_of_nodes(document)
    rows = []
    for ordinal, r in enumerate(results, start=1):
        labels = {"relevance": r.relevance, "categories": list(r.categories), "binding": r.binding}
        rows.append(
            Provision(
                agreement=agreement,
                provision_id=r.provision_id[:200],
                ordinal=ordinal,
                source_ref=(r.source_ref or "")[:500],
                path=list(r.path),
                chapter=chapters.get(r.provision_id, r.path[0] if r.path else "")[:500],
                unit=r.unit,
                language=(r.language or document.meta.language or "")[:8],
                text=r.text,
                relevance=r.relevance,
                categories=list(r.categories),
                categories_key=_key(r.categories)[:300],
                binding=r.binding,
                committees=list(r.committees),
                committees_key=_key(r.committees)[:500],
                score=float(r.score),
                evidence=[e.to_dict() for e in r.evidence],
                lens_labels=labels,
                curated=False,
            )
        )
    return rows


def _apply_profile(agreement: Agreement, profile: dict[str, Any]) -> None:
    counts = profile.get("relevance_counts", {})
    agreement.profile = profile
    agreement.coverage = float(profile.get("coverage_overall", 0.0))
    agreement.n_provisions = int(profile.get("n_provisions", 0))
    agreement.n_explicit = int(counts.get("explicit", 0))
    agreement.n_implicit = int(counts.get("implicit", 0))
    agreement.has_sme_chapter = profile.get("sme_chapter") is not None


def _fill_agreement(agreement: Agreement, document: Document, source_name: str, content_hash: str) -> None:
    from msmelens.lens import LENS_VERSION

    meta = document.meta
    agreement.name = (meta.name or source_name or document.id)[:500]
    agreement.agreement_type = (meta.type or "")[:200]
    agreement.status = (meta.status or "")[:100]
    agreement.date_signed = _date(meta.date_signed)
    agreement.year_signed = meta.year_signed
    agreement.date_into_force = _date(meta.date_into_force)
    agreement.region = (meta.region or "")[:200]
    agreement.composition = (meta.composition or "")[:100]
    agreement.language = (meta.language or "")[:8]
    agreement.wto_rta_id = (meta.wto_rta_id or "")[:32]
    agreement.parties_key = _key(_parties(meta))[:2000]
    agreement.source_format = (document.format or "")[:16]
    agreement.source_name = (source_name or document.source or "")[:500]
    agreement.content_hash = content_hash
    agreement.lens_version = LENS_VERSION
    agreement.text = document.text
    agreement.imported_at = timezone.now()


def _parties(meta: AgreementMeta) -> list[str]:
    seen: list[str] = []
    for code in meta.parties:
        code = (code or "").strip().upper()
        if code and len(code) <= 3 and code not in seen:
            seen.append(code)
    return seen


@transaction.atomic
def import_document(
    *,
    document: Document,
    results: list[ProvisionResult],
    profile: Any,
    source_name: str,
    bump_version: bool = True,
    regroup: bool = True,
) -> ImportOutcome:
    """Store one analysed agreement; a no-op when the same source and lens version are already stored.

    ``regroup`` (default) recomputes the language versions of all stored agreements afterwards; a batch
    import passes False and regroups once at the end."""
    content_hash = stored_hash(document.content_hash)
    profile_dict = profile.to_dict() if hasattr(profile, "to_dict") else dict(profile)
    existing = Agreement.objects.filter(lens_id=document.id).first()
    if existing is not None and existing.content_hash == content_hash:
        return ImportOutcome(lens_id=document.id, status="unchanged", n_provisions=existing.n_provisions)
    status = "replaced" if existing is not None else "imported"
    agreement = existing or Agreement(lens_id=document.id)
    _fill_agreement(agreement, document, source_name, content_hash)
    _apply_profile(agreement, profile_dict)
    agreement.save()
    if existing is not None:
        agreement.provisions.all().delete()
        agreement.parties.all().delete()
    AgreementParty.objects.bulk_create(
        [AgreementParty(agreement=agreement, iso3=code) for code in _parties(document.meta)]
    )
    rows = Provision.objects.bulk_create(_provision_rows(agreement, document, results), batch_size=500)
    search.index_provisions([(p.pk, p.text) for p in rows])
    reapplied = _reapply_curations(agreement)
    if reapplied:
        recompute_agreement(agreement=agreement)
    _audit(
        f"agreement.{status}",
        object_ref=agreement.lens_id,
        data={"source": source_name, "n_provisions": len(results), "curations_reapplied": reapplied},
    )
    if regroup:
        regroup_versions()
    if bump_version:
        bump_data_version()
    return ImportOutcome(
        lens_id=agreement.lens_id, status=status, n_provisions=len(results), n_curations_reapplied=reapplied
    )


@transaction.atomic
def regroup_versions() -> int:
    """Recompute which stored texts are language versions of one agreement (``versions.group_versions``).

    Sets every agreement's ``group_key`` (its primary version's id) and ``is_primary``; returns how many
    agreements changed. Reads metadata only; cheap enough to run after every import."""
    rows = list(
        Agreement.objects.values_list(
            "pk", "lens_id", "name", "date_signed", "wto_rta_id", "language", "group_key", "is_primary"
        )
    )
    grouping = group_versions(
        Text(
            agreement_id=lens_id,
            name=name,
            date_signed=signed.isoformat() if signed else "",
            wto_rta_id=rta,
            language=language,
        )
        for _, lens_id, name, signed, rta, language, _, _ in rows
    )
    changed = []
    for pk, lens_id, _, _, _, _, key, primary in rows:
        new_key = grouping.group_of[lens_id]
        if (key, primary) != (new_key, new_key == lens_id):
            changed.append(Agreement(pk=pk, group_key=new_key, is_primary=new_key == lens_id))
    Agreement.objects.bulk_update(changed, ["group_key", "is_primary"], batch_size=500)
    if changed:
        _audit("agreements.regrouped", data={"changed": len(changed), "groups": grouping.n_groups})
        bump_data_version()
    return len(changed)


def latest_curations(provision_ids: Iterable[str] | None = None) -> dict[str, Curation]:
    """The curation in force for each curated provision (the latest active one), of ``provision_ids`` or all."""
    qs = Curation.objects.filter(active=True)
    if provision_ids is not None:
        qs = qs.filter(provision_id__in=list(provision_ids))
    active: dict[str, Curation] = {}
    for cur in qs.order_by("created_at", "id"):
        active[cur.provision_id] = cur  # the latest wins
    return active


def _reapply_curations(agreement: Agreement) -> int:
    active = latest_curations(agreement.provisions.values_list("provision_id", flat=True))
    if not active:
        return 0
    provisions = list(agreement.provisions.filter(provision_id__in=list(active)))
    for p in provisions:
        _set_labels(p, active[p.provision_id])
    Provision.objects.bulk_update(
        provisions, ["relevance", "categories", "categories_key", "binding", "curated"], batch_size=500
    )
    return len(provisions)


def _set_labels(provision: Provision, labels: Curation) -> None:
    provision.relevance = labels.relevance
    provision.categories = list(labels.categories)
    provision.categories_key = _key(labels.categories)
    provision.binding = labels.binding
    provision.curated = True


def _result_from_row(p: Provision, lens_id: str) -> ProvisionResult:
    return ProvisionResult(
        agreement_id=lens_id,
        provision_id=p.provision_id,
        source_ref=p.source_ref,
        path=list(p.path),
        unit=p.unit,
        text=p.text,
        relevance=p.relevance,
        categories=list(p.categories),
        binding=p.binding,
        committees=list(p.committees),
        score=p.score,
        evidence=[Evidence(**e) for e in p.evidence],
        language=p.language,
    )


def _skeleton_document(agreement: Agreement, provisions: list[Provision]) -> Document:
    """Rebuild the chapter → article outline from stored provisions (enough for the profile)."""
    chapters: list[Chapter] = []
    for p in provisions:
        article_id = p.provision_id.rsplit("-p", 1)[0] if p.unit == "paragraph" else p.provision_id
        if not chapters or chapters[-1].heading != p.chapter:
            chapters.append(
                Chapter(id=f"c{len(chapters) + 1}", source_ref="", heading=p.chapter, start=0, end=0)
            )
        articles = chapters[-1].articles
        if not articles or articles[-1].id != article_id:
            articles.append(
                Article(id=article_id, source_ref=p.source_ref, heading="", path=[], start=0, end=0, text="")
            )
    return Document(
        id=agreement.lens_id,
        source=agreement.source_name,
        format=agreement.source_format,
        meta=AgreementMeta(name=agreement.name, language=agreement.language),
        text="",
        chapters=chapters,
    )


def recompute_agreement(*, agreement: Agreement) -> dict[str, Any]:
    """Recompute an agreement's profile and counts from the labels in force (lens or curator)."""
    from msmelens.lens.profile import profile_agreement

    provisions = list(Provision.objects.filter(agreement_id=agreement.pk).order_by("ordinal"))
    results = [_result_from_row(p, agreement.lens_id) for p in provisions]
    profile = profile_agreement(_skeleton_document(agreement, provisions), results).to_dict()
    _apply_profile(agreement, profile)
    agreement.save(
        update_fields=["profile", "coverage", "n_provisions", "n_explicit", "n_implicit", "has_sme_chapter"]
    )
    return profile


def validate_labels(*, relevance: str, categories: Iterable[str], binding: str | None) -> list[str]:
    """Check labels against the lens taxonomy; returns the clean category list or raises ValidationError."""
    cats = list(dict.fromkeys(c for c in categories if c))
    errors: dict[str, list[str]] = {}
    if relevance not in RELEVANCE_LEVELS:
        errors["relevance"] = [f"Relevance must be one of {', '.join(RELEVANCE_LEVELS)}, not “{relevance}”."]
    unknown = [c for c in cats if c not in CATEGORIES]
    if unknown:
        errors["categories"] = [f"Unknown category “{unknown[0]}”; choose from {', '.join(CATEGORIES)}."]
    if relevance == "none":
        if cats:
            errors.setdefault("categories", []).append("A provision that is not relevant has no category.")
        if binding:
            errors["binding"] = [
                "A provision that is not relevant is neither binding nor soft: leave it empty."
            ]
    elif relevance in RELEVANCE_LEVELS and binding not in BINDING_LEVELS:
        errors["binding"] = [f"Binding must be one of {', '.join(BINDING_LEVELS)} for a relevant provision."]
    if errors:
        raise ValidationError(errors)
    return cats


@transaction.atomic
def curate_provision(
    *,
    provision: Provision,
    curator: Any,
    relevance: str,
    categories: Iterable[str],
    binding: str | None,
    note: str = "",
) -> Curation:
    """Record a curator's labels for one provision, put them in force and refresh the agreement's figures."""
    binding = binding or None
    cats = validate_labels(relevance=relevance, categories=categories, binding=binding)
    provision = Provision.objects.select_for_update().select_related("agreement").get(pk=provision.pk)
    if not provision.lens_labels:
        provision.lens_labels = {
            "relevance": provision.relevance,
            "categories": list(provision.categories),
            "binding": provision.binding,
        }
    Curation.objects.filter(provision_id=provision.provision_id, active=True).update(active=False)
    curation = Curation.objects.create(
        provision_id=provision.provision_id,
        relevance=relevance,
        categories=cats,
        binding=binding,
        note=note,
        curator=curator,
        created_at=timezone.now(),
        active=True,
    )
    _set_labels(provision, curation)
    provision.save(
        update_fields=["relevance", "categories", "categories_key", "binding", "curated", "lens_labels"]
    )
    recompute_agreement(agreement=provision.agreement)
    _audit(
        "provision.curated",
        actor=curator,
        object_ref=provision.provision_id,
        data={"relevance": relevance, "categories": cats, "binding": binding, "lens": provision.lens_labels},
    )
    bump_data_version()
    return curation


@transaction.atomic
def revert_curation(*, provision: Provision, curator: Any) -> Provision:
    """Drop the curator's labels: the lens's labels are in force again."""
    provision = Provision.objects.select_for_update().select_related("agreement").get(pk=provision.pk)
    n = Curation.objects.filter(provision_id=provision.provision_id, active=True).update(active=False)
    lens = provision.lens_labels or {}
    provision.relevance = lens.get("relevance", provision.relevance)
    provision.categories = list(lens.get("categories", provision.categories))
    provision.categories_key = _key(provision.categories)
    provision.binding = lens.get("binding", provision.binding)
    provision.curated = False
    provision.save(update_fields=["relevance", "categories", "categories_key", "binding", "curated"])
    recompute_agreement(agreement=provision.agreement)
    _audit("provision.reverted", actor=curator, object_ref=provision.provision_id, data={"deactivated": n})
    bump_data_version()
    return provision


def _analysed(todo: list[str], workers: int) -> Iterator[Analyzed | Failed]:
    """Analyse files in order with at most ``4 * workers`` results in flight (bounded memory).

    Worker processes are forked where possible (fast start); if the pool breaks (a worker killed, e.g. out of
    memory), the remaining files are analysed in this process.
    """
    if workers == 1 or len(todo) <= 1:
        yield from (analyze_file(f) for f in todo)
        return
    import multiprocessing
    from concurrent.futures import Future, ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    # fork starts fast and is safe on Linux; macOS and Windows use spawn
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    context = multiprocessing.get_context(method)
    next_index = 0
    with ProcessPoolExecutor(max_workers=min(workers, len(todo)), mp_context=context) as pool:
        pending: deque[Future[Analyzed | Failed]] = deque()
        submitted = 0
        try:
            while next_index < len(todo):
                while submitted < len(todo) and len(pending) < 4 * workers:
                    pending.append(pool.submit(analyze_file, todo[submitted]))
                    submitted += 1
                item = pending.popleft().result()
                next_index += 1
                yield item
        except BrokenProcessPool:
            pass
    for f in todo[next_index:]:
        yield analyze_file(f)


def import_paths(
    *,
    paths: Iterable[str | os.PathLike[str]],
    workers: int | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import every readable file under ``paths``: read + lens in worker processes, writes here in batches."""
    from msmelens.corpus.readers import iter_input_files

    started = time.perf_counter()
    report = ImportReport()
    files = [str(p) for p in iter_input_files(paths)]
    total = len(files)
    done = 0
    # files whose bytes and lens version are already stored are skipped without reading them
    hashes = {f: file_hash(f) for f in files}
    wanted = {stored_hash(h): f for f, h in hashes.items() if h}
    known = dict(
        Agreement.objects.filter(content_hash__in=list(wanted)).values_list("content_hash", "lens_id")
    )
    todo: list[str] = []
    for f in files:
        h = hashes[f]
        if h and stored_hash(h) in known:
            report.unchanged += 1
            report.outcomes.append(ImportOutcome(lens_id=known[stored_hash(h)], status="unchanged"))
            done += 1
            if progress:
                progress(done, total, os.path.basename(f))
        else:
            todo.append(f)
    workers = max(1, workers or os.cpu_count() or 1)
    batch: list[Analyzed] = []

    def flush() -> None:
        if not batch:
            return
        with transaction.atomic():
            for item in batch:
                try:
                    with transaction.atomic():
                        outcome = import_document(
                            document=item.document,
                            results=item.results,
                            profile=item.profile,
                            source_name=item.source_name,
                            bump_version=False,
                            regroup=False,
                        )
                except Exception as exc:  # a database error on one agreement must not lose the batch
                    report.failed += 1
                    report.errors.append(
                        f"{item.source_name}: could not be stored ({type(exc).__name__}: {exc})."
                    )
                    continue
                report.outcomes.append(outcome)
                if outcome.status == "unchanged":
                    report.unchanged += 1
                else:
                    report.imported += 1
                    report.replaced += outcome.status == "replaced"
        batch.clear()

    def handle(item: Analyzed | Failed) -> None:
        nonlocal done
        done += 1
        if isinstance(item, Failed):
            report.failed += 1
            report.errors.append(item.message)
        else:
            batch.append(item)
            if len(batch) >= BATCH_SIZE:
                flush()
        if progress:
            progress(done, total, item.source_name)

    for item in _analysed(todo, workers):
        handle(item)
    flush()
    if report.imported or Agreement.objects.filter(group_key="").exists():
        regroup_versions()
    report.seconds = time.perf_counter() - started
    if report.imported or report.failed:
        _audit(
            "corpus.imported",
            data={
                "imported": report.imported,
                "replaced": report.replaced,
                "unchanged": report.unchanged,
                "failed": report.failed,
                "errors": report.errors[:50],
            },
        )
    if report.imported:
        bump_data_version()  # once per batch, not per file
    return report
