"""The warm protocol for course stage, and the reliability of level confidences.

Warm: the items of the other folds, with their stages, are a catalogue (lower division read as
the short-cycle level EQF 5, upper division as EQF 6, as ``catalogue_places`` reads the years of
a first-cycle programme); the engine's catalogue scale is fitted on them exactly as on a
programme, and each held-out item is read on it as a credential would be: its text, its generic
level score, and its match scores with the catalogue's items (the engine's module score, the
mean of whole-text and title cosine). Out-of-fold probabilities make one AUROC, and their
confidence one reliability table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from recognition_engine.levels.catalogue import CataloguePlace, fit_catalogue_levels
from recognition_engine.matching import module_score

LOWER_EQF, UPPER_EQF = 5, 6
CONFIDENT = 0.8
RELIABILITY_BINS = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)


@dataclass(frozen=True)
class StageItem:
    """One labelled item, as the warm protocol reads it."""

    id: str
    title: str
    description: str
    upper: bool


@dataclass(frozen=True)
class WarmStage:
    """Out-of-fold results of the warm protocol, shape (n,) each."""

    upper_probability: np.ndarray  # calibrated P(upper division)
    signals: dict[str, np.ndarray]  # each signal alone, as log-odds of upper division
    trained_on: list[list[int]]  # per fold, the rows whose stages were read


def warm_stage(
    items: Sequence[StageItem],
    generic: np.ndarray,
    text_vectors: np.ndarray,
    title_vectors: np.ndarray,
    *,
    folds: int = 5,
    seed: int = 0,
) -> WarmStage:
    """Return out-of-fold P(upper) for every item, each fold read on a scale fitted on the others.

    ``generic``: shape (n,), the generic level score of each item (no label used);
    ``text_vectors``, ``title_vectors``: shape (n, d), their whole-text and title embeddings.
    """
    from sklearn.model_selection import StratifiedKFold

    upper = np.array([item.upper for item in items])
    probability = np.zeros(len(items))
    signals = {name: np.zeros(len(items)) for name in ("model", "generic", "neighbours")}
    trained_on: list[list[int]] = []
    splitter = StratifiedKFold(folds, shuffle=True, random_state=seed)
    for fit_rows, held_rows in splitter.split(np.zeros(len(items)), upper):
        places = [_place(items[i]) for i in fit_rows]
        scale = fit_catalogue_levels(
            places, generic[fit_rows], _scores(text_vectors, title_vectors, fit_rows, fit_rows)
        )
        scores = _scores(text_vectors, title_vectors, held_rows, fit_rows)
        texts = [places_text(items[i]) for i in held_rows]
        probability[held_rows] = scale.probabilities(texts, generic[held_rows], scores)[:, 1]
        for name, values in scale.signals(texts, generic[held_rows], scores).items():
            signals[name][held_rows] = values[:, 1] - values[:, 0]
        trained_on.append([int(i) for i in fit_rows])
    return WarmStage(probability, signals, trained_on)


def places_text(item: StageItem) -> str:
    """The whole text of an item, as the catalogue model reads a module or a credential."""
    return _place(item).text


def _place(item: StageItem) -> CataloguePlace:
    return CataloguePlace(
        code=item.id,
        title=item.title,
        eqf_level=UPPER_EQF if item.upper else LOWER_EQF,
        context=item.description,
    )


def _scores(
    text_vectors: np.ndarray, title_vectors: np.ndarray, rows: np.ndarray, columns: np.ndarray
) -> np.ndarray:
    return module_score(
        text_vectors[rows] @ text_vectors[columns].T, title_vectors[rows] @ title_vectors[columns].T
    )


def reliability(confidence: np.ndarray, right: np.ndarray) -> dict:
    """Return how often the level is right at each confidence: the reliability table.

    ``confidence``: shape (n,), the stated probability that each estimate is right; ``right``:
    shape (n,) booleans. Also the share of estimates at or above ``CONFIDENT`` and how often
    those are right, and the expected calibration error over the bins.
    """
    bins = []
    gap = 0.0
    for low, high in zip(RELIABILITY_BINS[:-1], RELIABILITY_BINS[1:], strict=True):
        inside = (confidence >= low) & ((confidence < high) | (high == 1.0))
        if not inside.any():
            continue
        stated, observed = float(confidence[inside].mean()), float(right[inside].mean())
        gap += inside.sum() * abs(stated - observed)
        bins.append(
            {
                "confidence": f"{low:.1f}-{high:.1f}",
                "estimates": int(inside.sum()),
                "mean_confidence": round(stated, 4),
                "right": round(observed, 4),
            }
        )
    confident = confidence >= CONFIDENT
    return {
        "bins": bins,
        "confident_at": CONFIDENT,
        "confident_share": round(float(confident.mean()), 4),
        "right_when_confident": round(float(right[confident].mean()), 4)
        if confident.any()
        else None,
        "expected_calibration_error": round(gap / max(len(confidence), 1), 4),
    }
