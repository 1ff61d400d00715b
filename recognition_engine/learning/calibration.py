"""Calibrated confidence: the probability that a module is the right one.

The raw confidence is a softmax over the learned scores of the top candidates; a logistic map
of its logit (Platt scaling), fitted on inner out-of-fold predictions, turns it into a
probability. Monotone by construction. Isotonic regression was measured first: on the few
hundred decisions an institution has, its step function followed the noise of the inner folds
(VT, 5-fold, warm: ECE 0.099 against 0.050 with the logistic map, and ties that merged
confident and unsure credentials at the same value).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

TOP = 10
GRID = np.linspace(0.0, 1.0, 201)  # where the fitted map is kept (it is smooth between)


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
    """A monotone map from raw confidence to probability, kept as knots to interpolate."""

    knots_x: tuple[float, ...]
    knots_y: tuple[float, ...]

    @classmethod
    def fit(cls, raw: Sequence[float], correct: Sequence[bool]) -> Calibrator:
        """Return the logistic map of logit(``raw``) to the observed ``correct`` rate."""
        from sklearn.linear_model import LogisticRegression

        x = np.asarray(raw, dtype=np.float64)
        y = np.asarray(correct, dtype=bool)
        if len(x) == 0:
            return cls((0.0, 1.0), (0.0, 1.0))
        rate = float((y.sum() + 1.0) / (len(y) + 2.0))  # the rate, smoothed toward one half
        if y.all() or not y.any():
            return cls((0.0, 1.0), (rate, rate))
        model = LogisticRegression().fit(logit(x)[:, None], y)
        if model.coef_[0, 0] <= 0:  # no higher rate at higher raw confidence: the rate alone
            return cls((0.0, 1.0), (rate, rate))
        probability = model.predict_proba(logit(GRID)[:, None])[:, 1]
        return cls(tuple(float(g) for g in GRID), tuple(float(p) for p in probability))

    def __call__(self, raw: np.ndarray | float) -> np.ndarray:
        return np.interp(np.asarray(raw, dtype=np.float64), self.knots_x, self.knots_y)

    def save(self, path: Path) -> None:
        path.write_text(json.dumps({"x": self.knots_x, "y": self.knots_y}))

    @classmethod
    def load(cls, path: Path) -> Calibrator:
        data = json.loads(path.read_text())
        return cls(tuple(data["x"]), tuple(data["y"]))


def logit(p: np.ndarray) -> np.ndarray:
    """Return log(p / (1 - p)), with p kept inside [1e-4, 1 - 1e-4]."""
    p = np.clip(p, 1e-4, 1 - 1e-4)
    return np.log(p / (1 - p))
