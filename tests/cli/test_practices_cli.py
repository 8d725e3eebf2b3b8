"""`msmelens practices ...` through click against the test database: import, export, list, versions, restore,
publish, and their exit codes (0 done, 1 rows rejected, 2 nothing done)."""

from __future__ import annotations

import json

from click.testing import CliRunner
from tests.practices import conftest as practices_fixtures

from msmelens.cli.main import cli
from msmelens.practices import selectors, services
from msmelens.practices.models import Practice

SLUG = "tunisia-famex"
SEED_COUNT = practices_fixtures.SEED_COUNT
# the practice library's fixtures (tests/practices/conftest.py), used here too
seed_path = practices_fixtures.seed_path
seeded = practices_fixtures.seeded
curator = practices_fixtures.curator


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, ["practices", *args], catch_exceptions=False)


def test_import_then_reimport(db, seed_path):
    first = invoke("import", str(seed_path))
    assert first.exit_code == 0, first.output
    assert f"practices.jsonl: {SEED_COUNT} created, 0 updated, 0 unchanged, 0 rejected." in first.stdout
    again = invoke("import", str(seed_path))
    assert again.exit_code == 0
    assert f"0 created, 0 updated, {SEED_COUNT} unchanged, 0 rejected." in again.stdout
    assert Practice.history.count() == SEED_COUNT


def test_import_with_rejected_rows_exits_1(db, seed_path, tmp_path):
    good = seed_path.read_text(encoding="utf-8").splitlines()[0]
    path = tmp_path / "some.jsonl"
    path.write_text(good + "\n" + json.dumps({"id": "x-1", "title": "X", "scope": "national"}) + "\n",
                    encoding="utf-8")
    result = invoke("import", str(path))
    assert result.exit_code == 1
    assert "1 created, 0 updated, 0 unchanged, 1 rejected." in result.stdout
    assert result.stderr.startswith("  rejected line 2 (x-1): instrument: is empty; use one of single_window,")
    assert result.stderr.endswith("other; countries: a national practice needs at least one country.\n")


def test_import_of_a_missing_file_exits_2(db, tmp_path):
    result = invoke("import", str(tmp_path / "nope.csv"))
    assert result.exit_code == 2 and "There is no file" in result.stderr
    assert Practice.objects.count() == 0


def test_export_jsonl_and_csv(seeded, seed_path, tmp_path):
    out = tmp_path / "out.jsonl"
    result = invoke("export", "--output", str(out))
    assert result.exit_code == 0 and f"Wrote {SEED_COUNT} practice(s)" in result.stderr
    seed = sorted((json.loads(line) for line in seed_path.read_text(encoding="utf-8").splitlines()),
                  key=lambda r: r["id"])
    assert [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()] == seed
    csv_result = invoke("export", "--format", "csv")
    assert csv_result.exit_code == 0
    lines = csv_result.stdout.splitlines()
    assert lines[0].startswith("id,title,countries,scope,start_year") and len(lines) >= SEED_COUNT + 1
    bad = invoke("export", "--output", str(tmp_path / "no-such-dir" / "x.jsonl"))
    assert bad.exit_code == 2 and "Cannot write" in bad.stderr


def test_list_with_filters(seeded):
    result = invoke("list", "--country", "KEN")
    assert result.exit_code == 0
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert len(rows) == 10 and all("KEN" in row[4] for row in rows)
    assert "10 practice(s)." in result.stderr
    strong = invoke("list", "--evidence-min", "5", "--region", "africa")
    slugs = [line.split("\t")[0] for line in strong.stdout.splitlines()]
    assert "egypt-rug-export-rct" in slugs and all(line.split("\t")[3] == "5" for line in strong.stdout.splitlines())
    unknown = invoke("list", "--obstacle", "weather")
    assert unknown.exit_code == 2 and "Unknown obstacle 'weather'" in unknown.stderr


def test_versions_restore_and_publish(seeded, curator):
    practice = Practice.objects.get(slug=SLUG)
    old_summary = practice.summary
    services.update_practice(practice=practice, data={"summary": "Short."}, expected_version=1, user=curator,
                             reason="shorter")
    listing = invoke("versions", SLUG)
    assert listing.exit_code == 0
    lines = listing.stdout.splitlines()
    assert lines[0].split("\t")[0] == "2" and "carla-curator\tshorter\tsummary" in lines[0]
    assert lines[1].startswith("1\t") and "(command line)\timported from practices.jsonl" in lines[1]

    missing_reason = invoke("restore", SLUG, "1")
    assert missing_reason.exit_code == 2 and "--reason" in missing_reason.output
    restored = invoke("restore", SLUG, "1", "--reason", "undo")
    assert restored.exit_code == 0 and f"Restored version 1 of '{SLUG}' as version 3." in restored.stdout
    stored = Practice.objects.get(slug=SLUG)
    assert stored.version == 3 and stored.summary == old_summary
    assert selectors.versions(stored)[0].reason == "restored version 1: undo"
    no_version = invoke("restore", SLUG, "9", "--reason", "x")
    assert no_version.exit_code == 2 and "has no version 9" in no_version.stderr

    services.withdraw(practice=stored, user=curator, reason="checking")
    published = invoke("publish", SLUG)
    assert published.exit_code == 0 and f"Published '{SLUG}' as version 5." in published.stdout
    assert Practice.objects.get(slug=SLUG).status == Practice.PUBLISHED
    assert "already published" in invoke("publish", SLUG).stdout
    unknown = invoke("versions", "no-such-practice")
    assert unknown.exit_code == 2 and "There is no practice 'no-such-practice'" in unknown.stderr
