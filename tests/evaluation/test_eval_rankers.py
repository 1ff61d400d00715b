"""Every ranker plugs in the same way and finds the obvious matches of the toy set."""

from __future__ import annotations

from pathlib import Path

import pytest

from evaluation.datasets import load_retrieval_task
from evaluation.metrics import ranking_metrics
from evaluation.rankers import (
    Bm25Ranker,
    DenseRanker,
    EngineRanker,
    FusionRanker,
    OutcomeRanker,
    Ranker,
    TfidfRanker,
    ordered_scores,
    standard_rankers,
)
from recognition_engine.config import Settings
from recognition_engine.matching import ModuleMatch
from recognition_engine.models import HashingEmbedder


@pytest.fixture
def task(toy_set: Path):  # noqa: ANN201
    return load_retrieval_task(toy_set)


def all_rankers(settings: Settings) -> list[Ranker]:
    embedder = HashingEmbedder()
    tfidf, dense = TfidfRanker(), DenseRanker(embedder)
    return [
        tfidf,
        TfidfRanker("title"),
        Bm25Ranker(),
        dense,
        OutcomeRanker(embedder),
        FusionRanker([tfidf, dense], name="rrf"),
        EngineRanker(embedder, settings),
    ]


def test_every_ranker_returns_a_run_in_the_one_shape(task, settings: Settings) -> None:  # noqa: ANN001
    module_ids = {m.id for m in task.modules}
    for ranker in all_rankers(settings):
        assert isinstance(ranker, Ranker)
        run = ranker.rank(task, depth=3)
        assert set(run) == {c.id for c in task.credentials}, ranker.name
        for scores in run.values():
            assert 1 <= len(scores) <= 3 and set(scores) <= module_ids
            assert all(isinstance(s, float) for s in scores.values())


def test_every_ranker_finds_the_obvious_matches(task, settings: Settings) -> None:  # noqa: ANN001
    for ranker in all_rankers(settings):
        if ranker.name == "tfidf-title":
            continue  # titles alone do not tell these apart
        metrics = ranking_metrics(ranker.rank(task), task.gold)
        assert metrics["MRR@10"] >= 0.75, ranker.name
        assert metrics["R@5"] == 1.0, ranker.name


def test_standard_rankers_name_the_default(settings: Settings) -> None:
    rankers, default = standard_rankers(HashingEmbedder(), settings)
    names = [r.name for r in rankers]
    assert default in names and len(set(names)) == len(names)


def test_a_run_keeps_the_engines_order_where_a_rule_moved_a_module_down() -> None:
    def match(key: str, score: float) -> ModuleMatch:
        return ModuleMatch(key, key, 1.0, 1.0, 1.0, score, score, score)

    run = ordered_scores([match("B", 0.7), match("C", 0.5), match("A", 0.9)])
    assert sorted(run, key=run.__getitem__, reverse=True) == ["B", "C", "A"]
    assert run["B"] == 0.7 and run["C"] == 0.5 and run["A"] < 0.5
