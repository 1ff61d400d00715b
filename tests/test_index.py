"""One suite over every vector index backend: FAISS must agree with the exact NumPy reference."""

from __future__ import annotations

import json
import multiprocessing
import multiprocessing.synchronize
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from recognition_engine.errors import IndexUnavailable
from recognition_engine.index import (
    CatalogueEntry,
    CatalogueIndex,
    FaissIndex,
    NumpyIndex,
    RescoredIndex,
    build_faiss_index,
    catalogue_fingerprint,
    create_vector_index,
    module_indexes,
)
from recognition_engine.models import HashingEmbedder

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


# --- saving: atomic, checksummed, safe between processes ----------------------------------------

OTHER_ENTRIES = [
    CatalogueEntry("C", "Compilers", ("parse context free grammars",), "Compilers"),
    CatalogueEntry("D", "Graphics", ("render triangles", "shade pixels", "clip polygons"), "G"),
]


def _generation(folder: Path) -> Path:
    return folder / json.loads((folder / "catalogue.json").read_text())["generation"]


def _generations(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob("gen-*"))


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("damage", ["truncate", "flip"])
def test_damaged_vector_file_is_detected_on_load(backend: str, damage: str, tmp_path: Path) -> None:
    embedder = HashingEmbedder()
    CatalogueIndex.build(ENTRIES, embedder, backend).save(tmp_path)  # type: ignore[arg-type]
    for name in ["outcomes.faiss" if backend == "faiss" else "outcomes.npy", "text_vectors.npy"]:
        path = _generation(tmp_path) / name
        original = path.read_bytes()
        if damage == "truncate":
            path.write_bytes(original[: len(original) // 2])
        else:  # same size, one byte changed: what no size check can see
            path.write_bytes(original[:-1] + bytes([original[-1] ^ 0xFF]))
        with pytest.raises(IndexUnavailable, match=f"{name} does not match its checksum"):
            CatalogueIndex.load(tmp_path, model_id=embedder.model_id)
        path.write_bytes(original)
    CatalogueIndex.load(tmp_path, model_id=embedder.model_id)


def test_missing_vector_file_is_detected_on_load(tmp_path: Path) -> None:
    embedder = HashingEmbedder()
    CatalogueIndex.build(ENTRIES, embedder, "numpy").save(tmp_path)
    (_generation(tmp_path) / "title_vectors.npy").unlink()
    with pytest.raises(IndexUnavailable, match="lacks title_vectors.npy"):
        CatalogueIndex.load(tmp_path, model_id=embedder.model_id)


def test_load_refuses_the_old_unversioned_layout(tmp_path: Path) -> None:
    (tmp_path / "catalogue.json").write_text(json.dumps({"format": 2, "model_id": "x"}))
    with pytest.raises(IndexUnavailable, match="old format"):
        CatalogueIndex.load(tmp_path, model_id="x")


@pytest.mark.parametrize("backend", BACKENDS)
def test_interrupted_save_leaves_the_previous_index(
    backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    embedder = HashingEmbedder()
    first = CatalogueIndex.build(ENTRIES, embedder, backend)  # type: ignore[arg-type]
    first.save(tmp_path)
    before = _generations(tmp_path)
    second = CatalogueIndex.build(OTHER_ENTRIES, embedder, backend)  # type: ignore[arg-type]

    real_save = np.save
    calls: list[Path] = []

    def dies_on_the_second_array(path: Path, array: np.ndarray, **kwargs: object) -> None:
        calls.append(path)
        if len(calls) == 2:  # the first file (or two, with FAISS) is already on disk
            raise OSError("disk full")
        real_save(path, array, **kwargs)

    monkeypatch.setattr(np, "save", dies_on_the_second_array)
    with pytest.raises(OSError, match="disk full"):
        second.save(tmp_path)
    monkeypatch.setattr(np, "save", real_save)

    assert _generations(tmp_path) == before  # the half-written generation is gone
    loaded = CatalogueIndex.load(tmp_path, model_id=embedder.model_id)
    assert loaded.fingerprint == first.fingerprint
    np.testing.assert_array_equal(loaded.outcome_vectors, first.outcome_vectors)
    np.testing.assert_array_equal(loaded.text_vectors, first.text_vectors)


def test_save_removes_older_and_abandoned_generations(tmp_path: Path) -> None:
    embedder = HashingEmbedder()
    CatalogueIndex.build(ENTRIES, embedder, "numpy").save(tmp_path)
    (tmp_path / "gen-of-a-writer-that-died").mkdir()
    CatalogueIndex.build(OTHER_ENTRIES, embedder, "numpy").save(tmp_path)
    assert _generations(tmp_path) == [_generation(tmp_path).name]


def _save_repeatedly(
    folder: str, which: int, backend: str, start: multiprocessing.synchronize.Barrier
) -> None:
    built = CatalogueIndex.build([ENTRIES, OTHER_ENTRIES][which], HashingEmbedder(), backend)  # type: ignore[arg-type]
    start.wait(timeout=60)
    for _ in range(10):
        built.save(Path(folder))
        CatalogueIndex.load(Path(folder), model_id=built.model_id)


@pytest.mark.parametrize("backend", BACKENDS)
def test_saves_from_two_processes_leave_a_consistent_index(
    backend: str, tmp_path: Path, run_processes: Callable[..., list[int | None]]
) -> None:
    embedder = HashingEmbedder()
    expected = {
        catalogue_fingerprint(embedder.model_id, entries) for entries in (ENTRIES, OTHER_ENTRIES)
    }
    start = multiprocessing.get_context("spawn").Barrier(2)
    calls = [(str(tmp_path), which, backend, start) for which in (0, 1)]
    assert run_processes(_save_repeatedly, *calls) == [0, 0]

    loaded = CatalogueIndex.load(tmp_path, model_id=embedder.model_id)
    assert loaded.fingerprint in expected
    rebuilt = CatalogueIndex.build(loaded.entries, embedder, backend)  # type: ignore[arg-type]
    np.testing.assert_array_equal(loaded.outcome_vectors, rebuilt.outcome_vectors)
    assert _generations(tmp_path) == [_generation(tmp_path).name]


def clustered_rows(n: int, d: int = 32, seed: int = 0) -> np.ndarray:
    """Unit rows around 50 centres, like outcomes around topics (uniform rows have no lists)."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(50, d))
    rows = centres[rng.integers(0, 50, n)] + 0.5 * rng.normal(size=(n, d))
    rows = rows.astype(np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_above_the_threshold_the_index_is_approximate_and_agrees_with_exact_search() -> None:
    vectors = clustered_rows(5_000)
    queries = clustered_rows(100, seed=1)
    small = build_faiss_index(vectors, exact_max_rows=5_000, nprobe=8)
    large = build_faiss_index(vectors, exact_max_rows=4_999, nprobe=32)
    assert isinstance(small, FaissIndex)
    assert isinstance(large, RescoredIndex)
    _, exact = NumpyIndex(32, vectors).search(queries, 10)
    scores, found = large.search(queries, 10)
    recall = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(exact, found, strict=True)])
    assert recall >= 0.98
    # rescored exactly: the scores are the true cosines, best first
    true = np.take_along_axis(queries @ vectors.T, found, axis=1)
    np.testing.assert_allclose(scores, true, atol=1e-5)
    assert (np.diff(scores, axis=1) <= 1e-6).all()


def test_an_approximate_catalogue_is_saved_atomically_and_memory_mapped_on_load(
    tmp_path: Path,
) -> None:
    embedder = HashingEmbedder(32)
    entries = [
        CatalogueEntry(f"M{i}", f"module {i}", (f"outcome {i} a", f"outcome {i} b"), f"text {i}")
        for i in range(300)
    ]
    built = CatalogueIndex.build(entries, embedder, exact_max_rows=100, nprobe=64)
    assert isinstance(built.index, RescoredIndex)
    built.save(tmp_path / "catalogue")
    loaded = CatalogueIndex.load(tmp_path / "catalogue", model_id=embedder.model_id)
    assert isinstance(loaded.index, RescoredIndex)
    assert isinstance(loaded.outcome_vectors, np.memmap)
    queries = embedder.embed(["outcome 7 a", "outcome 123 b"])
    np.testing.assert_array_equal(
        built.index.search(queries, 5)[1], loaded.index.search(queries, 5)[1]
    )
    # saved again over the mapped generation: the mapping still reads, the new save loads
    loaded.save(tmp_path / "catalogue")
    assert loaded.index.search(queries, 5)[1][0, 0] == built.index.search(queries, 5)[1][0, 0]
    again = CatalogueIndex.load(tmp_path / "catalogue", model_id=embedder.model_id)
    assert again.fingerprint == built.fingerprint


def test_more_modules_than_the_threshold_are_found_by_text_and_title_approximately(
    tmp_path: Path,
) -> None:
    modules = 2_000
    entries = [
        CatalogueEntry(f"M{i}", f"module {i}", (f"o{i}",), f"text {i}") for i in range(modules)
    ]
    outcomes, texts, titles = (clustered_rows(modules, seed=seed) for seed in (2, 3, 4))
    exact = CatalogueIndex(
        entries, outcomes, texts, titles, FaissIndex(32), model_id="m", backend="faiss"
    )
    exact.index.add(outcomes)
    assert module_indexes(texts, titles, exact_max_rows=modules, nprobe=32) is None
    approximate = CatalogueIndex(
        entries,
        outcomes,
        texts,
        titles,
        build_faiss_index(outcomes, exact_max_rows=1_000, nprobe=32),
        model_id="m",
        backend="faiss",
        modules=module_indexes(texts, titles, exact_max_rows=1_000, nprobe=32),
    )
    queries = clustered_rows(50, seed=5)
    for by in ("text", "title"):
        recall = np.mean(
            [
                len(
                    set(exact.nearest_modules(q, by, 10))
                    & set(approximate.nearest_modules(q, by, 10))
                )
                / 10
                for q in queries
            ]
        )
        assert recall >= 0.98, by

    approximate.save(tmp_path / "catalogue")
    loaded = CatalogueIndex.load(tmp_path / "catalogue", model_id="m")
    assert loaded.modules is not None
    assert isinstance(loaded.text_vectors, np.memmap)
    for by in ("text", "title"):
        assert [loaded.nearest_modules(q, by, 10) for q in queries] == [
            approximate.nearest_modules(q, by, 10) for q in queries
        ]
    # a small catalogue saved and loaded keeps scanning the matrices exactly
    exact.save(tmp_path / "small")
    assert CatalogueIndex.load(tmp_path / "small", model_id="m").modules is None
