"""The learned ranker: LightGBM LambdaRank over candidate features, one group per credential."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

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


@dataclass
class LearnedRanker:
    """A LambdaRank model and the feature columns it reads."""

    booster: object  # lightgbm.Booster
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
        data = lightgbm.Dataset(x, y, group=[len(labels) for _, labels in kept])
        booster = lightgbm.train(dict(LAMBDARANK_PARAMS), data, num_boost_round=ROUNDS)
        return cls(booster, list(columns))

    def score(self, features: np.ndarray) -> np.ndarray:
        """Return one score per row of a (candidates, all features) matrix; higher is better."""
        if len(features) == 0:
            return np.zeros(0)
        return np.asarray(self.booster.predict(features[:, self.columns]), dtype=np.float64)

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.booster.save_model(str(folder / "ranker.txt"))
        (folder / "ranker.json").write_text(json.dumps({"columns": self.columns}))

    @classmethod
    def load(cls, folder: Path) -> LearnedRanker:
        import lightgbm

        columns = json.loads((folder / "ranker.json").read_text())["columns"]
        return cls(lightgbm.Booster(model_file=str(folder / "ranker.txt")), columns)
