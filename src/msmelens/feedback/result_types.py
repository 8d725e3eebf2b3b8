"""The shapes of published survey results: one shape for the CLI, the API, CSV, pages and charts.

A :class:`ResultTable` holds, for one survey (and optionally one wave), broken down by some of
:data:`DIMENSIONS`, one :class:`Cell` per group and obstacle category, and one :class:`ShareCell` per group and
``biggest_obstacle`` answer. Disclosure control has already been applied: a cell whose ``status`` is
``suppressed`` carries no estimate, no interval and no counts — only its status and the reason. Nothing that
publishes results may read anything but these objects (never the responses themselves).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# what results can be broken down by: answers of the default instrument, and the wave
DIMENSIONS: tuple[str, ...] = ("country", "sector", "size_class", "owner_gender", "exporter", "location", "wave")
SHOWN, FLAGGED, SUPPRESSED = "shown", "flagged", "suppressed"
STATUSES = (SHOWN, FLAGGED, SUPPRESSED)
CLEARLY_UP, CLEARLY_DOWN, NO_CLEAR_CHANGE = "clearly_up", "clearly_down", "no_clear_change"


@dataclass(slots=True)
class Cell:
    """One group × obstacle category: the share rating it a major or very severe obstacle (3–4) and the mean
    severity (0–4), over the respondents who rated it (``dk`` and unanswered are missing, not zeros)."""

    group: dict[str, str]
    category: str
    status: str  # shown, flagged, suppressed
    reason: str = ""  # why flagged or suppressed, in plain English ("fewer than 5 respondents", ...)
    share_major: float | None = None
    ci: tuple[float, float] | None = None  # 95%, Korn–Graubard
    mean_severity: float | None = None
    mean_ci: tuple[float, float] | None = None  # 95%, t on the weighted variance, n_eff − 1 df
    n: int | None = None  # respondents who rated the category in this group
    n_eff: float | None = None  # Kish's effective sample size

    def to_dict(self) -> dict[str, Any]:
        hidden = self.status == SUPPRESSED
        return {
            "group": dict(self.group),
            "category": self.category,
            "share_major": None if hidden else self.share_major,
            "ci": None if hidden or self.ci is None else [self.ci[0], self.ci[1]],
            "mean_severity": None if hidden else self.mean_severity,
            "mean_ci": None if hidden or self.mean_ci is None else [self.mean_ci[0], self.mean_ci[1]],
            "n": None if hidden else self.n,
            "n_eff": None if hidden else self.n_eff,
            "status": self.status,
            "reason": self.reason,
        }


@dataclass(slots=True)
class ShareCell:
    """One group × answer of ``biggest_obstacle``: the share of firms naming it their biggest obstacle."""

    group: dict[str, str]
    answer: str  # a category key
    status: str
    reason: str = ""
    share: float | None = None
    ci: tuple[float, float] | None = None
    n: int | None = None  # respondents in the group who answered biggest_obstacle
    n_eff: float | None = None

    def to_dict(self) -> dict[str, Any]:
        hidden = self.status == SUPPRESSED
        return {
            "group": dict(self.group),
            "answer": self.answer,
            "share": None if hidden else self.share,
            "ci": None if hidden or self.ci is None else [self.ci[0], self.ci[1]],
            "n": None if hidden else self.n,
            "n_eff": None if hidden else self.n_eff,
            "status": self.status,
            "reason": self.reason,
        }


@dataclass(slots=True)
class ResultTable:
    survey: str
    wave: str | None  # None: every wave together
    by: list[str]
    weighted: bool
    weighting: str  # "unweighted", "poststratification", "raking" (or "mixed" across waves)
    n_responses: int  # responses used (after exclusions)
    synthetic: bool  # True when synthetic (demo) responses are included
    cells: list[Cell] = field(default_factory=list)
    biggest: list[ShareCell] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # e.g. "12 responses in strata without a population count were left out"

    def to_dict(self) -> dict[str, Any]:
        return {
            "survey": self.survey,
            "wave": self.wave,
            "by": list(self.by),
            "weighted": self.weighted,
            "weighting": self.weighting,
            "n_responses": self.n_responses,
            "synthetic": self.synthetic,
            "cells": [c.to_dict() for c in self.cells],
            "biggest_obstacle": [c.to_dict() for c in self.biggest],
            "notes": list(self.notes),
        }


@dataclass(slots=True)
class Change:
    """One group × category between two waves: the change in the share rating it major or very severe."""

    group: dict[str, str]
    category: str
    from_wave: str
    to_wave: str
    status: str  # shown / flagged (both waves' cells published) or suppressed (either is suppressed)
    direction: str | None = None  # clearly_up, clearly_down, no_clear_change (None when suppressed)
    difference: float | None = None  # to − from, in share points (0..1 scale)
    ci: tuple[float, float] | None = None  # 95% interval of the difference
    from_share: float | None = None
    to_share: float | None = None

    def to_dict(self) -> dict[str, Any]:
        hidden = self.status == SUPPRESSED
        return {
            "group": dict(self.group),
            "category": self.category,
            "from_wave": self.from_wave,
            "to_wave": self.to_wave,
            "status": self.status,
            "direction": None if hidden else self.direction,
            "difference": None if hidden else self.difference,
            "ci": None if hidden or self.ci is None else [self.ci[0], self.ci[1]],
            "from_share": None if hidden else self.from_share,
            "to_share": None if hidden else self.to_share,
        }
