"""Precedents: the institution's earlier decisions, as a memory that votes for modules.

For a new credential, the nearest decided credentials (mean of whole-text and title cosine, the
engine's own similarity) vote for the modules they were recognised for, weighted by similarity;
a rejected decision votes against its module. The same decisions give a subject prior (which
credential subjects went to which module subjects) and each module's popularity.

A credential judged to have **no equivalent** in the catalogue is a precedent too (its module key
is :data:`NO_EQUIVALENT`): it votes for no module, but it tells the has-an-equivalent model that
credentials like it went without one, and how often its subject does.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np

from recognition_engine.learning.features import DecisionSignals, subject_of

NEIGHBOURS = 10
PRIOR_SMOOTHING = 1.0
NO_EQUIVALENT = ""
"""The module key of a "no equivalent in this catalogue" decision."""


@dataclass(frozen=True)
class Precedent:
    """One decision: a credential recognised (or refused) for a module."""

    credential_key: str
    credential_title: str
    module_key: str
    accepted: bool = True
    decided_on: str | None = None  # ISO date
    record_id: str | None = None

    @property
    def no_equivalent(self) -> bool:
        return self.module_key == NO_EQUIVALENT


@dataclass(frozen=True)
class Neighbour:
    precedent: Precedent
    similarity: float


class PrecedentMemory:
    """The decided credentials, their vectors, and the statistics learned from the decisions."""

    def __init__(
        self,
        precedents: Sequence[Precedent],
        text_vectors: np.ndarray,
        title_vectors: np.ndarray,
        *,
        neighbours: int = NEIGHBOURS,
    ) -> None:
        """``text_vectors[i]``, ``title_vectors[i]``: shape (dim,), precedent i's credential."""
        self.precedents = list(precedents)
        self.text_vectors = np.asarray(text_vectors, dtype=np.float32)
        self.title_vectors = np.asarray(title_vectors, dtype=np.float32)
        self.neighbours = neighbours
        accepted = [p for p in self.precedents if p.accepted]
        # per decided credential: whether some module was accepted for it
        self.outcomes: dict[str, bool] = {}
        for p in self.precedents:
            self.outcomes[p.credential_key] = self.outcomes.get(p.credential_key, False) or (
                p.accepted
            )
        self._subject_decided = Counter(subject_of(k) for k in self.outcomes)
        self._subject_none = Counter(subject_of(k) for k, has in self.outcomes.items() if not has)
        self._module_counts = Counter(p.module_key for p in accepted)
        self._pairs = Counter(
            (subject_of(p.credential_key), subject_of(p.module_key)) for p in accepted
        )
        self._subjects = Counter(subject_of(p.credential_key) for p in accepted)
        self._module_subjects = Counter(subject_of(p.module_key) for p in accepted)
        self._accepted = len(accepted)

    def __len__(self) -> int:
        return len(self.precedents)

    def nearest(
        self, text_vector: np.ndarray, title_vector: np.ndarray, exclude: Collection[str] = ()
    ) -> list[Neighbour]:
        """Return the decisions of the ``neighbours`` nearest decided credentials, nearest first.

        ``exclude``: credential keys left out (a credential never votes for itself).
        """
        if not self.precedents:
            return []
        similarity = (self.text_vectors @ text_vector + self.title_vectors @ title_vector) / 2
        chosen: list[str] = []
        best: dict[str, float] = {}
        for i in np.argsort(-similarity, kind="stable"):
            key = self.precedents[i].credential_key
            if key in exclude:
                continue
            if key not in best:
                if len(chosen) == self.neighbours:
                    break
                chosen.append(key)
                best[key] = float(similarity[i])
        return [
            Neighbour(p, best[p.credential_key])
            for p in sorted(
                (p for p in self.precedents if p.credential_key in best),
                key=lambda p: -best[p.credential_key],
            )
        ]

    def signals(
        self, credential_key: str, neighbours: Sequence[Neighbour], exclude_own: bool = False
    ) -> DecisionSignals:
        """Return votes, nearest accepted similarity, popularity and the subject prior.

        ``exclude_own``: leave the credential's own decisions out of the statistics (training).
        """
        votes: dict[str, float] = {}
        best: dict[str, float] = {}
        for neighbour in neighbours:
            if neighbour.precedent.no_equivalent:
                continue
            weight = max(neighbour.similarity, 0.0)
            key = neighbour.precedent.module_key
            sign = 1.0 if neighbour.precedent.accepted else -1.0
            votes[key] = votes.get(key, 0.0) + sign * weight
            if neighbour.precedent.accepted:
                best[key] = max(best.get(key, 0.0), weight)
        own = [
            p
            for p in self.precedents
            if exclude_own and p.credential_key == credential_key and p.accepted
        ]
        modules = Counter(self._module_counts)
        modules.subtract(p.module_key for p in own)
        popularity = {k: math.log1p(max(v, 0)) for k, v in modules.items() if v > 0}
        return DecisionSignals(votes, best, popularity, self._prior(credential_key, own))

    def _prior(self, credential_key: str, own: Sequence[Precedent]) -> dict[str, float]:
        """log P(module subject | credential subject), smoothed toward the subjects' shares."""
        subject = subject_of(credential_key)
        total = self._accepted - len(own)
        if subject is None or total <= 0:
            return {}
        pairs = Counter({k: v for k, v in self._pairs.items() if k[0] == subject})
        pairs.subtract((subject, subject_of(p.module_key)) for p in own)
        module_subjects = Counter(self._module_subjects)
        module_subjects.subtract(subject_of(p.module_key) for p in own)
        seen = self._subjects[subject] - len(own)
        prior = {}
        for module_subject, count in module_subjects.items():
            if module_subject is None or count <= 0:
                continue
            share = count / total
            joint = max(pairs[(subject, module_subject)], 0)
            prior[module_subject] = math.log(
                (joint + PRIOR_SMOOTHING * share) / (seen + PRIOR_SMOOTHING)
            )
        return prior

    def none_rate(
        self, credential_key: str, exclude_own: bool = False, smoothing: float = 2.0
    ) -> tuple[float, int]:
        """Return the smoothed share of decided credentials of this credential's subject judged
        to have no equivalent, and how many decisions of the subject it rests on.

        Smoothed toward the share over all decided credentials (``smoothing`` pseudo-decisions):
        departments follow policies, and whole subjects may never get an equivalent.
        ``exclude_own``: the credential's own decision is left out (training).
        """
        own = credential_key in self.outcomes and exclude_own
        own_none = own and not self.outcomes[credential_key]
        decided = len(self.outcomes) - own
        none = sum(self._subject_none.values()) - own_none
        overall = (none + 1.0) / (decided + 2.0)
        subject = subject_of(credential_key)
        if subject is None:
            return overall, 0
        count = self._subject_decided[subject] - own
        count_none = self._subject_none[subject] - own_none
        return (count_none + smoothing * overall) / (count + smoothing), count
