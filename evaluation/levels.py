"""Evaluation of level estimation: Bloom classification, course stage and CS2013 mastery.

Pure functions over dataset folders; the ``evaluate`` command dispatches to them.

- ``bloom``: ``outcomes.jsonl`` with ``labels`` (Bloom levels, multi-label). Micro/macro and
  per-level F1 of the trained classifier, by 5-fold cross-validation or on a separate training
  folder, next to the verb lexicon on the same outcomes.
- ``stage``: ``items.jsonl`` with ``stage`` lower/upper, in two protocols. Cold: AUROC of the
  generic level score (upper-division courses should score higher), the estimator reading each
  item's raw title, description and prerequisites as context; nothing of the estimate is trained
  on the evaluated set. Beside it, ``auroc_cv_supervised`` is a reference learned on this very
  set (5-fold cross-validated logistic regression on TF-IDF of title + description). Warm:
  K-fold, the other folds' items and stages taken as a catalogue with levels, the held-out fold
  read on it as the engine reads a credential (``stage_protocols``). Both report the reliability
  of the confidence.
- ``mastery``: CS2013 ``outcomes.jsonl`` with ``mastery`` Familiarity < Usage < Assessment.
  Spearman correlation of the per-outcome score with the mastery rank.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np

from evaluation.stage_protocols import (
    UPPER_EQF,
    StageItem,
    places_text,
    reliability,
    warm_stage,
)
from recognition_engine.errors import InvalidInput
from recognition_engine.ingestion.files import read_jsonl
from recognition_engine.ingestion.outcomes import split_outcomes
from recognition_engine.levels.bloom import (
    label_matrix,
    lexicon_outcome_level,
    train_classifier,
)
from recognition_engine.levels.eqf import LevelEstimator, generic_confidence
from recognition_engine.levels.verbs import BLOOM_ORDER, load_lexicon
from recognition_engine.models import Embedder

MASTERY_RANK = {"familiarity": 1, "usage": 2, "assessment": 3}
STAGE_POSITIVE, STAGE_NEGATIVE = "upper", "lower"
CV_FOLDS = 5


def detect_task(dataset_dir: Path) -> str | None:
    """Return 'bloom', 'stage' or 'mastery' for the level data sets, None for anything else."""
    items, outcomes = dataset_dir / "items.jsonl", dataset_dir / "outcomes.jsonl"
    if items.is_file() and "stage" in _first(items):
        return "stage"
    if outcomes.is_file():
        first = _first(outcomes)
        if "labels" in first:
            return "bloom"
        if "mastery" in first:
            return "mastery"
    return None


# --- Bloom ----------------------------------------------------------------------------------


def evaluate_bloom(
    dataset_dir: Path,
    train_dir: Path | None,
    embedder: Embedder,
    *,
    folds: int = CV_FOLDS,
    encoder_epochs: float = 0.0,
    encoder_base: Path | None = None,
    report: Callable[[str], None] | None = None,
) -> dict:
    """Return micro/macro/per-level F1 of the Bloom classifier (and of the lexicon) on a set.

    The classifier is trained as ``level-train`` trains it: with ``encoder_epochs`` > 0 the
    model in ``encoder_base`` is fine-tuned on each training fold too.
    """
    texts, labels = _bloom_set(dataset_dir)
    embeddings = embedder.embed(texts, progress=True)
    training = {"encoder_epochs": encoder_epochs, "encoder_base": encoder_base, "report": report}
    if train_dir is not None:
        train_texts, train_labels = _bloom_set(train_dir)
        classifier = train_classifier(
            train_texts,
            train_labels,
            embedder.embed(train_texts, progress=True),
            embedder.model_id,
            **training,
        )
        predicted = classifier.decide(classifier.predict_proba(texts, embeddings))
        protocol = f"trained on {train_dir.name} ({len(train_texts)} outcomes)"
    else:
        predicted = _cross_validated_predictions(
            texts, labels, embeddings, embedder.model_id, folds, training
        )
        protocol = f"{folds}-fold cross-validation"
    if encoder_epochs:
        protocol += f", the embedding model fine-tuned for {encoder_epochs:g} epochs"
    lexicon = load_lexicon()
    lexicon_predicted = label_matrix(
        [[b.value for b in lexicon_outcome_level(text, lexicon).bloom] for text in texts]
    )
    return {
        "task": "bloom",
        "dataset": dataset_dir.name,
        "outcomes": len(texts),
        "protocol": protocol,
        "embedder": embedder.model_id,
        **_f1_scores(labels, predicted),
        "exact_match": round(float((predicted == labels).all(axis=1).mean()), 4),
        "lexicon": _f1_scores(labels, lexicon_predicted),
    }


def _cross_validated_predictions(
    texts: list[str],
    labels: np.ndarray,
    embeddings: np.ndarray,
    embedder_id: str,
    folds: int,
    training: dict,
) -> np.ndarray:
    from sklearn.model_selection import KFold

    report = training.get("report")
    predicted = np.zeros(labels.shape, dtype=bool)
    splits = KFold(folds, shuffle=True, random_state=0).split(texts)
    for fold, (train_rows, test_rows) in enumerate(splits, start=1):
        classifier = train_classifier(
            [texts[i] for i in train_rows],
            labels[train_rows],
            embeddings[train_rows],
            embedder_id,
            **training,
        )
        test_texts = [texts[i] for i in test_rows]
        probabilities = classifier.predict_proba(test_texts, embeddings[test_rows])
        predicted[test_rows] = classifier.decide(probabilities)
        if report is not None:
            micro = _f1_scores(labels[test_rows], predicted[test_rows])["micro_f1"]
            report(f"fold {fold}/{folds}: micro-F1 {micro}")
    return predicted


def _f1_scores(truth: np.ndarray, predicted: np.ndarray) -> dict:
    from sklearn.metrics import f1_score

    per_label = f1_score(truth, predicted, average=None, zero_division=0)
    return {
        "micro_f1": round(float(f1_score(truth, predicted, average="micro", zero_division=0)), 4),
        "macro_f1": round(float(f1_score(truth, predicted, average="macro", zero_division=0)), 4),
        "per_label": {
            level.value: round(float(score), 4)
            for level, score in zip(BLOOM_ORDER, per_label, strict=True)
        },
    }


def _bloom_set(folder: Path) -> tuple[list[str], np.ndarray]:
    rows = [row for row in _records(folder / "outcomes.jsonl") if row.get("text")]
    if not rows:
        raise InvalidInput(f"{folder}: no labelled outcomes")
    return [row["text"] for row in rows], label_matrix([row.get("labels", []) for row in rows])


# --- stage and mastery --------------------------------------------------------------------


def evaluate_stage(
    dataset_dir: Path,
    embedder: Embedder,
    *,
    classifier_path: Path | None = None,
    protocol: str = "cold",
    folds: int = CV_FOLDS,
) -> dict:
    """Return the AUROC of the level estimate for upper- vs lower-division items.

    ``cold``: the generic level score, no stage of the set read. ``warm``: K-fold, each fold read
    on the catalogue scale fitted on the other folds' items and stages (``stage_protocols``).
    Both report the reliability of the level confidence (right: on the item's side of the
    lower/upper division, EQF 5 vs 6).
    """
    if protocol not in ("cold", "warm"):
        raise InvalidInput(f"unknown protocol {protocol!r}: 'cold' or 'warm'")
    items = [
        row
        for row in _records(dataset_dir / "items.jsonl")
        if str(row.get("stage", "")).lower() in (STAGE_POSITIVE, STAGE_NEGATIVE)
    ]
    if not items:
        raise InvalidInput(f"{dataset_dir}: no items with stage lower or upper")
    estimator = LevelEstimator(embedder, classifier_path)
    contexts = [_item_context(row) for row in items]
    components = estimator.level_components([_item_outcomes(row) for row in items], contexts)
    upper = np.array([str(row["stage"]).lower() == STAGE_POSITIVE for row in items])
    result: dict = {
        "task": "stage",
        "protocol": protocol,
        "dataset": dataset_dir.name,
        "items": len(items),
        "upper": int(upper.sum()),
        "lower": int((~upper).sum()),
        "method": estimator.method,
    }
    if protocol == "warm":
        return result | _warm_stage(items, components["score"], upper, embedder, folds)
    score = components["score"]
    levels = np.clip(np.floor(score + 0.5), 1, 8)
    confidence = np.array([generic_confidence(float(value)) for value in score])
    return result | {
        "auroc": _auroc(upper, score),
        "auroc_bloom_only": _auroc(upper, components["bloom"]),
        "auroc_descriptors_only": _auroc(upper, components["descriptors"]),
        "auroc_depth_only": _auroc(upper, components["depth"]),
        "eqf_levels": {
            str(int(level)): int(count)
            for level, count in zip(*np.unique(levels, return_counts=True), strict=True)
        },
        "reliability": reliability(confidence, (levels >= UPPER_EQF) == upper),
        "auroc_cv_supervised": _supervised_reference_auroc(contexts, upper),
        "auroc_cv_supervised_note": (
            f"learned on this set: {CV_FOLDS}-fold cross-validated logistic regression on TF-IDF "
            "of title + description; a reference, not the product's estimate"
        ),
    }


def _warm_stage(
    rows: list[dict], generic: np.ndarray, upper: np.ndarray, embedder: Embedder, folds: int
) -> dict:
    items = [
        StageItem(
            str(row.get("id", i)),
            str(row.get("title") or ""),
            "\n".join(str(row[key]) for key in ("description", "prerequisites") if row.get(key)),
            bool(is_upper),
        )
        for i, (row, is_upper) in enumerate(zip(rows, upper, strict=True))
    ]
    texts = embedder.embed([places_text(item) for item in items], progress=len(items) > 1000)
    titles = embedder.embed([item.title for item in items], progress=len(items) > 1000)
    warm = warm_stage(items, generic, texts, titles, folds=folds)
    probability = warm.upper_probability
    confidence = np.maximum(probability, 1 - probability)
    return {
        "folds": folds,
        "auroc": _auroc(upper, probability),
        "auroc_model_only": _auroc(upper, warm.signals["model"]),
        "auroc_neighbours_only": _auroc(upper, warm.signals["neighbours"]),
        "auroc_generic_only": _auroc(upper, warm.signals["generic"]),
        "reliability": reliability(confidence, (probability >= 0.5) == upper),
        "note": (
            f"{folds}-fold: each fold read on the catalogue scale fitted on the other folds' "
            "items and stages (lower = EQF 5, upper = EQF 6), calibrated on them out of fold"
        ),
    }


def evaluate_mastery(
    dataset_dir: Path, embedder: Embedder, *, classifier_path: Path | None = None
) -> dict:
    """Return the Spearman correlation of the per-outcome level score with CS2013 mastery."""
    from scipy.stats import spearmanr

    rows = [
        row
        for row in _records(dataset_dir / "outcomes.jsonl")
        if str(row.get("mastery", "")).lower() in MASTERY_RANK and row.get("text")
    ]
    if not rows:
        raise InvalidInput(f"{dataset_dir}: no outcomes with a CS2013 mastery level")
    estimator = LevelEstimator(embedder, classifier_path)
    mastery = np.array([MASTERY_RANK[str(row["mastery"]).lower()] for row in rows])
    components = estimator.level_components([[row["text"]] for row in rows])

    def correlation(scores: np.ndarray) -> float | None:
        if np.ptp(scores) == 0:  # undefined, as when no outcome has a depth cue
            return None
        return round(float(spearmanr(scores, mastery).statistic), 4)

    return {
        "task": "mastery",
        "dataset": dataset_dir.name,
        "outcomes": len(rows),
        "method": estimator.method,
        "spearman": correlation(components["score"]),
        "spearman_bloom_only": correlation(components["bloom"]),
        "spearman_descriptors_only": correlation(components["descriptors"]),
        "spearman_depth_only": correlation(components["depth"]),
        "mean_score_by_mastery": {
            name: round(float(components["score"][mastery == rank].mean()), 3)
            for name, rank in MASTERY_RANK.items()
            if (mastery == rank).any()
        },
    }


def _item_outcomes(row: dict) -> list[str]:
    """The sentences of an item's outcomes, or of its description, or its title."""
    texts = [t for t in row.get("learning_outcomes") or [] if t and t.strip()]
    if not texts and row.get("description"):
        texts = [row["description"]]
    sentences = split_outcomes(list(texts))
    return sentences or [str(row.get("title") or row.get("id") or "")]


def _item_context(row: dict) -> str:
    """The raw text of an item, prerequisites included: where depth-of-study cues are read."""
    parts = [row.get("title"), row.get("description"), row.get("prerequisites")]
    return "\n".join(str(part) for part in parts if part)


def _supervised_reference_auroc(texts: list[str], positive: np.ndarray) -> float | None:
    """Return the out-of-fold AUROC of a TF-IDF logistic regression trained on the set itself."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict
    from sklearn.pipeline import make_pipeline

    minority = int(min(positive.sum(), (~positive).sum()))
    if minority < 2:
        return None
    model = make_pipeline(
        TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
        LogisticRegression(max_iter=1000, class_weight="balanced", solver="liblinear"),
    )
    folds = StratifiedKFold(min(CV_FOLDS, minority), shuffle=True, random_state=0)
    scores = cross_val_predict(model, texts, positive, cv=folds, method="predict_proba")[:, 1]
    return _auroc(positive, scores)


def _auroc(positive: np.ndarray, scores: np.ndarray) -> float | None:
    from sklearn.metrics import roc_auc_score

    if positive.all() or not positive.any():
        return None
    return round(float(roc_auc_score(positive, scores)), 4)


def _records(path: Path) -> list[dict]:
    return [record for _, record in read_jsonl(path)]


def _first(path: Path) -> dict:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                try:
                    record = json.loads(line)
                except json.JSONDecodeError:
                    return {}
                return record if isinstance(record, dict) else {}
    return {}
