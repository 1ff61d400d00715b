"""Protocols: cold (no decision of the set is used) and warm (K-fold over credentials).

Both start from one :class:`CandidatePool`: the catalogue indexed once, every credential
embedded once and matched by the engine's own matching. Cold: the engine's ranking as it is.
Warm: for each fold a model is learned (``recognition_engine.learning.train_model``) from the
*other* folds' decisions only (precedents, ranker, calibration) and the held-out fold is ranked
with it; the out-of-fold rankings make one run. :attr:`WarmResult.trained_on` records, per fold,
the credentials whose decisions were read, so that tests can check none was held out.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from evaluation.datasets import ItemText, RetrievalTask, Run
from evaluation.rankers import Ranker, ordered_scores
from recognition_engine.config import Settings
from recognition_engine.learning.features import FEATURE_GROUPS, Course, catalogue_courses
from recognition_engine.learning.lexical import LexicalIndex
from recognition_engine.learning.model import DecidedCredential, train_model
from recognition_engine.matching import MatchParams, ModuleMatch, match_vectors, score_positions
from recognition_engine.models import Embedder

DEPTH = 100


def credential_folds(credential_ids: Sequence[str], folds: int, seed: int = 7) -> list[list[str]]:
    """Return the credentials split into ``folds`` disjoint folds, shuffled with ``seed``."""
    order = list(credential_ids)
    random.Random(seed).shuffle(order)
    return [order[fold::folds] for fold in range(folds)]


class CandidatePool:
    """The catalogue index, every credential's vectors and its cold candidates, built once."""

    def __init__(
        self,
        task: RetrievalTask,
        embedder: Embedder,
        settings: Settings,
        depth: int = DEPTH,
        catalogue: Embedder | None = None,
    ) -> None:
        """Index the modules with ``catalogue`` (default: ``embedder``), which reads credentials."""
        from recognition_engine.index import CatalogueEntry, CatalogueIndex, entry_text
        from recognition_engine.matching import credential_text

        self.task = task
        self.model_id = embedder.model_id
        entries = [
            CatalogueEntry(
                m.id, m.title, m.outcomes, entry_text(m.title, m.description, m.outcomes)
            )
            for m in task.modules
        ]
        self.index = CatalogueIndex.build(
            entries, catalogue or embedder, backend=settings.index_backend, progress=True
        )
        self.params = replace(MatchParams.from_settings(settings), max_modules=depth)
        self.position = {entry.key: i for i, entry in enumerate(self.index.entries)}
        self.modules: dict[str, ItemText] = {m.id: m for m in task.modules}
        self.courses = catalogue_courses(self.index)
        self.lexical = LexicalIndex([m.id for m in task.modules], [m.text for m in task.modules])
        self._query: dict[str, np.ndarray] = {}
        self._vectors: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self.cold: dict[str, list[ModuleMatch]] = {}
        self._texts: dict[str, str] = {}
        for credential in task.credentials:
            whole = credential_text(credential.title, credential.outcomes)
            query = embedder.embed(list(credential.outcomes))
            text_vector, title_vector = embedder.embed([whole, credential.title])
            self._query[credential.id] = query
            self._vectors[credential.id] = (text_vector, title_vector)
            self._texts[credential.id] = credential.text
            self.cold[credential.id] = match_vectors(
                query, text_vector, title_vector, self.index, self.params, title=credential.title
            )

    def cold_judgements(self) -> tuple[dict[str, float], dict[str, str]] | None:
        """Return each credential's cold-start confidence and tier, as a proposal shows them
        before any decision (None: no cold-start model for this embedding model)."""
        from recognition_engine.learning.cold_start import load_cold_start

        cold = load_cold_start(self.model_id)
        if cold is None:
            return None
        confidence: dict[str, float] = {}
        tiers: dict[str, str] = {}
        for cid, matches in self.cold.items():
            if not matches:
                continue
            tfidf = self.lexical.similarity(self._texts[cid], [m.key for m in matches])
            assessment = cold.assess(matches, tfidf)
            confidence[cid] = assessment.confidence
            tiers[cid] = cold.tiers.of(assessment.confidence).tier.value
        return confidence, tiers

    def cold_run(self, depth: int = DEPTH) -> Run:
        """Return the engine's cold ranking as a run."""
        return {cid: ordered_scores(ms[:depth]) for cid, ms in self.cold.items()}

    def decided(
        self, credential_id: str, decisions: Mapping[str, bool], *, no_equivalent: bool = False
    ) -> DecidedCredential:
        """Return the credential as learning reads it, with the given decisions (none and not
        ``no_equivalent``: a query)."""
        credential = next(c for c in self.task.credentials if c.id == credential_id)
        text_vector, title_vector = self._vectors[credential_id]

        def score_missing(keys: Sequence[str]) -> list[ModuleMatch]:
            positions = [self.position[k] for k in keys]
            return score_positions(
                self._query[credential_id],
                text_vector,
                title_vector,
                self.index,
                positions,
                self.params,
            )

        return DecidedCredential(
            course=Course(credential.id, credential.title),
            text=self._texts[credential_id],
            text_vector=text_vector,
            title_vector=title_vector,
            matches=self.cold[credential_id],
            decisions=dict(decisions),
            score_missing=score_missing,
            no_equivalent=no_equivalent,
        )

    def gold_decided(self, credential_id: str) -> DecidedCredential:
        """Return the credential with the set's decision: its accepted modules, or none at all
        (a credential with no row in the qrels was judged to have no equivalent)."""
        accepted = {m: True for m, rel in self.task.gold.get(credential_id, {}).items() if rel > 0}
        return self.decided(credential_id, accepted, no_equivalent=not accepted)


# The learned variants compared in the warm protocol: every component alone, and together.
WARM_VARIANTS: dict[str, tuple[str, ...]] = {
    "default": tuple(FEATURE_GROUPS),
    "learned-dense": ("dense",),
    "learned-dense+title": ("dense", "title"),
    "learned-lexical": ("lexical",),
    "learned-outcomes": ("outcomes",),
    "learned-precedents": ("precedents",),
    "learned-subject": ("subject",),
    "learned-no-decisions": ("dense", "title", "outcomes", "lexical", "structure"),
}


@dataclass
class WarmResult:
    runs: dict[str, Run]
    ranked: dict[str, list[ModuleMatch]]  # the default variant's out-of-fold candidates
    tiers: dict[str, str] = field(default_factory=dict)  # the default's tier per credential
    has_equivalent: dict[str, float] = field(default_factory=dict)  # the default's P(has one)
    trained_on: dict[int, set[str]] = field(default_factory=dict)  # fold → credentials read
    held_out: dict[int, set[str]] = field(default_factory=dict)


def warm_protocol(
    pool: CandidatePool,
    folds: int,
    variants: Mapping[str, Sequence[str]] = WARM_VARIANTS,
    depth: int = DEPTH,
    seed: int = 7,
    pool_for_fold: Callable[[int, Sequence[str]], CandidatePool] | None = None,
) -> WarmResult:
    """Return the out-of-fold runs of each learned variant and the default's ranked candidates.

    ``pool_for_fold(fold, training credentials)``: a fold's own candidates (those of a model
    fine-tuned on its training credentials' decisions), in place of ``pool``'s.
    """
    task = pool.task
    result = WarmResult({name: {} for name in variants}, {})
    ids = [c.id for c in task.credentials]
    for fold, test_ids in enumerate(credential_folds(ids, folds, seed)):
        held = set(test_ids)
        train_ids = [c.id for c in task.credentials if c.id not in held]
        result.trained_on[fold] = set(train_ids)
        result.held_out[fold] = held
        fold_pool = pool_for_fold(fold, train_ids) if pool_for_fold else pool
        training = [fold_pool.gold_decided(cid) for cid in train_ids]
        for name, groups in variants.items():
            model = train_model(
                training, fold_pool.courses, fold_pool.lexical, groups=tuple(groups)
            )
            for cid in test_ids:
                ranked = model.rank(
                    fold_pool.decided(cid, {}), fold_pool.courses, fold_pool.lexical
                )
                run = result.runs[name]
                # scores shifted so that the ranking is all a run carries
                run[cid] = {
                    m.key: float(s)
                    for m, s in zip(ranked.matches[:depth], ranked.scores[:depth], strict=True)
                }
                if name == "default":
                    result.ranked[cid] = ranked.matches
                    if ranked.tier is not None:
                        result.tiers[cid] = ranked.tier.tier.value
                    if ranked.has_equivalent is not None:
                        result.has_equivalent[cid] = ranked.has_equivalent
    return result


class PrecomputedRanker:
    """A run already computed (by a protocol), plugged into the harness like any ranker."""

    def __init__(
        self, name: str, description: str, run: Run, fallback: Ranker | None = None
    ) -> None:
        self.name = name
        self.description = description
        self._run = run
        self._fallback = fallback  # ranks any other task (the synthetic hold-out)

    def rank(self, task: RetrievalTask, depth: int = DEPTH) -> Run:
        if task.synthetic and self._fallback is not None:
            return self._fallback.rank(task, depth)
        return {cid: dict(list(scores.items())[:depth]) for cid, scores in self._run.items()}
