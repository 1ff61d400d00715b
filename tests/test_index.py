"""One suite over every vector index backend: FAISS must agree with the exact NumPy reference."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from recognition_engine.embedding import HashingEmbedder
from recognition_engine.errors import IndexUnavailable
from recognition_engine.index import (
    CatalogueEntry,
    CatalogueIndex,
    FaissIndex,
    NumpyIndex,
    create_vector_index,
)

BACKENDS = ["faiss", "numpy"]


def unit_rows(n: int, d: int = 16, seed: int = 0) -> np.ndarray:
    rows = np.random.default_rng(seed).normal(size=(n, d)).astype(np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


@pytest.mark.parametrize("backend", BACKENDS)
def test_search_returns_nearest_first(backend: str) -> None:
    vectors = unit_rows(50)
    index = create_vector_index(backend, 16)  # type: ignore[arg-type]
    index.add(vectors)
    scores, ids = index.search(vectors[:5], 3)
    assert ids[:, 0].tolist() == [0, 1, 2, 3, 4]
    assert np.allclose(scores[:, 0], 1.0, atol=1e-5)
    assert (np.diff(scores, axis=1) <= 1e-6).all()


@pytest.mark.parametrize("backend", BACKENDS)
def test_search_pads_when_k_exceeds_size(backend: str) -> None:
    index = create_vector_index(backend, 16)  # type: ignore[arg-type]
    index.add(unit_rows(2))
    scores, ids = index.search(unit_rows(1, seed=1), 5)
    assert ids.shape == (1, 5)
    assert (ids[0, 2:] == -1).all()
    assert np.isneginf(scores[0, 2:]).all()


def test_faiss_agrees_with_numpy() -> None:
    vectors, queries = unit_rows(300), unit_rows(20, seed=7)
    exact, approx = NumpyIndex(16), FaissIndex(16)
    exact.add(vectors)
    approx.add(vectors)
    exact_scores, exact_ids = exact.search(queries, 10)
    faiss_scores, faiss_ids = approx.search(queries, 10)
    assert np.allclose(exact_scores, faiss_scores, atol=1e-5)
    assert (exact_ids == faiss_ids).all()


ENTRIES = [
    CatalogueEntry("A", "Networks", ("configure routers", "subnet ip networks"), "Networks"),
    CatalogueEntry("B", "Databases", ("write sql queries",), "Databases"),
]


@pytest.mark.parametrize("backend", BACKENDS)
def test_catalogue_round_trip(backend: str, tmp_path: Path) -> None:
    embedder = HashingEmbedder()
    built = CatalogueIndex.build(ENTRIES, embedder, backend)  # type: ignore[arg-type]
    built.save(tmp_path / "idx")
    loaded = CatalogueIndex.load(tmp_path / "idx", model_id=embedder.model_id)
    assert loaded.fingerprint == built.fingerprint
    assert [e.key for e in loaded.entries] == ["A", "B"]
    assert loaded.module_vectors(0).shape == (2, embedder.dimension)
    query = embedder.embed(["write sql queries"])
    _, ids = loaded.index.search(query, 1)
    assert loaded.row_entry[ids[0, 0]] == 1


def test_load_refuses_another_model(tmp_path: Path) -> None:
    CatalogueIndex.build(ENTRIES, HashingEmbedder(), "numpy").save(tmp_path)
    with pytest.raises(IndexUnavailable, match="built with"):
        CatalogueIndex.load(tmp_path, model_id="another-model")


def test_load_refuses_missing_and_corrupt(tmp_path: Path) -> None:
    with pytest.raises(IndexUnavailable, match="no index"):
        CatalogueIndex.load(tmp_path, model_id="x")
    (tmp_path / "catalogue.json").write_text("{not json")
    with pytest.raises(IndexUnavailable, match="corrupt"):
        CatalogueIndex.load(tmp_path, model_id="x")


def test_build_refuses_empty_and_duplicate_catalogues() -> None:
    with pytest.raises(IndexUnavailable):
        CatalogueIndex.build([], HashingEmbedder())
    with pytest.raises(IndexUnavailable, match="duplicate"):
        CatalogueIndex.build([ENTRIES[0], ENTRIES[0]], HashingEmbedder())
