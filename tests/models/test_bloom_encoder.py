"""The embedding model fine-tuned on Bloom levels: it learns, it saves, the classifier blends it."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from recognition_engine.errors import InvalidInput
from recognition_engine.levels import BloomClassifier, train_classifier
from recognition_engine.levels.bloom import label_matrix
from recognition_engine.models import HashingEmbedder, bundled_model_path
from recognition_engine.models.bloom_encoder import BloomEncoder, _length_batches, fine_tune
from tests.levels.test_bloom_classifier import synthetic_set

pytestmark = pytest.mark.real_model


def log_loss(probabilities: np.ndarray, labels: np.ndarray) -> float:
    p = np.clip(probabilities, 1e-6, 1 - 1e-6)
    return float(-np.mean(labels * np.log(p) + (1 - labels) * np.log(1 - p)))


@pytest.fixture(scope="module")
def labelled() -> tuple[list[str], np.ndarray]:
    texts, labels = synthetic_set()
    return texts, label_matrix(labels)


@pytest.fixture(scope="module")
def tuned(labelled: tuple[list[str], np.ndarray]) -> BloomEncoder:
    texts, labels = labelled
    return fine_tune(texts, labels, bundled_model_path(), epochs=3)


def test_fine_tuning_fits_the_labels_better_than_the_untrained_head(
    labelled: tuple[list[str], np.ndarray], tuned: BloomEncoder
) -> None:
    texts, labels = labelled
    untrained = BloomEncoder(bundled_model_path())
    before = log_loss(untrained.predict_proba(texts), labels)
    after = log_loss(tuned.predict_proba(texts), labels)
    assert after < before * 0.8, (before, after)


def test_probabilities_come_back_in_the_order_of_the_texts(tuned: BloomEncoder) -> None:
    texts = ["List the soil samples", "Design new software designs for the energy systems"]
    together = tuned.predict_proba(texts)
    apart = np.vstack([tuned.predict_proba([text]) for text in texts])
    assert together.shape == (2, 6) and np.allclose(together, apart, atol=1e-5)
    assert tuned.predict_proba([]).shape == (0, 6)


def test_a_pickled_encoder_reads_as_before(tuned: BloomEncoder) -> None:
    texts = ["Explain the tax law", "Critique the lesson plans"]
    restored = pickle.loads(pickle.dumps(tuned))
    # the weights travel in half precision
    assert np.allclose(restored.predict_proba(texts), tuned.predict_proba(texts), atol=5e-3)


def test_length_batches_cover_every_row_once() -> None:
    lengths = np.arange(100, dtype=float)
    batches = _length_batches(lengths, np.random.default_rng(0))
    rows = np.concatenate(batches)
    assert sorted(rows.tolist()) == list(range(100)) and len(batches) == 4
    # neighbours in length share a batch: no batch spans more than about its own share
    assert max(float(np.ptp(lengths[b])) for b in batches) < 45


def test_the_classifier_averages_the_encoder_with_the_linear_model(
    labelled: tuple[list[str], np.ndarray], tmp_path
) -> None:  # noqa: ANN001
    texts, labels = labelled
    embedder = HashingEmbedder()
    embeddings = embedder.embed(texts)
    blended = train_classifier(
        texts,
        labels,
        embeddings,
        embedder.model_id,
        encoder_epochs=1,
        encoder_base=bundled_model_path(),
    )
    assert blended.encoder is not None
    linear = BloomClassifier(
        blended.model, blended.featuriser, blended.thresholds, blended.embedder_id, blended.ratio
    )
    probe = ["Evaluate the survey results", "Recall the market data"]
    vectors = embedder.embed(probe)
    expected = (linear.predict_proba(probe, vectors) + blended.encoder.predict_proba(probe)) / 2
    assert np.allclose(blended.predict_proba(probe, vectors), expected)
    blended.save(tmp_path / "bloom.joblib")
    loaded = BloomClassifier.load(tmp_path / "bloom.joblib")
    assert loaded.encoder is not None
    assert np.allclose(loaded.predict_proba(probe, vectors), expected, atol=5e-3)


def test_fine_tuning_without_a_model_folder_is_refused(
    labelled: tuple[list[str], np.ndarray],
) -> None:
    texts, labels = labelled
    embedder = HashingEmbedder()
    with pytest.raises(InvalidInput, match="fine-tun"):
        train_classifier(texts, labels, embedder.embed(texts), embedder.model_id, encoder_epochs=1)
