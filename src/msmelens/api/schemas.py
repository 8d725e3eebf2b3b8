"""Request and response schemas of the JSON API (pydantic models via django-ninja).

Query parameter models carry the limits (page size, string lengths) so the OpenAPI schema states them and
bad input is refused with a readable 422 before any selector runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

from ninja import Field, Schema
from pydantic import AliasChoices, BaseModel
from pydantic.json_schema import SkipJsonSchema

from msmelens.lens.taxonomy import CATEGORIES, COMMITTEES

MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 50
MAX_OFFSET = 1_000_000
MAX_SEARCH_PAGE_SIZE = 100
MAX_SEARCH_OFFSET = 10_000
MAX_ANALYZE_CHARS = 2_000_000

# printable text only: control characters (NUL breaks PostgreSQL) are refused with a 422
_SAFE = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
SafeStr = Annotated[str, Field(max_length=200, pattern=_SAFE)]

Relevance = Literal["explicit", "implicit", "none"]
if TYPE_CHECKING:
    Category = str
    Committee = str
else:  # the allowed values come from the lens taxonomy, so the schema lists them
    Category = Literal[CATEGORIES]
    Committee = Literal[tuple(COMMITTEES)]
Binding = Literal["binding", "soft"]
Sort = Literal["coverage", "name", "year", "-year"]
ExportFormat = Literal["csv", "json"]
ProvisionOrder = Literal["reading", "score", "-score"]
Unit = Literal["article", "paragraph"]
Year = Annotated[int, Field(ge=1000, le=2999)]
# an optional query parameter: absent means "no filter"; the schema does not offer null (a query has none)
NotNull = SkipJsonSchema[None]


class Out(BaseModel):
    """Base of response schemas: plain pydantic models validating the dicts that endpoints return.

    ``ninja.Schema`` adds a per-object validator that reads Django model attributes; responses here are built
    as dicts by ``serialize``, so a plain model validates them in pydantic's compiled core, several times
    faster for a page of provisions.
    """


class ErrorOut(Out):
    detail: str = Field(description="A readable message naming the parameter, file or id at fault.")
    code: str = Field(
        description="A stable machine-readable error code, e.g. 'not_found', 'invalid_parameter'."
    )


# ---------- query parameters ----------


class PageParams(Schema):
    limit: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Page size (1 to 200).")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Number of items to skip (0 to 1,000,000).")


class AgreementFilters(Schema):
    party: SafeStr | NotNull = Field(None, description="ISO 3166-1 alpha-3 code of a party, e.g. 'JPN'.")
    region: SafeStr | NotNull = Field(None, description="Region as stored in ToTA, e.g. 'Asia'.")
    year_from: Year | NotNull = Field(None, description="Signed in or after this year.")
    year_to: Year | NotNull = Field(None, description="Signed in or before this year.")
    status: SafeStr | NotNull = Field(None, description="Status as stored, e.g. 'In Force'.")
    category: Category | NotNull = Field(
        None, description="Only agreements with a provision in this category."
    )
    relevance: Relevance | NotNull = Field(
        None, description="Only agreements with at least one provision of this MSME relevance."
    )
    sort: Sort = Field(
        "coverage", description="'coverage' (MSME coverage, highest first), 'name', 'year', '-year'."
    )


class ProvisionFilters(Schema):
    relevance: Relevance | NotNull = Field(None, description="MSME relevance: explicit, implicit or none.")
    category: Category | NotNull = Field(None, description="One of the eight obstacle categories.")
    committee: Committee | NotNull = Field(
        None, description="Key of a WTO body whose work the provision overlaps."
    )
    binding: Binding | NotNull = Field(None, description="'binding' or 'soft' commitments.")
    curated: bool | NotNull = Field(
        None, description="true: only provisions corrected by a curator; false: only not."
    )
    min_score: Annotated[float, Field(ge=0, le=1)] | NotNull = Field(
        None, description="Only provisions whose score (probability that the relevance call is right) is at least this."
    )
    max_score: Annotated[float, Field(ge=0, le=1)] | NotNull = Field(
        None, description="Only provisions whose score is at most this (e.g. 0.7: the calls most worth reviewing)."
    )
    order: ProvisionOrder = Field(
        "reading", description="'reading' (document order), 'score' (least sure first) or '-score' (surest first)."
    )


class CorpusExportFilters(Schema):
    format: ExportFormat = Field("csv", description="'csv' (lists joined by ';') or 'json' (an array).")
    relevance: Relevance | NotNull = Field(None, description="MSME relevance: explicit, implicit or none.")
    category: Category | NotNull = Field(None, description="One of the eight obstacle categories.")
    committee: Committee | NotNull = Field(
        None, description="Key of a WTO body whose work the provision overlaps."
    )
    binding: Binding | NotNull = Field(None, description="'binding' or 'soft' commitments.")
    curated: bool | NotNull = Field(None, description="true: only curated provisions; false: only not.")


class SearchParams(Schema):
    q: Annotated[str, Field(min_length=1, max_length=500, pattern=_SAFE)] = Field(
        ..., description="Words to find in provision texts (1 to 500 characters; accents and case ignored)."
    )
    relevance: Relevance | NotNull = Field(None, description="MSME relevance: explicit, implicit or none.")
    category: Category | NotNull = Field(None, description="One of the eight obstacle categories.")
    party: SafeStr | NotNull = Field(None, description="ISO 3166-1 alpha-3 code of a party, e.g. 'JPN'.")
    year_from: Year | NotNull = Field(None, description="Agreement signed in or after this year.")
    year_to: Year | NotNull = Field(None, description="Agreement signed in or before this year.")
    limit: int = Field(20, ge=1, le=MAX_SEARCH_PAGE_SIZE, description="Page size (1 to 100).")
    offset: int = Field(0, ge=0, le=MAX_SEARCH_OFFSET, description="Number of hits to skip (0 to 10,000).")


# ---------- lens records and profiles ----------


class EvidenceOut(Out):
    start: int = Field(description="Start offset into the provision text.")
    end: int = Field(description="End offset into the provision text.")
    text: str = Field(description="The quoted span: text[start:end].")
    supports: str = Field(description="What the span supports: 'explicit', a category, 'binding', ...")
    by: Literal["rules", "model"] = Field(
        "rules",
        description="'rules' (a lexicon cue) or 'model' (a term that weighed most in the learned model's decision).",
    )


class LensRecordOut(Out):
    agreement_id: str
    provision_id: str
    source_ref: str
    path: list[str]
    unit: str
    text: str
    relevance: str
    categories: list[str]
    binding: str | None
    committees: list[str]
    score: float
    evidence: list[EvidenceOut]
    language: str = ""


class ProvisionOut(LensRecordOut):
    chapter: str = ""
    curated: bool = Field(False, description="True when a curator corrected the lens's labels.")


class SmeChapterOut(Out):
    heading: str
    provision_ids: list[str]


class ProfileOut(Out):
    agreement_id: str = ""
    n_provisions: int = 0
    relevance_counts: dict[str, int] = Field(default_factory=dict)
    category_counts: dict[str, int] = Field(default_factory=dict)
    binding_counts: dict[str, int] = Field(default_factory=dict)
    binding_share: float = 0.0
    coverage: dict[str, float] = Field(default_factory=dict)
    coverage_overall: float = 0.0
    sme_chapter: SmeChapterOut | None = None
    committees: dict[str, int] = Field(default_factory=dict)


# ---------- agreements ----------


class AgreementLinks(Out):
    self: str = Field(description="This agreement in the API.")
    provisions: str
    export_csv: str
    export_json: str
    page: str = Field(description="The agreement's web page.")


class AgreementCounts(Out):
    provisions: int
    explicit: int
    implicit: int


class LanguageVersionLinks(Out):
    self: str = Field(description="This version in the API.")
    page: str = Field(description="The agreement's web page showing this version.")


class LanguageVersionOut(Out):
    agreement_id: str = Field(description="The version's own id (its provisions are under it).")
    name: str
    language: str = Field(description="Language of this text: 'en', 'fr', 'es' or '' when unknown.")
    primary: bool = Field(
        description="True for the version that stands for the agreement in lists and figures."
    )
    links: LanguageVersionLinks


class AgreementItem(Out):
    agreement_id: str = Field(description="The agreement's id: 'tota-N' for ToTA texts, else 'doc-…'.")
    name: str
    agreement_type: str
    parties: list[str]
    year: int | None
    status: str
    region: str
    language: str
    counts: AgreementCounts
    coverage_overall: float
    has_sme_chapter: bool
    links: AgreementLinks
    versions: list[LanguageVersionOut] = Field(
        default_factory=list,
        description="Every stored language version of this agreement (this one included), primary first; "
        "one entry when it is stored in one language only. Lists show each agreement once.",
    )


class AgreementDetail(AgreementItem):
    date_signed: str | None
    date_into_force: str | None
    composition: str
    wto_rta_id: str
    source_format: str
    source_name: str
    lens_version: str
    profile: ProfileOut


class AgreementPage(Out):
    count: int = Field(description="Number of matching items.")
    limit: int
    offset: int
    next: str | None = Field(description="URL of the next page, or null on the last page.")
    items: list[AgreementItem]


class ProvisionPage(Out):
    count: int
    limit: int
    offset: int
    next: str | None
    items: list[ProvisionOut]


# ---------- search ----------


class SearchAgreementOut(Out):
    agreement_id: str = Field(validation_alias=AliasChoices("agreement_id", "lens_id"))
    name: str
    year: int | None


class SearchHitOut(Out):
    provision_id: str
    source_ref: str
    path: list[str]
    relevance: str
    categories: list[str]
    binding: str | None
    curated: bool
    agreement: SearchAgreementOut
    snippet_html: str = Field(description="HTML-escaped excerpt with matches wrapped in <mark>.")
    rank: float


class SearchPage(Out):
    count: int
    limit: int
    offset: int
    next: str | None
    items: list[SearchHitOut]


# ---------- overview ----------


SMALL_N_DESCRIPTION = "True when the shares rest on fewer than five agreements: read them with care."


class YearShare(Out):
    year: int | None
    n: int = Field(description="Number of agreements behind the shares.")
    share_explicit: float
    share_implicit: float
    small_n: bool = Field(False, description=SMALL_N_DESCRIPTION)


class RegionShare(Out):
    region: str | None
    n: int = Field(description="Number of agreements behind the shares.")
    share_explicit: float
    share_implicit: float
    small_n: bool = Field(False, description=SMALL_N_DESCRIPTION)


class OverviewOut(Out):
    n_agreements: int = Field(
        description="Agreements counted (an agreement stored in several languages counts once); the "
        "number behind share_explicit, share_implicit and category_coverage."
    )
    small_n: bool = Field(False, description=SMALL_N_DESCRIPTION)
    n_provisions: int = 0
    n_with_explicit: int
    n_with_implicit: int
    share_explicit: float
    share_implicit: float
    by_year: list[YearShare]
    by_region: list[RegionShare]
    category_coverage: dict[str, float]


class FilterChoicesOut(Out):
    regions: list[str]
    statuses: list[str]
    parties: list[str] = Field(description="ISO 3166-1 alpha-3 codes (and a few ToTA group codes).")
    year_min: int | None
    year_max: int | None
    categories: list[str]
    relevance: list[str]


# ---------- countries ----------


class CountrySummaryOut(Out):
    iso3: str
    name: str = Field(description="The country's name in the requested language.")
    n_agreements: int
    n_with_explicit: int = Field(description="Agreements with at least one explicit MSME provision.")
    mean_coverage: float = Field(description="Mean overall MSME coverage of its agreements, 0 to 1.")
    link: str


class CountryAgreementOut(AgreementItem):
    profile: ProfileOut
    coverage: dict[str, float] = Field(description="Coverage per category, 0 to 1.")


class HeatmapCell(Out):
    agreement_id: str
    name: str
    value: float


class HeatmapRow(Out):
    category: str
    cells: list[HeatmapCell]


class CountryDetailOut(Out):
    iso3: str
    name: str
    n_agreements: int
    categories: list[str]
    agreements: list[CountryAgreementOut] = Field(description="Newest first.")
    heatmap: list[HeatmapRow] = Field(
        description="One row per category, one cell per agreement (same order)."
    )


# ---------- analyze ----------


class AnalyzeIn(Schema):
    text: str = Field(
        ..., min_length=1, max_length=MAX_ANALYZE_CHARS, description="Agreement text to analyse."
    )
    language: Literal["en", "fr", "es"] | None = Field(None, description="Language of the text, if known.")
    unit: Unit = Field("article", description="'article' (one record per article) or 'paragraph'.")


class AnalyzedAgreementOut(Out):
    agreement_id: str
    name: str
    format: str
    source: str
    language: str
    parties: list[str]
    date_signed: str | None
    n_chapters: int
    n_articles: int
    warnings: list[str]


class AnalyzeOut(Out):
    lens_version: str
    agreement: AnalyzedAgreementOut
    profile: ProfileOut
    provisions: list[LensRecordOut]
