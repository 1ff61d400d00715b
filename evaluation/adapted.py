"""The adapted model, measured honestly: fine-tuned inside K-fold cross-validation.

The credentials are split into folds; for each fold the model is fine-tuned
(:func:`recognition_engine.models.adaptation.adapt_model`) on the accepted pairs of the other folds
only, each with its hard negatives as ``recognition-engine adapt`` trains them (picked from the
base model's ranking), and the fold's credentials are ranked against the whole catalogue with
it. The out-of-fold rows make one run, scored like every other ranker's. Two views share the folds:
whole-text cosine, and the product's signal, the mean of whole-text and title cosine.

Opt-in (``evaluate --adapt``): five fine-tunings and five embeddings of the catalogue take
minutes on a GPU and much longer on a CPU.
"""

from __future__ import annotations

import random
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from evaluation.datasets import RetrievalTask, Run
from evaluation.rankers import DEPTH, run_from_matrix
from recognition_engine.learning.hard_negatives import DEPTH as DEPTH_NEGATIVES
from recognition_engine.learning.hard_negatives import (
    HARD_NEGATIVES,
    examples,
    text_and_title_scores,
    top_keys,
)
from recognition_engine.models import Embedder
from recognition_engine.models.adaptation import Pair, adapt_model
from recognition_engine.models.torch_backend import load_on_best_device

FOLDS = 5


def credential_folds(credential_ids: Sequence[str], folds: int, seed: int = 7) -> list[list[str]]:
    """Return the credentials split into ``folds`` disjoint folds, shuffled with ``seed``."""
    order = list(credential_ids)
    random.Random(seed).shuffle(order)
    return [order[fold::folds] for fold in range(folds)]


def training_pairs(task: RetrievalTask, credential_ids: Sequence[str]) -> list[Pair]:
    """Return the (credential text, gold module text) pairs of the given credentials only."""
    credentials = {c.id: c.text for c in task.credentials}
    modules = {m.id: m.text for m in task.modules}
    return [
        (credentials[cid], modules[mid])
        for cid in credential_ids
        for mid, relevance in sorted(task.gold.get(cid, {}).items())
        if relevance > 0
    ]


def with_negatives(
    task: RetrievalTask,
    ranked: Mapping[str, Sequence[str]],
    credential_ids: Sequence[str],
    count: int,
) -> list[Pair]:
    """Return the credentials' accepted decisions as (credential, module, negative) examples,
    their hard negatives picked from ``ranked`` (module ids, best first) as
    ``recognition-engine adapt`` picks them."""
    accepted = {
        cid: [m for m, relevance in sorted(task.gold.get(cid, {}).items()) if relevance > 0]
        for cid in credential_ids
    }
    return examples(
        accepted,
        {c.id: c.text for c in task.credentials},
        {m.id: m.text for m in task.modules},
        ranked,
        count,
    )


@dataclass(frozen=True)
class AdaptationParams:
    epochs: int = 3
    batch_size: int = 32
    seed: int = 13
    folds: int = FOLDS
    hard_negatives: int = HARD_NEGATIVES  # per accepted pair, as `adapt` trains; 0: in-batch only


class CrossValidatedAdaptation:
    """Out-of-fold score matrices of models fine-tuned on the other folds, computed once."""

    def __init__(
        self,
        base: Path,
        params: AdaptationParams | None = None,
        *,
        adapt: Callable[[Sequence[Pair], Path, Path], Path] | None = None,
        embedder_from: Callable[[Path], Embedder] = load_on_best_device,
    ) -> None:
        self.base = Path(base)
        self.params = params or AdaptationParams()
        self._adapt = adapt or self._fine_tune
        self._embedder_from = embedder_from
        self._memo: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self._ranking: dict[str, list[str]] | None = None
        self.training_credentials: dict[int, list[str]] = {}  # fold -> credentials trained on

    def _fine_tune(self, pairs: Sequence[Pair], base: Path, out: Path) -> Path:
        p = self.params
        return adapt_model(pairs, base, out, epochs=p.epochs, batch_size=p.batch_size, seed=p.seed)

    def matrices(self, task: RetrievalTask) -> tuple[np.ndarray, np.ndarray]:
        """Return (whole-text cosine, title cosine), each (credentials, modules), out of fold."""
        key = id(task)
        if key not in self._memo:
            self._memo = {key: self._cross_validate(task)}
        return self._memo[key]

    def _cross_validate(self, task: RetrievalTask) -> tuple[np.ndarray, np.ndarray]:
        row_of = {c.id: row for row, c in enumerate(task.credentials)}
        text = np.zeros((len(task.credentials), len(task.modules)))
        title = np.zeros_like(text)
        folds = credential_folds(list(row_of), self.params.folds)
        with tempfile.TemporaryDirectory(prefix="adapted-cv-") as scratch:
            for fold, test_ids in enumerate(folds):
                train_ids = [c for other in folds if other is not test_ids for c in other]
                self.training_credentials[fold] = train_ids
                model = self._adapt(
                    self._examples(task, train_ids), self.base, Path(scratch) / f"fold-{fold}"
                )
                embedder = self._embedder_from(model)
                test = [task.credentials[row_of[c]] for c in test_ids]
                rows = [row_of[c] for c in test_ids]
                text[rows] = _cosine(
                    embedder, [c.text for c in test], [m.text for m in task.modules]
                )
                title[rows] = _cosine(
                    embedder, [c.title for c in test], [m.title for m in task.modules]
                )
        return text, title

    def _examples(self, task: RetrievalTask, train_ids: Sequence[str]) -> list[Pair]:
        count = self.params.hard_negatives
        if not count:
            return training_pairs(task, train_ids)
        if self._ranking is None:  # the base model's, once: a fold's negatives are its own
            base = self._embedder_from(self.base)
            scores = text_and_title_scores(
                base,
                base,
                [(c.text, c.title) for c in task.credentials],
                [(m.text, m.title) for m in task.modules],
            )
            top = top_keys(scores, [m.id for m in task.modules], DEPTH_NEGATIVES)
            self._ranking = dict(zip([c.id for c in task.credentials], top, strict=True))
        # sorted: the examples, and so the batches, do not depend on the order of the folds
        return with_negatives(task, self._ranking, sorted(train_ids), count)


def _cosine(embedder: Embedder, queries: list[str], documents: list[str]) -> np.ndarray:
    return embedder.embed(queries) @ embedder.embed(documents, progress=True).T


class AdaptedRanker:
    """A view of the cross-validated adaptation: whole text, or the mean of text and title."""

    def __init__(self, adaptation: CrossValidatedAdaptation, *, with_title: bool) -> None:
        self.adaptation = adaptation
        self.with_title = with_title
        p = adaptation.params
        self.name = "dense+title-adapted-cv" if with_title else "dense-adapted-cv"
        signal = "mean of whole-text and title cosine" if with_title else "whole-text cosine"
        self.description = (
            f"{signal}, model fine-tuned on the other folds' accepted pairs "
            f"({p.folds}-fold CV, {p.epochs} epochs, batch {p.batch_size}, "
            f"{p.hard_negatives} hard negatives a pair, MultipleNegativesRankingLoss)"
        )

    def rank(self, task: RetrievalTask, depth: int = DEPTH) -> Run:
        text, title = self.adaptation.matrices(task)
        return run_from_matrix(task, (text + title) / 2 if self.with_title else text, depth)


def adapted_rankers(base: Path, params: AdaptationParams | None = None) -> list[AdaptedRanker]:
    """Return the two views of one cross-validated adaptation of the model in ``base``."""
    adaptation = CrossValidatedAdaptation(base, params)
    return [
        AdaptedRanker(adaptation, with_title=False),
        AdaptedRanker(adaptation, with_title=True),
    ]
