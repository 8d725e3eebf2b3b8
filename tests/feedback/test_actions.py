"""Policy actions ("you said, we did"): services, selectors, the admin for curators, the CLI and the public
pages per country, against the real database, the real agreements sample and the real results functions."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from click.testing import CliRunner
from django.contrib.auth.models import Group, User
from tests.feedback.conftest import valid_answers

from msmelens.agreements import selectors as agreement_selectors
from msmelens.cli.main import cli
from msmelens.feedback import actions, results, services
from msmelens.feedback.models import PolicyAction
from msmelens.lens.taxonomy import CATEGORIES

SLUG = "msme-trade-obstacles"


def _provision_ids(n: int = 2) -> list[str]:
    return list(agreement_selectors.provision_list().values_list("provision_id", flat=True)[:n])


def _record(survey: Any, **changes: Any) -> PolicyAction:
    fields: dict[str, Any] = {
        "survey": survey, "country": "per", "categories": ["border_procedures"],
        "title": "Single window for small exporters", "responsible": "SUNAT (customs)",
        "started_on": dt.date(2026, 3, 1),
    }
    fields.update(changes)
    return actions.record_action(**fields)


# --- services and selectors -------------------------------------------------------------------------------


def test_record_action_cleans_and_keeps_history(sample_db, default_survey):
    user = User.objects.create_user("cora")
    pids = _provision_ids()
    action = _record(default_survey, categories=["finance", "border_procedures", "finance"], provision_ids=pids,
                     practice_refs=["https://example.org/p/1", " ", "prac-7"], recorded_by=user)
    action.refresh_from_db()
    assert action.country == "PER"
    assert action.categories == ["border_procedures", "finance"]  # taxonomy order, each once
    assert action.categories_key == "|border_procedures|finance|"
    assert action.provision_ids == pids
    assert action.practice_refs == ["https://example.org/p/1", "prac-7"]
    assert action.status == "planned" and action.recorded_by == user
    assert [(h["what"], h["by"]) for h in action.history] == [("created", "cora")]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"country": "XXX"}, "not a country code"),
        ({"country": "PE"}, "not a country code"),
        ({"categories": []}, "at least one"),
        ({"categories": ["customs"]}, "Unknown obstacle category: customs"),
        ({"title": "  "}, "needs a title"),
        ({"responsible": ""}, "responsible body"),
        ({"status": "finished"}, "Status 'finished' is not known"),
        ({"completed_on": dt.date(2026, 1, 1)}, "before it started"),
        ({"provision_ids": ["tota-0:nowhere"]}, "No stored agreement has the provision tota-0:nowhere"),
    ],
)
def test_record_action_refuses_with_plain_messages(sample_db, default_survey, changes, message):
    with pytest.raises(actions.ActionError, match=message):
        _record(default_survey, **changes)
    assert PolicyAction.objects.count() == 0


def test_update_and_status_record_who_changed_what(db, default_survey):
    user = User.objects.create_user("ana")
    action = _record(default_survey)
    same = actions.update_action(action=action, changes={"title": action.title}, changed_by=user)
    assert len(same.history) == 1  # nothing changed, nothing recorded
    action = actions.update_action(action=action, changes={"title": "One-stop border post", "country": "bol"},
                                   changed_by=user)
    assert (action.title, action.country) == ("One-stop border post", "BOL")
    assert action.history[-1]["fields"] == ["country", "title"] and action.history[-1]["by"] == "ana"
    action = actions.set_action_status(action=action, status="done", changed_by=user)
    assert action.status == "done" and action.completed_on is not None and action.completed_on >= action.started_on
    assert action.history[-1]["fields"] == ["completed_on", "status"]
    with pytest.raises(actions.ActionError, match="cannot be changed: survey"):
        actions.update_action(action=action, changes={"survey": None})


def test_selectors_by_country_and_category(db, default_survey):
    a = _record(default_survey, categories=["border_procedures", "finance"])
    b = _record(default_survey, categories=["finance"], started_on=dt.date(2026, 5, 1), status="in_progress")
    c = _record(default_survey, country="KEN", categories=["digital"])
    assert list(actions.list_actions(survey=default_survey, country="per")) == [b, a]  # newest start first
    assert list(actions.list_actions(category="finance")) == [b, a]
    assert list(actions.list_actions(statuses=["in_progress"])) == [b]
    grouped = actions.actions_by_category(default_survey, "PER")
    assert list(grouped) == list(CATEGORIES)
    assert grouped["finance"] == [b, a] and grouped["border_procedures"] == [a] and grouped["digital"] == []
    assert actions.countries_with_actions(default_survey) == {"KEN": 1, "PER": 2}
    assert actions.get_action(c.pk) == c and actions.get_action(c.pk + 100) is None


# --- admin ------------------------------------------------------------------------------------------------


def test_curators_may_add_and_change_actions_but_not_delete(db):
    curator = set(Group.objects.get(name="curator").permissions.values_list("codename", flat=True))
    assert {"add_policyaction", "change_policyaction", "view_policyaction"} <= curator
    assert "delete_policyaction" not in curator
    analyst = set(Group.objects.get(name="analyst").permissions.values_list("codename", flat=True))
    assert "add_policyaction" not in analyst


def _curator(client: Any) -> User:
    user = User.objects.create_user("cora", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name="curator"))
    client.force_login(user)
    return user


def test_admin_add_and_change_go_through_the_services(sample_db, default_survey, client):
    user = _curator(client)
    pid = _provision_ids(1)[0]
    form = {
        "survey": default_survey.pk, "country": "per", "categories": ["border_procedures", "digital"],
        "title": "Customs help desk", "description": "", "responsible": "SUNAT", "started_on": "2026-02-01",
        "completed_on": "", "status": "in_progress", "provision_ids": f"{pid}\n", "practice_refs": "prac-1",
    }
    response = client.post("/admin/feedback/policyaction/add/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    action = PolicyAction.objects.get()
    assert (action.country, action.categories, action.provision_ids, action.practice_refs) == (
        "PER", ["border_procedures", "digital"], [pid], ["prac-1"])
    assert action.recorded_by == user and action.history[0]["by"] == "cora"

    change = {**form, "status": "done", "completed_on": "2026-06-30"}
    del change["survey"]  # read-only once recorded
    response = client.post(f"/admin/feedback/policyaction/{action.pk}/change/", change)
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "done" and action.completed_on == dt.date(2026, 6, 30)
    assert action.history[-1] == {**action.history[-1], "by": "cora", "what": "changed",
                                  "fields": ["completed_on", "status"]}

    bad = {**form, "country": "ZZZ", "provision_ids": "tota-0:nowhere", "categories": []}
    response = client.post("/admin/feedback/policyaction/add/", bad)
    assert response.status_code == 200
    text = response.content.decode()
    assert "not a country code" in text and "tota-0:nowhere" in text
    assert PolicyAction.objects.count() == 1
    assert client.post(f"/admin/feedback/policyaction/{action.pk}/delete/", {"post": "yes"}).status_code == 403


# --- CLI --------------------------------------------------------------------------------------------------


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, ["feedback", *args], catch_exceptions=False)


def test_cli_add_list_and_set_status(sample_db, default_survey):
    pid = _provision_ids(1)[0]
    done = invoke("actions", "add", "--survey", SLUG, "--country", "PER", "--category", "border_procedures",
                  "--category", "finance", "--title", "Single window", "--who", "SUNAT", "--start", "2026-03-01",
                  "--provision", pid, "--practice", "https://example.org/p/1")
    assert done.exit_code == 0, done.output
    action = PolicyAction.objects.get()
    assert f"Recorded action {action.pk} for PER" in done.output
    assert action.provision_ids == [pid] and action.categories == ["border_procedures", "finance"]

    listed = invoke("actions", "list", "--country", "per")
    assert listed.exit_code == 0
    assert listed.stdout.splitlines() == [
        f"{action.pk}\tPER\tplanned\t2026-03-01\tborder_procedures,finance\tSingle window\tSUNAT"]
    none = invoke("actions", "list", "--country", "KEN")
    assert none.stdout == "" and "No actions recorded." in none.output

    moved = invoke("actions", "set-status", str(action.pk), "done", "--end", "2026-09-30")
    assert moved.exit_code == 0 and f"Action {action.pk} is now done." in moved.output
    action.refresh_from_db()
    assert action.status == "done" and action.completed_on == dt.date(2026, 9, 30)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--country", "XXX", "--start", "2026-01-01"], "not a country code"),
        (["--country", "PER", "--start", "01/03/2026"], "--start must be a date as YYYY-MM-DD"),
        (["--country", "PER", "--start", "2026-01-01", "--provision", "tota-0:x"], "No stored agreement"),
    ],
)
def test_cli_add_refuses_in_one_line(sample_db, default_survey, args, message):
    result = CliRunner().invoke(cli, ["feedback", "actions", "add", "--survey", SLUG, "--category", "finance",
                                      "--title", "T", "--who", "W", *args])
    assert result.exit_code == 2 and message in result.output
    assert PolicyAction.objects.count() == 0


def test_cli_set_status_of_unknown_action(db, default_survey):
    result = CliRunner().invoke(cli, ["feedback", "actions", "set-status", "999", "done"])
    assert result.exit_code == 2 and "There is no action 999" in result.output


# --- public pages -----------------------------------------------------------------------------------------


def _submit(survey: Any, instance_id: str, wave: Any, **changes: Any) -> None:
    answers = valid_answers(**changes)
    outcome = services.submit_response(
        survey=survey, instance_id=instance_id, answers=answers,
        raw=json.dumps({"instance_id": instance_id, "answers": answers}), raw_format="json", channel="api",
        payload_hash=services.canonical_hash(answers), wave=wave,
    )
    assert outcome.status == "created"


def make_responses(survey: Any) -> None:
    """Two waves of Peruvian answers (border procedures a major obstacle for 30 of 60, then 10 of 60; most
    in sector C, three each in A and G) and three Kenyan and three Nepalese answers (too few to show)."""
    first = services.add_wave(survey=survey, name="2026-1", starts_on=dt.date(2026, 1, 1),
                              ends_on=dt.date(2026, 6, 30))
    second = services.add_wave(survey=survey, name="2026-2", starts_on=dt.date(2026, 7, 1),
                               ends_on=dt.date(2026, 12, 31))
    for wave, major in ((first, 30), (second, 10)):
        for i in range(60):
            sector = "A" if i % 20 == 1 else "G" if i % 20 == 2 else "C"
            _submit(survey, f"uuid:{wave.name}-{i}", wave, sector=sector,
                    obstacle_border_procedures="4" if i < major else "1",
                    item_customs_time="4" if i < major else "1",
                    obstacle_finance="3" if i % 2 else "0")
    for country in ("KEN", "NPL"):  # two small countries: neither needs Peru suppressed to protect it
        for i in range(3):
            _submit(survey, f"uuid:{country}-{i}", second, country=country, obstacle_digital="4")


def _section(html: str, key: str) -> str:
    match = re.search(rf'<section class="obstacle" id="obstacle-{key}".*?</section>', html, re.S)
    assert match, f"no section for {key}"
    return match.group(0)


@pytest.mark.parametrize("prefix", ["", "/fr", "/es"])
def test_country_page_shows_published_figures_actions_and_changes(sample_db, default_survey, client, prefix):
    make_responses(default_survey)
    pid = _provision_ids(1)[0]
    _record(default_survey, provision_ids=[pid], practice_refs=["https://example.org/practice/9", "prac-3"],
            status="in_progress")
    table = results.survey_results(survey=default_survey, by=["country"])
    published = {c.category: c.to_dict() for c in table.cells if c.group == {"country": "PER"}}

    response = client.get(f"{prefix}/surveys/{SLUG}/you-said-we-did/per/")
    assert response.status_code == 200
    html = response.content.decode()
    border = _section(html, "border_procedures")
    cell = published["border_procedures"]
    assert cell["status"] in ("shown", "flagged") and cell["share_major"] == pytest.approx(40 / 120)
    assert "33%" in border and "<svg" in border  # 40 of 120 firms, drawn with its interval
    lens_id = agreement_selectors.provision_list().get(provision_id=pid).agreement.lens_id
    assert f'href="{prefix}/agreements/{lens_id}/#{pid}"' in border
    assert 'href="https://example.org/practice/9"' in border and "prac-3" in border
    assert "SUNAT (customs)" in border and "Single window for small exporters" in border
    changes = results.wave_changes(survey=default_survey, by=["country"], from_wave="2026-1", to_wave="2026-2")
    change = next(c for c in changes if c.group == {"country": "PER"} and c.category == "border_procedures")
    assert change.status != "suppressed"
    if prefix == "":  # French and Spanish wording arrives with the .po files
        words = {"clearly_down": "Fewer firms", "clearly_up": "More firms", "no_clear_change": "No clear change"}
        assert words[str(change.direction)] in border
    # the order of the page is the order of the published shares
    order = re.findall(r'id="obstacle-(\w+)"', html)
    shares = [published[k]["share_major"] for k in order if published.get(k, {}).get("status") in ("shown", "flagged")]
    assert shares == sorted(shares, reverse=True) and order[:2] == ["finance", "border_procedures"]


def test_suppressed_country_shows_no_figure(sample_db, default_survey, client):
    make_responses(default_survey)
    _record(default_survey, country="KEN", categories=["digital"], title="Rural broadband vouchers",
            responsible="Ministry of ICT")
    table = results.survey_results(survey=default_survey, by=["country"])
    kenya = [c for c in table.cells if c.group == {"country": "KEN"}]
    assert kenya and all(c.status == "suppressed" for c in kenya)  # 3 respondents: never shown

    html = client.get(f"/surveys/{SLUG}/you-said-we-did/KEN/").content.decode()
    digital = _section(html, "digital")
    assert "Not enough answers to show." in digital and "Rural broadband vouchers" in digital
    sections = re.findall(r'<section class="obstacle".*?</section>', html, re.S)
    assert sections and not any("%" in s or "<svg" in s for s in sections)

    index = client.get(f"/surveys/{SLUG}/you-said-we-did/").content.decode()
    assert f"/surveys/{SLUG}/you-said-we-did/KEN/" in index and f"/surveys/{SLUG}/you-said-we-did/PER/" in index
    assert "no published results yet" in index  # Kenya: an action, no published figure


def test_index_leaves_out_countries_with_only_suppressed_cells(sample_db, default_survey, client):
    make_responses(default_survey)
    index = client.get(f"/surveys/{SLUG}/you-said-we-did/").content.decode()
    assert "/you-said-we-did/PER/" in index and "/you-said-we-did/KEN/" not in index


@pytest.mark.parametrize("path", ["you-said-we-did/XXX/", "you-said-we-did/PE/"])
def test_unknown_country_is_404(db, default_survey, client, path):
    assert client.get(f"/surveys/{SLUG}/{path}").status_code == 404
    assert client.get("/surveys/no-such-survey/you-said-we-did/").status_code == 404
