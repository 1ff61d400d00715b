"""The learned ranker: the directions it may not unlearn, and candidates out of sequence."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from recognition_engine.learning.features import FEATURES
from recognition_engine.learning.ranker import MONOTONE, LearnedRanker, below_sequence_conflicts

TITLE = FEATURES.index("title_cosine")
TEXT = FEATURES.index("text_cosine")


def test_a_few_misleading_decisions_cannot_turn_a_known_direction_around() -> None:
    # decisions where a higher title similarity went with the wrong module, as a small,
    # unlucky sample might have it
    rng = np.random.default_rng(3)
    groups, labels = [], []
    for _ in range(60):
        features = np.full((10, len(FEATURES)), np.nan)
        features[:, TITLE] = rng.random(10)
        features[:, TEXT] = rng.random(10)
        groups.append(features)
        labels.append((features[:, TITLE] == features[:, TITLE].min()).astype(float))
    assert MONOTONE["title_cosine"] == 1
    free, held = LearnedRanker.fit(groups, labels, [TITLE, TEXT]).boosters
    probe = np.full((21, 2), np.nan)
    probe[:, 0] = np.linspace(0, 1, 21)
    probe[:, 1] = 0.5
    assert np.all(np.diff(held.predict(probe)) >= 0)  # type: ignore[attr-defined]
    # the free one learns the sample's direction; the ranker scores with both
    assert free.predict(probe)[0] > free.predict(probe)[-1]  # type: ignore[attr-defined]


def test_a_saved_ranker_scores_as_it_did_and_one_saved_alone_still_loads(tmp_path: Path) -> None:
    rng = np.random.default_rng(4)
    groups = [np.full((8, len(FEATURES)), np.nan) for _ in range(40)]
    for features in groups:
        features[:, TITLE] = rng.random(8)
        features[:, TEXT] = rng.random(8)
    labels = [(g[:, TEXT] == g[:, TEXT].max()).astype(float) for g in groups]
    ranker = LearnedRanker.fit(groups, labels, [TITLE, TEXT])
    ranker.save(tmp_path / "both")
    loaded = LearnedRanker.load(tmp_path / "both")
    assert np.allclose(loaded.score(groups[0]), ranker.score(groups[0]))
    # a model saved before the second booster: one ranker.txt, columns only
    (tmp_path / "one").mkdir()
    ranker.boosters[0].save_model(str(tmp_path / "one" / "ranker.txt"))  # type: ignore[attr-defined]
    (tmp_path / "one" / "ranker.json").write_text(json.dumps({"columns": [TITLE, TEXT]}))
    alone = LearnedRanker.load(tmp_path / "one")
    assert len(alone.boosters) == 1 and len(alone.score(groups[0])) == 8


def test_a_candidate_out_of_sequence_goes_below_every_other() -> None:
    scores = np.array([3.0, 2.0, 1.0, 0.5])
    agreement = np.array([-1.0, 0.0, 1.0, -1.0])  # "Chemistry I" for "Chemistry II" first
    moved = below_sequence_conflicts(scores, agreement)
    assert list(np.argsort(-moved)) == [1, 2, 0, 3]
    # nothing to move: all agree, or all conflict
    assert np.array_equal(below_sequence_conflicts(scores, np.zeros(4)), scores)
    assert np.array_equal(below_sequence_conflicts(scores, -np.ones(4)), scores)
