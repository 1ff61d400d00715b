"""The warm protocol learns from the other folds only; the cold fallback is today's ranking."""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cli import build_app
from evaluation.protocols import CandidatePool, credential_folds, warm_protocol
from evaluation.rankers import EngineRanker
from evaluation.repeats import HEADLINE, repeated_warm, spread
from recognition_engine.config import Settings
from recognition_engine.models import create_embedder

ONLY_DEFAULT = {"default": ("dense", "title", "lexical", "precedents", "subject", "structure")}


def test_no_fold_is_trained_on_its_own_credentials(pool: CandidatePool) -> None:
    result = warm_protocol(pool, folds=3, variants=ONLY_DEFAULT)
    assert set(result.held_out) == {0, 1, 2}
    for fold, held in result.held_out.items():
        assert held and not held & result.trained_on[fold]
    assert set().union(*result.held_out.values()) == {c.id for c in pool.task.credentials}


def test_the_held_out_decisions_do_not_change_the_held_out_ranking(pool: CandidatePool) -> None:
    """Scramble the decisions of every credential in fold 0: fold 0's rankings stay the same."""
    before = warm_protocol(pool, folds=3, variants=ONLY_DEFAULT)
    held = before.held_out[0]
    modules = [m.id for m in pool.task.modules]
    rng = random.Random(1)
    scrambled = {
        cid: ({rng.choice(modules): 1} if cid in held else rels)
        for cid, rels in pool.task.gold.items()
    }
    pool.task = dataclasses.replace(pool.task, gold=scrambled)
    after = warm_protocol(pool, folds=3, variants=ONLY_DEFAULT)
    for cid in held:
        assert after.runs["default"][cid] == before.runs["default"][cid]
    # and the other folds did read them: their rankings may change
    assert after.trained_on[1] & held


def test_a_fold_can_be_ranked_by_a_pool_of_its_own(pool: CandidatePool) -> None:
    """A fold's own candidates (a model fine-tuned on its training credentials) rank it, and the
    pool is asked for with the training credentials only."""
    asked: dict[int, set[str]] = {}
    read: set[str] = set()  # the credentials ranked from the folds' own pools

    class OwnPool:  # the shared pool, counting the credentials it is asked to rank
        def __getattr__(self, name: str) -> Any:
            return getattr(pool, name)

        def decided(self, credential_id: str, decisions: Any, **kwargs: Any) -> Any:
            read.add(credential_id)
            return pool.decided(credential_id, decisions, **kwargs)

    def own_pool(fold: int, train_ids: list[str]) -> CandidatePool:
        asked[fold] = set(train_ids)
        return OwnPool()  # type: ignore[return-value]

    shared = warm_protocol(pool, folds=3, variants=ONLY_DEFAULT)
    own = warm_protocol(pool, folds=3, variants=ONLY_DEFAULT, pool_for_fold=own_pool)
    assert asked == own.trained_on
    assert read == {c.id for c in pool.task.credentials}  # every fold ranked from its own
    assert own.runs == shared.runs  # the same candidates give the same rankings


def test_cold_run_is_the_engines_ranking(pool: CandidatePool, settings: Settings) -> None:
    engine = EngineRanker(create_embedder(settings), settings).rank(pool.task)
    cold = pool.cold_run()
    for cid, scores in engine.items():
        assert list(cold[cid]) == list(scores)
        assert cold[cid] == pytest.approx(scores)


def test_repeats_split_the_folds_differently_and_report_each(
    pool: CandidatePool, settings: Settings
) -> None:
    ids = [c.id for c in pool.task.credentials]
    assert credential_folds(ids, 3, 8) != credential_folds(ids, 3, 9)  # a split of its own
    rows = repeated_warm(pool, settings, 3, ONLY_DEFAULT, seeds=(8, 9))
    assert [row["seed"] for row in rows] == [8, 9]
    assert all(set(HEADLINE) <= set(row) for row in rows)
    summary = spread(rows)
    p1 = [row["P@1"] for row in rows]
    assert summary["P@1"] == {
        "mean": round(sum(p1) / 2, 4),
        "min": round(min(p1), 4),
        "max": round(max(p1), 4),
    }


def test_repeats_need_the_warm_protocol(synthetic_folder: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        build_app(),
        ["evaluate", "--dataset", str(synthetic_folder), "--repeats", "3"],
        env={"RECOGNITION_EMBEDDER": "fake", "RECOGNITION_DATA_DIR": str(tmp_path / "var")},
    )
    assert result.exit_code == 2 and "--protocol warm" in result.output
