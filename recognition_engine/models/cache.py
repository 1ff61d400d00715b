"""An on-disk cache in front of any embedder: no text is embedded twice under one model."""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from tqdm import tqdm

from recognition_engine.models.encoder import Embedder

_log = logging.getLogger(__name__)

# How long a cache write waits for another process's write to finish.
_BUSY_SECONDS = 30.0


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
