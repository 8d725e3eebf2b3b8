"""Grouped cross-validation: whole agreements are held out, figures are deterministic, the CLI runs it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from msmelens.lens.crossval import METHODS, cross_validate, grouped_folds
from msmelens.lens.evaluate import load_gold

from .test_learned import synthetic

GOLD = Path(__file__).resolve().parents[2] / ".." / "shared" / "lens-gold" / "dev.jsonl"
TOTA = Path(__file__).resolve().parents[2] / ".." / "shared" / "tota" / "xml"


def test_folds_hold_out_whole_agreements() -> None:
    examples = synthetic(n_agreements=20, per_agreement=5)
    folds = grouped_folds(examples, 4, seed=3)
    assert len(folds) == 4
    seen_test: set[int] = set()
    for train, test in folds:
        train_ag = {examples[i].agreement for i in train}
        test_ag = {examples[i].agreement for i in test}
        assert train_ag and test_ag and not train_ag & test_ag
        assert set(train) | set(test) == set(range(len(examples)))
        seen_test |= set(test)
    assert seen_test == set(range(len(examples)))  # every row is held out exactly once


def test_too_few_agreements_is_a_plain_error() -> None:
    examples = synthetic(n_agreements=3, per_agreement=3)
    with pytest.raises(ValueError, match="only 3 agreements"):
        grouped_folds(examples, 5, seed=0)


def test_same_seed_same_figures_and_the_learned_model_learns() -> None:
    examples = synthetic(n_agreements=20, per_agreement=6)
    one = cross_validate(examples, 3, seed=7, scoped=False).to_dict()
    two = cross_validate(examples, 3, seed=7, scoped=False).to_dict()
    one.pop("seconds"), two.pop("seconds")
    assert one == two
    assert set(one["overall"]) == set(METHODS)
    assert one["overall"]["learned"]["relevant_f1"] >= 0.95  # the synthetic rule is learnable out of fold
    assert one["overall"]["rules"]["relevant_f1"] < 0.5  # ... and unknown to the lexicon
    assert set(one["by_language"]["learned"]) == {"en"}
    assert (
        grouped_folds(examples, 3, seed=7)[0][1].tolist() != grouped_folds(examples, 3, seed=8)[0][1].tolist()
    )


@pytest.mark.corpus
def test_cli_cv_and_train_on_a_slice_of_the_real_gold(tmp_path) -> None:
    from msmelens.cli.main import cli  # the root group (invoking `lens` alone would cache its help option)
    from msmelens.lens.learned import load_model

    rows = load_gold(GOLD)
    keep = sorted({r["agreement"] for r in rows}, key=lambda a: int(a.split("-")[1]))[:12]
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(json.dumps(r) + "\n" for r in rows if r["agreement"] in keep), encoding="utf-8")
    runner = CliRunner()
    res = runner.invoke(
        cli, ["lens", "evaluate", str(gold), str(TOTA), "--cv", "3", "--seed", "1", "--format", "json"]
    )
    assert res.exit_code == 0, res.output
    report = json.loads(res.output[res.output.index("{") :])
    assert report["k"] == 3 and report["n_agreements"] == len(keep)
    assert set(report["overall"]) == {"rules", "learned", "combined"}
    model_path = tmp_path / "model.json"
    res = runner.invoke(
        cli, ["lens", "train", "--gold", str(gold), "--tota", str(TOTA), "--output", str(model_path)]
    )
    assert res.exit_code == 0, res.output
    assert load_model(model_path).meta["n_agreements"] == len(keep)
