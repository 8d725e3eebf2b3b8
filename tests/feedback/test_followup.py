"""Private follow-up links: signed tokens naming survey, country and sector only; the page they open (country
view plus the sector's published figures, never one firm's answers); and the operator's CSV of links."""

from __future__ import annotations

import csv
import io
import re

import pytest
from click.testing import CliRunner
from django.core import signing
from tests.feedback.test_actions import SLUG, _record, _section, _submit, make_responses

from msmelens.cli.main import cli
from msmelens.feedback import followup, results, services


def test_token_round_trip_names_only_survey_country_and_sector(db, default_survey):
    token = followup.make_token(survey=default_survey, country="per", sector="C")
    assert followup.read_token(token) == followup.FollowupTarget(survey=SLUG, country="PER", sector="C")
    payload = signing.Signer(salt=followup.SALT).unsign_object(token)
    assert payload == {"s": SLUG, "c": "PER", "k": "C"}  # no response id, no contact detail
    assert followup.make_token(survey=default_survey, country="PER", sector="C") == token  # same for every firm


@pytest.mark.parametrize(
    "make",
    [
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # signature changed
        lambda t: signing.Signer(salt="another.salt").sign_object({"s": SLUG, "c": "KEN", "k": "C"}),  # another purpose
        lambda t: signing.Signer(salt=followup.SALT).sign_object({"s": SLUG, "c": "KEN"}),  # incomplete payload
        lambda t: "not-a-token",
    ],
)
def test_bad_tokens_are_refused(db, default_survey, make):
    token = followup.make_token(survey=default_survey, country="PER", sector="C")
    with pytest.raises(followup.BadToken):
        followup.read_token(make(token))


@pytest.mark.parametrize("prefix", ["", "/fr", "/es"])
def test_followup_page_shows_country_and_sector_aggregates(sample_db, default_survey, client, prefix):
    make_responses(default_survey)
    _record(default_survey, title="Single window for small exporters")
    path = followup.link_path(survey=default_survey, country="PER", sector="C")
    assert path.startswith(f"/surveys/{SLUG}/followup/")
    response = client.get(prefix + path)
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow" and response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert 'id="sector"' in html and 'id="country"' in html
    table = results.survey_results(survey=default_survey, by=["country", "sector"])
    sector_cells = {c.category: c for c in table.cells if c.group == {"country": "PER", "sector": "C"}}
    finance = sector_cells["finance"]
    assert finance.status in ("shown", "flagged")
    sector_part = html[html.index('id="sector"'):html.index('id="country"')]
    assert f"{finance.share_major * 100:.0f}%" in _section(sector_part, "finance")
    assert "Single window for small exporters" in html[html.index('id="country"'):]  # the actions, country-wide
    assert "Single window" not in sector_part  # the sector part carries figures only


def test_followup_page_of_a_small_sector_shows_no_figure(sample_db, default_survey, client):
    make_responses(default_survey)
    table = results.survey_results(survey=default_survey, by=["country", "sector"])
    assert all(c.status == "suppressed" for c in table.cells if c.group == {"country": "PER", "sector": "A"})
    html = client.get(followup.link_path(survey=default_survey, country="PER", sector="A")).content.decode()
    sector_part = html[html.index('id="sector"'):html.index('id="country"')]
    sections = re.findall(r'<section class="obstacle".*?</section>', sector_part, re.S)
    assert sections and all("Not enough answers to show." in s for s in sections)
    assert not any("%" in s or "<svg" in s for s in sections)
    assert "you told us" not in html.lower() and "your biggest" not in html.lower()  # nothing about one firm


def test_tampered_or_foreign_token_is_404(db, default_survey, client):
    token = followup.make_token(survey=default_survey, country="PER", sector="C")
    assert client.get(f"/surveys/{SLUG}/followup/{token[:-2]}xx/").status_code == 404
    assert client.get(f"/surveys/{SLUG}/followup/nonsense/").status_code == 404
    foreign = signing.Signer(salt=followup.SALT).sign_object({"s": "other-survey", "c": "PER", "k": "C"})
    assert client.get(f"/surveys/{SLUG}/followup/{foreign}/").status_code == 404  # signed for another survey
    unknown = signing.Signer(salt=followup.SALT).sign_object({"s": SLUG, "c": "XXX", "k": "C"})
    assert client.get(f"/surveys/{SLUG}/followup/{unknown}/").status_code == 404


def test_followup_links_csv_lists_consenting_firms_with_an_email(db, default_survey, tmp_path):
    wave = services.add_wave(survey=default_survey, name="w", starts_on=services.timezone.localdate())
    _submit(default_survey, "uuid:a", wave, consent_followup="yes", contact_email="ana@example.org", sector="C")
    _submit(default_survey, "uuid:b", wave, consent_followup="yes", contact_email="bo@example.org",
            country="KEN", sector="A")
    _submit(default_survey, "uuid:c", wave, consent_followup="yes", contact_email="cy@example.org")
    _submit(default_survey, "uuid:d", wave, consent_followup="no")
    _submit(default_survey, "uuid:e", wave, consent_followup="yes", contact_phone="+51 1 555 0100")
    assert services.erase_contact(email="cy@example.org") == 1  # erased on request: no link any more

    out = tmp_path / "links.csv"
    result = CliRunner().invoke(cli, ["feedback", "followup-links", "--survey", SLUG, "--output", str(out),
                                      "--base-url", "https://lens.example.org/"])
    assert result.exit_code == 0 and "Wrote 2 follow-up links" in result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [(r["email"], r["country"], r["sector"]) for r in rows] == [
        ("ana@example.org", "PER", "C"), ("bo@example.org", "KEN", "A")]
    for row in rows:
        assert row["link"].startswith(f"https://lens.example.org/surveys/{SLUG}/followup/")
        token = row["link"].rstrip("/").rsplit("/", 1)[1]
        target = followup.read_token(token)
        assert (target.country, target.sector) == (row["country"], row["sector"])
        assert "uuid:" not in signing.b64_decode(token.split(":")[0].encode()).decode()
