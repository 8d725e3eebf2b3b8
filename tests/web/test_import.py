"""import_paths: progress, folders, non-ToTA documents, lens-version changes, search index, data version."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management.color import no_style
from django.db import connection
from tests.sample import TOTA_XML

import msmelens.lens
from msmelens.agreements import selectors, services
from msmelens.agreements.models import Agreement, AuditLog, Provision
from msmelens.corpus.readers import read_path
from msmelens.web.cache import cached_for_data_version, data_version

PLAIN_TEXT = """AGREEMENT ON SMALL BUSINESS COOPERATION

Chapter 1 General Provisions

Article 1 Objectives
The Parties shall cooperate to help small and medium-sized enterprises use this Agreement, including through
a website with information on tariffs and rules of origin.

Article 2 Contact points
Each Party shall designate a contact point for matters relating to SMEs.
"""


def test_progress_reports_every_file(sample_db, tmp_path: Path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("pta_196.xml", "pta_4.xml"):
        (folder / name).write_bytes((TOTA_XML / name).read_bytes())
    (folder / "pta_1.xml").write_bytes((TOTA_XML / "pta_1.xml").read_bytes())  # already stored
    seen: list[tuple[int, int, str]] = []
    report = services.import_paths(paths=[folder], workers=2, progress=lambda d, t, n: seen.append((d, t, n)))
    assert (report.imported, report.unchanged, report.failed) == (2, 1, 0)
    assert [d for d, _, _ in seen] == [1, 2, 3]
    assert {t for _, t, _ in seen} == {3}
    assert {n for _, _, n in seen} == {"pta_196.xml", "pta_4.xml", "pta_1.xml"}
    assert report.ok and "2 imported" in report.summary()


def test_a_plain_text_agreement_is_imported_and_searchable(sample_db, tmp_path: Path):
    path = tmp_path / "small-business.txt"
    path.write_text(PLAIN_TEXT, encoding="utf-8")
    document = read_path(path)
    report = services.import_paths(paths=[path], workers=1)
    assert report.imported == 1, report.errors
    agreement = Agreement.objects.get(lens_id=document.id)
    assert agreement.lens_id.startswith("doc-") and agreement.source_format == "text"
    assert agreement.source_name == "small-business.txt"
    assert agreement.n_provisions == len(list(document.articles())) >= 2
    page = selectors.provision_search(q="contact point SMEs")
    assert [h.agreement.lens_id for h in page.hits] == [agreement.lens_id]
    assert "<mark>" in page.hits[0].snippet_html


def test_a_new_lens_version_replaces_the_stored_results(sample_db, monkeypatch: pytest.MonkeyPatch):
    before = Agreement.objects.get(lens_id="tota-324")
    old_ids = set(Provision.objects.filter(agreement=before).values_list("pk", flat=True))
    monkeypatch.setattr(msmelens.lens, "LENS_VERSION", before.lens_version + "-next")
    report = services.import_paths(paths=[TOTA_XML / "pta_324.xml"], workers=1)
    assert (report.imported, report.replaced, report.unchanged) == (1, 1, 0)
    after = Agreement.objects.get(lens_id="tota-324")
    assert after.pk == before.pk and after.lens_version == before.lens_version + "-next"
    assert after.content_hash != before.content_hash
    new_ids = set(Provision.objects.filter(agreement=after).values_list("pk", flat=True))
    assert new_ids and not new_ids & old_ids
    assert selectors.provision_search(q="Nepal", party="NPL").total > 0  # re-indexed
    assert AuditLog.objects.filter(action="agreement.replaced", object_ref="tota-324").exists()


def test_replaced_provisions_leave_no_stale_search_hits(sample_db, monkeypatch: pytest.MonkeyPatch):
    n_before = selectors.provision_search(q="Nepal", limit=100).total
    monkeypatch.setattr(msmelens.lens, "LENS_VERSION", "test-version")
    services.import_paths(paths=[TOTA_XML / "pta_324.xml"], workers=1)
    page = selectors.provision_search(q="Nepal", limit=100)
    assert page.total == n_before == len(page.hits)
    assert all(Provision.objects.filter(pk=h.provision.pk).exists() for h in page.hits)


def test_data_version_changes_once_per_batch_and_invalidates_cached_values(sample_db, tmp_path: Path):
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    assert cached_for_data_version(("test", "k"), compute) == 1
    assert cached_for_data_version(("test", "k"), compute) == 1  # cached
    version = data_version()
    services.import_paths(paths=[TOTA_XML / "pta_196.xml", TOTA_XML / "pta_4.xml"], workers=1)
    assert data_version() != version
    assert cached_for_data_version(("test", "k"), compute) == 2
    unchanged = data_version()
    assert cached_for_data_version(("test", "k"), compute) == 2
    assert data_version() == unchanged


def test_missing_paths_are_reported(sample_db, tmp_path: Path):
    report = services.import_paths(paths=[tmp_path / "nope.xml"], workers=1)
    assert (report.imported, report.failed) == (0, 1)
    assert "nope.xml" in report.errors[0]
    assert not report.ok


def test_search_index_follows_deletes_and_database_flushes(sample_db, tmp_path: Path):
    """Deleting agreements drops their search rows; Django's flush SQL (used by transactional tests) works."""
    path = tmp_path / "small-business.txt"
    path.write_text(PLAIN_TEXT, encoding="utf-8")
    services.import_paths(paths=[path], workers=1)
    assert selectors.provision_search(q="contact point SMEs").total == 1
    Agreement.objects.filter(source_name="small-business.txt").delete()
    assert selectors.provision_search(q="contact point SMEs").total == 0
    assert selectors.provision_search(q="enterprises").total > 0
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT COUNT(*) FROM agreements_provision_search s "
                "WHERE NOT EXISTS (SELECT 1 FROM agreements_provision p WHERE p.id = s.provision_id)"
            )
            assert cursor.fetchone()[0] == 0  # the delete trigger removed the deleted provisions' rows
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    with connection.cursor() as cursor:  # rolled back with the test's transaction
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # TRUNCATE refuses pending deferred checks
        for sql in connection.ops.sql_flush(no_style(), tables):
            cursor.execute(sql)
    assert Provision.objects.count() == 0
    assert selectors.provision_search(q="enterprises").total == 0
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM agreements_provision_search")
            assert cursor.fetchone()[0] == 0  # the TRUNCATE trigger emptied the side table
