"""Tagging: each outcome's ESCO skills, lexical candidates re-ranked by the sentence model."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from recognition_engine.skills.lexical import SkillLexicon, top_k
from recognition_engine.skills.taxonomy import EscoTaxonomy

if TYPE_CHECKING:
    from recognition_engine.models import Embedder


_CHUNK = 256


@dataclass(frozen=True)
class TaggingParams:
    """The tagger's knobs. The blend, the bonus and the threshold are those `recognition-engine
    evaluate` chose on the tagged half of coursera-mooc in 5-fold cross-validation (see
    docs/skills.md), not set by hand."""

    candidates: int = 50  # TF-IDF candidates per outcome, beside the skills it names
    dense_weight: float = 0.7  # 1: the model's cosine alone; 0: TF-IDF cosine alone
    mention_bonus: float = 0.3  # added when the outcome names one of the skill's labels
    threshold: float = 0.625  # the score at which a skill counts as the outcome's


@dataclass
class TaggedSkill:
    """One skill of a text: its best score over the outcomes, and the outcomes (positions)
    where it reaches the threshold."""

    position: int
    score: float
    outcomes: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Candidates:
    """Each outcome's candidate skills and what each stage says of them, shape (outcomes, k):
    taxonomy positions, TF-IDF cosine, model cosine, and 1 where the outcome names a label."""

    positions: np.ndarray
    lexical: np.ndarray
    dense: np.ndarray
    mentioned: np.ndarray

    @classmethod
    def concatenate(cls, parts: Sequence[Candidates]) -> Candidates:
        """Return the rows of several outcomes' candidates as one (widths padded with zeros)."""
        width = max(part.positions.shape[1] for part in parts)

        def padded(name: str) -> np.ndarray:
            arrays = [getattr(part, name) for part in parts]
            return np.concatenate(
                [
                    np.pad(
                        a,
                        ((0, 0), (0, width - a.shape[1])),
                        mode="edge" if name == "positions" else "constant",
                    )
                    for a in arrays
                ]
            )

        return cls(*(padded(name) for name in ("positions", "lexical", "dense", "mentioned")))

    def blend(self, params: TaggingParams) -> np.ndarray:
        """Return the candidates' scores: the blended cosines, plus the bonus where named."""
        weight = params.dense_weight
        return (
            weight * self.dense
            + (1 - weight) * self.lexical
            + params.mention_bonus * self.mentioned
        )

    def scores(self, params: TaggingParams) -> list[dict[int, float]]:
        """Return each outcome's candidates' scores by taxonomy position."""
        blended = self.blend(params)
        relevant = (self.lexical > 0) | (self.mentioned > 0)
        return [
            {int(p): float(s) for p, s, keep in zip(row, scores, keeps, strict=True) if keep}
            for row, scores, keeps in zip(self.positions, blended, relevant, strict=True)
        ]


class SkillTagger:
    """ESCO skills of outcomes. The lexical stage proposes (TF-IDF, and the skills an outcome
    names word for word); the engine's own sentence model, through its embedding cache,
    re-ranks. A skill's label is embedded the first time it is a candidate, with the other new
    candidates of the same call, and kept (and read back from the cache by any process of the
    deployment after)."""

    def __init__(
        self,
        taxonomy: EscoTaxonomy,
        lexicon: SkillLexicon,
        embedder: Embedder,
        params: TaggingParams | None = None,
    ) -> None:
        self.taxonomy = taxonomy
        self.lexicon = lexicon
        self.embedder = embedder
        self.params = params or TaggingParams()
        self._label_vectors: dict[int, np.ndarray] = {}
        self._lock = threading.Lock()

    def label_vectors(self, positions: np.ndarray) -> np.ndarray:
        """The model's vectors of the labels of the skills at ``positions`` (taxonomy order).

        Only labels some outcome has as a candidate are embedded, those of one call together;
        each is kept for the next call. (Embedding all 13,412 labels at the first call cost
        half a minute in every fresh data folder, for the few hundred a catalogue needs.)
        """
        with self._lock:
            missing = [int(p) for p in positions if int(p) not in self._label_vectors]
            if missing:
                labels = [self.taxonomy.skills[p].label for p in missing]
                for position, vector in zip(missing, self.embedder.embed(labels), strict=True):
                    self._label_vectors[position] = vector
            return np.stack([self._label_vectors[int(p)] for p in positions])

    def embed_all_labels(self) -> int:
        """Embed every skill's label now (through the embedding cache, so that later processes
        of the deployment read them back instead of embedding them as candidates come); return
        how many labels there are."""
        count = len(self.taxonomy.skills)
        self.label_vectors(np.arange(count))
        return count

    def candidates(self, outcomes: Sequence[str]) -> Candidates:
        """Return the candidates of each outcome, scored by each stage."""
        if len(outcomes) > _CHUNK:  # a whole catalogue: a (outcomes, skills) block at a time
            parts = [
                self.candidates(outcomes[i : i + _CHUNK]) for i in range(0, len(outcomes), _CHUNK)
            ]
            return Candidates.concatenate(parts)
        similarity = self.lexicon.similarity(outcomes)
        top, _ = top_k(similarity, self.params.candidates)
        named = [
            sorted(self.taxonomy.mentioned(text) - set(row.tolist()))
            for text, row in zip(outcomes, top, strict=True)
        ]
        width = top.shape[1] + max((len(n) for n in named), default=0)
        positions = np.repeat(top[:, :1], width, axis=1)  # padding repeats the best candidate
        mentioned = np.zeros(positions.shape, dtype=np.float32)
        for row, extra in enumerate(named):
            positions[row, : top.shape[1]] = top[row]
            positions[row, top.shape[1] : top.shape[1] + len(extra)] = extra
            kept = set(self.taxonomy.mentioned(outcomes[row]))
            mentioned[row] = [p in kept for p in positions[row]]
        lexical = np.take_along_axis(similarity, positions, axis=1)
        padding = (
            np.arange(width)[None, :]
            >= np.array([top.shape[1] + len(extra) for extra in named])[:, None]
        )
        lexical[padding] = 0.0
        mentioned[padding] = 0.0
        dense = self.dense_scores(outcomes, positions)
        return Candidates(positions, lexical, dense, mentioned)

    def dense_scores(self, outcomes: Sequence[str], positions: np.ndarray) -> np.ndarray:
        """Return the model's cosine of each outcome with its candidates, shape of positions."""
        unique = np.unique(positions)
        skill_vectors = self.label_vectors(unique)
        outcome_vectors = self.embedder.embed(list(outcomes))
        rows = np.searchsorted(unique, positions)
        return np.einsum("od,okd->ok", outcome_vectors, skill_vectors[rows])

    def outcome_scores(self, outcomes: Sequence[str]) -> list[dict[int, float]]:
        """Return, for each outcome, its candidate skills' scores by taxonomy position."""
        if not outcomes:
            return []
        return self.candidates(outcomes).scores(self.params)

    def tag(self, outcomes: Sequence[str]) -> list[TaggedSkill]:
        """Return the skills of a whole text (a credential's or a module's outcomes), ranked by
        their best score; each names the outcomes where it reaches the threshold."""
        return rank_skills(self.outcome_scores(outcomes), self.params.threshold)


def rank_skills(scores: Sequence[dict[int, float]], threshold: float) -> list[TaggedSkill]:
    """Return the skills of per-outcome scores, best score first (ties: more outcomes first)."""
    found: dict[int, TaggedSkill] = {}
    for index, outcome in enumerate(scores):
        for position, score in outcome.items():
            skill = found.setdefault(position, TaggedSkill(position, score))
            skill.score = max(skill.score, score)
            if score >= threshold:
                skill.outcomes.append(index)
    return sorted(found.values(), key=lambda s: (-s.score, -len(s.outcomes), s.position))
