"""The model card: what a learned model rests on and what it reached out of fold.

Stored with the model (``model.json``), printed by ``learn --report``, returned by the API: the
decisions used, when, the cross-validated figures on the institution's own decisions (each
credential predicted by a model that never saw its decision) and the library versions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from importlib import metadata

import numpy as np

from recognition_engine.learning.tiers import Tiers

LIBRARIES = ("recognition-engine", "lightgbm", "scikit-learn", "numpy", "sentence-transformers")


def model_card(
    *,
    model_id: str,
    has: Sequence[bool],
    correct: Sequence[bool],
    has_probability: Sequence[float],
    confidence: Sequence[float],
    tiers: Tiers,
    decisions: int,
    seconds: float | None = None,
) -> dict[str, object]:
    """Return the card of a model learned from ``decisions`` module decisions, with the
    out-of-fold ``has``/``correct`` labels and ``has_probability``/``confidence``."""
    had = np.asarray(has, dtype=bool)
    ok = np.asarray(correct, dtype=bool)
    p_has = np.asarray(has_probability, dtype=np.float64)
    shown = np.asarray(confidence, dtype=np.float64)
    return {
        "learned_on": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "model_id": model_id,
        "credentials": int(len(had)),
        "with_equivalent": int(had.sum()),
        "without_equivalent": int((~had).sum()),
        "module_decisions": decisions,
        "cross_validated": {
            "p_at_1": _round(ok[had].mean()) if had.any() else None,
            "auroc_has_equivalent": _round(auroc(had, p_has)),
            "ece": _round(calibration_error(shown, ok)),
            "tiers": tiers.to_json()["bands"],
        },
        "seconds": None if seconds is None else round(seconds, 1),
        "versions": {name: _version(name) for name in LIBRARIES},
    }


def auroc(labels: np.ndarray, scores: np.ndarray) -> float | None:
    """Return the area under the ROC curve, None with one class only."""
    if labels.all() or not labels.any():
        return None
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(labels, scores))


def calibration_error(confidence: np.ndarray, correct: np.ndarray, bins: int = 10) -> float | None:
    """Return the ECE over ``bins`` equal-width bins: mean |accuracy - confidence|, weighted
    (None for no prediction). The harness's figure is this one."""
    if len(confidence) == 0:
        return None
    edges = np.linspace(0, 1, bins + 1)
    which = np.clip(np.digitize(confidence, edges[1:-1]), 0, bins - 1)
    total = 0.0
    for b in range(bins):
        mask = which == b
        if mask.any():
            total += mask.mean() * abs(correct[mask].mean() - confidence[mask].mean())
    return float(total)


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), 4)


def _version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None
