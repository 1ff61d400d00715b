"""Credential outcomes × catalogue index → modules scored by coverage, with the evidence.

For each candidate module the similarity matrix between the credential's outcomes and the
module's outcomes is computed exactly. Read column-wise it says how much of the *module* the
credential covers (what recognition is about); read row-wise, how much of the *credential*
lands in this module.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from recognition_engine.embedding import Embedder
from recognition_engine.index import CatalogueIndex


@dataclass(frozen=True)
class MatchParams:
    """The knobs of matching; built from Settings by the service."""

    neighbours_per_outcome: int = 50
    outcome_match_threshold: float = 0.5
    text_candidates: int = 50
    max_modules: int = 50


@dataclass(frozen=True)
class OutcomeLink:
    """The best credential outcome for one module outcome."""

    module_outcome: int
    credential_outcome: int
    similarity: float


@dataclass
class ModuleMatch:
    key: str
    title: str
    coverage: float  # share of module outcomes whose best similarity reaches the threshold
    strength: float  # mean best similarity over the module's outcomes
    credential_coverage: float  # share of credential outcomes that reach this module
    text_similarity: float  # whole credential text vs whole module text
    score: float
    outcomes: tuple[str, ...] = ()  # the module's outcomes, as indexed; links point into them
    links: list[OutcomeLink] = field(default_factory=list)


def module_score(strength: float, credential_strength: float, text_similarity: float) -> float:
    """Return the ranking score of a module for a credential.

    An equal mix of three views of the same similarity: how well the module's outcomes are
    met (module side), how well the credential's outcomes land in this module (credential
    side), and the whole texts. Each alone fails in a known way: the module side favours
    tiny modules with one generic outcome, the credential side favours broad modules, and
    whole-text similarity loses the outcome-level evidence.
    """
    return (strength + credential_strength + text_similarity) / 3.0


def match_credential(
    outcomes: Sequence[str],
    index: CatalogueIndex,
    embedder: Embedder,
    params: MatchParams,
    *,
    whole_text: str | None = None,
) -> list[ModuleMatch]:
    """Return the candidate modules for a credential's outcomes, best first."""
    if not outcomes:
        return []
    query = embedder.embed(list(outcomes))
    text_vector = embedder.embed([whole_text or " ".join(outcomes)])[0]
    return match_vectors(query, text_vector, index, params)


def match_vectors(
    query: np.ndarray, text_vector: np.ndarray, index: CatalogueIndex, params: MatchParams
) -> list[ModuleMatch]:
    """The same as ``match_credential`` on vectors already embedded (used in bulk evaluation)."""
    candidates = _candidate_positions(query, text_vector, index, params)
    text_similarity = index.text_vectors[candidates] @ text_vector
    matches = [
        _score_module(query, index, position, float(similarity), params)
        for position, similarity in zip(candidates, text_similarity, strict=True)
    ]
    matches.sort(key=lambda match: match.score, reverse=True)
    return matches[: params.max_modules]


def _candidate_positions(
    query: np.ndarray, text_vector: np.ndarray, index: CatalogueIndex, params: MatchParams
) -> list[int]:
    """Modules reached by any credential outcome's neighbours, or by the whole text."""
    k = min(params.neighbours_per_outcome, index.index.size)
    _, rows = index.index.search(query, k)
    positions = set(index.row_entry[rows[rows >= 0]].tolist())
    if len(index.entries) > 0:
        take = min(params.text_candidates, len(index.entries))
        whole = index.text_vectors @ text_vector
        positions.update(np.argpartition(-whole, take - 1)[:take].tolist())
    return sorted(positions)


def _score_module(
    query: np.ndarray,
    index: CatalogueIndex,
    position: int,
    text_similarity: float,
    params: MatchParams,
) -> ModuleMatch:
    entry = index.entries[position]
    similarity = query @ index.module_vectors(position).T  # (credential, module) outcomes
    best_for_module = similarity.max(axis=0)
    best_credential = similarity.argmax(axis=0)
    best_for_credential = similarity.max(axis=1)
    threshold = params.outcome_match_threshold
    links = [
        OutcomeLink(int(j), int(best_credential[j]), float(best_for_module[j]))
        for j in np.argsort(-best_for_module)
    ]
    strength = float(best_for_module.mean())
    credential_strength = float(best_for_credential.mean())
    return ModuleMatch(
        key=entry.key,
        title=entry.title,
        coverage=float((best_for_module >= threshold).mean()),
        strength=strength,
        credential_coverage=float((best_for_credential >= threshold).mean()),
        text_similarity=text_similarity,
        score=module_score(strength, credential_strength, text_similarity),
        outcomes=entry.outcomes,
        links=links,
    )
