"""Metric functions against values computed by hand."""

from __future__ import annotations

import math

import pytest

from evaluation.harness import best_threshold, cross_validated_decisions
from evaluation.metrics import (
    abstention_decisions,
    auroc,
    auroc_no_match,
    gold_rank,
    per_credential_metrics,
    ranking_metrics,
    reciprocal_rank,
)

GOLD = {"a": {"m1": 1}, "b": {"m2": 1, "m3": 1}}
RUN = {
    "a": {"m9": 0.9, "m1": 0.8, "m2": 0.1},  # gold at rank 2
    "b": {"m3": 0.7, "m4": 0.6, "m5": 0.5, "m2": 0.4},  # golds at ranks 1 and 4
    "c": {"m1": 0.2},  # no gold: ignored by ranking metrics
}


def test_ranking_metrics_by_hand() -> None:
    m = ranking_metrics(RUN, GOLD)
    assert m["P@1"] == pytest.approx((0 + 1) / 2)
    assert m["P@3"] == pytest.approx((1 / 3 + 1 / 3) / 2)
    assert m["R@5"] == pytest.approx((1 + 1) / 2)
    assert m["MRR@10"] == pytest.approx((1 / 2 + 1) / 2)
    ndcg_a = (1 / math.log2(3)) / 1.0
    ndcg_b = (1 + 1 / math.log2(5)) / (1 + 1 / math.log2(3))
    assert m["nDCG@10"] == pytest.approx((ndcg_a + ndcg_b) / 2)


def test_missing_credential_scores_zero_and_per_credential_kept() -> None:
    m = ranking_metrics({"a": {"m1": 1.0}}, GOLD)
    assert m["P@1"] == pytest.approx(0.5) and m["MRR@10"] == pytest.approx(0.5)
    per = per_credential_metrics(RUN, GOLD)
    assert per["a"]["MRR@10"] == pytest.approx(0.5) and per["b"]["P@1"] == 1.0
    assert "c" not in per


def test_ranks_and_reciprocal_rank() -> None:
    assert gold_rank(RUN, GOLD, "a") == 2 and gold_rank(RUN, GOLD, "b") == 1
    assert gold_rank(RUN, GOLD, "c") is None
    assert reciprocal_rank(["x", "y", "m1"], {"m1": 1}) == pytest.approx(1 / 3)
    assert reciprocal_rank(["x"], {"m1": 1}) == 0.0


def test_auroc_by_hand() -> None:
    # pairs: (3>1) (3>2) (2>1) (2=2 half) -> 3.5 / 4
    assert auroc([3.0, 2.0], [1.0, 2.0]) == pytest.approx(3.5 / 4)
    assert auroc([1.0], []) is None
    # top scores: a 0.9, b 0.7 with a match; c 0.2 without
    assert auroc_no_match(RUN, GOLD, ["a", "b", "c"]) == 1.0
    assert auroc_no_match(RUN, GOLD, ["a", "b"]) is None


def test_abstention_decisions_by_hand() -> None:
    gold = {"a": {"m": 1}, "b": {"m": 1}}
    decisions = {"a": True, "b": False, "c": True, "d": False}
    figures = abstention_decisions(decisions, gold, ["a", "b", "c", "d"])
    assert figures["propose_precision"] == 0.5 and figures["propose_recall"] == 0.5
    assert figures["abstain_precision"] == 0.5 and figures["abstain_recall"] == 0.5
    no_negatives = abstention_decisions({"a": True}, {"a": {"m": 1}}, ["a"])
    assert no_negatives["abstain_recall"] is None


def test_threshold_fitted_inside_folds() -> None:
    assert best_threshold([0.1, 0.2, 0.6, 0.9], [False, False, True, True]) == pytest.approx(0.4)
    run = {f"q{i}": {"m": float(i)} for i in range(20)}
    gold = {f"q{i}": {"m": 1} for i in range(10, 20)}
    decisions, thresholds = cross_validated_decisions(run, gold, list(run), folds=5)
    assert len(thresholds) == 5 and all(8 < t <= 10.5 for t in thresholds)
    assert sum(decisions[q] == (q in gold) for q in run) >= 18  # out of fold: may miss an edge
