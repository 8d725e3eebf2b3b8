"""The web form at /surveys/<slug>/: page by page through the real default survey, with Django's test client
over the real database (SQLite or PostgreSQL), in English, French and Spanish."""

from __future__ import annotations

import html as htmllib
import json
import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from tests.feedback.conftest import valid_answers

from msmelens.feedback import selectors, services, web_form
from msmelens.feedback.answers import check_answers
from msmelens.feedback.models import ContactDetail, Response

SLUG = "msme-trade-obstacles"
URL = f"/surveys/{SLUG}/"
THANKS = f"/surveys/{SLUG}/thanks/"
SKILLS_PAGE_EN = "More about: Skills and know-how"


def hidden(page: str, name: str) -> str:
    match = re.search(rf'<input type="hidden" name="{name}" value="([^"]*)">', page)
    assert match, f"no hidden field {name}"
    return htmllib.unescape(match.group(1))


def title(page: str) -> str:
    match = re.search(r"<h1>(.*?)</h1>", page, re.S)
    assert match
    return htmllib.unescape(match.group(1).strip())


def page_data(page: str, answers: dict[str, Any], action: str | None = None) -> dict[str, Any]:
    """What a browser posts for the page on screen, given the answers the person wants to give."""
    shown = hidden(page, "_shown").split()
    if action is None:
        action = "submit" if 'name="_action" value="submit"' in page else "next"
    data: dict[str, Any] = {
        "_page": hidden(page, "_page"),
        "_shown": " ".join(shown),
        "_draft": hidden(page, "_draft"),
        "_action": action,
    }
    for name in shown:
        if name in answers:
            value = answers[name]
            data[name] = [str(v) for v in value] if isinstance(value, list) else str(value)
    return data


def walk(client: Client, answers: dict[str, Any], prefix: str = "") -> tuple[list[str], str]:
    """Answer the survey page by page until the thank-you page; the pages seen and the thank-you page."""
    url = prefix + URL
    response = client.get(url)
    seen: list[str] = []
    for _ in range(60):
        assert response.status_code == 200, response.status_code
        page = response.content.decode()
        seen.append(page)
        posted = client.post(url, page_data(page, answers))
        if posted.status_code == 303:
            location = posted["Location"]
            if location.endswith("/thanks/"):
                assert location == prefix + THANKS
                thanks = client.get(location)
                assert thanks.status_code == 200
                return seen, thanks.content.decode()
            assert location == url
            response = client.get(location)
        else:  # the same page again: only acceptable when questions appeared on it
            body = posted.content.decode()
            assert 'id="problems"' not in body, re.findall(r'class="field-error"[^>]*>([^<]*)', body)
            response = posted
    raise AssertionError("the survey did not end")


def advance(client: Client, page: str, answers: dict[str, Any], url: str = URL, action: str | None = None) -> str:
    """Post the page on screen and return the page shown next (the same one when questions appeared on it)."""
    posted = client.post(url, page_data(page, answers, action))
    if posted.status_code == 200:
        body = posted.content.decode()
        assert "More questions appeared" in body and 'id="problems"' not in body
        return body
    assert posted.status_code == 303 and posted["Location"] == url
    return client.get(url).content.decode()


def go_to(client: Client, wanted: str, answers: dict[str, Any], url: str = URL) -> str:
    """Answer pages until the page titled ``wanted``."""
    page = client.get(url).content.decode()
    for _ in range(40):
        if title(page) == wanted:
            return page
        page = advance(client, page, answers, url)
    raise AssertionError(f"never reached {wanted}")


def spec_of(survey):  # type: ignore[no-untyped-def]
    return selectors.form_spec(selectors.current_form(survey))


# --- walking the whole survey --------------------------------------------------------------------------------


def test_walk_the_whole_survey_in_english_stores_one_normalised_web_response(default_survey, client):
    answers = valid_answers()
    seen, thanks = walk(client, answers)
    titles = [title(p) for p in seen]
    assert titles[0] == "About your firm"
    assert titles[-1] == "Last questions"
    # every obstacle rated 1 or more opens its page of items (8), plus the 8 fixed pages
    assert len(set(titles)) == 16 and SKILLS_PAGE_EN in titles
    # answering "partly" brings the question on SME provisions onto the same page, shown again
    assert titles.count("Trade agreements") == 2
    assert "aware_sme_provisions" not in seen[titles.index("Trade agreements")]
    assert 'name="aware_sme_provisions"' in seen[titles.index("Trade agreements") + 1]
    assert "Page 1 of 16" in seen[0] and "Page 16 of 16" in seen[-1]
    assert 'value="submit"' in seen[-1] and 'value="submit"' not in seen[0]
    assert not any("Welcome back" in p for p in seen)  # moving on is no return
    assert "Thank you" in thanks and "Your answers have been received." in thanks

    stored = list(Response.objects.filter(survey=default_survey))
    assert len(stored) == 1
    response = stored[0]
    expected = check_answers(spec_of(default_survey), answers, strict=False).answers
    assert response.answers == expected
    assert response.answers["employees"] == 12 and response.answers["size_class"] == "small"
    assert response.answers["markets"] == ["KOR", "NPL"]
    assert response.channel == "web" and response.language == "en" and response.raw_format == "json"
    assert response.instance_id.startswith("uuid:") and len(response.instance_id) == 41
    raw = json.loads(response.raw)
    assert raw["employees"] == "12" and raw["markets"] == ["KOR", "NPL"]
    assert response.payload_hash == services.canonical_hash(raw)
    assert response.submitted_by is None
    assert not ContactDetail.objects.filter(response=response).exists()
    # the draft is gone: the form starts again empty
    fresh = client.get(URL).content.decode()
    assert title(fresh) == "About your firm" and "Welcome back" not in fresh
    assert hidden(fresh, "_draft") != response.instance_id


def test_walk_the_whole_survey_in_french_shows_french_labels(default_survey, client):
    seen, thanks = walk(client, valid_answers(), prefix="/fr")
    first = seen[0]
    assert '<html lang="fr">' in first
    assert "Dans quel pays votre entreprise est-elle" in first
    assert "Page 1 sur 16" in first and ">Suivante</button>" in first
    assert '<option value="PER">Pérou</option>' in first
    assert title(first) == "Votre entreprise"
    assert "Compétences et savoir-faire" in seen[3] and "0 – Aucun obstacle" in seen[3]
    assert ">Précédente</button>" in seen[3]
    assert ">Envoyer</button>" in seen[-1]
    assert "Merci" in thanks
    response = Response.objects.get(survey=default_survey)
    assert response.language == "fr" and response.channel == "web"
    assert response.answers["country"] == "PER"


def test_spanish_pages_and_controls(default_survey, client):
    page = client.get("/es/" + URL.lstrip("/")).content.decode()
    assert "Página 1 de 16" in page and ">Siguiente</button>" in page
    assert title(page) == "Su empresa"


# --- controls ------------------------------------------------------------------------------------------------


def test_controls_suit_the_questions(default_survey, client):
    first = client.get(URL).content.decode()
    # 249 countries: a drop-down list with an empty first choice
    assert re.search(r'<select name="country" id="q-country">\s*<option value="">Choose…</option>', first)
    assert re.search(r'<input name="employees" id="q-employees" value="" type="text" inputmode="numeric"', first)
    answers = valid_answers()
    client.post(URL, page_data(first, answers))
    people = client.get(URL).content.decode()
    client.post(URL, page_data(people, answers))
    trade = client.get(URL).content.decode()
    assert title(trade) == "Your trade"
    # two choices: radio buttons; ~250 markets: a multi-select list with its help text
    assert trade.count('type="radio" name="exporter"') == 2
    assert '<select name="markets" id="q-markets" multiple size="10"' in trade
    assert "hold Ctrl (Cmd on a Mac)" in trade and "Choose up to 10 countries." in trade


def test_closing_page_has_a_textarea_and_contact_fields_only_after_consent(default_survey, client):
    answers = valid_answers(consent_followup="yes", contact_email="owner@example.org", comment="Slow customs.")
    url = URL
    page = go_to(client, "Last questions", answers)
    assert '<textarea name="comment" id="q-comment"' in page
    assert "contact_email" not in page and "kept apart from your answers" not in page
    # saying yes brings the contact questions onto the same page, with the privacy line, and stores nothing yet
    again = client.post(url, page_data(page, answers))
    assert again.status_code == 200
    body = again.content.decode()
    assert "More questions appeared on this page" in body
    assert 'type="email" autocomplete="email"' in body and 'name="contact_phone"' in body
    assert "kept apart from your answers" in body and "never published" in body
    assert Response.objects.count() == 0
    done = client.post(url, page_data(body, answers))
    assert done.status_code == 303 and done["Location"] == THANKS
    response = Response.objects.get(survey=default_survey)
    assert "contact_email" not in response.answers and response.answers["comment"] == "Slow customs."
    assert response.answers["consent_followup"] == "yes"
    assert ContactDetail.objects.get(response=response).email == "owner@example.org"


# --- problems ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prefix", "message"),
    [
        ("", "This question needs an answer."),
        ("/fr", "Cette question demande une réponse."),
        ("/es", "Esta pregunta necesita una respuesta."),
    ],
)
def test_required_answer_missing_shows_the_problem_in_the_page_language(default_survey, client, prefix, message):
    url = prefix + URL
    page = client.get(url).content.decode()
    data = page_data(page, valid_answers(country=None, employees="12", year_started="abc"))
    response = client.post(url, data)
    assert response.status_code == 200
    body = response.content.decode()
    # next to its field, and in the summary at the top linking to it
    assert re.search(rf'<p class="field-error" id="q-country-error">{re.escape(message)}</p>', body)
    assert 'href="#q-country"' in body and 'id="problems"' in body
    assert 'aria-describedby="q-country-error" aria-invalid="true"' in body
    # what the person typed is kept, the wrong number included, with its own problem
    assert 'name="employees" id="q-employees" value="12"' in body
    assert 'name="year_started" id="q-year_started" value="abc"' in body
    assert re.search(r'id="q-year_started-error">[^<]+12', body)
    assert title(body) == title(page)  # still the first page
    assert Response.objects.count() == 0
    # and the page stays where it is when reloaded
    assert title(client.get(url).content.decode()) == title(page)


def test_constraint_problem_on_a_later_page(default_survey, client):
    answers = valid_answers(markets=["KOR", "NPL", "PER", "CHL", "MEX", "USA", "CAN", "BRA", "ARG", "COL", "ECU"])
    page = go_to(client, "Your trade", answers)
    response = client.post(URL, page_data(page, answers))
    assert response.status_code == 200
    assert 'id="q-markets-error"' in response.content.decode()
    # the eleven choices stay selected
    markets = response.content.decode().split('<select name="markets"')[1].split("</select>")[0]
    assert markets.count(" selected>") == 11


# --- relevance -----------------------------------------------------------------------------------------------


def test_pages_of_obstacles_rated_zero_are_skipped(default_survey, client):
    answers = valid_answers(obstacle_skills="0", obstacle_finance="dk")
    seen, _thanks = walk(client, answers)
    titles = [title(p) for p in seen]
    assert SKILLS_PAGE_EN not in titles and "More about: Access to finance and payments" not in titles
    assert "More about: Customs and border procedures" in titles
    assert len(set(titles)) == 14 and "Page 14 of 14" in seen[-1]
    assert Response.objects.get(survey=default_survey).answers["obstacle_skills"] == "0"


def test_answers_on_a_page_that_stopped_being_relevant_are_not_sent(default_survey, client):
    answers = valid_answers(obstacle_skills="2", item_skills_staff="3")
    page = go_to(client, SKILLS_PAGE_EN, answers)
    assert client.post(URL, page_data(page, answers)).status_code == 303  # item_skills_staff saved
    # back to the ratings, change skills to "no obstacle"
    page = client.get(URL).content.decode()
    while title(page) != "How much does each of these hold back your trade?":
        page = advance(client, page, answers, action="previous")
    answers["obstacle_skills"] = "0"
    assert client.post(URL, page_data(page, answers)).status_code == 303
    assert title(client.get(URL).content.decode()) == "More about: Information on foreign markets and their rules"
    walk(client, answers)
    response = Response.objects.get(survey=default_survey)
    assert "item_skills_staff" not in response.answers and "item_skills_staff" not in response.raw
    assert response.answers["obstacle_skills"] == "0"


# --- resuming ------------------------------------------------------------------------------------------------


def test_closing_the_tab_and_coming_back_resumes_at_the_same_page_with_the_values(default_survey, client):
    answers = valid_answers()
    for _ in range(3):  # firm, people, trade
        page = client.get(URL).content.decode()
        assert client.post(URL, page_data(page, answers)).status_code == 303
    assert "Welcome back" not in client.get(URL).content.decode()  # page 4 seen, then the tab is closed
    cookie = client.cookies["sessionid"].value
    # a new browser tab (no state but the session cookie)
    later = Client()
    later.cookies["sessionid"] = cookie
    page = later.get(URL).content.decode()
    assert title(page) == "How much does each of these hold back your trade?"
    assert "Welcome back" in page and "Page 4 of 16" in page
    assert ">Start again</button>" in page
    # the earlier values are there when going back
    back = later.post(URL, page_data(page, {}, action="previous"))
    assert back.status_code == 303
    trade = later.get(URL).content.decode()
    assert title(trade) == "Your trade"
    assert 'name="exporter" id="q-exporter-0" value="yes" checked' in trade
    assert '<option value="KOR" selected>' in trade and '<option value="NPL" selected>' in trade
    # the list says the survey was started
    listing = later.get("/surveys/").content.decode()
    assert "You have started this survey in this browser." in listing and ">Carry on<" in listing
    # Start again clears the answers
    assert later.post(URL, {"_action": "restart"}).status_code == 303
    fresh = later.get(URL).content.decode()
    assert title(fresh) == "About your firm" and 'value="PER" selected' not in fresh
    assert Response.objects.count() == 0


def test_draft_is_kept_in_the_database_session(default_survey, client):
    page = client.get(URL).content.decode()
    client.post(URL, page_data(page, valid_answers(employees="7")))
    store = SessionStore(session_key=client.cookies["sessionid"].value)
    draft = web_form.load_draft(store, SLUG)
    assert draft.saved and draft.page == 1
    assert draft.answers["employees"] == "7" and draft.answers["country"] == "PER"
    assert re.fullmatch(r"uuid:[0-9a-f-]{36}", draft.instance_id)
    # the id stays with the draft from page to page
    client.post(URL, page_data(client.get(URL).content.decode(), valid_answers()))
    assert web_form.load_draft(SessionStore(session_key=store.session_key), SLUG).instance_id == draft.instance_id


# --- storing once --------------------------------------------------------------------------------------------


def test_submitting_twice_stores_once(default_survey, client):
    answers = valid_answers()
    page = go_to(client, "Last questions", answers)
    final = page_data(page, answers)
    first = client.post(URL, final)
    second = client.post(URL, final)  # the double click, or Submit again from the page the browser kept
    assert first.status_code == second.status_code == 303
    assert first["Location"] == second["Location"] == THANKS
    assert Response.objects.filter(survey=default_survey).count() == 1


def test_two_requests_carrying_the_same_draft_store_once(default_survey, client):
    """Two submits racing with the same draft (before either cleared it) share the draft's instance id."""
    answers = valid_answers()
    page = go_to(client, "Last questions", answers)
    copy = SessionStore()
    copy.update(SessionStore(session_key=client.cookies["sessionid"].value).load())
    copy.create()
    other = Client()
    other.cookies["sessionid"] = copy.session_key
    final = page_data(page, answers)
    assert client.post(URL, final)["Location"] == THANKS
    assert other.post(URL, final)["Location"] == THANKS
    stored = Response.objects.filter(survey=default_survey)
    assert stored.count() == 1 and stored.get().instance_id == final["_draft"]


def test_rate_limit_refuses_with_a_plain_page_and_keeps_the_draft(default_survey, client, settings):
    settings.MSMELENS_SUBMISSION_RATE = "1/h"
    walk(client, valid_answers())
    answers = valid_answers(country="CHL")
    page = go_to(client, "Last questions", answers)
    refused = client.post(URL, page_data(page, answers))
    assert refused.status_code == 429
    assert "Your answers are kept" in refused.content.decode()
    assert Response.objects.count() == 1
    assert title(client.get(URL).content.decode()) == "Last questions"


# --- access --------------------------------------------------------------------------------------------------


def test_restricted_survey_refuses_anonymous_visitors_and_accepts_its_collectors(default_survey, client):
    services.set_survey_access(survey=default_survey, access="restricted")
    refused = client.get(URL)
    assert refused.status_code == 403
    assert "registered field teams" in refused.content.decode()
    assert client.post(URL, {"_page": "0", "_shown": "country", "country": "PER"}).status_code == 403
    assert "msme-trade-obstacles" not in client.get("/surveys/").content.decode().split("<main", 1)[1].split(
        "</main>"
    )[0]
    french = client.get("/fr" + URL)
    assert french.status_code == 403 and "équipes de terrain" in french.content.decode()
    assert Response.objects.count() == 0

    stranger = get_user_model().objects.create_user("stranger", password="x")
    client.force_login(stranger)
    assert client.get(URL).status_code == 403
    collector, _key = services.add_collector(username="field1", survey=default_survey)
    client.force_login(collector)
    assert client.get(URL).status_code == 200
    walk(client, valid_answers())
    response = Response.objects.get(survey=default_survey)
    assert response.submitted_by == collector


def test_unknown_survey_is_404(db, client):
    assert client.get("/surveys/no-such-survey/").status_code == 404


# --- the list and the navigation -----------------------------------------------------------------------------


def test_survey_list_links_to_the_default_survey(default_survey, client):
    response = client.get("/surveys/")
    assert response.status_code == 200
    body = response.content.decode()
    assert f'href="{URL}"' in body and "Obstacles to trade for small businesses" in body and ">Start<" in body
    french = client.get("/fr/surveys/").content.decode()
    assert f'href="/fr{URL}"' in french
    assert "Obstacles au commerce des petites entreprises" in french  # the form's title in the page's language
    spanish_page = client.get(f"/es{URL}").content.decode()
    assert "Obstáculos al comercio de las pequeñas empresas" in spanish_page


def test_every_page_links_to_the_default_survey(default_survey, client):
    body = client.get("/analyze/").content.decode()
    assert f'<a href="{URL}">Report obstacles</a>' in body
    assert f'<a href="/es{URL}">Informar de obstáculos</a>' in client.get("/es/analyze/").content.decode()
    form = client.get(URL).content.decode()
    assert f'<a href="{URL}" aria-current="page">Report obstacles</a>' in form


# --- the page logic on its own -------------------------------------------------------------------------------


def test_relevant_pages_and_navigation(default_survey):
    spec = spec_of(default_survey)
    names = [p.name for p in spec.pages]
    values = web_form.known_values(spec, valid_answers(obstacle_skills="0", obstacle_finance="dk"))
    pages = web_form.relevant_pages(spec, values)
    assert names.index("items_skills") not in pages and names.index("items_finance") not in pages
    assert names.index("items_digital") in pages
    obstacles = names.index("obstacles")
    assert web_form.next_page(spec, obstacles, values) == names.index("items_market_information")
    assert web_form.previous_page(spec, names.index("items_market_information"), values) == obstacles
    assert web_form.next_page(spec, len(names) - 1, values) is None
    # nothing answered: undecided item pages still count in the total
    assert web_form.progress(spec, 0, {}) == (1, 16)
    assert web_form.progress(spec, obstacles, values) == (4, 14)


def test_check_page_judges_only_the_page(default_survey):
    spec = spec_of(default_survey)
    problems = web_form.check_page(spec, {"country": "PER"}, ["country", "sector", "employees"], "fr")
    assert {p.name for p in problems} == {"sector", "employees"}
    assert all(p.message == "Cette question demande une réponse." for p in problems)
