"""Calibrated confidence: the probability that a module is the right one.

The raw confidence is a softmax over the learned scores of the top candidates; an isotonic map,
fitted on out-of-fold predictions, turns it into a probability. Monotone by construction.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import numpy as np

TOP = 10


class ConfidenceTier(StrEnum):
    HIGH = "high"
    REVIEW = "review"
    LOW = "low"


HIGH_CONFIDENCE = 0.9


def softmax_shares(scores: np.ndarray, top: int = TOP) -> np.ndarray:
    """Return each candidate's softmax share among the ``top`` best scores (0 outside them)."""
    shares = np.zeros(len(scores))
    if len(scores) == 0:
        return shares
    best = np.argsort(-scores, kind="stable")[:top]
    exp = np.exp(scores[best] - scores[best].max())
    shares[best] = exp / exp.sum()
    return shares


@dataclass(frozen=True)
class Calibrator:
    """A monotone map from raw confidence to probability (isotonic regression's knots)."""

    knots_x: tuple[float, ...]
    knots_y: tuple[float, ...]

    @classmethod
    def fit(cls, raw: Sequence[float], correct: Sequence[bool]) -> Calibrator:
        """Return the isotonic map of ``raw`` confidences to the observed ``correct`` rate."""
        from sklearn.isotonic import IsotonicRegression

        if len(raw) == 0:
            return cls((0.0, 1.0), (0.0, 1.0))
        model = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip", increasing=True)
        model.fit(np.asarray(raw, dtype=np.float64), np.asarray(correct, dtype=np.float64))
        return cls(
            tuple(float(x) for x in model.X_thresholds_),
            tuple(float(y) for y in model.y_thresholds_),
        )

    def __call__(self, raw: np.ndarray | float) -> np.ndarray:
        return np.interp(np.asarray(raw, dtype=np.float64), self.knots_x, self.knots_y)

    def save(self, path: Path) -> None:
        path.write_text(json.dumps({"x": self.knots_x, "y": self.knots_y}))

    @classmethod
    def load(cls, path: Path) -> Calibrator:
        data = json.loads(path.read_text())
        return cls(tuple(data["x"]), tuple(data["y"]))


def confidence_tier(probability: float, minimum: float) -> ConfidenceTier:
    """High from 0.9; review from the proposal threshold ``minimum``; low below it."""
    if probability >= HIGH_CONFIDENCE:
        return ConfidenceTier.HIGH
    if probability >= minimum:
        return ConfidenceTier.REVIEW
    return ConfidenceTier.LOW
