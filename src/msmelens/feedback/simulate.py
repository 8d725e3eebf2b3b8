"""Synthetic responses for demos and tests: plausible answers to the default instrument, random valid ones
for any other form. Never real data: every response is stored with ``synthetic=True``.

The default instrument's firms are drawn so that the answers hang together: most firms are micro, fewer
small or medium, a few large; larger firms export and import more often; finance and border procedures
weigh more on micro firms; specific items are rated only when their category is rated 1 or more; the
biggest obstacle is one of the highest-rated categories; consent to follow-up is mostly "no" and no
contact detail is ever generated. The same seed gives the same answers and instance ids (uuid5 of the form,
the seed and the index), so simulating twice stores nothing new. Every response passes the form's checks:
it goes through :func:`msmelens.feedback.services.submit_response` like any other.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import uuid
from dataclasses import dataclass, field
from typing import Any

from msmelens.feedback import selectors, services
from msmelens.feedback.answers import check_answers
from msmelens.feedback.formspec import FormSpec, size_class
from msmelens.feedback.models import Survey, Wave
from msmelens.lens.taxonomy import CATEGORIES

NAMESPACE = uuid.UUID("8d0c8f8e-6b1f-5d55-9a53-6d3e7f0c2a41")
DEFAULT_FORM_ID = "msme_trade_obstacles"
# developing economies weigh more (the instrument is aimed at them), developed ones are there too
COUNTRIES: dict[str, int] = {
    "PER": 8, "COL": 5, "MEX": 6, "BRA": 6, "CHL": 3, "GTM": 2, "KEN": 7, "NGA": 6, "GHA": 4, "SEN": 3,
    "ETH": 3, "ZAF": 4, "EGY": 4, "MAR": 4, "TUN": 2, "IND": 8, "BGD": 5, "NPL": 3, "PAK": 4, "VNM": 6,
    "IDN": 6, "PHL": 5, "KHM": 3, "LKA": 2, "FRA": 2, "DEU": 2, "ESP": 2, "ITA": 2, "USA": 3, "CAN": 1,
    "JPN": 1, "KOR": 2, "GBR": 2, "AUS": 1,
}
PARTNERS = ("USA", "CHN", "DEU", "FRA", "ESP", "GBR", "JPN", "KOR", "IND", "BRA", "MEX", "ZAF", "NGA", "ARE",
            "CAN", "NLD", "ITA", "PER", "KEN", "VNM")
SECTORS: dict[str, int] = {"G": 30, "C": 18, "A": 12, "I": 9, "S": 7, "F": 5, "H": 5, "J": 4, "M": 4, "N": 2,
                           "Q": 2, "P": 1, "R": 1}
SIZE_SHARES = (("micro", 0.78), ("small", 0.15), ("medium", 0.05), ("large", 0.02))
EXPORT_SHARE = {"micro": 0.18, "small": 0.38, "medium": 0.58, "large": 0.78}
IMPORT_SHARE = {"micro": 0.28, "small": 0.48, "medium": 0.64, "large": 0.8}
# mean rating (0 = no obstacle .. 4 = very serious) by category and size class
MEAN_RATING: dict[str, dict[str, float]] = {
    "skills": {"micro": 2.0, "small": 1.8, "medium": 1.5, "large": 1.2},
    "market_information": {"micro": 2.2, "small": 2.0, "medium": 1.6, "large": 1.2},
    "border_procedures": {"micro": 2.8, "small": 2.4, "medium": 2.0, "large": 1.6},
    "finance": {"micro": 3.0, "small": 2.5, "medium": 1.9, "large": 1.3},
    "digital": {"micro": 1.8, "small": 1.6, "medium": 1.3, "large": 1.0},
    "infrastructure": {"micro": 2.0, "small": 1.9, "medium": 1.7, "large": 1.5},
    "regulatory_framework": {"micro": 2.1, "small": 2.1, "medium": 1.9, "large": 1.7},
    "dialogue_and_data": {"micro": 2.3, "small": 2.1, "medium": 1.8, "large": 1.5},
}
COMMENTS = (
    "Customs clearance takes too long for small shipments.",
    "Banks ask for collateral we do not have.",
    "We do not know which rules apply in the countries we want to sell to.",
    "Certification costs are too high for a firm of our size.",
)


def _weighted(rng: random.Random, table: dict[str, float] | dict[str, int], allowed: frozenset[str]) -> str:
    names = [k for k in table if not allowed or k in allowed]
    return rng.choices(names, weights=[table[k] for k in names])[0]


def _employees(rng: random.Random) -> int:
    size = rng.choices([s for s, _ in SIZE_SHARES], weights=[w for _, w in SIZE_SHARES])[0]
    if size == "micro":
        return rng.choices(range(10), weights=(10, 22, 20, 14, 10, 8, 6, 4, 3, 3))[0]
    if size == "small":
        return min(49, 10 + int(rng.expovariate(1 / 10)))
    if size == "medium":
        return min(249, 50 + int(rng.expovariate(1 / 50)))
    return 250 + int(rng.expovariate(1 / 600))


def _gender(rng: random.Random) -> str:
    return rng.choices(("female", "male", "other", "no_answer"), weights=(36, 58, 1, 5))[0]


def _rating(rng: random.Random, mean: float, latent: float) -> str:
    if rng.random() < 0.04:
        return "dk"
    return str(max(0, min(4, round(rng.gauss(mean + latent, 0.9)))))


def default_answers(spec: FormSpec, rng: random.Random, today: dt.date | None = None) -> dict[str, Any]:
    """One plausible firm for the default instrument ``msme_trade_obstacles``."""
    today = today or dt.date.today()
    choices = {q.name: q.choice_names for q in spec.questions}
    employees = _employees(rng)
    size = size_class(employees)
    country = _weighted(rng, COUNTRIES, choices.get("country", frozenset()))
    exporter = rng.random() < EXPORT_SHARE[size]
    importer = rng.random() < IMPORT_SHARE[size]
    owner = _gender(rng)
    answers: dict[str, Any] = {
        "country": country,
        "sector": _weighted(rng, SECTORS, choices.get("sector", frozenset())),
        "employees": employees,
        "year_started": max(1950, today.year - int(rng.expovariate(1 / (8 if size == "micro" else 14)))),
        "owner_gender": owner,
        "manager_gender": owner if rng.random() < 0.8 else _gender(rng),
        "location": "urban" if rng.random() < 0.7 else "rural",
        "exporter": "yes" if exporter else "no",
        "importer": "yes" if importer else "no",
        "online_sales": "yes" if rng.random() < 0.25 + 0.1 * (size != "micro") else "no",
    }
    if exporter or importer:
        partners = [p for p in PARTNERS if p != country and p in choices.get("markets", frozenset(PARTNERS))]
        answers["markets"] = rng.sample(partners, k=rng.choice((1, 1, 2, 2, 3, 4)))
    latent = rng.gauss(0, 0.6)  # some firms see every obstacle as heavier
    ratings: dict[str, str] = {}
    for category in CATEGORIES:
        mean = MEAN_RATING[category][size]
        if category == "border_procedures" and not (exporter or importer):
            mean -= 1.0  # firms that do not trade meet customs less often
        ratings[category] = _rating(rng, mean, latent)
        answers[f"obstacle_{category}"] = ratings[category]
        if ratings[category] not in ("0", "dk"):  # the items are asked only then
            for q in spec.questions:
                if q.group == f"items_{category}" and rng.random() < 0.92:
                    level = int(ratings[category]) + rng.choice((-1, 0, 0, 0, 1))
                    answers[q.name] = "dk" if rng.random() < 0.03 else str(max(0, min(4, level)))
    rated = {c: int(r) for c, r in ratings.items() if r != "dk"}
    top = max(rated.values(), default=0)
    leaders = [c for c, r in rated.items() if r == top] or list(CATEGORIES)
    answers["biggest_obstacle"] = rng.choice(leaders)
    aware = rng.choices(("yes", "partly", "no", "dont_know"),
                        weights=(10 + 10 * (size != "micro"), 25, 50, 12))[0]
    answers["aware_agreements"] = aware
    if aware in ("yes", "partly"):
        if rng.random() < 0.3:
            answers["aware_sme_provisions"] = ["none"]
        else:
            options = ["sme_chapter", "sme_website", "contact_point", "advance_rulings", "de_minimis"]
            answers["aware_sme_provisions"] = rng.sample(options, k=rng.choice((1, 1, 2, 3)))
    answers["digital_awareness"] = rng.choices(("none", "basic", "good"), weights=(30, 50, 20))[0]
    for skill in ("skill_literacy", "skill_ict", "skill_language", "skill_business", "skill_social"):
        if rng.random() < 0.85:
            answers[skill] = rng.choices(("none", "basic", "good"), weights=(20, 55, 25))[0]
    for name in ("digital_infrastructure", "digital_legal"):
        if rng.random() < 0.8:
            answers[name] = rng.choices(("yes", "partly", "no", "dont_know"), weights=(20, 30, 30, 20))[0]
    if rng.random() < 0.1:
        answers["comment"] = rng.choice(COMMENTS)
    answers["consent_followup"] = "yes" if rng.random() < 0.12 else "no"  # and never a contact detail
    return {k: v for k, v in answers.items() if k in spec.by_name}


def _random_value(question: Any, rng: random.Random, today: dt.date) -> Any:
    qtype = question.type
    if qtype == "select_one" and question.choices:
        return rng.choice(question.choices).name
    if qtype == "select_multiple" and question.choices:
        return [rng.choice(question.choices).name]
    if qtype == "integer":  # small counts are the commonest constraint ranges
        return rng.randint(0, 10) if rng.random() < 0.7 else rng.randint(0, 1000)
    if qtype in ("decimal", "range"):
        return rng.randint(0, 10) if qtype == "range" else round(rng.uniform(0, 100), 2)
    if qtype == "date":
        return (today - dt.timedelta(days=rng.randint(0, 365))).isoformat()
    if qtype == "text":
        return "synthetic answer"
    return None


def generic_answers(spec: FormSpec, rng: random.Random, today: dt.date | None = None) -> dict[str, Any]:
    """Random valid choices for the required questions of any form (values a constraint refuses are drawn
    again, up to 50 times)."""
    today = today or dt.date.today()
    answers: dict[str, Any] = {}
    candidates = [q for q in spec.value_questions if not q.is_contact and q.type != "calculate"]
    for q in candidates:
        if q.required.strip().lower() in ("yes", "true", "true()") or rng.random() < 0.3:
            value = _random_value(q, rng, today)
            if value is not None:
                answers[q.name] = value
    for _ in range(50):
        problems = check_answers(spec, answers, language=spec.default_language).problems
        if not problems:
            break
        for problem in problems:
            question = spec.by_name.get(problem.name)
            value = _random_value(question, rng, today) if question is not None else None
            if value is None or problem.code == "unknown":
                answers.pop(problem.name, None)
            else:
                answers[problem.name] = value
    return answers


@dataclass(slots=True)
class SimulateReport:
    created: int = 0
    already_stored: int = 0
    invalid: int = 0
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{self.created} synthetic responses stored, {self.already_stored} already stored, "
                f"{self.invalid} refused")


def instance_id_for(form_id: str, seed: int, index: int) -> str:
    return f"uuid:{uuid.uuid5(NAMESPACE, f'{form_id}:{seed}:{index}')}"


def synthetic_answers(spec: FormSpec, *, seed: int, index: int, today: dt.date | None = None) -> dict[str, Any]:
    """The answers of synthetic response ``index`` for ``seed`` (the same every time)."""
    rng = random.Random(f"{spec.form_id}:{seed}:{index}")
    if spec.form_id == DEFAULT_FORM_ID and "obstacle_finance" in spec.by_name:
        return default_answers(spec, rng, today)
    return generic_answers(spec, rng, today)


def _received(wave: Wave | None, rng: random.Random, today: dt.date) -> dt.datetime | None:
    if wave is None:
        return None
    last = wave.ends_on or max(wave.starts_on, today)
    day = wave.starts_on + dt.timedelta(days=rng.randint(0, max(0, (last - wave.starts_on).days)))
    return dt.datetime.combine(day, dt.time(rng.randint(7, 19), rng.randint(0, 59)), tzinfo=dt.UTC)


def simulate_responses(*, survey: Survey, n: int, seed: int, wave: Wave | None = None) -> SimulateReport:
    """Store ``n`` synthetic responses to ``survey`` (each in its own transaction, through submit_response);
    with ``wave``, received on days inside the wave."""
    if n < 0 or n > 1_000_000:
        raise services.FeedbackError("The number of synthetic responses must be between 0 and 1,000,000.")
    form = selectors.current_form(survey)
    spec = selectors.form_spec(form)
    today = dt.date.today()
    report = SimulateReport()
    for index in range(n):
        answers = synthetic_answers(spec, seed=seed, index=index, today=today)
        when = _received(wave, random.Random(f"when:{seed}:{index}"), today)
        outcome = services.submit_response(
            survey=survey,
            instance_id=instance_id_for(spec.form_id, seed, index),
            answers=answers,
            raw=json.dumps(answers, ensure_ascii=False, sort_keys=True),
            raw_format="json",
            channel="simulate",
            payload_hash=services.canonical_hash(answers),
            language=spec.default_language if spec.default_language != "default" else "",
            synthetic=True,
            received_at=when,
            wave=wave,
            form=form,
        )
        if outcome.status == "created":
            report.created += 1
        elif outcome.status == "duplicate":
            report.already_stored += 1
        else:
            report.invalid += 1
            detail = "; ".join(f"{p.name}: {p.message}" for p in outcome.problems) or outcome.status
            report.problems.append(f"response {index}: {detail}")
    return report
