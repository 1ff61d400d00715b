"""The multilingual model (bundled multilingual-e5-small) and which model reads a recognition."""

from __future__ import annotations

import numpy as np
import pytest

from recognition_engine.multilingual import E5Embedder, uses_multilingual


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
