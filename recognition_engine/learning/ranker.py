"""The learned ranker: LightGBM LambdaRank over candidate features, one group per credential."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from recognition_engine.learning.features import FEATURES

# Fixed before any measurement, small enough for a few hundred decisions; not tuned on a set.
LAMBDARANK_PARAMS: dict[str, object] = {
    "objective": "lambdarank",
    "metric": "ndcg",
    "learning_rate": 0.05,
    "num_leaves": 15,
    "min_data_in_leaf": 20,
    "feature_fraction": 0.9,
    "lambdarank_truncation_level": 20,
    "num_threads": 2,
    "deterministic": True,
    "seed": 7,
    "verbose": -1,
}
ROUNDS = 200

# The direction a feature's effect must take where it is known, so that a few decisions cannot
# teach the opposite (+1: more is better, -1: less is better, 0: free). The rank features count
# from 0 for the best; the stage difference and the workload ratio have no known direction.
# A ranker held to them alone helped where decisions are few and hurt where they are many (warm,
# mean of three fold splits: W&M-A, 66 credentials with an equivalent, P@1 0.611 → 0.662; VT,
# 270, 0.665 → 0.626); choosing one by inner cross-validation was no better than chance on VT.
# The mean of a free ranker's score and a held one's kept both: 0.636 and 0.667.
MONOTONE: dict[str, int] = {
    "text_cosine": 1, "score_gap": 1, "title_cosine": 1, "coverage": 1, "strength": 1,
    "credential_coverage": 1, "tfidf": 1, "precedent_votes": 1, "precedent_best": 1,
    "module_popularity": 1, "subject_prior": 1, "sequence_agreement": 1, "text_gap": 1,
    "title_gap": 1, "title_rank": -1, "tfidf_gap": 1, "tfidf_rank": -1,
}

_SEQUENCE = FEATURES.index("sequence_agreement")


def below_sequence_conflicts(scores: np.ndarray, agreement: np.ndarray) -> np.ndarray:
    """Return the scores with every candidate whose title names another place in a course
    sequence than the credential's ("Organic Chemistry I" for "Organic Chemistry II") moved
    below every candidate that does not, in the same order among themselves: the rule
    ``matching.below_sequence_conflicts`` applies to the engine's candidates, on learned scores
    (evidence in ``recognition_engine.course_sequence``). A few hundred decisions hold too few
    such candidates for the ranker to learn it: the credentials of a numbered series are mostly
    languages, which seldom get an equivalent.
    """
    conflict = agreement < 0
    if not conflict.any() or conflict.all():
        return scores
    drop = scores[conflict].max() - scores[~conflict].min() + 1.0
    return np.where(conflict, scores - max(drop, 0.0), scores)


@dataclass
class LearnedRanker:
    """LambdaRank models over the same feature columns, their scores averaged: one free to learn
    any shape, one held to the known directions of ``MONOTONE``."""

    boosters: list[object]  # lightgbm.Booster
    columns: list[int]

    @classmethod
    def fit(
        cls, groups: Sequence[np.ndarray], labels: Sequence[np.ndarray], columns: Sequence[int]
    ) -> LearnedRanker:
        """Return a ranker fitted on one (candidates, features) matrix and label vector per
        credential; groups without a relevant candidate teach nothing and are left out."""
        import lightgbm

        kept = [(x, y) for x, y in zip(groups, labels, strict=True) if len(y) and y.max() > 0]
        if not kept:
            raise ValueError("no decision with its module among the candidates to learn from")
        x = np.vstack([g[:, list(columns)] for g, _ in kept])
        y = np.concatenate([labels for _, labels in kept])
        data = lightgbm.Dataset(x, y, group=[len(labels) for _, labels in kept],
                                free_raw_data=False)
        directions = [MONOTONE.get(FEATURES[c], 0) for c in columns]
        boosters = [
            lightgbm.train(dict(LAMBDARANK_PARAMS), data, num_boost_round=ROUNDS),
            lightgbm.train({**LAMBDARANK_PARAMS, "monotone_constraints": directions}, data,
                           num_boost_round=ROUNDS),
        ]
        return cls(boosters, list(columns))

    def score(self, features: np.ndarray) -> np.ndarray:
        """Return one score per row of a (candidates, all features) matrix; higher is better."""
        if len(features) == 0:
            return np.zeros(0)
        x = features[:, self.columns]
        scores = np.mean([np.asarray(b.predict(x), dtype=np.float64)  # type: ignore[attr-defined]
                          for b in self.boosters], axis=0)
        return below_sequence_conflicts(scores, features[:, _SEQUENCE])

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        files = [_booster_file(i) for i in range(len(self.boosters))]
        for booster, name in zip(self.boosters, files, strict=True):
            booster.save_model(str(folder / name))  # type: ignore[attr-defined]
        (folder / "ranker.json").write_text(json.dumps({"columns": self.columns,
                                                        "boosters": files}))

    @classmethod
    def load(cls, folder: Path) -> LearnedRanker:
        import lightgbm

        meta = json.loads((folder / "ranker.json").read_text())
        files = meta.get("boosters", [_booster_file(0)])  # a model saved with one booster
        boosters = [lightgbm.Booster(model_file=str(folder / name)) for name in files]
        return cls(boosters, meta["columns"])


def _booster_file(index: int) -> str:
    return "ranker.txt" if index == 0 else f"ranker-{index}.txt"
