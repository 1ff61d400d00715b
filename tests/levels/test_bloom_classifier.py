"""The Bloom classifier: train, save, load and predict on a small synthetic set."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from recognition_engine.domain import BloomLevel
from recognition_engine.errors import InvalidInput
from recognition_engine.levels import BloomClassifier, LevelEstimator, train_classifier
from recognition_engine.levels.bloom import (
    _best_ratio,
    decide_labels,
    label_matrix,
    verb_features,
)
from recognition_engine.levels.verbs import extract_verbs
from recognition_engine.models import HashingEmbedder

TOPICS = [
    "market data",
    "patient records",
    "network protocols",
    "tax law",
    "soil samples",
    "survey results",
    "software designs",
    "lesson plans",
    "energy systems",
    "legal cases",
]
TEMPLATES = {
    "Remember": ["List the {}", "Recall the {}"],
    "Understand": ["Explain the {}", "Describe the {}"],
    "Apply": ["Apply methods to the {}", "Use tools on the {}"],
    "Analyze": ["Analyse the {}", "Examine the {}"],
    "Evaluate": ["Evaluate the {}", "Critique the {}"],
    "Create": ["Design new {}", "Develop new {}"],
}


def synthetic_set() -> tuple[list[str], list[list[str]]]:
    texts, labels = [], []
    for level, templates in TEMPLATES.items():
        for template in templates:
            for topic in TOPICS:
                texts.append(template.format(topic))
                labels.append([level])
    for topic in TOPICS:  # coordinated verbs carry two levels
        texts.append(f"Design and evaluate {topic}")
        labels.append(["Create", "Evaluate"])
    return texts, labels


@pytest.fixture(scope="module")
def trained() -> BloomClassifier:
    texts, labels = synthetic_set()
    embedder = HashingEmbedder()
    return train_classifier(texts, label_matrix(labels), embedder.embed(texts), embedder.model_id)


def test_classifier_learns_levels_and_multiple_labels(trained: BloomClassifier) -> None:
    texts = [
        "Critique the welfare policies",
        "Describe the welfare policies",
        "Design and evaluate welfare policies",
    ]
    levels = trained.predict(texts, HashingEmbedder().embed(texts))
    assert levels[0].bloom == [BloomLevel.EVALUATE]
    assert levels[1].bloom == [BloomLevel.UNDERSTAND]
    assert set(levels[2].bloom) == {BloomLevel.EVALUATE, BloomLevel.CREATE}
    assert all(level.method == "classifier" and 0 < level.confidence <= 1 for level in levels)
    assert levels[2].verbs == ["design", "evaluate"]


def test_saved_classifier_is_what_the_estimator_loads(
    trained: BloomClassifier, tmp_path: Path
) -> None:
    path = tmp_path / "bloom.joblib"
    trained.save(path)
    estimator = LevelEstimator(HashingEmbedder(), path)
    assert estimator.method == "classifier"
    assert estimator.outcome_levels(["Explain the tax law"])[0].bloom == [BloomLevel.UNDERSTAND]


def test_classifier_of_another_embedder_falls_back_to_the_lexicon(
    trained: BloomClassifier, tmp_path: Path
) -> None:
    path = tmp_path / "bloom.joblib"
    trained.save(path)
    estimator = LevelEstimator(HashingEmbedder(dimension=128), path)
    assert estimator.method == "lexicon"
    assert estimator.outcome_levels(["Explain the tax law"])[0].method == "lexicon"


def test_from_settings_uses_the_lexicon_without_a_trained_classifier(settings) -> None:  # noqa: ANN001
    estimator = LevelEstimator.from_settings(settings, HashingEmbedder())
    assert estimator.method == "lexicon"


def test_a_file_that_is_not_a_classifier_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.joblib"
    path.write_bytes(b"not a pickle")
    with pytest.raises(InvalidInput):
        BloomClassifier.load(path)


def test_decide_labels_keeps_at_least_one_level() -> None:
    probabilities = np.array([[0.1, 0.2, 0.3, 0.1, 0.1, 0.1], [0.9, 0.1, 0.1, 0.1, 0.8, 0.1]])
    chosen = decide_labels(probabilities, np.full(6, 0.5))
    assert chosen[0].tolist() == [False, False, True, False, False, False]
    assert chosen[1].tolist() == [True, False, False, False, True, False]


def test_decide_labels_with_a_ratio_drops_levels_far_less_likely_than_the_first() -> None:
    probabilities = np.array([[0.9, 0.1, 0.1, 0.1, 0.4, 0.1], [0.9, 0.1, 0.1, 0.1, 0.5, 0.1]])
    chosen = decide_labels(probabilities, np.full(6, 0.3), ratio=0.5)
    assert chosen[0].tolist() == [True, False, False, False, False, False]
    assert chosen[1].tolist() == [True, False, False, False, True, False]
    # without a ratio both rows keep every level above its threshold
    assert decide_labels(probabilities, np.full(6, 0.3))[:, 4].all()


def test_the_ratio_is_chosen_on_out_of_fold_predictions() -> None:
    labels = np.array([[True, False], [True, False], [True, True], [True, False]])
    probabilities = np.array([[0.9, 0.35], [0.8, 0.3], [0.9, 0.6], [0.95, 0.4]])
    # a threshold of 0.3 adds the second level to every row; a ratio of 0.5 or 0.6 keeps it
    # only where it belongs (0.7 drops it there too), and the smaller of the two is chosen
    assert _best_ratio(probabilities, labels, np.array([0.5, 0.3])) == 0.5
    assert _best_ratio(probabilities, labels, np.array([0.5, 0.55])) == 0.0


def test_a_classifier_saved_without_a_ratio_keeps_every_level_above_its_threshold(
    trained: BloomClassifier,
) -> None:
    old = BloomClassifier(trained.model, trained.featuriser, trained.thresholds, "x")
    assert old.ratio == 0.0
    probabilities = np.array([[0.95, 0.0, 0.0, 0.0, 0.0, trained.thresholds[5]]])
    assert old.decide(probabilities)[0, 5]
    assert not decide_labels(probabilities, trained.thresholds, ratio=0.9)[0, 5]


def test_label_matrix_accepts_british_spelling_and_refuses_unknown_levels() -> None:
    assert label_matrix([["Analyse", "create"]]).tolist() == [
        [False, False, False, True, False, True]
    ]
    with pytest.raises(InvalidInput):
        label_matrix([["Synthesis"]])


def test_verbs_opening_a_later_clause_are_features_of_their_own() -> None:
    text = "Apply employment law to analyse cases, and evaluate the outcomes; apply it again"
    features = verb_features(extract_verbs(text), text)
    assert features["verb=apply"] == 1.0 and features["lex=Apply"] == 1.0
    assert features["later=analyze"] == 1.0 and features["laterlex=Analyze"] == 1.0
    assert features["later=evaluate"] == 1.0 and features["laterlex=Evaluate"] == 1.0
    assert "later=apply" not in features  # a leading verb is not counted again
    plain = "Describe the water cycle"
    assert not any(key.startswith("later") for key in verb_features(extract_verbs(plain), plain))
