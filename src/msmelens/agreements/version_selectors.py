"""Reads about language versions: an agreement's versions, the one to show a reader, where they disagree.

The grouping itself is decided in ``msmelens.agreements.versions`` and stored by
``services.regroup_versions`` (``Agreement.group_key`` / ``is_primary``). No writes here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from msmelens.agreements.models import Agreement, Provision
from msmelens.agreements.versions import Position, align, natural_key

# fields that alignment and the disagreement table read (never the provision text)
_PROVISION_FIELDS = ("provision_id", "source_ref", "path", "unit", "ordinal", "relevance", "categories")


def agreement_versions(*, agreement: Agreement) -> list[Agreement]:
    """Every stored version of the agreement ``agreement`` belongs to (itself included), primary first."""
    key = agreement.group_key or agreement.lens_id
    rows = list(Agreement.objects.filter(group_key=key).defer("text"))
    if not any(a.pk == agreement.pk for a in rows):
        rows.append(agreement)
    return sorted(rows, key=lambda a: (not a.is_primary, natural_key(a.lens_id)))


def versions_of(*, agreements: list[Agreement]) -> dict[int, list[Agreement]]:
    """Each agreement's versions (``agreement_versions``) for a page of agreements, in one query."""
    keys = {a.group_key or a.lens_id for a in agreements}
    groups: dict[str, list[Agreement]] = {}
    for row in Agreement.objects.filter(group_key__in=keys).defer("text", "profile"):
        groups.setdefault(row.group_key, []).append(row)
    out = {}
    for a in agreements:
        rows = groups.get(a.group_key or a.lens_id, [])
        if not any(r.pk == a.pk for r in rows):
            rows = [*rows, a]
        out[a.pk] = sorted(rows, key=lambda v: (not v.is_primary, natural_key(v.lens_id)))
    return out


def version_to_show(
    *, agreement: Agreement, versions: list[Agreement], language: str, requested: str = ""
) -> Agreement:
    """The version a page shows: the one ``requested`` by id if it is a version of this agreement; else, when
    the page was reached through the primary's id, the version in the reader's ``language`` where one
    exists; else ``agreement`` itself (a link to a given version's id keeps showing that version)."""
    by_id = {v.lens_id: v for v in versions}
    if requested and requested in by_id:
        return by_id[requested]
    if agreement.is_primary and agreement.language != language:
        for version in versions:
            if version.language == language:
                return version
    return agreement


@dataclass(slots=True)
class ProvisionDifference:
    """One provision aligned across two versions whose labels differ."""

    shown: Provision
    other: Provision
    relevance_differs: bool
    only_shown: list[str]  # categories found in the shown version only
    only_other: list[str]  # categories found in the other version only


@dataclass(slots=True)
class VersionComparison:
    """How the lens's results on the shown version compare with one other version."""

    other: Agreement
    n_shown: int
    n_other: int
    n_aligned: int
    differences: list[ProvisionDifference] = field(default_factory=list)

    @property
    def n_differences(self) -> int:
        return len(self.differences)


def _provisions(agreement: Agreement) -> list[Provision]:
    return list(Provision.objects.filter(agreement=agreement).only(*_PROVISION_FIELDS).order_by("ordinal"))


def _position(p: Provision) -> Position:
    return Position(
        provision_id=p.provision_id, source_ref=p.source_ref, path=list(p.path or []), unit=p.unit
    )


def compare_versions(*, shown: Agreement, others: list[Agreement]) -> list[VersionComparison]:
    """For each other version: the provisions aligned with the shown version (same article position or
    source reference, ``versions.align``) whose relevance or categories differ, in the shown text's order."""
    if not others:
        return []
    left = _provisions(shown)
    positions = [_position(p) for p in left]
    out = []
    for other in others:
        right = _provisions(other)
        pairs = align(positions, [_position(p) for p in right])
        comparison = VersionComparison(
            other=other, n_shown=len(left), n_other=len(right), n_aligned=len(pairs)
        )
        for i, j in pairs:
            a, b = left[i], right[j]
            cats_a, cats_b = list(a.categories or []), list(b.categories or [])
            only_a = [c for c in cats_a if c not in cats_b]
            only_b = [c for c in cats_b if c not in cats_a]
            if a.relevance != b.relevance or only_a or only_b:
                comparison.differences.append(
                    ProvisionDifference(
                        shown=a,
                        other=b,
                        relevance_differs=a.relevance != b.relevance,
                        only_shown=only_a,
                        only_other=only_b,
                    )
                )
        out.append(comparison)
    return out
