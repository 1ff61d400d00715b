"""A fine-tuned model's thresholds carried over from its base model's scale by quantile."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from recognition_engine.config import Settings
from recognition_engine.errors import ModelUnavailable
from recognition_engine.ingestion.equivalence import EquivalenceSet, ItemRecord, Qrel
from recognition_engine.models import HashingEmbedder, create_embedder
from recognition_engine.models.score_scale import (
    SCALE_FILE,
    Quantiles,
    ScoreScale,
    measure_scale,
    read_scale,
    write_scale,
)
from recognition_engine.multilingual import matching_thresholds


class Shifted(HashingEmbedder):
    """The hashing embedder with every cosine moved: cos' = (1 - w) cos + w (a shared part)."""

    def __init__(self, weight: float) -> None:
        super().__init__()
        self._weight = weight

    def _embed(self, texts: Sequence[str], progress: bool) -> np.ndarray:
        vectors = super()._embed(texts, progress) * np.sqrt(1 - self._weight)
        shared = np.full((len(texts), 1), np.sqrt(self._weight), dtype=np.float32)
        return np.hstack([vectors, shared])


def decisions(count: int) -> EquivalenceSet:
    words = [
        "network",
        "database",
        "compiler",
        "algebra",
        "painting",
        "chemistry",
        "ethics",
        "music",
        "law",
    ]

    def text(i: int) -> str:
        return " ".join(words[(i * k) % len(words)] + str((i * 7 + k) % 13) for k in range(1, 6))

    modules = [
        ItemRecord(id=f"m{i}", title=f"Module {i}", description=text(i)) for i in range(count)
    ]
    credentials = [
        ItemRecord(id=f"c{i}", title=f"Course {i}", description=text(i + 1)) for i in range(count)
    ]
    qrels = [Qrel(credential_id=f"c{i}", module_id=f"m{i}", relevance=1) for i in range(count)]
    return EquivalenceSet(name="shifted", modules=modules, credentials=credentials, qrels=qrels)


def test_a_threshold_keeps_its_rate_of_unrelated_pairs() -> None:
    base = Quantiles((0.0, 0.5, 0.9), (0.2, 0.6, 0.7))
    assert base.carry(0.5) == 0.6
    assert base.carry(0.7) == pytest.approx(0.65)
    assert base.carry(0.95) == pytest.approx(0.75)  # past the highest pair measured: its distance
    assert base.carry(-0.1) == pytest.approx(0.1)


def test_the_scale_is_measured_on_unrelated_pairs_and_carries_thresholds_over() -> None:
    base, tuned = HashingEmbedder(), Shifted(0.5)
    scale = measure_scale(decisions(60), lambda: (base, base), lambda: (tuned, tuned), sample=60)
    assert scale is not None
    # every cosine moved halfway to 1: so does each threshold
    for threshold in (0.1, 0.2, 0.3):
        assert scale.outcome.carry(threshold) == pytest.approx(0.5 + threshold / 2, abs=0.01)
        assert scale.module.carry(threshold) == pytest.approx(0.5 + threshold / 2, abs=0.01)


def test_a_set_too_small_gives_no_scale_and_loads_no_model() -> None:
    def load() -> tuple[HashingEmbedder, HashingEmbedder]:
        raise AssertionError("no model needed")

    assert measure_scale(decisions(10), load, load) is None


def test_the_engine_applies_the_thresholds_of_the_folder_it_reads(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, embedder="fake", _env_file=None)
    embedder = create_embedder(settings, cached=False)
    plain = matching_thresholds(embedder, settings)
    scale = ScoreScale(Quantiles((0.0, 1.0), (0.5, 1.0)), Quantiles((0.0, 1.0), (0.0, 0.5)))
    folder = tmp_path / "adapted"
    folder.mkdir()
    write_scale(folder, scale)
    assert read_scale(folder) == scale
    own = settings.model_copy(update={"model_path": folder})
    assert matching_thresholds(embedder, own) == {
        "outcome_match_threshold": round(0.5 + plain["outcome_match_threshold"] / 2, 4),
        "min_proposal_score": round(plain["min_proposal_score"] / 2, 4),
    }
    assert read_scale(tmp_path) is None  # a folder without one: the thresholds as they are


def test_a_corrupted_scale_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / SCALE_FILE).write_text(json.dumps({"outcome": {"base": [1, 0], "tuned": [0]}}))
    with pytest.raises(ModelUnavailable, match="not a score scale"):
        read_scale(tmp_path)


def test_a_model_tuned_twice_carries_thresholds_from_the_first_scale() -> None:
    first = ScoreScale(Quantiles((0.0, 1.0), (0.0, 0.5)), Quantiles((0.0, 1.0), (0.0, 0.5)))
    second = ScoreScale(Quantiles((0.0, 0.5), (0.2, 0.6)), Quantiles((0.0, 0.5), (0.2, 0.6)))
    composed = second.after(first)
    for threshold in (0.2, 0.6, 0.9):
        once = first.outcome.carry(threshold)
        assert composed.outcome.carry(threshold) == pytest.approx(second.outcome.carry(once))
    assert second.after(None) == second
