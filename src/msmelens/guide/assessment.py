"""The firm guide's self-assessment as plain data: its questions, how answers score, and the stage they give.

Everything here is inspectable data plus two small functions (:func:`score_item`, :func:`assess`). The path
into digital and international trade goes in three steps (awareness, then skills, then infrastructure and
rules); each scored question belongs to one step and to the obstacle categories of the lens
(``msmelens.lens.taxonomy.CATEGORIES``) that a gap on it points to. Question names are those of the default
survey ``msme-trade-obstacles`` wherever the two ask the same thing, so that answers join the survey as they are.

Scoring: each answer gives a score from 0 (a gap) to 1 (a strength); an unanswered question scores 0 and is
reported as "not yet known". A step is reached when the mean score of its questions is at least
:data:`STAGE_THRESHOLD`; the firm's stage is the first step not reached ("ready" when all are).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from msmelens.lens.taxonomy import CATEGORIES

# --- answer vocabularies (the survey's choice lists) ----------------------------------------------------

YES_NO: tuple[tuple[str, Promise], ...] = (("yes", _("Yes")), ("no", _("No")))
YES_PARTLY_NO: tuple[tuple[str, Promise], ...] = (
    ("yes", _("Yes")), ("partly", _("Partly")), ("no", _("No")), ("dont_know", _("I don't know")),
)
LEVEL: tuple[tuple[str, Promise], ...] = (("none", _("None")), ("basic", _("Basic")), ("good", _("Good")))
SEVERITY: tuple[tuple[str, Promise], ...] = (
    ("0", _("0 – No obstacle")), ("1", _("1 – Minor obstacle")), ("2", _("2 – Moderate obstacle")),
    ("3", _("3 – Major obstacle")), ("4", _("4 – Very severe obstacle")),
    ("dk", _("Don't know / does not apply")),
)
GENDER: tuple[tuple[str, Promise], ...] = (
    ("female", _("Female")), ("male", _("Male")), ("other", _("Other")), ("no_answer", _("Prefer not to say")),
)
LOCATION: tuple[tuple[str, Promise], ...] = (("urban", _("Urban")), ("rural", _("Rural")))
SME_PROVISIONS: tuple[tuple[str, Promise], ...] = (
    ("sme_chapter", _("A chapter on small businesses")),
    ("sme_website", _("A website with information for small businesses")),
    ("contact_point", _("A contact point for small businesses")),
    ("advance_rulings", _("Advance rulings from customs")),
    ("de_minimis", _("No duties on low-value shipments")),
    ("none", _("None of these")),
)
ISIC_SECTIONS: tuple[tuple[str, Promise], ...] = (
    ("A", _("Agriculture, forestry and fishing")), ("B", _("Mining and quarrying")), ("C", _("Manufacturing")),
    ("D", _("Electricity, gas, steam and air conditioning")), ("E", _("Water supply, sewerage and waste")),
    ("F", _("Construction")), ("G", _("Wholesale and retail trade")), ("H", _("Transportation and storage")),
    ("I", _("Accommodation and food services")), ("J", _("Information and communication")),
    ("K", _("Financial and insurance activities")), ("L", _("Real estate activities")),
    ("M", _("Professional, scientific and technical activities")),
    ("N", _("Administrative and support services")), ("O", _("Public administration and defence")),
    ("P", _("Education")), ("Q", _("Human health and social work")), ("R", _("Arts, entertainment and recreation")),
    ("S", _("Other service activities")), ("T", _("Households as employers")),
    ("U", _("Extraterritorial organizations")),
)
# the eight obstacle categories as a firm reads them (the survey's labels)
OBSTACLE_LABELS: dict[str, Promise] = {
    "skills": _("Skills and know-how"),
    "market_information": _("Information on foreign markets and their rules"),
    "border_procedures": _("Customs and border procedures"),
    "finance": _("Access to finance and payments"),
    "digital": _("Digital trade and e-commerce"),
    "infrastructure": _("Transport and infrastructure"),
    "regulatory_framework": _("Regulations, standards and licences"),
    "dialogue_and_data": _("Being heard by government"),
}
assert tuple(OBSTACLE_LABELS) == CATEGORIES

# score of each answer value, by vocabulary
LEVEL_SCORE = {"none": 0.0, "basic": 0.5, "good": 1.0}
YES_PARTLY_SCORE = {"yes": 1.0, "partly": 0.5, "no": 0.0, "dont_know": 0.0}
SEVERITY_SCORE = {"0": 1.0, "1": 0.75, "2": 0.5, "3": 0.25, "4": 0.0}  # "dk" is not known
MAX_MARKETS = 10
SME_PROVISIONS_FOR_FULL_SCORE = 3  # knowing three of the five provisions counts as a strength

# --- the steps ----------------------------------------------------------------------------------------

STAGES: tuple[str, ...] = ("awareness", "skills", "infrastructure", "ready")
STAGE_THRESHOLD = 0.6
STRENGTH_MIN = 0.75  # an answered question scoring this or more is a strength
GAP_MAX = 0.5  # an answered question scoring this or less is a gap

STAGE_LABELS: dict[str, Promise] = {
    "awareness": _("Step 1 of 3: awareness"),
    "skills": _("Step 2 of 3: skills"),
    "infrastructure": _("Step 3 of 3: infrastructure and rules"),
    "ready": _("Ready to use trade agreements"),
}
STAGE_EXPLANATIONS: dict[str, Promise] = {
    "awareness": _(
        "Start by finding out what e-commerce, foreign markets and the trade agreements of your country can "
        "offer you: the agreements below list what they promise to firms like yours."
    ),
    "skills": _(
        "You know what is on offer. What holds you back now are skills: reading rules and contracts, using "
        "digital tools, languages, business planning and contacts abroad. Training programmes can help."
    ),
    "infrastructure": _(
        "You know what is on offer and have the skills. What remains are the conditions around you: internet, "
        "transport, customs, finance and rules. Trade agreements and programmes address several of these."
    ),
    "ready": _(
        "You are well placed: you know the agreements, have the skills and meet few obstacles. Use the "
        "provisions below to cut costs and reach new buyers."
    ),
}

SECTION_LABELS: dict[str, Promise] = {
    "firm": _("Your firm and your markets"),
    "awareness": _("What you know"),
    "skills": _("Your skills"),
    "infrastructure": _("Infrastructure, rules and obstacles"),
    "survey": _("For the survey (optional)"),
}


@dataclass(frozen=True, slots=True)
class Question:
    """One question of the guide. ``kind``: one (a single choice), many (several choices), rating (0–4 or dk),
    number, country, countries. ``stage`` is None for questions that describe the firm without being scored.
    ``categories``: the obstacle categories a gap on it points to. ``strength``/``gap``: plain sentences."""

    name: str
    section: str
    kind: str
    label: Promise
    choices: tuple[tuple[str, Promise], ...] = ()
    stage: str | None = None
    categories: tuple[str, ...] = ()
    strength: Promise | None = None
    gap: Promise | None = None
    scores: dict[str, float] = field(default_factory=dict)


RATING_STRENGTH: dict[str, Promise] = {
    "skills": _("Skills and know-how hardly hold your trade back."),
    "market_information": _("Finding information on foreign markets and their rules is not a problem for you."),
    "border_procedures": _("Customs and border procedures are not a problem for you."),
    "finance": _("Access to finance and payments is not a problem for you."),
    "digital": _("Digital trade and e-commerce work well for you."),
    "infrastructure": _("Transport and infrastructure are not a problem for you."),
    "regulatory_framework": _("Regulations, standards and licences are not a problem for you."),
    "dialogue_and_data": _("You feel heard by government on trade matters."),
}
RATING_GAP: dict[str, Promise] = {
    "skills": _("Skills and know-how hold your trade back."),
    "market_information": _("Finding information on foreign markets and their rules holds your trade back."),
    "border_procedures": _("Customs and border procedures hold your trade back."),
    "finance": _("Access to finance and payments holds your trade back."),
    "digital": _("Digital trade and e-commerce are hard for you."),
    "infrastructure": _("Transport and infrastructure hold your trade back."),
    "regulatory_framework": _("Regulations, standards and licences hold your trade back."),
    "dialogue_and_data": _("You do not feel heard by government on trade matters."),
}


def _skill(name: str, label: Promise, strength: Promise, gap: Promise, categories: tuple[str, ...]) -> Question:
    return Question(name=name, section="skills", kind="one", label=label, choices=LEVEL, stage="skills",
                    categories=categories, scores=LEVEL_SCORE, strength=strength, gap=gap)


QUESTIONS: tuple[Question, ...] = (
    # the firm (not scored)
    Question("country", "firm", "country", _("In which country is your firm based?")),
    Question("sector", "firm", "one", _("What is your firm's main activity?"), ISIC_SECTIONS),
    Question("employees", "firm", "number", _("How many people work in your firm, including you?")),
    Question("markets", "firm", "countries", _("Which foreign markets do you sell to, or want to reach?")),
    Question("exporter", "firm", "one", _("Does your firm sell goods or services abroad?"), YES_NO),
    Question("online_sales", "firm", "one", _("Does your firm sell online?"), YES_NO),
    # awareness
    Question(
        "aware_agreements", "awareness", "one",
        _("Do you know which trade agreements your country has with your markets?"), YES_PARTLY_NO,
        stage="awareness", categories=("market_information",), scores=YES_PARTLY_SCORE,
        strength=_("You know which trade agreements your country has with your markets."),
        gap=_("You do not yet know which trade agreements your country has with your markets."),
    ),
    Question(
        "aware_sme_provisions", "awareness", "many",
        _("Which of these provisions for small firms in those agreements do you know of?"), SME_PROVISIONS,
        stage="awareness", categories=("market_information", "border_procedures"),
        strength=_("You know several of the provisions agreements make for small firms."),
        gap=_("You know few of the provisions agreements make for small firms (websites, contact points, "
              "advance rulings, duty-free low-value shipments)."),
    ),
    Question(
        "digital_awareness", "awareness", "one",
        _("How well do you know what e-commerce and foreign online markets offer you?"), LEVEL,
        stage="awareness", categories=("digital", "market_information"), scores=LEVEL_SCORE,
        strength=_("You know what e-commerce and foreign online markets can offer you."),
        gap=_("You know little yet of what e-commerce and foreign online markets can offer you."),
    ),
    # skills
    _skill("skill_literacy", _("Reading and writing in your work"),
           _("Reading and writing are not a problem in your work."),
           _("Reading and writing documents (rules, contracts, forms) is hard for your firm."), ("skills",)),
    _skill("skill_ict", _("Using computers, phones and the internet"),
           _("Your firm uses computers, phones and the internet well."),
           _("Your firm needs to get better at using computers, phones and the internet."), ("skills", "digital")),
    _skill("skill_language", _("Foreign languages"), _("Your firm works well in foreign languages."),
           _("Foreign languages are a barrier for your firm."), ("skills", "market_information")),
    _skill("skill_business", _("Business skills (pricing, contracts, marketing)"),
           _("Your firm has good business skills (pricing, contracts, marketing)."),
           _("Your firm needs stronger business skills (pricing, contracts, marketing)."), ("skills", "finance")),
    _skill("skill_social", _("Networks and contacts abroad"), _("Your firm has networks and contacts abroad."),
           _("Your firm has few networks and contacts abroad."), ("skills", "market_information")),
    # infrastructure and rules
    Question(
        "digital_infrastructure", "infrastructure", "one", _("Is your internet access good enough to sell online?"),
        YES_PARTLY_NO, stage="infrastructure", categories=("digital", "infrastructure"), scores=YES_PARTLY_SCORE,
        strength=_("Your internet access is good enough to sell online."),
        gap=_("Your internet access is not yet good enough to sell online."),
    ),
    Question(
        "digital_legal", "infrastructure", "one",
        _("Do the laws where you work support online trade (e-signatures, e-payments, consumer protection)?"),
        YES_PARTLY_NO, stage="infrastructure", categories=("regulatory_framework", "digital"),
        scores=YES_PARTLY_SCORE,
        strength=_("The laws where you work support online trade."),
        gap=_("The laws where you work do not yet fully support online trade (e-signatures, e-payments, "
              "consumer protection)."),
    ),
    *(Question(
        name=f"obstacle_{c}", section="infrastructure", kind="rating", label=OBSTACLE_LABELS[c], choices=SEVERITY,
        stage={"skills": "skills", "market_information": "awareness"}.get(c, "infrastructure"), categories=(c,),
        scores=SEVERITY_SCORE, strength=RATING_STRENGTH[c], gap=RATING_GAP[c],
    ) for c in CATEGORIES),
    Question("biggest_obstacle", "infrastructure", "one",
             _("Which ONE of these is the biggest obstacle to your trade?"), tuple(OBSTACLE_LABELS.items())),
    # asked only so that the answers can join the survey (its required questions)
    Question("importer", "survey", "one", _("Does your firm buy goods or services from abroad?"), YES_NO),
    Question("location", "survey", "one", _("Is your firm in a town or in the countryside?"), LOCATION),
    Question("owner_gender", "survey", "one", _("The owner (or main owner) is:"), GENDER),
    Question("manager_gender", "survey", "one", _("The top manager is:"), GENDER),
)
BY_NAME: dict[str, Question] = {q.name: q for q in QUESTIONS}
SCORED: tuple[Question, ...] = tuple(q for q in QUESTIONS if q.stage is not None)
# the answers the guide takes (besides country, sector, employees and markets, given apart)
FIRM_FIELDS: tuple[str, ...] = ("country", "sector", "employees", "markets")
ANSWER_NAMES: tuple[str, ...] = tuple(q.name for q in QUESTIONS if q.name not in FIRM_FIELDS)


def allowed_values(question: Question) -> set[str]:
    return {key for key, _label in question.choices}


@dataclass(slots=True)
class Item:
    """One scored question's result: ``known`` False when unanswered (or "don't know")."""

    name: str
    stage: str
    categories: tuple[str, ...]
    score: float
    known: bool
    text: str


@dataclass(slots=True)
class Result:
    stage: str
    stage_scores: dict[str, float]
    strengths: list[Item]
    gaps: list[Item]  # known gaps first (weakest first), then what is not yet known
    gap_categories: list[str]  # categories of the gaps, the firm's biggest obstacle first
    named_obstacles: list[str]  # categories the firm rated 2 or more, or named as its biggest obstacle


def score_item(question: Question, value: Any) -> float | None:
    """The score of one answer, 0..1, or None when it is not known (unanswered, "dk", unknown value)."""
    if question.kind == "many":
        if not isinstance(value, list | tuple):
            return None
        if not value:
            return None
        known = [v for v in value if v in allowed_values(question) and v != "none"]
        return min(1.0, len(known) / SME_PROVISIONS_FOR_FULL_SCORE)
    if value is None or value == "":
        return None
    score = question.scores.get(str(value))
    if score is None:
        return None
    if question.kind == "one" and value == "dont_know":
        return None
    return score


def not_known_text(question: Question) -> str:
    return str(_("Not yet known: %(question)s") % {"question": question.label})


def assess(answers: dict[str, Any]) -> Result:
    """Score the answers (a dict by question name; anything missing counts as not yet known)."""
    items: list[Item] = []
    for q in SCORED:
        score = score_item(q, answers.get(q.name))
        known = score is not None
        value = score if score is not None else 0.0
        if known and value >= STRENGTH_MIN:
            text = str(q.strength)
        elif known:
            text = str(q.gap)
        else:
            text = not_known_text(q)
        items.append(Item(q.name, str(q.stage), q.categories, value, known, text))
    stage_scores: dict[str, float] = {}
    for stage in STAGES[:-1]:
        scores = [i.score for i in items if i.stage == stage]
        stage_scores[stage] = round(sum(scores) / len(scores), 3) if scores else 0.0
    stage = next((s for s in STAGES[:-1] if stage_scores[s] < STAGE_THRESHOLD), "ready")
    strengths = [i for i in items if i.known and i.score >= STRENGTH_MIN]
    known_gaps = sorted((i for i in items if i.known and i.score <= GAP_MAX), key=lambda i: i.score)
    unknown = [i for i in items if not i.known]
    biggest = answers.get("biggest_obstacle")
    named = [c for c in CATEGORIES if str(answers.get(f"obstacle_{c}", "")) in ("2", "3", "4")]
    if biggest in CATEGORIES and biggest not in named:
        named.insert(0, biggest)
    categories: list[str] = []
    if biggest in CATEGORIES:
        categories.append(str(biggest))
    for item in known_gaps or unknown:
        for c in item.categories:
            if c not in categories:
                categories.append(c)
    return Result(stage, stage_scores, strengths, known_gaps + unknown, categories, named)
