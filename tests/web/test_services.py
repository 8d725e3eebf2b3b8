"""Import and curation services on real ToTA agreements and a real database (SQLite or PostgreSQL)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from tests.sample import INDIA_NEPAL, JAPAN_THAILAND, SAMPLE_IDS, TOTA_XML, TPP_EN, TPP_ES, WAEMU_FR

from msmelens.agreements import selectors, services
from msmelens.agreements.models import Agreement, AgreementParty, AuditLog, Curation, Provision
from msmelens.agreements.pipeline import analyze_document, analyze_file
from msmelens.corpus.readers import read_path
from msmelens.lens import analyze
from msmelens.lens.profile import profile_agreement


@pytest.fixture
def curator(db):  # type: ignore[no-untyped-def]
    return get_user_model().objects.create_user("carla", password="x-very-long-password-1")


def _explicit_provision(lens_id: str) -> Provision:
    return (
        Provision.objects.filter(agreement__lens_id=lens_id, relevance="explicit").order_by("ordinal").first()
    )


def test_sample_agreements_are_stored_with_their_metadata(sample_db):
    assert set(Agreement.objects.values_list("lens_id", flat=True)) == set(SAMPLE_IDS)
    tpp = Agreement.objects.get(lens_id=TPP_EN)
    assert tpp.name == "Trans-Pacific Partnership"
    assert tpp.year_signed == 2016 and tpp.language == "en" and tpp.source_format == "tota-xml"
    assert "|JPN|" in tpp.parties_key and "|USA|" in tpp.parties_key
    assert set(AgreementParty.objects.filter(agreement=tpp).values_list("iso3", flat=True)) >= {
        "JPN",
        "USA",
        "VNM",
    }
    assert Agreement.objects.get(lens_id=TPP_ES).language == "es"
    assert Agreement.objects.get(lens_id=WAEMU_FR).language == "fr"


def test_stored_provisions_match_the_lens_output(sample_db):
    document = read_path(TOTA_XML / "pta_1.xml")
    results = analyze(document)
    stored = list(Provision.objects.filter(agreement__lens_id=JAPAN_THAILAND).order_by("ordinal"))
    assert [p.provision_id for p in stored] == [r.provision_id for r in results]
    assert [p.relevance for p in stored] == [r.relevance for r in results]
    assert [p.categories for p in stored] == [r.categories for r in results]
    agreement = Agreement.objects.get(lens_id=JAPAN_THAILAND)
    profile = profile_agreement(document, results).to_dict()
    assert agreement.profile == profile
    assert agreement.n_provisions == len(results)
    assert agreement.n_explicit == sum(r.relevance == "explicit" for r in results)
    assert agreement.coverage == pytest.approx(profile["coverage_overall"])


def test_tpp_has_its_sme_chapter(sample_db):
    tpp = Agreement.objects.get(lens_id=TPP_EN)
    assert tpp.has_sme_chapter is True
    assert tpp.n_explicit > 0
    chapter = tpp.profile["sme_chapter"]
    assert chapter is not None and "small and medium" in chapter["heading"].lower()
    assert set(chapter["provision_ids"]) <= set(tpp.provisions.values_list("provision_id", flat=True))


def test_reimporting_the_same_file_is_a_no_op(sample_db):
    before = Provision.objects.count()
    audit_before = AuditLog.objects.count()
    report = services.import_paths(paths=[TOTA_XML / "pta_1.xml", TOTA_XML / "pta_324.xml"], workers=1)
    assert (report.imported, report.unchanged, report.failed) == (0, 2, 0)
    assert [(o.lens_id, o.status) for o in report.outcomes] == [
        (JAPAN_THAILAND, "unchanged"),
        (INDIA_NEPAL, "unchanged"),
    ]
    assert Provision.objects.count() == before
    assert AuditLog.objects.count() == audit_before  # nothing changed, nothing audited
    item = analyze_file(str(TOTA_XML / "pta_1.xml"))
    outcome = services.import_document(
        document=item.document, results=item.results, profile=item.profile, source_name="pta_1.xml"
    )
    assert outcome.status == "unchanged"


def test_changed_source_replaces_provisions_and_keeps_curations(sample_db, curator):
    target = (
        _explicit_provision(JAPAN_THAILAND)
        or Provision.objects.filter(agreement__lens_id=JAPAN_THAILAND).first()
    )
    services.curate_provision(
        provision=target, curator=curator, relevance="implicit", categories=["finance"], binding="binding"
    )
    document = read_path(TOTA_XML / "pta_1.xml")
    changed = dataclasses.replace(document, content_hash="0" * 64)  # same agreement, new source bytes
    item = analyze_document(changed, "pta_1.xml")
    outcome = services.import_document(
        document=changed, results=item.results, profile=item.profile, source_name="pta_1.xml"
    )
    assert outcome.status == "replaced"
    assert outcome.n_curations_reapplied == 1
    again = Provision.objects.get(provision_id=target.provision_id)
    assert again.pk != target.pk  # provisions were replaced
    assert (again.relevance, again.categories, again.binding, again.curated) == (
        "implicit",
        ["finance"],
        "binding",
        True,
    )
    assert again.lens_labels["relevance"] == target.lens_labels["relevance"]
    assert Provision.objects.filter(agreement__lens_id=JAPAN_THAILAND).count() == len(item.results)
    assert AuditLog.objects.filter(action="agreement.replaced", object_ref=JAPAN_THAILAND).exists()


def test_a_bad_file_in_a_batch_is_reported_and_skipped(sample_db, tmp_path: Path):
    bad = tmp_path / "broken.xml"
    bad.write_text("<treaty><meta><name>Broken", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    good = tmp_path / "pta_196.xml"
    good.write_bytes((TOTA_XML / "pta_196.xml").read_bytes())
    report = services.import_paths(paths=[bad, good, empty], workers=2)
    assert report.imported == 1
    assert report.failed == 2
    assert any("broken.xml" in message for message in report.errors)
    assert any("empty.txt" in message for message in report.errors)
    assert Agreement.objects.filter(lens_id="tota-196").exists()
    log = AuditLog.objects.filter(action="corpus.imported").latest("id")
    assert log.data["imported"] == 1 and log.data["failed"] == 2


def test_curation_recomputes_the_agreement_figures(sample_db, curator):
    agreement = Agreement.objects.get(lens_id=JAPAN_THAILAND)
    none_provision = (
        Provision.objects.filter(agreement=agreement, relevance="none").order_by("ordinal").first()
    )
    before = dict(agreement.profile)
    before_overview = selectors.corpus_overview()
    curation = services.curate_provision(
        provision=none_provision,
        curator=curator,
        relevance="explicit",
        categories=["finance", "skills"],
        binding="binding",
        note="Mentions SME credit lines.",
    )
    agreement.refresh_from_db()
    assert agreement.n_explicit == before["relevance_counts"]["explicit"] + 1
    assert agreement.profile["relevance_counts"]["none"] == before["relevance_counts"]["none"] - 1
    assert agreement.profile["category_counts"]["finance"] == before["category_counts"]["finance"] + 1
    assert agreement.profile["coverage"]["finance"] >= before["coverage"]["finance"]
    assert agreement.coverage == pytest.approx(agreement.profile["coverage_overall"])
    provision = Provision.objects.get(pk=none_provision.pk)
    assert provision.curated and provision.categories == ["finance", "skills"]
    assert provision.categories_key == "|finance|skills|"
    assert provision.lens_labels == {"relevance": "none", "categories": [], "binding": None}
    assert curation.active and curation.curator == curator
    log = AuditLog.objects.get(action="provision.curated", object_ref=provision.provision_id)
    assert log.actor == curator and log.data["lens"]["relevance"] == "none"
    # cached corpus figures follow the curation
    after_overview = selectors.corpus_overview()
    if before["relevance_counts"]["explicit"] == 0:
        assert after_overview["n_with_explicit"] == before_overview["n_with_explicit"] + 1


def test_a_second_curation_supersedes_the_first_and_revert_restores_the_lens(sample_db, curator):
    provision = Provision.objects.filter(agreement__lens_id=TPP_EN, relevance="none").first()
    services.curate_provision(
        provision=provision, curator=curator, relevance="implicit", categories=["digital"], binding="soft"
    )
    services.curate_provision(
        provision=provision, curator=curator, relevance="explicit", categories=["skills"], binding="binding"
    )
    rows = Curation.objects.filter(provision_id=provision.provision_id)
    assert rows.count() == 2 and rows.filter(active=True).count() == 1
    assert rows.get(active=True).relevance == "explicit"
    restored = services.revert_curation(provision=provision, curator=curator)
    assert (restored.relevance, restored.categories, restored.binding, restored.curated) == (
        "none",
        [],
        None,
        False,
    )
    assert not Curation.objects.filter(provision_id=provision.provision_id, active=True).exists()
    assert (
        AuditLog.objects.filter(action="provision.reverted", object_ref=provision.provision_id).count() == 1
    )
    tpp = Agreement.objects.get(lens_id=TPP_EN)
    original = read_path(TOTA_XML / "pta_449.xml")
    assert tpp.n_explicit == sum(r.relevance == "explicit" for r in analyze(original))


@pytest.mark.parametrize(
    ("relevance", "categories", "binding", "field"),
    [
        ("very", ["skills"], "binding", "relevance"),
        ("explicit", ["cooking"], "binding", "categories"),
        ("explicit", ["skills"], None, "binding"),
        ("none", ["skills"], None, "categories"),
        ("none", [], "soft", "binding"),
    ],
)
def test_curation_rejects_labels_outside_the_taxonomy(
    sample_db, curator, relevance, categories, binding, field
):
    provision = Provision.objects.filter(agreement__lens_id=TPP_EN).first()
    with pytest.raises(ValidationError) as info:
        services.curate_provision(
            provision=provision, curator=curator, relevance=relevance, categories=categories, binding=binding
        )
    assert field in info.value.message_dict
    assert not Curation.objects.filter(provision_id=provision.provision_id).exists()
    assert Provision.objects.get(pk=provision.pk).curated is False
