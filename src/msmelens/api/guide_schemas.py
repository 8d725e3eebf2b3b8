"""Request and response schemas of the firm guide's API (``POST /api/v1/guide/report``)."""

from __future__ import annotations

from typing import Annotated, Literal

from ninja import Field, Schema

from msmelens.api.schemas import Out
from msmelens.guide.assessment import MAX_MARKETS

Iso3 = Annotated[str, Field(min_length=3, max_length=3, pattern=r"^[A-Za-z]{3}$")]
AnswerValue = Annotated[str, Field(max_length=40, pattern=r"^[A-Za-z0-9_]*$")]


class GuideRequest(Schema):
    country: Iso3 = Field(description="The firm's country, ISO 3166-1 alpha-3 (e.g. PER).")
    sector: Annotated[str, Field(max_length=1, pattern=r"^[A-Ua-u]?$")] = Field(
        "", description="ISIC Rev.4 section letter (A to U), or empty."
    )
    employees: Annotated[int, Field(ge=0, le=1_000_000, strict=True)] | None = Field(
        None, description="People working in the firm, including the owner."
    )
    markets: list[Iso3] = Field(
        default_factory=list, max_length=MAX_MARKETS,
        description="Markets the firm sells to or wants to reach (ISO3 codes, at most 10).",
    )
    answers: dict[Annotated[str, Field(max_length=60)], AnswerValue | list[AnswerValue]] = Field(
        default_factory=dict,
        description="Answers by question name (see docs/guide.md), e.g. {\"aware_agreements\": \"no\", "
        "\"obstacle_border_procedures\": \"3\"}. Partial answers are fine: what is unanswered counts as not "
        "yet known.",
    )
    language: Literal["en", "fr", "es"] | None = Field(
        None, description="Language of the sentences; else ?lang= or Accept-Language, else English."
    )


class Statement(Out):
    question: str
    text: str
    categories: list[str]


class Gap(Statement):
    known: bool = Field(description="False when the question was not answered (not yet known).")


class GuideProvision(Out):
    provision_id: str
    title: str
    relevance: Literal["explicit", "implicit"]
    binding: str | None
    categories: list[str] = Field(description="Its obstacle categories among the firm's gaps.")
    feature: str | None = Field(description="What it does for a small firm (e.g. advance_rulings), if recognised.")
    explanation: str = Field(description="One plain sentence: what it does for the firm.")
    binding_text: str
    url: str = Field(description="The provision on the site.")


class GuideAgreement(Out):
    agreement_id: str
    name: str
    status: Literal["in_force", "signed", "inactive", "unknown"]
    status_text: str
    date_signed: str | None
    date_into_force: str | None
    n_parties: int
    language: str
    other_versions: list[str] = Field(description="Other language versions of the same text, left out.")
    url: str
    n_provisions: int = Field(description="Its provisions on the firm's gaps (the first ones are listed).")
    provisions: list[GuideProvision]


class Multilateral(Out):
    wto_members: bool | None
    text: str


class GuideMarket(Out):
    market: str
    name: str
    agreements: list[GuideAgreement] = Field(description="In force first, then signed, then others.")
    note: str
    multilateral: Multilateral | None = Field(
        description="WTO rules that still apply, when no agreement in force covers the pair."
    )


class GuidePractice(Out):
    id: str
    title: str
    summary: str
    implementer: str
    countries: list[str]
    obstacles: list[str]
    evidence_level: int | None
    evidence: str
    in_country: bool
    url: str


class GuideFirm(Out):
    country: str
    country_name: str
    sector: str
    employees: int | None
    size_class: str
    markets: list[str]


class GuideReport(Out):
    firm: GuideFirm
    stage: Literal["awareness", "skills", "infrastructure", "ready"]
    stage_label: str
    stage_explanation: str
    stage_scores: dict[str, float]
    strengths: list[Statement]
    gaps: list[Gap]
    gap_categories: list[str]
    gap_category_labels: list[str]
    named_obstacles: list[str]
    markets: list[GuideMarket]
    practices: list[GuidePractice]
    next_steps: list[str]
