"""The results pages (/surveys/<slug>/results/ and /results/<ISO3>/) through Django's test client, on the real
database: three languages, figures only where disclosure control allows them, the "show the figures" tables,
the change between waves, and plain messages for bad requests."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from typing import Any

import pytest
from tests.feedback.conftest import valid_answers

from msmelens.feedback import services
from msmelens.feedback.simulate import simulate_responses
from msmelens.lens.taxonomy import CATEGORIES

URL = "/surveys/msme-trade-obstacles/results/"
UTC = dt.UTC


def _submit(survey: Any, instance_id: str, *, wave: Any = None, when: dt.datetime | None = None,
            **changes: Any) -> None:
    answers = valid_answers(**changes)
    outcome = services.submit_response(
        survey=survey,
        instance_id=instance_id,
        answers=answers,
        raw=json.dumps(answers),
        raw_format="json",
        channel="api",
        payload_hash=services.canonical_hash(answers),
        wave=wave,
        received_at=when,
    )
    assert outcome.status == "created", outcome


def _firms(survey: Any, country: str, n: int, every: int, *, prefix: str = "", wave: Any = None,
           when: dt.datetime | None = None) -> None:
    """``n`` firms of ``country``: one in ``every`` rates each obstacle 4 (very severe), the others 1."""
    for i in range(n):
        rating = "4" if i % every == 0 else "1"
        ratings = {f"obstacle_{key}": rating for key in CATEGORIES}
        _submit(survey, f"uuid:{prefix}{country}-{i}", wave=wave, when=when, country=country,
                item_customs_time=rating, **ratings)


@pytest.fixture
def three_countries(default_survey):  # type: ignore[no-untyped-def]
    """Peru 100 firms (half rate every obstacle very severe), Colombia 80 (a quarter), Kenya 3 (all of them:
    a group far too small to publish)."""
    _firms(default_survey, "PER", 100, 2)
    _firms(default_survey, "COL", 80, 4)
    _firms(default_survey, "KEN", 3, 1)
    return default_survey


def _section(page: str, marker: str, end: str) -> str:
    start = page.index(marker)
    return page[start:page.index(end, start)]


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", fragment))


def _figures_only(fragment: str) -> str:
    """The text of table rows without the reasons (which name thresholds such as "fewer than 5 answers")."""
    return _text(re.sub(r'<br><span class="muted">[^<]*</span>', "", fragment))


def _figures_row(fragment: str, key: str) -> str:
    match = re.search(rf'<tr class="[a-z]+" data-key="{key}">(.*?)</tr>', fragment, re.S)
    assert match, f"no figures row for {key}"
    return match.group(1)


@pytest.mark.parametrize(
    ("prefix", "heading", "border", "switch", "responses"),
    [
        ("", "Obstacle ranking", "Border procedures", "Show the figures", "<b>183</b> responses"),
        ("/fr", "Classement des obstacles", "Procédures aux frontières", "Afficher les chiffres",
         "<b>183</b> réponses"),
        ("/es", "Clasificación de los obstáculos", "Procedimientos en frontera", "Mostrar las cifras",
         "<b>183</b> respuestas"),
    ],
)
def test_the_page_speaks_three_languages(client, three_countries, prefix, heading, border, switch,  # type: ignore[no-untyped-def]
                                         responses) -> None:
    response = client.get(prefix + URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert f"<h2 id=\"ranking\">{heading}</h2>" in page
    assert border in page
    assert switch in page
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page and "<title id=" in page and "<desc id=" in page
    assert responses in _section(page, 'id="summary"', "</ul>")  # responses counted, said in the header
    assert 'id="synthetic-banner"' not in page


def test_overall_figures_are_in_the_switch_table_and_chart(client, three_countries) -> None:  # type: ignore[no-untyped-def]
    page = client.get(URL).content.decode()
    ranking = _section(page, 'id="ranking"', "</section>")
    row = _text(_figures_row(ranking, "border_procedures"))
    # 50 + 20 + 3 of 183 firms rate it very severe: 40%
    assert "40%" in row and "183" in row
    assert "<details" in ranking and "<summary>Show the figures</summary>" in ranking
    assert 'data-key="border_procedures"' in ranking
    bar = re.search(r'data-key="border_procedures">.*?class="bar"[^>]*data-value="([0-9.]+)"', ranking, re.S)
    assert bar and float(bar.group(1)) == pytest.approx(73 / 183, abs=1e-4)


def test_a_suppressed_group_shows_no_figure_in_table_or_chart(client, three_countries) -> None:  # type: ignore[no-untyped-def]
    response = client.get(URL, {"by": "country"})
    assert response.status_code == 200
    page = response.content.decode()
    groups = _section(page, 'id="groups"', "</section>")
    kenya = _section(groups, '<tbody data-group="KEN">', "</tbody>")
    assert "Kenya" in _text(kenya)
    assert "fewer than 5 answers" in kenya  # the reason, translated from the results' own
    text = _figures_only(kenya.split("</tr>", 1)[1])  # the rows below the group's name
    assert "Not shown (too few answers)" in text and "Border procedures" in text
    assert re.search(r"\d", text) is None  # no share, no interval, no n: not a single digit
    assert "100%" not in kenya
    svg_row = _section(groups, '<g class="row" data-key="KEN">', "</g>")
    assert "data-value" not in svg_row and "%" not in _text(svg_row)
    assert re.search(r"\d", _text(svg_row)) is None
    peru = _section(groups, '<tbody data-group="PER">', "</tbody>")
    row = _text(_figures_row(peru, "border_procedures"))
    assert "50%" in row and "100" in row  # Peru's own figures are published
    assert 'href="/surveys/msme-trade-obstacles/results/PER/"' in groups  # the country name links its page


def test_country_page_and_a_country_without_shown_figures(client, three_countries) -> None:  # type: ignore[no-untyped-def]
    page = client.get(URL + "PER/").content.decode()
    assert "Peru" in page and 'id="nothing-shown"' not in page
    row = _text(_figures_row(_section(page, 'id="ranking"', "</section>"), "border_procedures"))
    assert "50%" in row and "100" in row
    by_size = client.get(URL + "PER/", {"by": "size_class"}).content.decode()
    assert 'data-group="small"' in by_size and "Small (10–49 employees)" in by_size
    assert '<option value="country"' not in by_size  # within a country, no breakdown by country
    kenya = client.get(URL + "ken/")
    assert kenya.status_code == 200
    body = kenya.content.decode()
    assert 'id="nothing-shown"' in body and "Too few firms in Kenya" in body
    ranking = _section(body, 'id="ranking"', "</section>")
    assert 'class="bar"' not in ranking and "data-value" not in ranking
    assert ranking.count('class="not-shown"') == len(CATEGORIES)
    assert re.search(r"\d", _figures_only(_section(ranking, "<tbody>", "</tbody>"))) is None


def test_change_between_waves_appears_with_two_waves(client, default_survey) -> None:  # type: ignore[no-untyped-def]
    first = services.add_wave(survey=default_survey, name="2025-1", starts_on=dt.date(2025, 1, 1),
                              ends_on=dt.date(2025, 6, 30))
    _firms(default_survey, "PER", 100, 4, prefix="a", wave=first, when=dt.datetime(2025, 3, 1, tzinfo=UTC))
    page = client.get(URL).content.decode()
    assert 'id="changes"' not in page  # one wave: nothing to compare
    second = services.add_wave(survey=default_survey, name="2025-2", starts_on=dt.date(2025, 7, 1),
                               ends_on=dt.date(2025, 12, 31))
    _firms(default_survey, "PER", 100, 2, prefix="b", wave=second, when=dt.datetime(2025, 9, 1, tzinfo=UTC))
    page = client.get(URL).content.decode()
    changes = _section(page, 'id="changes"', "</section>")
    assert "2025-1" in changes and "2025-2" in changes
    assert "results-chart change-bars" in changes
    row = _text(_figures_row(changes, "border_procedures"))
    assert "25%" in row and "50%" in row and "+25 pts" in row and "clearly up" in row
    fr = client.get("/fr" + URL).content.decode()
    assert "Évolution entre les vagues" in fr and "nettement en hausse" in fr
    one_wave = client.get(URL, {"wave": "2025-2"}).content.decode()
    assert "<b>2025-2</b>" in one_wave and "<b>100</b>" in one_wave


def test_synthetic_responses_only_on_request_with_a_banner(client, default_survey) -> None:  # type: ignore[no-untyped-def]
    simulate_responses(survey=default_survey, n=40, seed=3)
    plain = client.get(URL).content.decode()
    assert 'id="synthetic-banner"' not in plain and 'id="nothing-shown"' in plain
    demo = client.get(URL, {"synthetic": "1"}).content.decode()
    assert 'id="synthetic-banner"' in demo and "<b>40</b>" in demo
    es = client.get("/es" + URL, {"synthetic": "1"}).content.decode()
    assert "Incluye datos de demostración." in es


@pytest.mark.parametrize(
    ("path", "params", "status", "message"),
    [
        (URL, {"by": "shoe_size"}, 400, "Results cannot be broken down by “shoe_size”"),
        (URL, {"wave": "1999-9"}, 404, "This survey has no wave called “1999-9”"),
        (URL + "XXX/", {}, 404, "“XXX” is not a country code we know"),
        (URL + "PER/", {"by": "country"}, 400, "Results cannot be broken down by “country”"),
        ("/surveys/no-such-survey/results/", {}, 404, "There is no survey at this address"),
    ],
)
def test_bad_requests_get_a_plain_message(client, default_survey, path, params, status, message) -> None:  # type: ignore[no-untyped-def]
    response = client.get(path, params)
    assert response.status_code == status
    assert message in html.unescape(response.content.decode())
    assert "Traceback" not in response.content.decode()


def test_bad_request_message_in_french(client, default_survey) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/fr" + URL, {"by": "shoe_size"})
    assert response.status_code == 400
    assert "Les résultats ne peuvent pas être ventilés par « shoe_size »" in html.unescape(response.content.decode())
