"""How strong is the evidence behind a practice, in plain words, and how "what works" lists are ranked.

Evidence levels follow the Maryland Scientific Methods Scale (1 to 5). A record without outcome evidence has
no level (``None``). Explanations are written for readers who are not evaluators, in English, French and
Spanish (gettext).

Ranking. The issue asks for "evidence level, then measured effect". Outcomes in comparable units are rare
(one record reports a profit gain in %, another a number of firms served, another days saved at the border),
so effects cannot honestly be compared across records. Records are therefore ranked by evidence level
(highest first, none last), then by whether the record reports a quantified outcome at all, then by the
year of its latest outcome (most recent first), then by title. :data:`RANKING_NOTE` says so on the page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

LEVELS: tuple[int, ...] = (5, 4, 3, 2, 1)
STRONG_LEVEL = 3  # a controlled comparison or better: "an evaluation at level 3 or above"

LEVEL_NAMES = {
    1: _("Level 1: monitoring or correlation"),
    2: _("Level 2: before and after"),
    3: _("Level 3: comparison with similar firms"),
    4: _("Level 4: quasi-random comparison"),
    5: _("Level 5: randomised trial"),
}
NO_LEVEL_NAME = _("No outcome evidence")

LEVEL_EXPLANATIONS = {
    1: _(
        "Figures were collected while the programme ran (how many firms took part, how much they exported), "
        "or compared with other firms at one moment. This shows what happened, not what the programme caused: "
        "the firms might have done as well without it."
    ),
    2: _(
        "The same firms or the same country were measured before and after the programme started. A change "
        "is visible, but other things changed at the same time (prices, demand, other reforms), so not all "
        "of it can be credited to the programme."
    ),
    3: _(
        "Firms that took part were compared with similar firms that did not, before and after. This is the "
        "first level at which a difference can reasonably be credited to the programme, although the firms "
        "that joined may still differ in ways the comparison does not see."
    ),
    4: _(
        "Who took part was decided by something close to chance (a cut-off score, a rollout order, a lottery "
        "for only some places), and firms on either side were compared. Few hidden differences remain, so the "
        "result is a strong estimate of the programme's own effect."
    ),
    5: _(
        "Firms were assigned to the programme or to a comparison group at random, as in a medical trial. "
        "This is the strongest evidence: any difference in results comes from the programme itself."
    ),
}
NO_LEVEL_EXPLANATION = _(
    "No outcome of this programme has been measured yet, or none was published. The record describes what "
    "was done; whether it worked is unknown."
)

RANKING_NOTE = _(
    "How records are ranked: first by the strength of their evidence (level 5 first, records without outcome "
    "evidence last). Effects are rarely measured in the same units (a profit gain in one study, days saved "
    "at the border in another), so they cannot be compared directly; among records at the same level, those "
    "that report a figure for an outcome come first, then those whose latest outcome is most recent."
)


def level_name(level: int | None) -> str:
    """The short name of an evidence level ("Level 3: comparison with similar firms"), or "No outcome
    evidence" for ``None`` or a value outside 1–5."""
    return str(LEVEL_NAMES.get(level, NO_LEVEL_NAME)) if level is not None else str(NO_LEVEL_NAME)


def explain(level: int | None) -> str:
    """What an evidence level means, in plain words, in the active language."""
    if level in LEVEL_EXPLANATIONS:
        return str(LEVEL_EXPLANATIONS[level])
    return str(NO_LEVEL_EXPLANATION)


def _get(obj: Any, name: str) -> Any:
    return obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)


def is_quantified(outcome: dict[str, Any]) -> bool:
    """Whether an outcome carries a number (not a forecast, not only words)."""
    value = outcome.get("value") if isinstance(outcome, dict) else None
    return isinstance(value, int | float) and not isinstance(value, bool) and value == value


def has_quantified_outcome(practice: Any) -> bool:
    """Whether any of the record's outcomes is a figure."""
    return any(is_quantified(o) for o in _get(practice, "outcomes") or [] if isinstance(o, dict))


def latest_outcome_year(practice: Any) -> int | None:
    """The year of the record's most recent outcome (``None`` when no outcome has a year)."""
    years = [
        o.get("year") for o in _get(practice, "outcomes") or []
        if isinstance(o, dict) and isinstance(o.get("year"), int)
    ]
    return max(years) if years else None


def rank_key(practice: Any) -> tuple[int, int, int, str, str]:
    """Sort key: level (high first, none last), quantified outcome first, latest outcome year (recent
    first), then title and slug so that the order is stable."""
    level = _get(practice, "evidence_level")
    year = latest_outcome_year(practice)
    return (
        -(level if isinstance(level, int) else 0),
        0 if has_quantified_outcome(practice) else 1,
        -(year or 0),
        str(_get(practice, "title") or "").casefold(),
        str(_get(practice, "slug") or ""),
    )


def rank(practices: Iterable[Any]) -> list[Any]:
    """The records in "what works" order (see the module docstring)."""
    return sorted(practices, key=rank_key)


def counts_by_level(practices: Iterable[Any]) -> list[tuple[int | None, int]]:
    """``[(5, n), (4, n), (3, n), (2, n), (1, n), (None, n)]``: how many records at each level."""
    counts: dict[int | None, int] = {level: 0 for level in (*LEVELS, None)}
    for p in practices:
        level = _get(p, "evidence_level")
        counts[level if level in LEVELS else None] += 1
    return list(counts.items())


@dataclass(slots=True)
class Gaps:
    """What has been tried for an obstacle without an evaluation at level 3 or above."""

    instruments: list[str] = field(default_factory=list)  # instrument keys used here, none evaluated at 3+
    regions: list[str] = field(default_factory=list)  # region keys without an evaluation at 3+ (tried or not)
    region_counts: dict[str, int] = field(default_factory=dict)  # region key -> records there
    strong: int = 0  # records at level 3 or above


def gaps(
    practices: Sequence[Any],
    *,
    regions_of: Callable[[Any], Iterable[str]],
    all_regions: Sequence[str] = (),
) -> Gaps:
    """The gaps in the evidence for a set of records (those addressing one obstacle).

    * instruments: those used by at least one of these records, none of which is evaluated at level 3+
      (instruments nobody tried for this obstacle are not listed: that is a different question);
    * regions: every region of ``all_regions`` (and any other region a record names) where no record is
      evaluated at level 3+, whether or not something was tried there; ``region_counts`` says how many
      records ran there, so a page can tell "tried, not evaluated" from "nothing tried".

    ``regions_of(practice)`` names the regions a record covers (none for a global initiative).
    """
    instruments: dict[str, bool] = {}
    regions: dict[str, bool] = {key: False for key in all_regions}
    counts: dict[str, int] = {}
    strong = 0
    for p in practices:
        level = _get(p, "evidence_level")
        good = isinstance(level, int) and level >= STRONG_LEVEL
        strong += 1 if good else 0
        instrument = _get(p, "instrument") or ""
        if instrument:
            instruments[instrument] = instruments.get(instrument, False) or good
        for region in set(regions_of(p)):
            if region:
                regions[region] = regions.get(region, False) or good
                counts[region] = counts.get(region, 0) + 1
    order = {key: i for i, key in enumerate(all_regions)}
    return Gaps(
        instruments=sorted(k for k, ok in instruments.items() if not ok),
        regions=sorted((k for k, ok in regions.items() if not ok), key=lambda k: (order.get(k, len(order)), k)),
        region_counts=counts,
        strong=strong,
    )
