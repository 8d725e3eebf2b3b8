"""Fixtures for the feedback tests: the default survey and a complete, valid set of answers."""

from __future__ import annotations

from typing import Any

import pytest

from msmelens.lens.taxonomy import CATEGORIES  # the instrument asks about the lens's eight categories


def valid_answers(**changes: Any) -> dict[str, Any]:
    """Answers to every required question of msme-trade-obstacles (a small Peruvian exporter)."""
    answers: dict[str, Any] = {
        "country": "PER",
        "sector": "C",
        "employees": 12,
        "year_started": 2015,
        "owner_gender": "female",
        "manager_gender": "female",
        "location": "urban",
        "exporter": "yes",
        "importer": "no",
        "online_sales": "yes",
        "markets": ["KOR", "NPL"],
        **{f"obstacle_{key}": "1" for key in CATEGORIES},
        "obstacle_border_procedures": "4",
        "item_customs_time": "4",
        "biggest_obstacle": "border_procedures",
        "aware_agreements": "partly",
        "aware_sme_provisions": ["sme_website"],
        "digital_awareness": "basic",
        "consent_followup": "no",
    }
    answers.update(changes)
    return {k: v for k, v in answers.items() if v is not None}


@pytest.fixture
def answers() -> dict[str, Any]:
    return valid_answers()


@pytest.fixture
def default_survey(db):  # type: ignore[no-untyped-def]
    """The default survey (installed by migration; re-created after a transactional test's flush)."""
    from msmelens.feedback.services import ensure_default_survey

    return ensure_default_survey()
