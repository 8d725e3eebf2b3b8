"""`msmelens guide report`: JSON and text, answers from options and from a file, one-line errors."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from msmelens.cli.main import cli


@pytest.mark.django_db
def test_json_report_matches_the_api_shape(guide_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"answers": {"aware_agreements": "no", "obstacle_border_procedures": "4"}}))
    result = CliRunner().invoke(cli, [
        "guide", "report", "--country", "PER", "--market", "KOR", "--market", "NPL", "--employees", "12",
        "--answers-file", str(answers), "--answer", "biggest_obstacle=border_procedures", "--format", "json",
    ])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["stage"] == "awareness"
    assert [m["market"] for m in data["markets"]] == ["KOR", "NPL"]
    assert data["markets"][0]["agreements"][0]["agreement_id"] == "tota-380"
    assert data["gap_categories"][0] == "border_procedures"


@pytest.mark.django_db
def test_text_report_in_spanish(guide_db) -> None:  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(cli, ["guide", "report", "--country", "PER", "--market", "CHL", "--language", "es"])
    assert result.exit_code == 0, result.output
    assert "Chile (CHL):" in result.output and "tota-438" in result.output and "tota-450" in result.output
    assert "tota-449" not in result.output  # the TPP once, by its Spanish text


@pytest.mark.django_db
def test_bad_answers_fail_in_one_line(guide_db) -> None:  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(cli, ["guide", "report", "--country", "PER", "--answer", "skill_ict=excellent"])
    assert result.exit_code == 2
    assert "must be one of" in result.output and len(result.output.strip().splitlines()) == 1
    result = CliRunner().invoke(cli, ["guide", "report", "--country", "PER", "--answer", "skill_ict"])
    assert result.exit_code == 2 and "NAME=VALUE" in result.output


def test_an_unusable_answers_file_fails_in_one_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    for content in ("[1, 2]", '{"answers": ["no"]}', "not json"):
        path = tmp_path / "answers.json"
        path.write_text(content)
        result = CliRunner().invoke(cli, ["guide", "report", "--country", "PER", "--answers-file", str(path)])
        assert result.exit_code == 2, content
        assert str(path) in result.output and len(result.output.strip().splitlines()) == 1
