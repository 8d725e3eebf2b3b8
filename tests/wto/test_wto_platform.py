"""The wto app on a real database: import, records, the WTO list, Beyond the WTO (pages, API, CLI), the country
section, and the page cache after an import."""

from __future__ import annotations

import json

from click.testing import CliRunner
from tests.sample import SAMPLE_IDS
from tests.wto.corpus import BASELINE, FINDINGS, FIXTURE_IDS, ISL_CHL, ISL_MUS, MUS_ZAF, WTO_DIR

from msmelens.cli.main import cli


def test_import_records_body_key_and_parties_without_party_rows(wto_db) -> None:
    from msmelens.agreements import selectors as agreement_selectors
    from msmelens.wto import selectors

    assert wto_db.skipped == ["notes.txt"]
    assert sorted(a[2] for a in wto_db.agreements) == ["wto-tbt-en", "wto-tfa-en"]
    tbt = selectors.wto_record(agreement_id="wto-tbt-en")
    assert (tbt.source_key, tbt.language, tbt.parties) == ("tbt", "en", "members")
    assert tbt.administering_body == "Committee on Technical Barriers to Trade" and tbt.body_key == "tbt"
    assert selectors.wto_record(agreement_id=ISL_MUS) is None
    # multilateral: no party rows, so no country's list of agreements holds the WTO texts
    assert not agreement_selectors.agreement_list(party="ISL").filter(lens_id__startswith="wto-").exists()
    assert selectors.parties_count(tbt) >= 160


def test_a_second_import_finds_the_texts_unchanged(wto_db) -> None:
    from msmelens.wto.services import import_wto_directory

    again = import_wto_directory(directory=WTO_DIR)
    assert (again.imported, again.unchanged, again.failed) == (0, 2, 0)


def test_wto_list_has_coverage_by_category(wto_db) -> None:
    from msmelens.wto import selectors

    items = {it.record.source_key: it for it in selectors.wto_agreement_list()}
    assert sorted(items) == ["tbt", "tfa"]
    tfa = items["tfa"]
    assert tfa.n_provisions == 4 and tfa.n_implicit == 4
    assert tfa.coverage["border_procedures"] > 0
    assert set(tfa.coverage) >= {"skills", "digital", "border_procedures"}
    # its own body is the administering one, not among the bodies its provisions overlap
    # (the publication article's enquiry points are TBT work too)
    assert tfa.overlaps == {"tbt": 1}
    assert items["tbt"].overlaps == {}


def test_beyond_on_the_database_gives_the_hand_checked_answers(wto_db) -> None:
    from msmelens.wto import selectors

    comparisons = {c.topic.key: c for c in selectors.beyond()}
    assert {k: c.baseline.level for k, c in comparisons.items()} == BASELINE
    for key, expected in FINDINGS.items():
        got = {
            f.provision.provision_id: (f.reasons, f.new_instruments)
            for f in comparisons[key].findings
            if f.provision.agreement_id in FIXTURE_IDS
        }
        assert got == expected, key
    # the WTO texts are never on the regional side
    for c in comparisons.values():
        assert not any(f.provision.agreement_id.startswith("wto-") for f in c.findings)
    rulings = comparisons["advance_rulings"]
    assert ISL_MUS in rulings.agreements_beyond() and MUS_ZAF in rulings.agreements_beyond()


def test_beyond_for_a_country_keeps_its_own_agreements(wto_db) -> None:
    from msmelens.wto import selectors

    isl = {c.topic.key: c for c in selectors.beyond(country="ISL")}
    assert isl["advance_rulings"].agreements_beyond() == [ISL_MUS]
    assert isl["conformity_assessment"].agreements_beyond() == [ISL_CHL]
    assert isl["publication"].agreements_beyond() == [ISL_MUS]
    detail = selectors.country_beyond(iso3="isl")
    assert detail.wto_member_since is not None and detail.n_regional == 2
    assert {t.comparison.topic.key: [a.agreement_id for a in t.agreements] for t in detail.topics}[
        "advance_rulings"
    ] == [ISL_MUS]


def test_without_wto_texts_nothing_is_compared(regional_db) -> None:
    from msmelens.wto import selectors

    for c in selectors.beyond():
        assert c.baseline.level == "not_compared" and c.beyond == []


def test_pages_list_beyond_and_topic(wto_db, client) -> None:
    page = client.get("/wto/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-key="tbt"' in html and "Committee on Technical Barriers to Trade" in html
    assert 'data-key="tfa"' in html and "Committee on Trade Facilitation" in html
    tfa_row = html[html.index('data-key="tfa"') :]
    tfa_row = tfa_row[: tfa_row.index("</tr>")]
    assert "<td>Committee on Trade Facilitation</td><td>Committee on Technical Barriers to Trade</td>" in tfa_row
    redirect = client.get("/wto/tfa/")
    assert redirect.status_code == 302 and redirect["Location"].endswith("/agreements/wto-tfa-en/")
    assert client.get("/wto/gpa2012/").status_code == 404
    index = client.get("/wto/beyond/").content.decode()
    assert 'data-topic="single_window"' in index and "Best endeavour only" in index
    topic = client.get("/wto/beyond/advance_rulings/").content.decode()
    assert f'data-agreement="{ISL_MUS}"' in topic and f'data-agreement="{MUS_ZAF}"' in topic
    assert f'data-agreement="{ISL_CHL}"' not in topic
    assert 'data-reasons="binding instrument"' in topic
    assert f'href="/agreements/{ISL_MUS}/#tota-9901-a1"' in topic
    assert 'class="chart year-count-chart"' in topic and 'data-value="1"' in topic
    assert client.get("/wto/beyond/nope/").status_code == 404
    filtered = client.get("/wto/beyond/advance_rulings/?country=ISL").content.decode()
    assert f'data-agreement="{ISL_MUS}"' in filtered and f'data-agreement="{MUS_ZAF}"' not in filtered


def test_pages_in_french_and_spanish(wto_db, client) -> None:
    fr = client.get("/fr/wto/beyond/")
    es = client.get("/es/wto/")
    assert fr.status_code == 200 and es.status_code == 200
    assert 'lang="fr"' in fr.content.decode()


def test_country_page_shows_its_agreements_beyond_the_wto(wto_db, client) -> None:
    html = client.get("/countries/ISL/").content.decode()
    assert 'id="wto-beyond"' in html and "WTO member since" in html
    section = html[html.index('id="wto-beyond"') :]
    section = section[: section.index("</section>")]
    assert f"/agreements/{ISL_MUS}/#tota-9901-a1" in section
    assert f"/agreements/{ISL_CHL}/#tota-9902-a2" in section
    assert MUS_ZAF not in section
    # the WTO texts are not among the country's agreements
    assert "/agreements/wto-tfa-en/" not in html


def test_an_import_refreshes_cached_pages(regional_db, client) -> None:
    from msmelens.wto.services import import_wto_directory

    before = client.get("/wto/")
    assert 'data-key="tfa"' not in before.content.decode()
    assert client.get("/wto/")["X-MSME-Lens-Cache"] == "hit"
    import_wto_directory(directory=WTO_DIR)
    after = client.get("/wto/")
    assert after["X-MSME-Lens-Cache"] == "miss" and 'data-key="tfa"' in after.content.decode()


def test_api_agreements_and_beyond(wto_db, client) -> None:
    rows = client.get("/api/v1/wto/agreements").json()
    assert [r["key"] for r in rows] == ["tbt", "tfa"]
    assert rows[1]["administering_body_key"] == "trade_facilitation" and rows[1]["n_provisions"] == 4
    assert client.get("/api/v1/wto/agreements/tfa").json()["agreement_id"] == "wto-tfa-en"
    missing = client.get("/api/v1/wto/agreements/gpa2012")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    data = client.get("/api/v1/wto/beyond?topic=advance_rulings&country=MUS").json()
    assert data["country"] == "MUS" and len(data["topics"]) == 1
    topic = data["topics"][0]
    assert topic["baseline"]["level"] == "soft"
    assert {f["provision_id"]: f["reasons"] for f in topic["beyond"]} == {
        "tota-9901-a1": ["binding", "instrument"],
        "tota-9903-a1": ["instrument"],
    }
    assert topic["by_year"] == [{"year": 2015, "n": 1}, {"year": 2019, "n": 1}]
    assert topic["by_reason"] == {"binding": 1, "sme": 0, "instrument": 2}
    one = client.get("/api/v1/wto/beyond/single_window").json()
    from msmelens.wto import selectors

    expected = selectors.beyond(topic_key="single_window")[0]
    assert one["baseline"]["level"] == "soft"
    assert one["n_agreements_beyond"] == len(expected.agreements_beyond())
    assert one["n_agreements_on_topic"] == len({f.provision.agreement_id for f in expected.findings}) >= 1
    assert client.get("/api/v1/wto/beyond/nope").status_code == 422
    assert client.get("/api/v1/wto/beyond?country=<script>").status_code == 422


def test_cli_import_and_beyond(regional_db, tmp_path) -> None:
    runner = CliRunner()
    empty = runner.invoke(cli, ["wto", "import", str(tmp_path / "missing")])
    assert empty.exit_code == 2 and "msmelens corpus download wto" in empty.output
    done = runner.invoke(cli, ["wto", "import", str(WTO_DIR)])
    assert done.exit_code == 0, done.output
    assert "2 WTO text(s) imported" in done.output
    table = runner.invoke(cli, ["wto", "beyond", "--country", "ISL"])
    lines = {line.split("\t")[0]: line.split("\t") for line in table.output.strip().splitlines()}
    assert lines["advance_rulings"][1:] == ["soft", "no", "1", "1", "1", "0", "1"]
    out = runner.invoke(cli, ["wto", "beyond", "--topic", "conformity_assessment", "--format", "json"])
    data = json.loads(out.output)
    found = {b["provision_id"]: b["reasons"] for b in data["topics"][0]["beyond"]}
    assert found["tota-9902-a2"] == ["instrument"]
    bad = runner.invoke(cli, ["wto", "beyond", "--topic", "nope"])
    assert bad.exit_code == 2


def test_sample_agreements_are_regional(wto_db) -> None:
    from msmelens.wto import selectors

    ids = selectors.country_agreement_ids("JPN")
    assert ids and ids <= set(SAMPLE_IDS)


def test_the_real_gats_telecommunications_annex_leaves_e_commerce_to_regional_agreements(sample_db, tmp_path) -> None:
    """The one real WTO text on this machine (../shared/wto): it says nothing on electronic commerce, so the
    TPP's e-commerce articles go beyond the WTO with the topic itself as the new instrument."""
    import shutil

    from tests.sample import SHARED, TPP_EN

    from msmelens.wto import selectors
    from msmelens.wto.services import import_wto_directory

    source = SHARED / "wto" / "gats-annex-telecommunications.txt"
    shutil.copy(source, tmp_path / "gats-annex-telecommunications.en.txt")
    report = import_wto_directory(directory=tmp_path)
    assert (report.imported, report.failed) == (1, 0), report.errors
    record = selectors.wto_record(agreement_id="wto-gats-annex-telecommunications-en")
    assert record.administering_body == "Council for Trade in Services" and record.body_key == "services"
    ecommerce = selectors.beyond(topic_key="ecommerce")[0]
    assert ecommerce.baseline.level == "absent" and ecommerce.baseline.provisions == []
    tpp = [f for f in ecommerce.findings if f.provision.agreement_id == TPP_EN]
    assert tpp and all("instrument" in f.reasons and f.new_instruments[0] == "topic" for f in tpp)
    assert TPP_EN in ecommerce.agreements_beyond()
    # topics whose WTO texts are not stored stay uncompared
    assert selectors.beyond(topic_key="advance_rulings")[0].baseline.level == "not_compared"


def test_a_french_version_is_listed_but_the_baseline_reads_the_english_one(wto_db, client) -> None:
    """The French fixture says "délivrera" (binding) where the English TFA fixture says "shall endeavour": the
    baseline reads one version of each text, the English one, so advance rulings stay best endeavour."""
    from tests.wto.corpus import DATA

    from msmelens.wto import selectors
    from msmelens.wto.services import import_wto_directory

    report = import_wto_directory(directory=DATA / "wto_fr")
    assert report.imported == 1 and report.agreements[0][2] == "wto-tfa-fr"
    assert [r.agreement_id for r in selectors.baseline_records(selectors.wto_records())] == [
        "wto-tbt-en",
        "wto-tfa-en",
    ]
    rulings = selectors.beyond(topic_key="advance_rulings")[0]
    assert rulings.baseline.level == "soft"
    assert {p.agreement_id for p in rulings.baseline.provisions} == {"wto-tfa-en"}
    # the French text is not a regional agreement either
    assert not any(f.provision.agreement_id == "wto-tfa-fr" for f in rulings.findings)
    tfa = {it.record.source_key: it for it in selectors.wto_agreement_list(language="fr")}["tfa"]
    assert tfa.record.agreement_id == "wto-tfa-fr" and tfa.languages == ["en", "fr"]
    assert client.get("/fr/wto/tfa/")["Location"].endswith("/agreements/wto-tfa-fr/")
    assert client.get("/wto/tfa/")["Location"].endswith("/agreements/wto-tfa-en/")


def test_topic_pages_are_paginated_newest_first(wto_db, client, monkeypatch) -> None:
    from msmelens.wto import views

    monkeypatch.setattr(views, "AGREEMENTS_PER_PAGE", 1)
    first = client.get("/wto/beyond/advance_rulings/?country=MUS").content.decode()
    second = client.get("/wto/beyond/advance_rulings/?country=MUS&page=2").content.decode()
    assert f'data-agreement="{MUS_ZAF}"' in first and f'data-agreement="{ISL_MUS}"' not in first
    assert f'data-agreement="{ISL_MUS}"' in second and f'data-agreement="{MUS_ZAF}"' not in second
    assert 'href="?country=MUS&amp;page=2" rel="next"' in first
    assert "Agreements 1–1 of 2, newest first." in first


def test_the_agreement_page_of_a_wto_text_names_its_body_and_parties(wto_db, client) -> None:
    from msmelens.corpus import wto_members

    html = client.get("/agreements/wto-tfa-en/").content.decode()
    assert "Administered by" in html and "Committee on Trade Facilitation" in html
    assert f"All WTO members ({len(wto_members.members())})" in html
    ids = [a["agreement_id"] for a in client.get("/api/v1/agreements", {"limit": 200}).json()["items"]]
    regional = next(i for i in ids if not i.startswith("wto-"))
    html = client.get(f"/agreements/{regional}/").content.decode()
    assert "Administered by" not in html and "All WTO members" not in html
