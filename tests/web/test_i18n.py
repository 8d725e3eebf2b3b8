"""Translations: complete fr/es catalogues, compiled .mo in step with the .po, language switching."""

from __future__ import annotations

import ast
import gettext
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from tests.sample import TPP_EN

LOCALE = Path(__file__).resolve().parents[2] / "src" / "msmelens" / "locale"
LANGS = ("fr", "es")


def parse_po(path: Path) -> list[dict]:
    """Entries of a .po file: msgid, msgid_plural, msgstr (list), flags. Small and strict, no polib."""
    entries: list[dict] = []
    current: dict | None = None
    key = None
    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            if current is not None and "msgid" in current:
                entries.append(current)
            current, key = None, None
            continue
        if current is None:
            current = {"flags": set(), "msgstr": {}}
        if line.startswith("#,"):
            current["flags"].update(f.strip() for f in line[2:].split(","))
        elif line.startswith("#"):
            continue
        else:
            m = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?) (".*")$', line)
            if m:
                key = ("msgstr", int(m.group(2) or 0)) if m.group(1).startswith("msgstr") else m.group(1)
                value = ast.literal_eval(m.group(3))
            else:
                assert line.startswith('"'), f"{path}: unexpected line {raw!r}"
                value = ast.literal_eval(line)
            if isinstance(key, tuple):
                current["msgstr"][key[1]] = current["msgstr"].get(key[1], "") + value
            else:
                current[key] = current.get(key, "") + value
    return entries


@pytest.mark.parametrize("lang", LANGS)
def test_catalogue_complete_and_not_fuzzy(lang):
    entries = parse_po(LOCALE / lang / "LC_MESSAGES" / "django.po")
    messages = [e for e in entries if e["msgid"]]
    assert len(messages) > 150
    header = next(e for e in entries if e["msgid"] == "")
    assert f"Language: {lang}\n" in header["msgstr"][0]
    untranslated = [e["msgid"] for e in messages if not all(v.strip() for v in e["msgstr"].values())]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert untranslated == [] and fuzzy == []
    for e in messages:  # python-format placeholders survive translation
        wanted = set(re.findall(r"%\(\w+\)s", e["msgid"]))
        for text in e["msgstr"].values():
            assert set(re.findall(r"%\(\w+\)s", text)) == wanted, e["msgid"]


@pytest.mark.parametrize("lang", LANGS)
def test_mo_matches_po(lang):
    po = LOCALE / lang / "LC_MESSAGES" / "django.po"
    with open(po.with_suffix(".mo"), "rb") as fh:
        catalog = gettext.GNUTranslations(fh)._catalog  # type: ignore[attr-defined]
    expected: dict = {}
    for e in parse_po(po):
        if not e["msgid"]:
            continue
        if "msgid_plural" in e:
            for n, text in e["msgstr"].items():
                expected[(e["msgid"], n)] = text
        else:
            expected[e["msgid"]] = e["msgstr"][0]
    compiled = {k: v for k, v in catalog.items() if k != ""}
    assert compiled == expected, (
        "the .mo is stale: run `msmelens manage compilemessages` (or django compilemessages)"
    )


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext's xgettext is not installed")
def test_every_source_string_is_in_the_catalogue(tmp_path):
    """Extract the strings again (Django's makemessages into a copy) and compare with the committed .po."""
    src = LOCALE.parent
    copy = tmp_path / "msmelens"
    shutil.copytree(src, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    shutil.rmtree(copy / "locale" / "es")
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "fr", "--no-location", "--no-obsolete"],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    fresh = {e["msgid"] for e in parse_po(copy / "locale" / "fr" / "LC_MESSAGES" / "django.po")}
    committed = {e["msgid"] for e in parse_po(LOCALE / "fr" / "LC_MESSAGES" / "django.po")}
    assert fresh - committed == set(), "new strings: run makemessages and translate them"


@pytest.mark.django_db
def test_language_switcher_post_redirects_to_the_translated_url(sample_db, client):
    page = client.get(f"/agreements/{TPP_EN}/").content.decode()
    assert 'action="/i18n/setlang/"' in page and f'value="/agreements/{TPP_EN}/"' in page
    assert f'href="/fr/agreements/{TPP_EN}/"' in page and f'href="/es/agreements/{TPP_EN}/"' in page
    response = client.post("/i18n/setlang/", {"language": "fr", "next": f"/agreements/{TPP_EN}/"})
    assert response.status_code == 302
    assert response["Location"] == f"/fr/agreements/{TPP_EN}/"
    french = client.get(response["Location"]).content.decode()
    assert '<html lang="fr">' in french and "À propos de cet accord" in french


@pytest.mark.django_db
def test_category_labels_translated_on_pages(sample_db, client):
    es = client.get("/es/").content.decode()
    assert "Competencias y formación" in es and "Procedimientos en frontera" in es
    fr = client.get("/fr/agreements/?category=finance").content.decode()
    assert "Accès au financement" in fr and "Toutes les parties" in fr
