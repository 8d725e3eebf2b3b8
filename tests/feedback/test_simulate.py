"""Synthetic responses: valid, reproducible, marked synthetic, plausible, and never with contact details."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from msmelens.feedback import selectors, services
from msmelens.feedback.answers import check_answers
from msmelens.feedback.models import ContactDetail
from msmelens.feedback.simulate import CATEGORIES, simulate_responses, synthetic_answers


def _answers(survey) -> dict[str, dict]:
    return {r.instance_id: r.answers for r in selectors.responses(survey)}


def test_same_seed_gives_the_same_answers_all_synthetic(default_survey):
    report = simulate_responses(survey=default_survey, n=40, seed=7)
    assert (report.created, report.invalid) == (40, 0), report.problems
    first = _answers(default_survey)
    assert len(first) == 40
    assert all(r.synthetic and r.channel == "simulate" for r in selectors.responses(default_survey))
    assert not ContactDetail.objects.filter(response__survey=default_survey).exists()
    again = simulate_responses(survey=default_survey, n=40, seed=7)
    assert (again.created, again.already_stored) == (0, 40)
    spec = selectors.form_spec(selectors.current_form(default_survey))
    regenerated = {i: synthetic_answers(spec, seed=7, index=i) for i in range(40)}
    assert sorted(str(sorted(a.items())) for a in regenerated.values()) == sorted(
        str(sorted({k: v for k, v in a.items() if k != "size_class"}.items())) for a in first.values()
    )
    other = {str(sorted(synthetic_answers(spec, seed=8, index=i).items())) for i in range(40)}
    assert other != {str(sorted(a.items())) for a in regenerated.values()}


def test_synthetic_firms_are_plausible_and_pass_the_form(default_survey):
    spec = selectors.form_spec(selectors.current_form(default_survey))
    firms = [synthetic_answers(spec, seed=11, index=i) for i in range(600)]
    for answers in firms:
        checked = check_answers(spec, answers)
        assert checked.ok, checked.problems
        assert not any(name.startswith("contact_") for name in answers)
    sizes = Counter(check_answers(spec, a).answers["size_class"] for a in firms)
    assert sizes["micro"] > sizes["small"] > sizes["medium"] > 0 and sizes["micro"] > 0.6 * len(firms)
    def export_share(size: str) -> float:
        group = [a for a in firms if check_answers(spec, a).answers["size_class"] == size]
        return sum(a["exporter"] == "yes" for a in group) / len(group)
    assert export_share("small") > export_share("micro")

    def mean(category: str, size: str) -> float:
        values = [int(a[f"obstacle_{category}"]) for a in firms
                  if check_answers(spec, a).answers["size_class"] == size and a[f"obstacle_{category}"] != "dk"]
        return sum(values) / len(values)
    assert mean("finance", "micro") > mean("finance", "small")
    for answers in firms:
        ratings = {c: answers[f"obstacle_{c}"] for c in CATEGORIES}
        rated = {c: int(r) for c, r in ratings.items() if r != "dk"}
        if rated:
            assert rated.get(answers["biggest_obstacle"], -1) == max(rated.values())
        for category, rating in ratings.items():
            items = [q.name for q in spec.questions if q.group == f"items_{category}"]
            if rating in ("0", "dk"):
                assert not any(name in answers for name in items)
    genders = Counter(a["owner_gender"] for a in firms)
    assert 0.2 < genders["female"] / len(firms) < 0.5
    consent = Counter(a["consent_followup"] for a in firms)
    assert consent["no"] > 0.75 * len(firms)


def test_simulate_into_a_wave_dates_inside_it(default_survey):
    wave = services.add_wave(survey=default_survey, name="pilot", starts_on=dt.date(2025, 1, 1),
                             ends_on=dt.date(2025, 1, 31))
    report = simulate_responses(survey=default_survey, n=10, seed=1, wave=wave)
    assert report.created == 10
    assert selectors.response_count(default_survey, wave=wave) == 10
    for response in selectors.responses(default_survey):
        assert dt.date(2025, 1, 1) <= response.received_at.date() <= dt.date(2025, 1, 31)


def test_generic_fallback_for_a_custom_form(db, tmp_path):
    import openpyxl

    workbook = openpyxl.Workbook()
    survey_sheet = workbook.active
    survey_sheet.title = "survey"
    for row in [
        ["type", "name", "label", "required", "constraint", "relevant"],
        ["select_one yn", "trades", "Do you trade?", "yes", "", ""],
        ["integer", "staff", "Staff", "yes", ". >= 1 and . <= 5", ""],
        ["text", "where", "Where?", "yes", "", "${trades} = 'yes'"],
    ]:
        survey_sheet.append(row)
    choices = workbook.create_sheet("choices")
    for row in [["list_name", "name", "label"], ["yn", "yes", "Yes"], ["yn", "no", "No"]]:
        choices.append(row)
    settings = workbook.create_sheet("settings")
    settings.append(["form_id", "version"])
    settings.append(["tiny_form", "1"])
    path = tmp_path / "tiny.xlsx"
    workbook.save(path)
    survey = services.add_form(filename=path.name, content=path.read_bytes()).survey
    report = simulate_responses(survey=survey, n=25, seed=3)
    assert (report.created, report.invalid) == (25, 0), report.problems
    for answers in _answers(survey).values():
        assert 1 <= answers["staff"] <= 5 and answers["trades"] in ("yes", "no")
        assert ("where" in answers) == (answers["trades"] == "yes")
