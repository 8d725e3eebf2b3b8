"""Service: re-analyse the stored agreements after a lens change, from their stored text, keeping curations.

``reanalyse_stored`` runs the current lens (rules and learned stage) over every stored provision of each
agreement analysed by another lens version (or of every agreement with ``force=True``), in one transaction
per agreement:

- the lens's own labels, score, evidence and WTO bodies are replaced;
- a provision a curator corrected keeps the curator's labels (``Curation``, the latest active one), and the
  new lens labels are kept beside them (``lens_labels``), as on import;
- the agreement's profile and counts are recomputed and its ``lens_version`` set.

No source file is needed (uploaded drafts are re-analysed too); texts and ids do not change, so links,
search and curations stay valid.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

from msmelens.agreements.models import Agreement, Provision
from msmelens.corpus.model import AgreementMeta, Article, Chapter, Document

Progress = Callable[[int, int, str], None]


@dataclass
class ReanalysisReport:
    agreements: int = 0
    provisions: int = 0
    changed: int = 0  # provisions whose lens labels changed
    curations_kept: int = 0
    skipped: int = 0  # agreements already analysed by this lens version
    errors: list[str] = field(default_factory=list)


def _document(agreement: Agreement, provisions: list[Provision]) -> Document:
    """A document with one article per stored provision (heading from its path, chapter from its row)."""
    chapters: list[Chapter] = []
    for p in provisions:
        if not chapters or chapters[-1].heading != p.chapter:
            chapters.append(Chapter(id=f"c{len(chapters) + 1}", source_ref="", heading=p.chapter, start=0, end=0))
        heading = str(p.path[-1]) if len(p.path) > 1 else ""
        chapters[-1].articles.append(
            Article(
                id=p.provision_id,
                source_ref=p.source_ref,
                heading=heading,
                path=list(p.path),
                start=0,
                end=len(p.text),
                text=p.text,
            )
        )
    return Document(
        id=agreement.lens_id,
        source=agreement.source_name,
        format=agreement.source_format,
        meta=AgreementMeta(name=agreement.name, language=agreement.language),
        text="",
        chapters=chapters,
    )


def _labels(relevance: str, categories: list[str], binding: str | None) -> dict[str, object]:
    return {"relevance": relevance, "categories": list(categories), "binding": binding}


@transaction.atomic
def reanalyse_agreement(*, agreement: Agreement) -> tuple[int, int, int]:
    """Re-run the lens on one stored agreement; returns (provisions, changed, curations kept)."""
    from msmelens.agreements.services import _key, _set_labels, latest_curations, recompute_agreement
    from msmelens.lens import LENS_VERSION, analyze

    provisions = list(Provision.objects.filter(agreement_id=agreement.pk).order_by("ordinal"))
    results = {r.provision_id: r for r in analyze(_document(agreement, provisions), unit="article")}
    active = latest_curations(p.provision_id for p in provisions)
    changed = 0
    for p in provisions:
        r = results[p.provision_id]
        new_labels = _labels(r.relevance, r.categories, r.binding)
        if new_labels != p.lens_labels:
            changed += 1
        p.lens_labels = new_labels
        p.committees = list(r.committees)
        p.committees_key = _key(r.committees)
        p.score = float(r.score)
        p.evidence = [e.to_dict() for e in r.evidence]
        cur = active.get(p.provision_id)
        if cur is not None:
            _set_labels(p, cur)
        else:
            p.relevance, p.categories, p.binding, p.curated = r.relevance, list(r.categories), r.binding, False
            p.categories_key = _key(p.categories)
    Provision.objects.bulk_update(
        provisions,
        [
            "lens_labels",
            "committees",
            "committees_key",
            "score",
            "evidence",
            "relevance",
            "categories",
            "categories_key",
            "binding",
            "curated",
        ],
        batch_size=500,
    )
    agreement.lens_version = LENS_VERSION
    agreement.save(update_fields=["lens_version"])
    recompute_agreement(agreement=agreement)
    return len(provisions), changed, sum(1 for p in provisions if p.provision_id in active)


def stale_count() -> int:
    """How many stored agreements were analysed by another lens version."""
    from msmelens.lens import LENS_VERSION

    return Agreement.objects.exclude(lens_version=LENS_VERSION).count()


def reanalyse_stored(*, force: bool = False, progress: Progress | None = None) -> ReanalysisReport:
    """Re-analyse every stored agreement not analysed by the current lens (all of them with ``force``)."""
    from msmelens.lens import LENS_VERSION
    from msmelens.web.cache import bump_data_version

    report = ReanalysisReport()
    agreements = list(Agreement.objects.order_by("pk"))
    todo = [a for a in agreements if force or a.lens_version != LENS_VERSION]
    report.skipped = len(agreements) - len(todo)
    for i, agreement in enumerate(todo, start=1):
        try:
            n, changed, kept = reanalyse_agreement(agreement=agreement)
        except Exception as exc:  # one agreement's failure must not stop the others
            report.errors.append(f"{agreement.lens_id}: could not be re-analysed ({type(exc).__name__}: {exc}).")
        else:
            report.agreements += 1
            report.provisions += n
            report.changed += changed
            report.curations_kept += kept
        if progress:
            progress(i, len(todo), agreement.lens_id)
    if report.agreements:
        bump_data_version()
    return report
