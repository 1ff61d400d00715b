"""The embedding cache under threads and processes, and the model identity of a folder."""

from __future__ import annotations

import logging
import multiprocessing
import os
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from recognition_engine.models import CachedEmbedder, HashingEmbedder
from recognition_engine.models import identity as model_identity
from recognition_engine.models.identity import model_fingerprint

THREADS = 8
CALLS = 300


def test_cache_returns_the_inner_vectors_and_counts_misses(tmp_path: Path) -> None:
    inner = HashingEmbedder()
    cached = CachedEmbedder(inner, tmp_path / "cache.sqlite")
    texts = ["configure routers", "write sql queries", "configure routers"]
    np.testing.assert_array_equal(cached.embed(texts), inner.embed(texts))
    assert cached.misses == 2  # the repeated text is embedded once
    np.testing.assert_array_equal(cached.embed(texts[:1]), inner.embed(texts[:1]))
    assert cached.misses == 2
    assert cached.embed([]).shape == (0, inner.dimension)


def test_cache_is_shared_by_threads(tmp_path: Path) -> None:
    inner = HashingEmbedder()
    cached = CachedEmbedder(inner, tmp_path / "cache.sqlite")
    start = threading.Barrier(THREADS)
    errors: list[BaseException] = []
    returned: dict[str, np.ndarray] = {}

    def work(thread: int) -> None:
        start.wait()
        for call in range(CALLS):
            # Two unique texts per call, every other call: a lookup that misses and one that
            # mixes several misses.
            texts = [f"thread {thread} call {call} outcome {n}" for n in range(1 + call % 2)]
            try:
                vectors = cached.embed(texts)
            except BaseException as error:  # noqa: BLE001 - every failure is the finding
                errors.append(error)
                continue
            returned.update(zip(texts, vectors, strict=True))

    threads = [threading.Thread(target=work, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    expected_texts = THREADS * sum(1 + call % 2 for call in range(CALLS))
    assert len(returned) == expected_texts
    assert cached.misses == expected_texts
    texts = sorted(returned)
    np.testing.assert_array_equal(np.stack([returned[t] for t in texts]), inner.embed(texts))
    # And every vector reached the disk: a new cache on the same file embeds nothing.
    reopened = CachedEmbedder(inner, tmp_path / "cache.sqlite")
    np.testing.assert_array_equal(reopened.embed(texts), inner.embed(texts))
    assert reopened.misses == 0


def _embed_unique_texts(path: str, tag: str, start: multiprocessing.synchronize.Barrier) -> None:
    # Both processes open the new cache file at once: the moment two workers meet.
    start.wait(timeout=60)
    cached = CachedEmbedder(HashingEmbedder(), Path(path))
    for call in range(200):
        cached.embed([f"process {tag} text {call}"])


def test_cache_is_shared_by_processes(
    tmp_path: Path, run_processes: Callable[..., list[int | None]]
) -> None:
    path = tmp_path / "cache.sqlite"
    start = multiprocessing.get_context("spawn").Barrier(2)
    calls = [(str(path), tag, start) for tag in "ab"]
    assert run_processes(_embed_unique_texts, *calls) == [0, 0]
    with sqlite3.connect(path) as connection:
        (rows,) = connection.execute("SELECT COUNT(*) FROM embedding").fetchone()
    assert rows == 400


class _Signal(logging.Handler):
    """Sets an event when a record reaches it."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.seen = threading.Event()

    def emit(self, record: logging.LogRecord) -> None:
        self.seen.set()


def test_cache_opens_while_another_process_creates_it(tmp_path: Path) -> None:
    """Switching to WAL under another writer fails at once in SQLite; opening waits it out."""
    path = tmp_path / "cache.sqlite"
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("CREATE TABLE IF NOT EXISTS embedding (key TEXT PRIMARY KEY, vector BLOB)")
    signal = _Signal()
    embedding_log = logging.getLogger("recognition_engine.models.cache")
    embedding_log.addHandler(signal)
    level = embedding_log.level
    embedding_log.setLevel(logging.DEBUG)
    opened: list[CachedEmbedder] = []
    errors: list[BaseException] = []

    def open_cache() -> None:
        try:
            opened.append(CachedEmbedder(HashingEmbedder(), path))
        except BaseException as error:  # noqa: BLE001 - the failure is the finding
            errors.append(error)

    opener = threading.Thread(target=open_cache)
    try:
        opener.start()
        assert signal.seen.wait(timeout=20), "the opener never met the other writer"
        other.execute("COMMIT")
        opener.join(timeout=60)
    finally:
        embedding_log.removeHandler(signal)
        embedding_log.setLevel(level)
        other.close()
    assert errors == []
    np.testing.assert_array_equal(opened[0].embed(["a text"]), HashingEmbedder().embed(["a text"]))


# --- model identity ----------------------------------------------------------------------------


def _model_folder(folder: Path, weights: bytes) -> Path:
    """A folder shaped like a sentence-transformers model, with the given weight bytes."""
    (folder / "1_Pooling").mkdir(parents=True)
    (folder / "model.safetensors").write_bytes(weights)
    (folder / "config.json").write_text('{"hidden_size": 4}')
    (folder / "vocab.txt").write_text("[PAD]\n[UNK]\n")
    (folder / "1_Pooling" / "config.json").write_text('{"pooling_mode_mean_tokens": true}')
    (folder / "README.md").write_text("not part of the model")
    # In the past, so that the hashes may be cached (a file written a moment ago might be
    # rewritten within the file system's timestamp granularity).
    for path in folder.rglob("*"):
        os.utime(path, ns=(1_600_000_000 * 10**9, 1_600_000_000 * 10**9))
    return folder


def test_same_names_and_sizes_but_other_bytes_differ(tmp_path: Path) -> None:
    first = _model_folder(tmp_path / "first", b"\x00" * 64)
    second = _model_folder(tmp_path / "second", b"\x01" * 64)
    cache = tmp_path / "hashes.json"
    assert model_fingerprint(first, cache) != model_fingerprint(second, cache)
    assert model_fingerprint(first, None) != model_fingerprint(second, None)


def test_fingerprint_ignores_the_folder_location_and_non_model_files(tmp_path: Path) -> None:
    first = _model_folder(tmp_path / "first", b"\x00" * 64)
    second = _model_folder(tmp_path / "second", b"\x00" * 64)
    (second / "README.md").write_text("another description")
    assert model_fingerprint(first, None) == model_fingerprint(second, None)


def test_the_score_scale_beside_the_weights_is_not_part_of_the_identity(tmp_path: Path) -> None:
    folder = _model_folder(tmp_path / "model", b"\x00" * 64)
    before = model_fingerprint(folder, None)
    (folder / "score_scale.json").write_text('{"outcome": {}}')  # thresholds, not vectors
    assert model_fingerprint(folder, None) == before
    (folder / "config.json").write_text('{"hidden_size": 8}')
    assert model_fingerprint(folder, None) != before


def test_unchanged_folder_is_not_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _model_folder(tmp_path / "model", b"\x00" * 64)
    cache = tmp_path / "hashes.json"
    read: list[Path] = []
    real = model_identity.file_sha256

    def counting(path: Path) -> str:
        read.append(path)
        return real(path)

    monkeypatch.setattr(model_identity, "file_sha256", counting)
    first = model_fingerprint(folder, cache)
    assert sorted(p.name for p in read) == [
        "config.json",
        "config.json",
        "model.safetensors",
        "vocab.txt",
    ]
    read.clear()
    assert model_fingerprint(folder, cache) == first
    assert read == []

    # Rewritten in place with the same size (what `adapt` into the same folder does): only that
    # file is read again, and the identity changes.
    weights = folder / "model.safetensors"
    weights.write_bytes(b"\x02" * 64)
    os.utime(weights, ns=(1_700_000_000 * 10**9, 1_700_000_000 * 10**9))
    changed = model_fingerprint(folder, cache)
    assert read == [weights]
    assert changed != first


def test_recently_written_files_are_not_cached(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _model_folder(tmp_path / "model", b"\x00" * 64)
    (folder / "model.safetensors").write_bytes(b"\x03" * 64)  # mtime: now
    cache = tmp_path / "hashes.json"
    model_fingerprint(folder, cache)
    read: list[Path] = []
    real = model_identity.file_sha256
    monkeypatch.setattr(model_identity, "file_sha256", lambda p: read.append(p) or real(p))
    model_fingerprint(folder, cache)
    assert [p.name for p in read] == ["model.safetensors"]


def test_unreadable_or_corrupt_hash_cache_is_rebuilt(tmp_path: Path) -> None:
    folder = _model_folder(tmp_path / "model", b"\x00" * 64)
    cache = tmp_path / "hashes.json"
    expected = model_fingerprint(folder, None)
    cache.write_text("{not json")
    assert model_fingerprint(folder, cache) == expected
    assert model_fingerprint(folder, cache) == expected
