"""The lens output record: the contract in shared/specs/lens-output.md (one record per provision)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class Evidence:
    start: int  # offset into ProvisionResult.text
    end: int
    text: str
    supports: str  # "explicit", "implicit", a category name, "binding", "soft", "committee:<key>", "exclusion"
    by: str = "rules"  # "rules", or "model": a term that weighed most in the learned model's decision

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"start": self.start, "end": self.end, "text": self.text, "supports": self.supports}
        if self.by != "rules":
            out["by"] = self.by
        return out


@dataclass(slots=True)
class ProvisionResult:
    agreement_id: str
    provision_id: str
    source_ref: str
    path: list[str]
    unit: str  # "article" | "paragraph"
    text: str
    relevance: str  # "explicit" | "implicit" | "none"
    categories: list[str] = field(default_factory=list)
    binding: str | None = None  # "binding" | "soft" | None when relevance == "none"
    committees: list[str] = field(default_factory=list)
    score: float = 0.0
    evidence: list[Evidence] = field(default_factory=list)
    language: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "agreement_id": self.agreement_id,
            "provision_id": self.provision_id,
            "source_ref": self.source_ref,
            "path": list(self.path),
            "unit": self.unit,
            "text": self.text,
            "relevance": self.relevance,
            "categories": list(self.categories),
            "binding": self.binding,
            "committees": list(self.committees),
            "score": round(self.score, 4),
            "evidence": [e.to_dict() for e in self.evidence],
            "language": self.language,
        }
