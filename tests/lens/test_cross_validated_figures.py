"""The regression check on honest figures: 5-fold cross-validation grouped by agreement of the shipped method.

Everything learned (vectorisers, coefficients, thresholds, calibration) is fitted on the training folds only;
the figures are those of the held-out agreements, pooled. The floors in ``lens_cv_baseline.json`` sit just
under the figures measured when the model was last changed (README and docs/lens.md quote those).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from msmelens.lens.crossval import cross_validate
from msmelens.lens.evaluate import load_gold
from msmelens.lens.learned import load_examples

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
BASELINE = Path(__file__).resolve().parent / "lens_cv_baseline.json"


@pytest.mark.corpus
def test_cross_validated_figures_do_not_drop() -> None:
    rows = load_gold(SHARED / "lens-gold" / "dev.jsonl")
    examples, missing = load_examples(rows, SHARED / "tota" / "xml")
    assert missing == []
    report = cross_validate(examples, k=5, seed=0, methods=("combined",))
    got = report.overall["combined"].to_dict()
    baseline = json.loads(BASELINE.read_text())
    for key, floor in baseline["combined"].items():
        assert got[key] >= floor, f"{key} dropped to {got[key]:.3f} (floor {floor})\n{report.format_table()}"
    rel = report.reliability["combined"]
    assert rel.n == len(examples)
    assert rel.ece <= baseline["max_ece"] and rel.brier <= baseline["max_brier"], rel.format_table()
