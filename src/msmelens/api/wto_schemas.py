"""Schemas of the /wto endpoints: WTO agreements with their MSME coverage, and the Beyond-the-WTO comparison."""

from __future__ import annotations

from typing import Literal

from ninja import Field, Schema

from msmelens.lens.wto_topics import TOPIC_KEYS

TopicKey = Literal[TOPIC_KEYS]  # type: ignore[valid-type]


class WtoAgreementOut(Schema):
    key: str = Field(..., description="The WTO text's key, e.g. 'tfa' or 'tbt'.")
    agreement_id: str = Field(..., description="The stored agreement's id, e.g. 'wto-tfa-en'.")
    name: str
    short_title: str
    language: str
    languages: list[str] = Field(..., description="Every stored language version of this text.")
    administering_body: str = Field(..., description="The WTO body that administers the agreement.")
    administering_body_key: str = Field(
        ..., description="Its committee key in the lens's list of WTO bodies ('' when not among them)."
    )
    overlapping_bodies: dict[str, int] = Field(
        ...,
        description="Other WTO bodies (committee keys) whose work its relevant provisions overlap, with the number "
        "of provisions, most first.",
    )
    parties: Literal["members", "gpa"] = Field(..., description="All WTO members, or the parties to the GPA.")
    n_parties: int
    n_provisions: int
    n_explicit: int
    n_implicit: int
    coverage_overall: float
    coverage: dict[str, float] = Field(..., description="MSME coverage by obstacle category, 0..1.")
    link: str = Field(..., description="The agreement and its provisions in the agreements API.")


class BeyondParams(Schema):
    topic: TopicKey | None = Field(None, description="One topic only.")
    country: str | None = Field(
        None, min_length=2, max_length=8, pattern=r"^[A-Za-z0-9-]+$",
        description="Only the regional agreements that have this party (ISO3, e.g. 'CHL').",
    )


class WtoKeyPath(Schema):
    key: str = Field(..., max_length=64, description="The WTO text's key, e.g. 'tfa', 'tbt', 'gpa2012'.")


class TopicPath(Schema):
    topic: TopicKey = Field(..., description="The topic's key, e.g. 'advance_rulings'.")


class ProvisionRefOut(Schema):
    agreement_id: str
    provision_id: str
    source_ref: str
    name: str
    year: int | None
    text: str = Field(..., description="The start of the provision's text.")
    link: str


class BaselineOut(Schema):
    level: Literal["binding", "soft", "absent", "not_compared"] = Field(
        ...,
        description="binding: a WTO provision on the topic is binding; soft: all are best endeavour; absent: the "
        "topic's WTO texts are stored but say nothing on it; not_compared: they are not stored.",
    )
    sme: bool = Field(..., description="A WTO provision on the topic names SMEs.")
    instruments: list[str]
    wto_keys: list[str] = Field(..., description="The WTO texts the topic is compared with.")
    provisions: list[ProvisionRefOut]


class FindingOut(ProvisionRefOut):
    binding: Literal["binding", "soft"]
    sme: bool
    instruments: list[str]
    reasons: list[Literal["binding", "sme", "instrument"]]
    new_instruments: list[str] = Field(..., description="Instruments the WTO text lacks ('topic': the whole topic).")


class TopicOut(Schema):
    topic: str
    label: str
    category: str
    committee: str
    baseline: BaselineOut
    n_agreements_on_topic: int
    n_agreements_beyond: int
    by_reason: dict[str, int] = Field(..., description="Agreements going beyond, per reason.")
    by_year: list[dict[str, int | None]] = Field(
        ..., description="Agreements going beyond per year of signature: [{'year': 2019, 'n': 3}, ...]."
    )
    beyond: list[FindingOut] = Field(..., description="Every regional provision going beyond, newest first.")


class BeyondOut(Schema):
    country: str | None
    topics: list[TopicOut]
