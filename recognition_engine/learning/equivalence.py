"""Has an equivalent: the probability that a credential has any equivalent module at all.

The learned ranker orders the candidates of one credential and says nothing about whether the
best of them is an equivalent: its softmax share is relative (two near-twin modules make a right
answer look unsure, one close module makes a credential with no equivalent look sure). This
model reads absolute signals instead: how similar the best candidates are, by how much the best
leads, how the nearest decided credentials were judged, and how often the credential's subject
went without an equivalent. The shown confidence is P(has an equivalent) × P(this module is the
right one | it has one).

A logistic model over standardised features: a few hundred decisions fit it without following
their noise, and each coefficient can be read (a gradient-boosted classifier was not needed to
separate what these features separate).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from recognition_engine.learning.calibration import softmax_shares
from recognition_engine.learning.features import FEATURES
from recognition_engine.learning.precedents import Neighbour, PrecedentMemory
from recognition_engine.matching import ModuleMatch

COLD_FEATURES: tuple[str, ...] = (
    "top_score",  # the best candidate's engine score (mean of whole-text and title cosine)
    "score_margin",  # its lead over the second
    "top_text",
    "top_title",
    "top_tfidf",
)
"""What the matching alone says: the has-an-equivalent model of a catalogue with no decision."""

DECISION_FEATURES: tuple[str, ...] = (
    "ranker_margin",  # the learned ranker's lead of its first candidate over the second
    "ranker_share",
    "nearest_similarity",  # the nearest decided credential
    "neighbour_none_share",  # similarity-weighted share of the nearest judged "no equivalent"
    "nearest_none_similarity",
    "nearest_match_similarity",
    "subject_none_rate",  # logit of the smoothed rate of "no equivalent" in the subject
    "subject_decisions",  # log(1 + decided credentials of the subject)
    "precedent_votes",  # the ranker's first candidate: what the nearest decisions say of it
)
WARM_FEATURES = COLD_FEATURES + DECISION_FEATURES
EQUIVALENCE_FEATURES = WARM_FEATURES
"""P(has an equivalent) reads these. (A second logistic model for P(the first candidate is right
| it has one) over the ranker's share, its margin, the best precedent and whether the text,
title and TF-IDF agree on the first: VT precision at coverage 0.2 0.889 → 0.927, W&M-A 0.556 →
0.533, ECE worse on both; the calibrated share stays.)"""
REGULARISATION = 1.0  # sklearn's C, not tuned on a set


@dataclass(frozen=True)
class LogisticModel:
    """A logistic model over named features, kept as plain numbers (saved as JSON).

    Missing values are filled with the training mean; features are standardised.
    """

    names: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float

    @classmethod
    def fit(
        cls,
        names: Sequence[str],
        x: np.ndarray,
        y: Sequence[bool],
        c: float = REGULARISATION,
        *,
        standardise: bool = True,
    ) -> LogisticModel:
        """Return the model fitted to rows ``x`` (n, len(names)) and labels ``y``.

        ``standardise=False`` keeps features already on one scale as they are: a feature that
        barely varies in training then keeps a small weight, not one that blows its variation
        up to a unit.
        """
        from sklearn.linear_model import LogisticRegression

        x = np.asarray(x, dtype=np.float64)
        labels = np.asarray(y, dtype=bool)
        mean = np.nanmean(x, axis=0) if len(x) else np.zeros(len(names))
        mean = np.nan_to_num(mean)
        filled = np.where(np.isnan(x), mean, x)
        scale = filled.std(axis=0) if len(x) else np.ones(len(names))
        scale = np.where(scale > 1e-9, scale, 1.0)
        if not standardise:
            mean, scale = np.zeros(len(names)), np.ones(len(names))
        rate = (labels.sum() + 1.0) / (len(labels) + 2.0)
        if labels.all() or not labels.any():  # one class only: the smoothed rate
            return cls(tuple(names), tuple(mean), tuple(scale), (0.0,) * len(names),
                       float(math.log(rate / (1 - rate))))
        model = LogisticRegression(C=c, max_iter=1000).fit((filled - mean) / scale, labels)
        return cls(tuple(names), tuple(float(v) for v in mean), tuple(float(v) for v in scale),
                   tuple(float(v) for v in model.coef_[0]), float(model.intercept_[0]))

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """Return P(label) for each row of ``x`` (n, len(names)), or one value for one row."""
        x = np.asarray(x, dtype=np.float64)
        mean, scale = np.array(self.mean), np.array(self.scale)
        filled = np.where(np.isnan(x), mean, x)
        z = ((filled - mean) / scale) @ np.array(self.coef) + self.intercept
        return 1.0 / (1.0 + np.exp(-z))

    def to_json(self) -> dict[str, object]:
        return {"names": list(self.names), "mean": list(self.mean), "scale": list(self.scale),
                "coef": list(self.coef), "intercept": self.intercept}

    @classmethod
    def from_json(cls, data: dict[str, object]) -> LogisticModel:
        def floats(key: str) -> tuple[float, ...]:
            return tuple(float(v) for v in data[key])  # type: ignore[attr-defined]

        names = tuple(str(v) for v in data["names"])  # type: ignore[attr-defined]
        model = cls(names, floats("mean"), floats("scale"), floats("coef"),
                    float(data["intercept"]))  # type: ignore[arg-type]
        if not len(model.names) == len(model.mean) == len(model.scale) == len(model.coef):
            raise ValueError("a logistic model whose parts differ in length")
        return model


def columns(names: Sequence[str], among: Sequence[str] = WARM_FEATURES) -> list[int]:
    """Return the positions of ``names`` in a row of ``among``."""
    return [list(among).index(name) for name in names]


def cold_row(matches: Sequence[ModuleMatch], tfidf: Sequence[float] = ()) -> np.ndarray:
    """Return the COLD_FEATURES of a credential from its candidates (any order)."""
    row = np.full(len(COLD_FEATURES), np.nan)
    if not matches:
        return row
    scores = sorted((m.score for m in matches), reverse=True)
    row[0] = scores[0]
    row[1] = scores[0] - scores[1] if len(scores) > 1 else np.nan
    row[2] = max(m.text_similarity for m in matches)
    row[3] = max(m.title_similarity for m in matches)
    known = [t for t in tfidf if t == t]
    row[4] = max(known) if known else np.nan
    return row


def warm_row(
    credential_key: str,
    matches: Sequence[ModuleMatch],
    features: np.ndarray,
    scores: np.ndarray,
    neighbours: Sequence[Neighbour],
    memory: PrecedentMemory,
    *,
    exclude_own: bool = False,
) -> np.ndarray:
    """Return the WARM_FEATURES of a credential (NaN where unknown).

    ``features``: the candidates' ranker features (len(matches), len(FEATURES)); ``scores``:
    the learned ranker's scores of the same candidates.
    """
    tfidf = features[:, FEATURES.index("tfidf")] if len(features) else np.zeros(0)
    values: dict[str, float] = dict(zip(COLD_FEATURES, cold_row(matches, tfidf), strict=True))
    if len(scores):
        order = np.argsort(-scores, kind="stable")
        values |= {
            "ranker_margin": scores[order[0]] - scores[order[1]] if len(scores) > 1 else np.nan,
            "ranker_share": float(softmax_shares(scores)[order[0]]),
            "precedent_votes": features[order[0], FEATURES.index("precedent_votes")],
        }
    similarity: dict[str, float] = {}
    has: dict[str, bool] = {}
    for n in neighbours:
        key = n.precedent.credential_key
        similarity[key] = n.similarity
        has[key] = memory.outcomes.get(key, False)
    if similarity:
        weights = np.array([max(similarity[k], 0.0) for k in similarity])
        none = np.array([not has[k] for k in similarity], dtype=np.float64)
        values |= {
            "nearest_similarity": max(similarity.values()),
            "neighbour_none_share": (
                float(weights @ none / weights.sum()) if weights.sum() > 0 else np.nan
            ),
            "nearest_none_similarity": max(
                (v for k, v in similarity.items() if not has[k]), default=0.0
            ),
            "nearest_match_similarity": max(
                (v for k, v in similarity.items() if has[k]), default=0.0
            ),
        }
    if memory.outcomes:
        rate, count = memory.none_rate(credential_key, exclude_own=exclude_own)
        rate = min(max(rate, 1e-3), 1 - 1e-3)
        values |= {"subject_none_rate": math.log(rate / (1 - rate)),
                   "subject_decisions": math.log1p(count)}
    return np.array([values.get(name, np.nan) for name in WARM_FEATURES], dtype=np.float64)
