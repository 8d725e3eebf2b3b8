"""The practice library's services and selectors on the real database: import of the seed file, versions,
diffs, restore, conflicting saves, permissions, proposals, filters and languages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from tests.practices.conftest import SEED_COUNT

from msmelens.practices import selectors, services
from msmelens.practices.models import Practice, Proposal
from msmelens.practices.records import RecordInvalid, record_of

SLUG = "tunisia-famex"


def _seed_records(seed_path: Path) -> dict[str, dict]:
    lines = seed_path.read_text(encoding="utf-8").splitlines()
    return {r["id"]: r for r in (json.loads(line) for line in lines if line.strip())}


def _history_count() -> int:
    return Practice.history.count()


# --- import ------------------------------------------------------------------------------------------------


def test_seed_imports_in_full_and_published(seeded, seed_path):
    assert len(seeded.created) == SEED_COUNT == Practice.objects.count()
    assert seeded.updated == {} and seeded.unchanged == [] and seeded.rejected == []
    assert set(Practice.objects.values_list("status", flat=True)) == {Practice.PUBLISHED}
    assert set(Practice.objects.values_list("version", flat=True)) == {1}
    seed = _seed_records(seed_path)
    for practice in Practice.objects.all():
        assert record_of(practice) == seed[practice.slug]
    egypt = Practice.objects.get(slug="egypt-rug-export-rct")
    assert egypt.countries_key == "|EGY|" and egypt.obstacles_key == "|market_information|skills|"
    assert egypt.target_groups_key == "|micro|small|"
    assert "egypt" in egypt.search_text and "egypte" in egypt.search_text  # country names, folded
    (first,) = selectors.versions(egypt)
    assert (first.number, first.reason, first.user) == (1, "imported from practices.jsonl", "")
    levels = sorted((p.evidence_level or 0) for p in Practice.objects.all())
    assert levels.count(5) == 5 and levels.count(0) == 8  # as the seed README counts them


def test_reimport_is_a_no_op(seeded, seed_path):
    before = _history_count()
    again = services.import_practices(path=seed_path)
    assert len(again.unchanged) == SEED_COUNT
    assert again.created == [] and again.updated == {} and again.rejected == []
    assert _history_count() == before
    assert set(Practice.objects.values_list("version", flat=True)) == {1}


def test_import_that_changes_a_record_makes_one_version_naming_the_field(seeded, seed_path, tmp_path):
    records = _seed_records(seed_path)
    records[SLUG]["summary"] += " A follow-up study is under way."
    changed = tmp_path / "seed-v2.jsonl"
    changed.write_text("".join(json.dumps(r) + "\n" for r in records.values()), encoding="utf-8")
    before = _history_count()
    report = services.import_practices(path=changed)
    assert report.updated == {SLUG: ["summary"]}
    assert len(report.unchanged) == SEED_COUNT - 1
    assert _history_count() == before + 1
    practice = Practice.objects.get(slug=SLUG)
    assert practice.version == 2 and practice.summary.endswith("under way.")
    latest = selectors.versions(practice)[0]
    assert latest.number == 2
    assert latest.reason == "imported from seed-v2.jsonl: changed summary"
    assert latest.changed_fields == ["summary"]
    assert "follow-up" in practice.search_text


def test_a_batch_survives_bad_rows(db, seed_path, tmp_path):
    good = list(_seed_records(seed_path).values())[:3]
    bad = dict(good[0], id="bad-one", instrument="teleportation")
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join([json.dumps(good[0]), "{not json", json.dumps(bad), json.dumps(good[1]),
                               json.dumps(good[1]), json.dumps(good[2])]) + "\n", encoding="utf-8")
    report = services.import_practices(path=path)
    assert report.created == [good[0]["id"], good[1]["id"], good[2]["id"]]
    assert [(r.line, r.slug) for r in report.rejected] == [(2, None), (3, "bad-one"), (5, good[1]["id"])]
    assert "not valid JSON" in report.rejected[0].reason
    assert report.rejected[1].reason.startswith("instrument: 'teleportation' is not known")
    assert "already appears on line 4" in report.rejected[2].reason
    assert not Practice.objects.filter(slug="bad-one").exists()


# --- edits, versions, diff, restore --------------------------------------------------------------------


def test_update_diff_and_restore(seeded, curator):
    practice = Practice.objects.get(slug=SLUG)
    original = record_of(practice)
    new_outcome = {"indicator": "Firms still exporting after five years", "value": 61, "unit": "%",
                   "baseline": None, "year": 2012, "design": "comparison_group", "note": None}
    new_summary = original["summary"].replace("The cheap scheme", "The low-cost scheme")
    assert new_summary != original["summary"]
    v2 = services.update_practice(
        practice=practice, data={"summary": new_summary, "outcomes": [*original["outcomes"], new_outcome]},
        expected_version=1, user=curator, reason="shorter summary; five-year figure")
    assert v2.version == 2
    diff = selectors.version_diff(v2, 1, 2)
    assert [f.field for f in diff.fields] == ["summary", "outcomes"]
    summary = diff.fields[0]
    assert (summary.old, summary.new) == (original["summary"], new_summary)
    assert [(op, text) for op, text in summary.words if op != "equal"] == [("delete", "cheap"),
                                                                          ("insert", "low-cost")]
    assert "".join(t for op, t in summary.words if op != "insert") == original["summary"]
    assert "".join(t for op, t in summary.words if op != "delete") == new_summary
    assert diff.fields[1].words is None and diff.fields[1].new[-1] == new_outcome

    versions = selectors.versions(v2)
    assert [(v.number, v.user, v.reason) for v in versions] == [
        (2, "carla-curator", "shorter summary; five-year figure"), (1, "", "imported from practices.jsonl")]
    assert versions[0].changed_fields == ["summary", "outcomes"]

    v3 = services.restore_version(practice=v2, history_id=versions[1].history_id, user=curator,
                                  reason="the old summary was clearer")
    assert v3.version == 3 and record_of(v3) == original
    latest = selectors.versions(v3)[0]
    assert latest.reason == "restored version 1: the old summary was clearer"
    assert latest.user == "carla-curator" and latest.changed_fields == ["summary", "outcomes"]
    assert selectors.version_diff(v3, 1, 3).fields == []
    assert selectors.version_record(v3, 2)["outcomes"][-1] == new_outcome  # nothing lost
    with pytest.raises(LookupError, match="no version 9"):
        selectors.version_diff(v3, 1, 9)


def test_update_without_change_writes_nothing(seeded, curator):
    practice = Practice.objects.get(slug=SLUG)
    same = services.update_practice(practice=practice, data=record_of(practice), expected_version=1,
                                    user=curator, reason="no change")
    assert same.version == 1 and practice.history.count() == 1


def test_conflicting_saves_second_editor_gets_conflict_and_nothing_is_lost(seeded, curator, second_curator):
    opened_by_first = Practice.objects.get(slug=SLUG)
    opened_by_second = Practice.objects.get(slug=SLUG)
    first_text = "Summary as saved by the first editor."
    services.update_practice(practice=opened_by_first, data={"summary": first_text},
                             expected_version=opened_by_first.version, user=second_curator, reason="first")
    second_data = record_of(opened_by_second)
    second_data["title"] = "FAMEX matching grants (second editor's title)"
    with pytest.raises(services.EditConflict) as caught:
        services.update_practice(practice=opened_by_second, data=second_data,
                                 expected_version=opened_by_second.version, user=curator, reason="second")
    conflict = caught.value
    assert conflict.expected_version == 1 and conflict.current_version == 2
    assert conflict.changed_by == "bea-curator" and conflict.changed_at is not None
    assert conflict.changed_since == ["summary"]
    assert conflict.differing == ["title", "summary"]
    assert conflict.yours["title"] == "FAMEX matching grants (second editor's title)"  # their text kept
    assert "bea-curator" in str(conflict) and "version 2" in str(conflict) and "not lost" in str(conflict)
    stored = Practice.objects.get(slug=SLUG)
    assert stored.version == 2 and stored.summary == first_text  # the first save is intact
    assert stored.title == "FAMEX export market access matching grants"
    assert services.conflict_for(practice=stored, data=second_data, expected_version=1) is not None
    assert services.conflict_for(practice=stored, data=second_data, expected_version=2) is None


# --- permissions -------------------------------------------------------------------------------------


def test_contributors_cannot_publish_update_restore_or_withdraw(seeded, contributor):
    practice = Practice.objects.get(slug=SLUG)
    history_id = practice.history.first().history_id
    attempts = [
        lambda: services.publish(practice=practice, user=contributor, reason="x"),
        lambda: services.withdraw(practice=practice, user=contributor, reason="x"),
        lambda: services.update_practice(practice=practice, data={"title": "Mine"}, expected_version=1,
                                         user=contributor, reason="x"),
        lambda: services.restore_version(practice=practice, history_id=history_id, user=contributor, reason="x"),
        lambda: services.create_practice(data=record_of(practice) | {"id": "new-one"}, user=contributor,
                                         reason="x", publish=True),
        lambda: services.import_practices(path=Path("unused.jsonl"), user=contributor),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied, match="Only curators can"):
            attempt()
    stored = Practice.objects.get(slug=SLUG)
    assert stored.version == 1 and stored.title == practice.title and stored.status == Practice.PUBLISHED
    assert not Practice.objects.filter(slug="new-one").exists()


def test_anonymous_users_cannot_propose(seeded):
    practice = Practice.objects.get(slug=SLUG)
    with pytest.raises(PermissionDenied, match="contributors"):
        services.propose_change(practice=practice, data={"title": "x"}, base_version=1, user=AnonymousUser(),
                                reason="x")
    assert Proposal.objects.count() == 0


def test_publish_and_withdraw_are_versions(seeded, curator):
    practice = Practice.objects.get(slug=SLUG)
    withdrawn = services.withdraw(practice=practice, user=curator, reason="source retracted")
    assert (withdrawn.status, withdrawn.version) == (Practice.WITHDRAWN, 2)
    assert selectors.practice_get(SLUG) is None and selectors.practice_get(SLUG, include_unpublished=True)
    assert selectors.versions(withdrawn)[0].changed_fields == ["status"]
    again = services.publish(practice=withdrawn, user=curator, reason="source confirmed")
    assert (again.status, again.version) == (Practice.PUBLISHED, 3)
    assert services.publish(practice=again, user=curator, reason="twice").version == 3  # already published
    with pytest.raises(services.PracticeError, match="Say why"):
        services.withdraw(practice=again, user=curator, reason="  ")


def test_create_practice_checks_the_record(db, curator):
    with pytest.raises(RecordInvalid) as caught:
        services.create_practice(data={"id": "Bad Id", "title": "", "countries": ["XXX"], "scope": "national",
                                       "instrument": "single_window", "evidence_level": 7},
                                 user=curator, reason="new", publish=False)
    fields = [p.field for p in caught.value.problems]
    assert fields == ["id", "title", "countries", "evidence_level"]
    assert "'XXX' is not a country code" in str(caught.value)
    created = services.create_practice(
        data={"id": "peru-test", "title": "Test", "countries": ["per"], "scope": "national",
              "instrument": "single_window", "obstacles": "border_procedures; finance"},
        user=curator, reason="new record", publish=False)
    assert (created.status, created.version, created.created_by) == (Practice.DRAFT, 1, curator)
    assert created.countries == ["PER"] and created.obstacles_key == "|border_procedures|finance|"
    assert selectors.practice_get("peru-test") is None  # drafts are not public


# --- proposals ------------------------------------------------------------------------------------------


def _new_record() -> dict:
    return {"id": "kenya-test-window", "title": "A test window", "countries": ["KEN"], "scope": "national",
            "start_year": 2020, "instrument": "single_window", "obstacles": ["border_procedures"],
            "target_groups": ["small"], "summary": "Proposed by a contributor.", "evidence_level": None}


def test_new_proposal_accepted_is_published(db, contributor, curator):
    proposal = services.propose_new(data=_new_record(), user=contributor, reason="seen at a workshop")
    assert proposal.status == Proposal.PENDING and list(selectors.pending_proposals()) == [proposal]
    assert not Practice.objects.filter(slug="kenya-test-window").exists()  # nothing public yet
    reviewed = services.review_proposal(proposal=proposal, user=curator, accept=True, note="checked the source")
    assert reviewed.status == Proposal.ACCEPTED and reviewed.reviewed_by == curator
    practice = selectors.practice_get("kenya-test-window")
    assert practice is not None and practice.status == Practice.PUBLISHED and reviewed.practice == practice
    assert selectors.versions(practice)[0].reason == (
        f"proposal #{proposal.pk} by omar-contributor accepted: checked the source")
    assert list(selectors.pending_proposals()) == []
    with pytest.raises(services.PracticeError, match="already reviewed"):
        services.review_proposal(proposal=proposal, user=curator, accept=False)


def test_contributor_cannot_review(seeded, contributor):
    practice = Practice.objects.get(slug=SLUG)
    proposal = services.propose_change(practice=practice, data={"title": "Better title"}, base_version=1,
                                       user=contributor, reason="typo")
    with pytest.raises(PermissionDenied):
        services.review_proposal(proposal=proposal, user=contributor, accept=True)
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.PENDING


def test_change_proposals_rejected_accepted_and_conflict(seeded, contributor, curator):
    practice = Practice.objects.get(slug=SLUG)
    outcome = {"indicator": "Exporters among beneficiaries", "value": 72, "unit": "%", "baseline": 60,
               "year": 2010, "design": "monitoring", "note": "Programme report."}
    update = services.propose_change(practice=practice, data={"outcomes": [*practice.outcomes, outcome]},
                                     base_version=1, user=contributor, reason="2010 figure")
    rival = services.propose_change(practice=practice, data={"title": "FAMEX grants"}, base_version=1,
                                    user=contributor, reason="shorter")
    refused = services.propose_change(practice=practice, data={"evidence_level": 5}, base_version=1,
                                      user=contributor, reason="I think it is an RCT")
    assert Practice.objects.get(slug=SLUG).version == 1  # proposing changes nothing public

    rejected = services.review_proposal(proposal=refused, user=curator, accept=False, note="it is a DiD")
    assert rejected.status == Proposal.REJECTED and rejected.review_note == "it is a DiD"
    assert Practice.objects.get(slug=SLUG).version == 1

    accepted = services.review_proposal(proposal=update, user=curator, accept=True, note="matches the report")
    stored = Practice.objects.get(slug=SLUG)
    assert accepted.status == Proposal.ACCEPTED and stored.version == 2 and stored.outcomes[-1] == outcome
    assert selectors.versions(stored)[0].changed_fields == ["outcomes"]

    conflicted = services.review_proposal(proposal=rival, user=curator, accept=True)
    assert conflicted.status == Proposal.CONFLICT
    stored = Practice.objects.get(slug=SLUG)
    assert stored.version == 2 and stored.title == "FAMEX export market access matching grants"

    with pytest.raises(services.PracticeError, match="changes nothing"):
        services.propose_change(practice=stored, data={}, base_version=2, user=contributor, reason="")


# --- selectors ------------------------------------------------------------------------------------------


def test_filters_and_search(seeded):
    kenya = selectors.practice_list(country="ken")
    assert kenya.count() == 10 and all("KEN" in p.countries for p in kenya)
    africa = set(selectors.practice_list(region="africa").values_list("slug", flat=True))
    assert {"egypt-rug-export-rct", SLUG} <= africa and kenya.count() <= len(africa)
    assert not set(selectors.practice_list(region="europe", country="EGY"))
    strong = selectors.practice_list(evidence_min=4)
    assert strong.count() == 9 and all(p.evidence_level >= 4 for p in strong)
    assert selectors.practice_list(evidence="none").count() == 8
    assert selectors.practice_list(evidence=5).count() == 5
    assert set(selectors.practice_list(q="Égypte RUG").values_list("slug", flat=True)) >= {"egypt-rug-export-rct"}
    assert selectors.practice_list(q="tunisie famex").count() == 1
    assert selectors.practice_list(q="no-such-word-anywhere").count() == 0
    grants = selectors.practice_list(instrument="matching_grant", obstacle="finance")
    assert SLUG in {p.slug for p in grants} and all(p.instrument == "matching_grant" for p in grants)
    in_2005 = selectors.practice_list(year_from=2005, year_to=2005)
    assert SLUG in {p.slug for p in in_2005}
    assert all((p.start_year or 0) <= 2005 and (p.end_year is None or p.end_year >= 2005) for p in in_2005)
    assert SLUG not in {p.slug for p in selectors.practice_list(year_from=2011)}
    women = selectors.practice_list(target_group="women_owned")
    assert women.count() == 7


def test_country_timeline_category_ranking_and_choices(seeded):
    timeline = selectors.practices_for_country("KEN")
    years = [p.start_year for p in timeline if p.start_year is not None]
    assert len(timeline) == 10 and years == sorted(years)
    ranked = selectors.practices_for_category("border_procedures")
    levels = [p.evidence_level or 0 for p in ranked]
    assert levels == sorted(levels, reverse=True) and all("border_procedures" in p.obstacles for p in ranked)
    choices = selectors.filter_choices()
    assert "KEN" in choices["countries"] and [key for key, _ in choices["regions"]] == [
        "africa", "americas", "asia", "europe", "oceania"]
    assert choices["year_min"] <= 2000 <= choices["year_max"]


def test_display_text_falls_back_to_the_original(seeded, curator):
    practice = Practice.objects.get(slug=SLUG)
    assert selectors.display_text(practice, "en") == (practice.title, practice.summary, True)
    assert selectors.display_text(practice, "fr") == (practice.title, practice.summary, False)
    translated = services.update_practice(
        practice=practice, data={"translations": {"fr": {"title": "FAMEX : subventions", "summary": "Résumé."}}},
        expected_version=1, user=curator, reason="French")
    assert selectors.display_text(translated, "fr") == ("FAMEX : subventions", "Résumé.", True)
    assert selectors.display_text(translated, "es-419")[2] is False
    assert "resume" in translated.search_text
    assert record_of(translated)["translations"] == {"fr": {"title": "FAMEX : subventions", "summary": "Résumé."}}


# --- the admin saves through the services -------------------------------------------------------------


def _admin_post(practice: Practice, **changes) -> dict:
    record = record_of(practice)
    data = {name: json.dumps(record[name]) for name in ("countries", "obstacles", "target_groups", "outcomes",
                                                         "sources")}
    data.update({"title": record["title"], "summary": record["summary"], "original_language": "en",
                 "translations": "{}", "scope": record["scope"], "start_year": record["start_year"] or "",
                 "end_year": record["end_year"] or "", "implementer": record["implementer"],
                 "instrument": record["instrument"], "evidence_level": record["evidence_level"] or "",
                 "verified": "on" if record["verified"] else "", "expected_version": practice.version,
                 "reason": "edited in the admin"})
    data.update(changes)
    return {k: v for k, v in data.items() if v != "" or k in ("reason",)}


def test_admin_saves_through_the_services_with_reason_and_version_check(seeded, curator, second_curator, client):
    curator.is_staff = True
    curator.save()
    client.force_login(curator)
    practice = Practice.objects.get(slug=SLUG)
    url = f"/admin/practices/practice/{practice.pk}/change/"
    assert client.get(url).status_code == 200
    opened = _admin_post(practice, title="FAMEX (edited in the admin)")

    missing_reason = client.post(url, {**opened, "reason": ""})
    assert missing_reason.status_code == 200 and Practice.objects.get(slug=SLUG).version == 1

    bad = client.post(url, {**opened, "instrument": "teleportation"})
    assert bad.status_code == 200 and "teleportation" in bad.content.decode()
    assert Practice.objects.get(slug=SLUG).version == 1

    services.update_practice(practice=practice, data={"summary": "Changed meanwhile."}, expected_version=1,
                             user=second_curator, reason="meanwhile")
    conflict = client.post(url, opened)  # the form was opened at version 1
    page = conflict.content.decode()
    assert conflict.status_code == 200 and "bea-curator" in page and "FAMEX (edited in the admin)" in page
    stored = Practice.objects.get(slug=SLUG)
    assert (stored.version, stored.summary, stored.title) == (2, "Changed meanwhile.", practice.title)

    saved = client.post(url, _admin_post(stored, title="FAMEX (edited in the admin)"))
    assert saved.status_code == 302
    stored = Practice.objects.get(slug=SLUG)
    assert (stored.version, stored.title, stored.summary) == (3, "FAMEX (edited in the admin)", "Changed meanwhile.")
    latest = selectors.versions(stored)[0]
    assert (latest.user, latest.reason, latest.changed_fields) == ("carla-curator", "edited in the admin", ["title"])
    history = client.get(f"/admin/practices/practice/{stored.pk}/history/")
    assert history.status_code == 200 and "edited in the admin" in history.content.decode()
