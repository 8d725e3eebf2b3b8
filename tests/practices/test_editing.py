"""The editing workflow through its pages, with the Django client on the real database: edit, the two-editor
conflict, versions, differences, restore, proposals and their review, and the form's messages."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from msmelens.practices import selectors, services
from msmelens.practices.forms import PracticeForm, initial_from_record
from msmelens.practices.models import Practice, Proposal
from msmelens.practices.records import clean_record, record_of

RECORD = {
    "id": "test-export-desk",
    "title": "Export desk for small firms",
    "countries": ["PER", "CHL"],
    "scope": "regional",
    "start_year": 2015,
    "end_year": None,
    "implementer": "Ministry of Trade",
    "instrument": "export_promotion_services",
    "obstacles": ["market_information", "skills"],
    "target_groups": ["micro", "small"],
    "summary": "A help desk answers exporters' questions within two days.",
    "outcomes": [{"indicator": "Firms that exported", "value": 120, "unit": "firms", "baseline": 80, "year": 2018,
                  "design": "before_after", "note": None}],
    "evidence_level": 2,
    "sources": [{"title": "Annual report", "publisher": "Ministry of Trade", "year": 2019,
                 "url": "https://example.org/report"}],
    "verified": True,
}


@pytest.fixture
def record(curator: Any) -> Practice:
    """One published practice, version 1."""
    return services.create_practice(data=RECORD, user=curator, reason="first entry", publish=True)


@pytest.fixture(autouse=True)
def _english() -> Any:
    """Addresses from ``reverse`` in English whatever an earlier request in this thread activated."""
    with translation.override("en"):
        yield


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form_post(practice: Practice, *, reason: str = "a change", **changes: Any) -> dict[str, Any]:
    """What the edit page's form posts for the practice as it is now, with ``changes`` applied."""
    data = initial_from_record(record_of(practice), version=practice.version)
    data.update(changes)
    data["reason"] = reason
    data["verified"] = "on" if data.get("verified") else ""
    return {k: v for k, v in data.items() if v is not None}


def hidden_version(html: str) -> int:
    match = re.search(r'name="expected_version" value="(\d+)"', html)
    assert match, "the form carries no expected_version"
    return int(match.group(1))


def field_value(html: str, name: str) -> str:
    match = re.search(rf'<input type="text" name="{name}" value="([^"]*)"', html)
    assert match, f"no text field {name}"
    return unescape(match.group(1))


def textarea(html: str, name: str) -> str:
    match = re.search(rf'<textarea name="{name}"[^>]*>\n?(.*?)</textarea>', html, re.S)
    assert match, f"no textarea {name}"
    return unescape(match.group(1))


# --- edit ------------------------------------------------------------------------------------------------------


def test_edit_page_is_prefilled_and_saving_makes_a_version(record: Practice, curator: Any) -> None:
    client = signed_in(curator)
    page = client.get(reverse("practices:edit", args=[record.slug]))
    assert page.status_code == 200
    html = page.content.decode()
    assert field_value(html, "title") == "Export desk for small firms"
    assert hidden_version(html) == 1
    assert '"indicator": "Firms that exported"' in textarea(html, "outcomes")

    response = client.post(reverse("practices:edit", args=[record.slug]),
                           form_post(record, title="Export help desk for small firms", reason="clearer title"))
    assert response.status_code == 302
    assert response["Location"] == reverse("practices:versions", args=[record.slug])
    record.refresh_from_db()
    assert (record.title, record.version) == ("Export help desk for small firms", 2)
    latest = selectors.versions(record)[0]
    assert (latest.number, latest.user, latest.reason) == (2, "carla-curator", "clearer title")
    assert latest.changed_fields == ["title"]


def test_saving_an_unchanged_form_makes_no_version(record: Practice, curator: Any) -> None:
    response = signed_in(curator).post(reverse("practices:edit", args=[record.slug]), form_post(record))
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.version == 1


def test_every_seed_record_survives_the_form_unchanged(seeded: Any) -> None:
    """Opening a record in the form and posting it back gives the same record: the form loses nothing."""
    practices = list(Practice.objects.all())
    assert len(practices) == 73
    for practice in practices:
        post = form_post(practice)
        post["obstacles"], post["target_groups"] = practice.obstacles, practice.target_groups
        form = PracticeForm(_multi(post))
        assert form.is_valid(), (practice.slug, form.errors)
        again = clean_record(form.to_record(slug=practice.slug, original_language=practice.original_language))
        before = clean_record({**record_of(practice), "original_language": practice.original_language,
                               "translations": practice.translations})
        assert again == before, practice.slug


def _multi(data: dict[str, Any]) -> Any:
    from django.http import QueryDict

    q = QueryDict(mutable=True)
    for key, value in data.items():
        if isinstance(value, list):
            q.setlist(key, [str(v) for v in value])
        else:
            q[key] = str(value)
    return q


def test_form_errors_name_the_row_and_keep_the_text(record: Practice, curator: Any) -> None:
    bad_outcomes = '[{"indicator": "Exports", "value": "a lot", "design": "monitoring"}]'
    response = signed_in(curator).post(reverse("practices:edit", args=[record.slug]),
                                       form_post(record, outcomes=bad_outcomes, title="Kept title"))
    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert "Outcomes, row 1: “value” must be a number without quotes (or null)." in html
    assert field_value(response.content.decode(), "title") == "Kept title"
    assert textarea(response.content.decode(), "outcomes") == bad_outcomes
    record.refresh_from_db()
    assert record.version == 1


def test_an_edit_without_its_starting_version_is_refused(record: Practice, curator: Any) -> None:
    post = form_post(record, title="Blind save")
    del post["expected_version"]
    response = signed_in(curator).post(reverse("practices:edit", args=[record.slug]), post)
    assert response.status_code == 400
    assert "does not say which version you started from" in response.content.decode()
    record.refresh_from_db()
    assert (record.title, record.version) == ("Export desk for small firms", 1)


def test_a_reason_is_required(record: Practice, curator: Any) -> None:
    response = signed_in(curator).post(reverse("practices:edit", args=[record.slug]),
                                       form_post(record, title="New title", reason=""))
    assert response.status_code == 400
    assert "Please say why you make this change" in unescape(response.content.decode())
    record.refresh_from_db()
    assert (record.title, record.version) == ("Export desk for small firms", 1)


def test_service_problems_land_on_the_field(record: Practice, curator: Any) -> None:
    """A check only the record's rules make (a global initiative has no countries) shows next to its field."""
    response = signed_in(curator).post(reverse("practices:edit", args=[record.slug]),
                                       form_post(record, scope="global"))
    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert re.search(r'id="id_countries_error"><li>countries: a global initiative has no countries', html)


# --- two editors -------------------------------------------------------------------------------------------


def test_two_editors_from_the_same_version(record: Practice, curator: Any, second_curator: Any) -> None:
    url = reverse("practices:edit", args=[record.slug])
    first, second = signed_in(curator), signed_in(second_curator)
    assert hidden_version(first.get(url).content.decode()) == 1
    assert hidden_version(second.get(url).content.decode()) == 1

    saved = first.post(url, form_post(record, summary="A help desk answers within one day.", reason="faster"))
    assert saved.status_code == 302

    theirs = "Bea's own summary, typed while Carla was saving."
    clash = second.post(url, form_post(record, summary=theirs, implementer="Trade ministry (PromPeru)",
                                       reason="better wording"))
    assert clash.status_code == 409
    html = clash.content.decode()
    text = unescape(html)
    assert "carla-curator saved a newer version (version 2) at" in text
    assert "your text is kept below" in text
    assert "The fields that changed meanwhile are: Summary." in text
    assert re.search(r'<tr data-field="summary"><th scope="row">Summary</th><td><p class="diff-text">'
                     r'A help desk answers within one day\.</p></td>', html)
    assert textarea(html, "summary") == theirs  # nothing lost
    assert field_value(html, "implementer") == "Trade ministry (PromPeru)"
    assert hidden_version(html) == 2  # a second save goes through
    record.refresh_from_db()
    assert (record.version, record.summary) == (2, "A help desk answers within one day.")

    merged = theirs + " Answers come within one day."
    again = second.post(url, form_post(record, summary=merged, implementer="Trade ministry (PromPeru)",
                                       reason="merged with Carla's change"))
    assert again.status_code == 302
    record.refresh_from_db()
    assert (record.version, record.summary, record.implementer) == (3, merged, "Trade ministry (PromPeru)")
    assert [v.user for v in selectors.versions(record)] == ["bea-curator", "carla-curator", "carla-curator"]


# --- versions, differences, restore ----------------------------------------------------------------------


def test_versions_page_lists_every_version_with_compare_radios(record: Practice, curator: Any) -> None:
    services.update_practice(practice=record, data={"title": "Export help desk"}, expected_version=1,
                             user=curator, reason="shorter title")
    html = Client().get(reverse("practices:versions", args=[record.slug])).content.decode()
    assert '<tr id="version-2">' in html and '<tr id="version-1">' in html
    assert html.index('id="version-2"') < html.index('id="version-1"')  # newest first
    assert "shorter title" in html and "first entry" in html and "carla-curator" in html
    assert re.search(r'<input type="radio" name="a" value="1"[^>]*checked', html)
    assert re.search(r'<input type="radio" name="b" value="2"[^>]*checked', html)
    assert f'action="{reverse("practices:diff", args=[record.slug])}"' in html
    assert "Restore this version" not in html  # anonymous


def test_diff_marks_words_and_lists_changed_fields(record: Practice, curator: Any) -> None:
    services.update_practice(
        practice=record, expected_version=1, user=curator, reason="new figures",
        data={"summary": "A help desk answers exporters' questions within one day.", "evidence_level": 3},
    )
    response = Client().get(reverse("practices:diff", args=[record.slug]), {"a": 1, "b": 2})
    assert response.status_code == 200
    html = response.content.decode()
    assert re.findall(r'<tr data-field="([a-z_]+)">', html) == ["summary", "evidence_level"]
    assert "questions within <del>two</del><ins>one</ins> <del>days.</del><ins>day.</ins>" in html
    assert "2 – before and after, without a comparison group" in unescape(html)


def test_diff_asks_for_two_versions_and_404s_on_unknown_ones(record: Practice) -> None:
    client = Client()
    url = reverse("practices:diff", args=[record.slug])
    assert client.get(url, {"a": 1}).status_code == 400
    assert client.get(url, {"a": 1, "b": 9}).status_code == 404


def test_restore_makes_a_new_version_with_the_old_content(record: Practice, curator: Any) -> None:
    services.update_practice(practice=record, data={"title": "A worse title"}, expected_version=1,
                             user=curator, reason="oops")
    client = signed_in(curator)
    versions_html = client.get(reverse("practices:versions", args=[record.slug])).content.decode()
    assert "Restore this version" in versions_html
    url = reverse("practices:restore", args=[record.slug, 1])

    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 400
    assert "Please say why you restore this version" in unescape(refused.content.decode())
    record.refresh_from_db()
    assert record.version == 2

    done = client.post(url, {"reason": "the first title was right"})
    assert done.status_code == 302
    record.refresh_from_db()
    assert (record.version, record.title) == (3, "Export desk for small firms")
    latest = selectors.versions(record)[0]
    assert latest.reason == "restored version 1: the first title was right"
    follow = client.get(done["Location"]).content.decode()
    assert "Version 1 was restored as a new version." in follow
    assert len(selectors.versions(record)) == 3  # nothing deleted


# --- proposals and review ----------------------------------------------------------------------------------


def test_a_contributors_change_waits_for_review_then_is_accepted(
        record: Practice, contributor: Any, curator: Any) -> None:
    outcomes = ('[{"indicator": "Firms that exported", "value": 150, "unit": "firms", "baseline": 80, '
                '"year": 2021, "design": "before_after", "note": "2021 monitoring report"}]')
    response = signed_in(contributor).post(reverse("practices:propose_change", args=[record.slug]),
                                           form_post(record, outcomes=outcomes, reason="2021 figures"))
    assert response.status_code == 302
    assert response["Location"] == reverse("practices:proposal_sent")
    sent = signed_in(contributor).get(response["Location"])
    assert "Your proposal is waiting for review." in sent.content.decode()
    record.refresh_from_db()
    assert record.version == 1 and record.outcomes[0]["value"] == 120  # nothing public changed
    proposal = Proposal.objects.get()
    assert (proposal.kind, proposal.status, proposal.base_version) == ("change", "pending", 1)

    client = signed_in(curator)
    page = client.get(reverse("practices:review"))
    html = page.content.decode()
    assert f'id="proposal-{proposal.pk}"' in html
    assert "omar-contributor" in html and "2021 figures" in html
    assert re.findall(r'<tr data-field="([a-z_]+)">', html) == ["outcomes"]
    assert "<del>120" in html and "<ins>150" in html

    done = client.post(reverse("practices:review"),
                       {"proposal": proposal.pk, "decision": "accept", "note": "thanks"})
    assert done.status_code == 302
    record.refresh_from_db()
    assert (record.version, record.outcomes[0]["value"], record.outcomes[0]["year"]) == (2, 150, 2021)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.review_note, proposal.reviewed_by) == ("accepted", "thanks", curator)
    after = client.get(reverse("practices:review")).content.decode()
    assert "No proposal is waiting for review." in after
    assert "Proposal accepted" in after


def test_a_new_record_proposal_and_a_rejection_needing_a_note(contributor: Any, curator: Any) -> None:
    post = {
        "slug": "kenya-export-desk", "title": "Kenya export desk", "summary": "Advice for first exporters.",
        "countries": "ken", "scope": "national", "start_year": "2019", "instrument": "export_promotion_services",
        "obstacles": ["market_information"], "target_groups": ["small"], "evidence_level": "",
        "outcomes": "", "sources": "", "reason": "seen at the 2024 workshop", "title_fr": "Guichet export Kenya",
    }
    response = signed_in(contributor).post(reverse("practices:propose_new"), post)
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.kind == "new"
    assert proposal.data["id"] == "kenya-export-desk" and proposal.data["countries"] == ["KEN"]
    assert proposal.data["translations"] == {"fr": {"title": "Guichet export Kenya"}}
    assert selectors.practice_get("kenya-export-desk", include_unpublished=True) is None

    client = signed_in(curator)
    review = client.get(reverse("practices:review")).content.decode()
    assert "New record: “Kenya export desk”" in unescape(review)

    no_note = client.post(reverse("practices:review"), {"proposal": proposal.pk, "decision": "reject", "note": ""})
    assert no_note.status_code == 400
    assert "Please tell the contributor why the proposal is rejected." in unescape(no_note.content.decode())
    proposal.refresh_from_db()
    assert proposal.status == "pending"

    client.post(reverse("practices:review"), {"proposal": proposal.pk, "decision": "reject",
                                              "note": "no source yet"})
    proposal.refresh_from_db()
    assert (proposal.status, proposal.review_note) == ("rejected", "no source yet")
    assert selectors.practice_get("kenya-export-desk", include_unpublished=True) is None


def test_accepting_a_new_record_publishes_it(contributor: Any, curator: Any) -> None:
    data = {**RECORD, "id": "proposed-desk", "title": "Proposed desk"}
    proposal = services.propose_new(data=data, user=contributor, reason="new")
    signed_in(curator).post(reverse("practices:review"), {"proposal": proposal.pk, "decision": "accept"})
    practice = selectors.practice_get("proposed-desk")
    assert practice is not None and practice.status == "published"
    assert Client().get(reverse("practices:versions", args=["proposed-desk"])).status_code == 200


def test_a_stale_proposal_becomes_a_conflict(record: Practice, contributor: Any, curator: Any) -> None:
    proposal = services.propose_change(practice=record, data={"title": "From version 1"}, base_version=1,
                                       user=contributor, reason="title")
    services.update_practice(practice=record, data={"summary": "Changed meanwhile."}, expected_version=1,
                             user=curator, reason="meanwhile")
    client = signed_in(curator)
    page = client.get(reverse("practices:review")).content.decode()
    assert "This proposal was made from version 1; the record is now at version 2." in page
    response = client.post(reverse("practices:review"), {"proposal": proposal.pk, "decision": "accept"},
                           follow=True)
    assert "It is marked as a conflict" in response.content.decode()
    record.refresh_from_db()
    assert (record.version, record.title) == (2, "Export desk for small firms")
    proposal.refresh_from_db()
    assert proposal.status == "conflict"


def test_proposing_a_used_identifier_names_the_field(record: Practice, contributor: Any) -> None:
    post = {"slug": record.slug, "title": "Duplicate", "countries": "PER", "scope": "national",
            "instrument": "other", "reason": "dup"}
    response = signed_in(contributor).post(reverse("practices:propose_new"), post)
    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert re.search(r'id="id_slug_error"><li>id: .test-export-desk. is already a practice', html)
    assert Proposal.objects.count() == 0


def test_pages_speak_french(record: Practice, curator: Any) -> None:
    response = signed_in(curator).get("/fr" + reverse("practices:edit", args=[record.slug]))
    assert response.status_code == 200
    assert '<html lang="fr">' in response.content.decode()
    assert 'action="/fr/practices/test-export-desk/edit/"' in response.content.decode()


def test_the_record_page_links_to_its_versions(record: Practice) -> None:
    html = Client().get(reverse("practices:practice_detail", args=[record.slug])).content.decode()
    versions = reverse("practices:versions", args=[record.slug])
    assert f'href="{versions}" id="versions-link"' in html
    assert Client().get(versions).status_code == 200
