"""Request and response schemas of the practice library's API (``/api/v1/practices``).

Query parameters carry their limits so that the OpenAPI schema states them and bad input is refused with a
readable 422 before any selector runs. Responses mirror the seed file's fields (``../shared/evidence``), with
the record's ``id`` being its slug.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Literal

from ninja import Field, Schema

from msmelens.api.schemas import NotNull, Out, SafeStr
from msmelens.lens.taxonomy import CATEGORIES
from msmelens.practices.records import INSTRUMENTS, REGIONS, TARGET_GROUPS

if TYPE_CHECKING:
    Category = str
    Instrument = str
    TargetGroup = str
    Region = str
else:  # the allowed values come from the taxonomy and the seed file's vocabulary, so the schema lists them
    Category = Literal[CATEGORIES]
    Instrument = Literal[INSTRUMENTS]
    TargetGroup = Literal[TARGET_GROUPS]
    Region = Literal[tuple(REGIONS)]

Iso3 = Annotated[str, Field(min_length=3, max_length=3, pattern=r"^[A-Za-z]{3}$")]
Year = Annotated[int, Field(ge=1900, le=2100)]
Level = Annotated[int, Field(ge=1, le=5)]
Slug = Annotated[str, Field(max_length=120, pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]

MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 50
MAX_OFFSET = 100_000


class PracticeFilters(Schema):
    q: SafeStr | NotNull = Field(
        None, description="Words to find in the title, summary or implementer, in any language (accents and "
                          "case ignored; every word must occur)."
    )
    country: Iso3 | NotNull = Field(None, description="ISO 3166-1 alpha-3 code of a country, e.g. 'KEN'.")
    region: Region | NotNull = Field(
        None, description="UN M49 region of one of its countries: africa, americas, asia, europe or oceania."
    )
    obstacle: Category | NotNull = Field(None, description="One of the eight obstacle categories.")
    instrument: Instrument | NotNull = Field(None, description="The kind of instrument, e.g. 'single_window'.")
    target_group: TargetGroup | NotNull = Field(None, description="A target group, e.g. 'women_owned'.")
    evidence_min: Level | NotNull = Field(
        None, description="Only records evaluated at this Maryland level (1 to 5) or above."
    )
    year_from: Year | NotNull = Field(None, description="Still running in or after this year.")
    year_to: Year | NotNull = Field(None, description="Started in or before this year.")
    limit: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Page size (1 to 200).")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Number of records to skip (0 to 100,000).")


class SlugPath(Schema):
    slug: Slug = Field(..., description="The record's id, e.g. 'egypt-rug-export-rct'.")


class OutcomeOut(Out):
    indicator: str = Field(description="What was measured.")
    value: float | None = Field(description="The measured value (null when the source gave no figure).")
    unit: str | None = Field(description="The unit of value and baseline.")
    baseline: float | None = Field(description="The value before, or of the comparison group, if given.")
    year: int | None = Field(description="The year the outcome refers to.")
    design: str | None = Field(
        description="monitoring, before_after, comparison_group, quasi_experimental or randomised."
    )
    note: str | None = Field(description="Caveats and context.")


class SourceOut(Out):
    title: str | None
    publisher: str | None
    year: int | None
    url: str | None


class TranslationOut(Out):
    title: str | None = None
    summary: str | None = None


class PracticeItem(Out):
    id: str = Field(description="The record's stable id (its slug).")
    url: str = Field(description="This record in the API.")
    title: str = Field(description="The title in its original language.")
    original_language: str = Field(description="Language of title and summary: en, fr or es.")
    countries: list[str] = Field(description="ISO 3166-1 alpha-3 codes; empty for a global initiative.")
    regions: list[str] = Field(description="UN M49 regions of its countries.")
    scope: str = Field(description="national, regional or global.")
    start_year: int | None
    end_year: int | None = Field(description="Null when ongoing or unknown.")
    instrument: str
    obstacles: list[str] = Field(description="The obstacle categories it addresses.")
    target_groups: list[str]
    evidence_level: int | None = Field(
        description="Maryland Scientific Methods Scale 1 (monitoring) to 5 (randomised); null: no outcome evidence."
    )
    status: str = Field(description="published (anonymous callers see nothing else), draft, proposed, withdrawn.")
    version: int = Field(description="Number of the current version.")


class PracticePage(Out):
    count: int = Field(description="Records matching the filters.")
    limit: int
    offset: int
    next: str | None = Field(description="URL of the next page, or null on the last one.")
    items: list[PracticeItem]


class PracticeDetail(PracticeItem):
    summary: str
    translations: dict[str, TranslationOut] = Field(
        description="Titles and summaries in other languages: {'fr': {'title', 'summary'}, 'es': {...}}."
    )
    implementer: str
    outcomes: list[OutcomeOut]
    sources: list[SourceOut]
    verified: bool = Field(description="The key facts were seen in a source.")
    evidence_explained: str = Field(description="What the evidence level means, in plain English.")
    updated_at: dt.datetime
    versions_url: str = Field(description="This record's versions in the API.")


class VersionOut(Out):
    number: int = Field(description="1 for the first version, then 2, 3, ...")
    date: dt.datetime = Field(description="When this version was saved.")
    user: str | None = Field(description="Username of who saved it; null for an import or an unknown author.")
    reason: str = Field(description="Why: a curator's note, 'imported', 'restored version N', ...")
    changed_fields: list[str] = Field(description="Fields that differ from the previous version.")


class VersionList(Out):
    id: str = Field(description="The record's id.")
    count: int
    items: list[VersionOut] = Field(description="Newest first.")
