"""Curators teach the lens: corrections exported in the gold format, and a re-analysis that keeps them."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from django.contrib.auth import get_user_model
from tests.sample import SAMPLE_IDS

from msmelens.agreements import services
from msmelens.agreements.label_export import curated_label_rows
from msmelens.agreements.models import Agreement, Curation, Provision
from msmelens.agreements.reanalysis import reanalyse_stored, stale_count
from msmelens.cli.main import cli
from msmelens.lens import LENS_VERSION


@pytest.fixture
def curator(db):  # type: ignore[no-untyped-def]
    return get_user_model().objects.create_user("rosa", password="x-very-long-password-2")


def _a_none_provision() -> Provision:
    return Provision.objects.filter(relevance="none").exclude(text="").order_by("agreement_id", "ordinal").first()


def test_corrections_export_in_the_gold_format_with_their_text(sample_db, curator):
    target = _a_none_provision()
    services.curate_provision(
        provision=target, curator=curator, relevance="implicit", categories=["finance"], binding="soft"
    )
    services.curate_provision(  # a second correction of the same provision: the latest wins
        provision=Provision.objects.get(pk=target.pk),
        curator=curator,
        relevance="implicit",
        categories=["finance", "skills"],
        binding="soft",
        note="trade finance for exporters",
    )
    labels = curated_label_rows()
    assert labels.orphans == []
    (row,) = labels.rows
    assert row["agreement"] == target.agreement.lens_id
    assert row["article_id"] == target.source_ref
    assert (row["relevance"], row["categories"], row["binding"]) == ("implicit", ["finance", "skills"], "soft")
    assert row["stratum"] == "curated" and row["note"] == "trade finance for exporters"
    assert row["text"] == target.text and row["chapter"] == target.chapter

    result = CliRunner().invoke(cli, ["lens", "export-labels"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert [r["provision_id"] for r in lines] == [target.provision_id]


def test_a_correction_whose_provision_is_gone_is_named_not_dropped(sample_db, curator):
    Curation.objects.create(
        provision_id="tota-0/a-gone",
        relevance="implicit",
        categories=["digital"],
        binding="soft",
        curator=curator,
        created_at="2026-01-01T00:00:00Z",
    )
    labels = curated_label_rows()
    assert labels.orphans == ["tota-0/a-gone"] and labels.rows == []
    result = CliRunner().invoke(cli, ["lens", "export-labels"], catch_exceptions=False)
    assert "tota-0/a-gone" in result.output and "no stored provision" in result.output


def test_reanalysis_runs_the_current_lens_and_keeps_corrections(sample_db, curator):
    target = _a_none_provision()
    services.curate_provision(
        provision=target, curator=curator, relevance="implicit", categories=["digital"], binding="binding"
    )
    # pretend the stored corpus came from an older lens whose labels were all "none"
    Agreement.objects.update(lens_version="0.9")
    Provision.objects.exclude(pk=target.pk).update(
        relevance="none", categories=[], categories_key="", binding=None, score=0.0
    )
    Provision.objects.update(lens_labels={"relevance": "none", "categories": [], "binding": None})
    assert stale_count() == len(SAMPLE_IDS)
    report = reanalyse_stored()
    assert report.errors == [] and stale_count() == 0
    assert report.agreements == len(SAMPLE_IDS) and report.skipped == 0
    assert report.curations_kept == 1
    assert report.changed == Provision.objects.exclude(lens_labels__relevance="none").count() > 0
    assert set(Agreement.objects.values_list("lens_version", flat=True)) == {LENS_VERSION}
    kept = Provision.objects.get(pk=target.pk)
    assert (kept.relevance, kept.categories, kept.binding, kept.curated) == ("implicit", ["digital"], "binding", True)
    assert kept.lens_labels["relevance"] in ("explicit", "implicit", "none")  # the lens's own call, kept beside
    explicit = Provision.objects.filter(relevance="explicit")
    assert explicit.exists() and all(0.0 < p.score <= 1.0 for p in explicit)
    for agreement in Agreement.objects.all():  # counts recomputed from the labels in force
        assert agreement.n_explicit == agreement.provisions.filter(relevance="explicit").count()
    again = reanalyse_stored()
    assert (again.agreements, again.skipped) == (0, len(SAMPLE_IDS))  # up to date: nothing to do
