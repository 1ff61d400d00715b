"""Credential outcomes × catalogue index → modules scored by coverage, with the evidence.

For each candidate module the similarity matrix between the credential's outcomes and the
module's outcomes is computed exactly. Read column-wise it says how much of the *module* the
credential covers (what recognition is about); read row-wise, how much of the *credential*
lands in this module.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from recognition_engine.config import Settings
from recognition_engine.course_sequence import agreement, sequence_markers
from recognition_engine.index import CatalogueIndex
from recognition_engine.models import Embedder


@dataclass(frozen=True)
class MatchParams:
    """The knobs of matching: two from Settings, two fixed."""

    neighbours_per_outcome: int
    outcome_match_threshold: float
    text_candidates: int = 50  # modules taken by whole-text and by title similarity
    max_modules: int = 50

    @classmethod
    def from_settings(cls, settings: Settings) -> MatchParams:
        return cls(settings.neighbours_per_outcome, settings.outcome_match_threshold)


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
    title_similarity: float
    score: float
    outcomes: tuple[str, ...] = ()  # the module's outcomes, as indexed; links point into them
    links: list[OutcomeLink] = field(default_factory=list)
    # set when a model learned from decisions ranks the candidates (recognition_engine.learning):
    # the calibrated probability that this module is the right one; it then gates the proposal
    confidence: float | None = None


def module_score(text_similarity: float, title_similarity: float) -> float:
    """Return the ranking score of a module for a credential: mean of whole-text and title cosine.

    Chosen by 5-fold cross-validation over credentials on the VCCS → Virginia Tech decisions
    (``evaluation/experiments/fusion_cv.py``): among whole text, title, outcome coverage and
    alignment in both directions, TF-IDF, BM25 and course-sequence markers, the grid chose equal
    text and title weights in 4 of 5 folds and gave every other signal weight 0 (out of fold:
    P@1 0.49, MRR@10 0.60, against 0.43 / 0.56 for whole text alone and 0.35 / 0.48 for the
    earlier equal mix with the outcome sides). No fitted weight is needed, and the score stays on
    the cosine scale, so ``min_proposal_score`` keeps its meaning. Outcome coverage still decides
    full or partial recognition and supplies the evidence; it does not rank.
    """
    return (text_similarity + title_similarity) / 2.0


def credential_text(title: str, outcomes: Sequence[str]) -> str:
    """Return the whole text of a credential as matching embeds it."""
    return " ".join([title, *outcomes])


def match_credential(
    outcomes: Sequence[str],
    index: CatalogueIndex,
    embedder: Embedder,
    params: MatchParams,
    *,
    whole_text: str | None = None,
    title: str | None = None,
    include: Sequence[int] = (),
) -> list[ModuleMatch]:
    """Return the candidate modules for a credential's outcomes, best first.

    ``include``: index positions to score as candidates whatever their similarity (modules that
    earlier decisions point to).
    """
    if not outcomes:
        return []
    text = whole_text or " ".join(outcomes)
    query = embedder.embed(list(outcomes))
    text_vector, title_vector = embedder.embed([text, title or text])
    return match_vectors(
        query, text_vector, title_vector, index, params, include=include, title=title
    )


def match_vectors(
    query: np.ndarray,
    text_vector: np.ndarray,
    title_vector: np.ndarray,
    index: CatalogueIndex,
    params: MatchParams,
    *,
    include: Sequence[int] = (),
    title: str | None = None,
) -> list[ModuleMatch]:
    """The same as ``match_credential`` on vectors already embedded (used in bulk evaluation).

    ``title``: the credential's title; a module that stands at another place in a course sequence
    goes below every module that does not (``below_sequence_conflicts``).
    """
    candidates = _candidate_positions(query, [text_vector, title_vector], index, params)
    if include:
        candidates = sorted(set(candidates) | {int(p) for p in include})
    matches = score_positions(query, text_vector, title_vector, index, candidates, params)
    matches.sort(key=lambda match: match.score, reverse=True)
    if title is not None:
        matches = below_sequence_conflicts(matches, sequence_markers(title), index.places)
    if include:  # the included modules stay candidates even below the cut
        wanted = {index.entries[p].key for p in include}
        kept = matches[: params.max_modules]
        return kept + [m for m in matches[params.max_modules :] if m.key in wanted]
    return matches[: params.max_modules]


def below_sequence_conflicts(
    matches: Sequence[ModuleMatch], own: frozenset[str], places: Mapping[str, frozenset[str]]
) -> list[ModuleMatch]:
    """Return ``matches`` with every module that stands at another place in a course sequence
    than the credential's ``own`` ("General Chemistry I" for "General Chemistry II"; ``places``
    by module key, from ``catalogue_places``) moved below every module that does not, each part
    in its order."""
    if not own:
        return list(matches)
    conflict = [agreement(own, places.get(m.key, frozenset())) < 0 for m in matches]
    return [m for m, c in zip(matches, conflict, strict=True) if not c] + [
        m for m, c in zip(matches, conflict, strict=True) if c
    ]


def score_positions(
    query: np.ndarray,
    text_vector: np.ndarray,
    title_vector: np.ndarray,
    index: CatalogueIndex,
    positions: Sequence[int],
    params: MatchParams,
) -> list[ModuleMatch]:
    """Return the matches of the modules at the given index positions, in that order."""
    positions = list(positions)
    if not positions:
        return []
    text_similarity = index.text_vectors[positions] @ text_vector
    title_similarity = index.title_vectors[positions] @ title_vector
    return [
        _score_module(query, index, position, float(text), float(title), params)
        for position, text, title in zip(positions, text_similarity, title_similarity, strict=True)
    ]


def _candidate_positions(
    query: np.ndarray, vectors: list[np.ndarray], index: CatalogueIndex, params: MatchParams
) -> list[int]:
    """Modules reached by any credential outcome's neighbours, by the whole text or the title."""
    k = min(params.neighbours_per_outcome, index.index.size)
    _, rows = index.index.search(query, k)
    positions = set(index.row_entry[rows[rows >= 0]].tolist())
    text_vector, title_vector = vectors
    positions.update(index.nearest_modules(text_vector, "text", params.text_candidates))
    positions.update(index.nearest_modules(title_vector, "title", params.text_candidates))
    return sorted(positions)


def _score_module(
    query: np.ndarray,
    index: CatalogueIndex,
    position: int,
    text_similarity: float,
    title_similarity: float,
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
    return ModuleMatch(
        key=entry.key,
        title=entry.title,
        coverage=float((best_for_module >= threshold).mean()),
        strength=float(best_for_module.mean()),
        credential_coverage=float((best_for_credential >= threshold).mean()),
        text_similarity=text_similarity,
        title_similarity=title_similarity,
        score=module_score(text_similarity, title_similarity),
        outcomes=entry.outcomes,
        links=links,
    )
