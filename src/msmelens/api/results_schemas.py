"""The published shapes of survey results, as the API states them and as CSV (shared by the API and the CLI).

The response models mirror :mod:`msmelens.feedback.result_types` key for key (``ResultTable.to_dict()``,
``Change.to_dict()``), so the OpenAPI document describes exactly what every interface publishes. The CSV
shape is one row per cell: the group's dimensions as columns, then the figures. Everything here reads only
``to_dict()``, which has already nulled every figure of a suppressed cell: nothing can publish more than it.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterator, Sequence
from typing import IO, Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import ConfigDict

from msmelens.api.schemas import Out
from msmelens.feedback.result_types import Change, ResultTable
from msmelens.lens.tabular import csv_cell

Status = Literal["shown", "flagged", "suppressed"]
Direction = Literal["clearly_up", "clearly_down", "no_clear_change"]
Interval = Annotated[list[float], Field(min_length=2, max_length=2)]
ResultFormat = Literal["json", "csv"]

# query text: printable, short; which dimensions and waves exist is for the results functions to say
_PARAM = r"^[^\x00-\x1f\x7f]*$"

CELL_FIGURES: tuple[str, ...] = (
    "category", "status", "reason", "share_major", "ci_low", "ci_high",
    "mean_severity", "mean_ci_low", "mean_ci_high", "n", "n_eff",
)
CHANGE_FIGURES: tuple[str, ...] = (
    "category", "from_wave", "to_wave", "status", "direction", "difference", "ci_low", "ci_high",
    "from_share", "to_share",
)

_STATUS_TEXT = (
    "'shown'; 'flagged' (shown, but interpret with caution: see 'reason'); or 'suppressed' (too few "
    "respondents or too imprecise to publish, or hidden so that another suppressed cell cannot be worked out: "
    "every figure is null)."
)


# ---------- query parameters ----------


class ResultsParams(Schema):
    by: str = Field(
        "",
        max_length=200,
        pattern=_PARAM,
        description="Dimensions to break the results down by, comma-separated, in order: country, sector, "
        "size_class, owner_gender, exporter, location, wave. Empty: all respondents together.",
    )
    wave: str | None = Field(
        None, max_length=100, pattern=_PARAM, description="Only this wave's responses (default: every wave)."
    )
    synthetic: bool = Field(
        False, description="Include synthetic (demo) responses: 1 or true. Off by default."
    )
    format: ResultFormat = Field(
        "json", description="'json' (default) or 'csv': one row per cell, the group's dimensions as columns."
    )


class ChangesParams(Schema):
    model_config = ConfigDict(populate_by_name=True)

    from_wave: str = Field(
        ..., alias="from", min_length=1, max_length=100, pattern=_PARAM, description="The earlier wave's name."
    )
    to_wave: str = Field(
        ..., alias="to", min_length=1, max_length=100, pattern=_PARAM, description="The later wave's name."
    )
    by: str = Field(
        "",
        max_length=200,
        pattern=_PARAM,
        description="Dimensions to break the changes down by, comma-separated: country, sector, size_class, "
        "owner_gender, exporter, location. Empty: all respondents together.",
    )
    synthetic: bool = Field(False, description="Include synthetic (demo) responses: 1 or true. Off by default.")
    format: ResultFormat = Field("json", description="'json' (default) or 'csv': one row per change.")


def split_dimensions(text: str) -> list[str]:
    """``"country, size_class"`` → ``["country", "size_class"]`` (empty parts dropped)."""
    return [part.strip() for part in text.split(",") if part.strip()]


# ---------- responses ----------


class CellOut(Out):
    """One group × obstacle category."""

    group: dict[str, str] = Field(description="The group's value of each 'by' dimension, e.g. {'country': 'PER'}.")
    category: str = Field(description="The obstacle category (one of the lens's eight).")
    share_major: float | None = Field(
        description="Share (0–1) of the group's respondents who rated the category a major or very severe "
        "obstacle (3 or 4); 'don't know' is left out. Null when suppressed."
    )
    ci: Interval | None = Field(
        description="95% interval of share_major (Korn–Graubard: Clopper–Pearson on the effective sample "
        "size). Null when suppressed."
    )
    mean_severity: float | None = Field(description="Mean rating, 0 (no obstacle) to 4 (very severe). Null when suppressed.")
    mean_ci: Interval | None = Field(
        description="95% t interval of mean_severity on the weighted variance. Null when suppressed."
    )
    n: int | None = Field(description="Respondents in the group who rated the category. Null when suppressed.")
    n_eff: float | None = Field(
        description="Kish's effective sample size (equals n when unweighted). Null when suppressed."
    )
    status: Status = Field(description=_STATUS_TEXT)
    reason: str = Field(description="Why the cell is flagged or suppressed, in plain words ('' when shown).")


class ShareCellOut(Out):
    """One group × answer to 'which is your biggest obstacle?'."""

    group: dict[str, str] = Field(description="The group's value of each 'by' dimension.")
    answer: str = Field(description="The obstacle category named as the biggest.")
    share: float | None = Field(description="Share (0–1) of the group's respondents naming it. Null when suppressed.")
    ci: Interval | None = Field(description="95% interval of the share. Null when suppressed.")
    n: int | None = Field(description="Respondents in the group who answered. Null when suppressed.")
    n_eff: float | None = Field(description="Kish's effective sample size. Null when suppressed.")
    status: Status = Field(description=_STATUS_TEXT)
    reason: str = Field(description="Why the cell is flagged or suppressed ('' when shown).")


class ResultTableOut(Out):
    survey: str = Field(description="The survey's address.")
    wave: str | None = Field(description="The wave the results are for; null: every wave together.")
    by: list[str] = Field(description="The dimensions the results are broken down by, in order.")
    weighted: bool = Field(description="Whether the figures are weighted (from the waves' sampling designs).")
    weighting: str = Field(
        description="'unweighted', 'poststratification', 'raking', or 'mixed' (waves with different designs)."
    )
    n_responses: int = Field(description="Responses the figures are computed from.")
    synthetic: bool = Field(description="Whether synthetic (demo) responses are included.")
    cells: list[CellOut] = Field(description="One per group and obstacle category.")
    biggest_obstacle: list[ShareCellOut] = Field(description="One per group and answer to the biggest-obstacle question.")
    notes: list[str] = Field(description="What the reader should know, e.g. responses left out and why.")


class ChangeOut(Out):
    """One group × category between two waves."""

    group: dict[str, str] = Field(description="The group's value of each 'by' dimension.")
    category: str = Field(description="The obstacle category.")
    from_wave: str
    to_wave: str
    status: Status = Field(description="'suppressed' when either wave's cell is suppressed (then every figure is null).")
    direction: Direction | None = Field(
        description="'clearly_up' or 'clearly_down' when the 95% interval of the difference excludes 0, "
        "else 'no_clear_change'. Null when suppressed."
    )
    difference: float | None = Field(description="to_share − from_share (0–1 scale). Null when suppressed.")
    ci: Interval | None = Field(description="95% interval of the difference. Null when suppressed.")
    from_share: float | None = Field(description="share_major in the earlier wave. Null when suppressed.")
    to_share: float | None = Field(description="share_major in the later wave. Null when suppressed.")


class ChangesOut(Out):
    survey: str
    from_wave: str
    to_wave: str
    by: list[str]
    changes: list[ChangeOut]


def changes_document(survey: str, by: Sequence[str], from_wave: str, to_wave: str,
                     changes: Sequence[Change]) -> dict[str, Any]:
    """The one JSON shape of wave-to-wave changes (API and CLI)."""
    return {
        "survey": survey,
        "from_wave": from_wave,
        "to_wave": to_wave,
        "by": list(by),
        "changes": [change.to_dict() for change in changes],
    }


# ---------- CSV ----------


def _number(value: Any) -> str:
    """A figure as a CSV cell: numbers as they are (a negative number is not a formula), null as empty."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return ""
    return repr(value) if isinstance(value, float) else str(value)


def _bounds(interval: Sequence[float] | None) -> list[str]:
    return [_number(interval[0]), _number(interval[1])] if interval else ["", ""]


def result_rows(table: ResultTable) -> Iterator[list[str]]:
    """The header, then one row per obstacle cell of ``table`` (from ``to_dict()``: suppressed cells empty)."""
    document = table.to_dict()
    by = document["by"]
    yield [*by, *CELL_FIGURES]
    for cell in document["cells"]:
        yield [
            *(csv_cell(cell["group"].get(dim, "")) for dim in by),
            csv_cell(cell["category"]),
            csv_cell(cell["status"]),
            csv_cell(cell["reason"]),
            _number(cell["share_major"]),
            *_bounds(cell["ci"]),
            _number(cell["mean_severity"]),
            *_bounds(cell["mean_ci"]),
            _number(cell["n"]),
            _number(cell["n_eff"]),
        ]


def change_rows(document: dict[str, Any]) -> Iterator[list[str]]:
    """The header, then one row per change of a :func:`changes_document`."""
    by = document["by"]
    yield [*by, *CHANGE_FIGURES]
    for change in document["changes"]:
        yield [
            *(csv_cell(change["group"].get(dim, "")) for dim in by),
            csv_cell(change["category"]),
            csv_cell(change["from_wave"]),
            csv_cell(change["to_wave"]),
            csv_cell(change["status"]),
            csv_cell(change["direction"]),
            _number(change["difference"]),
            *_bounds(change["ci"]),
            _number(change["from_share"]),
            _number(change["to_share"]),
        ]


def write_csv(out: IO[str], rows: Iterator[list[str]]) -> None:
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows(rows)
