"""Rankers: each turns a retrieval task into a run, ``{credential_id: {module_id: score}}``.

Every ranker is the same kind of plug-in (the :class:`Ranker` protocol), so the harness puts
lexical baselines, dense embeddings, outcome-level alignment, fusions and the product's own
matching side by side on the same data. Rankers that score the whole catalogue do it through
:class:`ScoreMatrixRanker`: one matrix of shape (credentials, modules), the top of each row kept.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import numpy as np

from evaluation.datasets import ItemText, RetrievalTask, Run
from recognition_engine.config import Settings
from recognition_engine.models import Embedder

if TYPE_CHECKING:
    from recognition_engine.matching import ModuleMatch

DEPTH = 100  # modules kept per credential in a run: enough for R@10 and for fusion


@runtime_checkable
class Ranker(Protocol):
    """Ranks the catalogue's modules for each credential."""

    @property
    def name(self) -> str: ...

    @property
    def description(self) -> str:
        """One line for the report: what the ranker looks at."""
        ...

    def rank(self, task: RetrievalTask, depth: int = DEPTH) -> Run:
        """Return the best ``depth`` modules per credential with their scores (higher is better)."""
        ...


class ScoreMatrixRanker:
    """Base of rankers that score every (credential, module) pair."""

    name = "matrix"
    description = ""

    def __init__(self) -> None:
        self._memo: dict[int, np.ndarray] = {}

    def scores(self, task: RetrievalTask) -> np.ndarray:
        """Return the score matrix of shape (len(task.credentials), len(task.modules)), memoised."""
        key = id(task)
        if key not in self._memo:
            self._memo = {key: np.asarray(self._score(task), dtype=np.float64)}
        return self._memo[key]

    def _score(self, task: RetrievalTask) -> np.ndarray:
        raise NotImplementedError

    def rank(self, task: RetrievalTask, depth: int = DEPTH) -> Run:
        return run_from_matrix(task, self.scores(task), depth)


def run_from_matrix(task: RetrievalTask, scores: np.ndarray, depth: int = DEPTH) -> Run:
    """Return the top ``depth`` modules of each row of a (credentials, modules) score matrix."""
    depth = min(depth, scores.shape[1])
    run: Run = {}
    top = np.argpartition(-scores, depth - 1, axis=1)[:, :depth]
    for row, credential in enumerate(task.credentials):
        columns = top[row][np.argsort(-scores[row, top[row]], kind="stable")]
        run[credential.id] = {
            task.modules[j].id: float(scores[row, j])
            for j in columns
            if np.isfinite(scores[row, j])
        }
    return run


# --- lexical ------------------------------------------------------------------------------


class TfidfRanker(ScoreMatrixRanker):
    """Cosine of TF-IDF vectors (scikit-learn), fitted on the catalogue."""

    def __init__(self, field: str = "text") -> None:
        super().__init__()
        self.field = field
        self.name = "tfidf" if field == "text" else f"tfidf-{field}"
        self.description = f"TF-IDF cosine on the {field} (sublinear tf, English stop words)"

    def _score(self, task: RetrievalTask) -> np.ndarray:
        from sklearn.feature_extraction.text import TfidfVectorizer

        vectorizer = TfidfVectorizer(sublinear_tf=True, stop_words="english", min_df=1)
        modules = vectorizer.fit_transform([_field(m, self.field) for m in task.modules])
        credentials = vectorizer.transform([_field(c, self.field) for c in task.credentials])
        return (credentials @ modules.T).toarray()


_WORD = re.compile(r"[a-z0-9]+")


def tokenize(text: str) -> list[str]:
    """Return lower-case word tokens without English stop words."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return [w for w in _WORD.findall(text.lower()) if w not in ENGLISH_STOP_WORDS]


class Bm25Ranker(ScoreMatrixRanker):
    """Okapi BM25 (rank-bm25) over the whole texts."""

    name = "bm25"
    description = "Okapi BM25 on the whole text (k1=1.5, b=0.75)"

    def _score(self, task: RetrievalTask) -> np.ndarray:
        from rank_bm25 import BM25Okapi

        bm25 = BM25Okapi([tokenize(m.text) or ["_"] for m in task.modules])
        return np.vstack([bm25.get_scores(tokenize(c.text)) for c in task.credentials])


# --- dense --------------------------------------------------------------------------------


class DenseRanker(ScoreMatrixRanker):
    """Cosine of sentence embeddings of one text field per item."""

    def __init__(
        self, embedder: Embedder, field: str = "text", catalogue: Embedder | None = None
    ) -> None:
        super().__init__()
        self.embedder = embedder
        self.catalogue = catalogue or embedder  # the modules' side (e5: passages)
        self.field = field
        self.name = "dense" if field == "text" else f"dense-{field}"
        self.description = f"cosine of sentence embeddings of the {field} ({embedder.model_id})"

    def _score(self, task: RetrievalTask) -> np.ndarray:
        modules = self.catalogue.embed([_field(m, self.field) for m in task.modules], progress=True)
        credentials = self.embedder.embed([_field(c, self.field) for c in task.credentials])
        return credentials @ modules.T


class OutcomeRanker(ScoreMatrixRanker):
    """Outcome-level alignment: every credential outcome against every module outcome.

    For each pair the similarity matrix between outcomes is read both ways: the mean best
    similarity of the module's outcomes (how much of the module the credential covers) and
    of the credential's outcomes (how much of the credential lands in the module); the score
    is their mean, a symmetric BERTScore-like F over outcomes.
    """

    name = "outcomes"
    description = (
        "outcome-level alignment: mean of best-match similarity, module and credential sides"
    )

    def __init__(self, embedder: Embedder, catalogue: Embedder | None = None) -> None:
        super().__init__()
        self.embedder = embedder
        self.catalogue = catalogue or embedder

    def _score(self, task: RetrievalTask) -> np.ndarray:
        module_side, credential_side = self.sides(task)
        return (module_side + credential_side) / 2

    def sides(self, task: RetrievalTask) -> tuple[np.ndarray, np.ndarray]:
        """Return (module side, credential side), each of shape (credentials, modules)."""
        return outcome_alignment(task, self.embedder, self.catalogue)


def outcome_alignment(
    task: RetrievalTask, embedder: Embedder, catalogue: Embedder | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Return the module-side and credential-side mean best similarities, (credentials, modules)."""
    module_counts = [len(m.outcomes) for m in task.modules]
    starts = np.concatenate([[0], np.cumsum(module_counts)[:-1]]).astype(np.int64)
    module_vectors = (catalogue or embedder).embed(
        [o for m in task.modules for o in m.outcomes], progress=True
    )
    counts = np.asarray(module_counts, dtype=np.float64)
    module_side = np.zeros((len(task.credentials), len(task.modules)))
    credential_side = np.zeros_like(module_side)
    for row, credential in enumerate(task.credentials):
        query = embedder.embed(list(credential.outcomes))
        similarity = query @ module_vectors.T  # (credential outcomes, module outcomes)
        best_per_module_outcome = similarity.max(axis=0)
        module_side[row] = np.add.reduceat(best_per_module_outcome, starts) / counts
        best_in_module = np.maximum.reduceat(similarity, starts, axis=1)
        credential_side[row] = best_in_module.mean(axis=0)
    return module_side, credential_side


# --- fusion and the product ---------------------------------------------------------------


class MeanRanker(ScoreMatrixRanker):
    """The mean of other rankers' score matrices: for signals on one scale (cosines)."""

    def __init__(self, components: Sequence[ScoreMatrixRanker], *, name: str) -> None:
        super().__init__()
        self.components = list(components)
        self.name = name
        self.description = "mean of " + " + ".join(c.name for c in self.components)

    def _score(self, task: RetrievalTask) -> np.ndarray:
        return sum(c.scores(task) for c in self.components) / len(self.components)


class FusionRanker:
    """Fuses the runs of other rankers with ranx (reciprocal-rank fusion by default)."""

    def __init__(
        self,
        components: Sequence[Ranker],
        *,
        name: str = "hybrid",
        method: str = "rrf",
        norm: str | None = None,
        params: dict | None = None,
    ) -> None:
        self.components = list(components)
        self.name = name
        self.method = method
        self.norm = norm
        self.params = params or {}
        parts = " + ".join(c.name for c in self.components)
        self.description = f"{method} fusion ({norm or 'no'} norm) of {parts}"

    def rank(self, task: RetrievalTask, depth: int = DEPTH) -> Run:
        from ranx import Run as RanxRun
        from ranx import fuse

        runs = [RanxRun(c.rank(task, depth), name=c.name) for c in self.components]
        fused = fuse(runs=runs, norm=self.norm, method=self.method, params=self.params or None)
        return _top(fused.to_dict(), depth)


class EngineRanker:
    """The product's default: the engine's own matching, ``ModuleMatch.score``.

    The catalogue is indexed with the engine's ``CatalogueIndex`` and each credential matched
    with ``recognition_engine.matching`` with the settings' parameters, building the module and
    credential texts the way ``RecognitionEngine.recognise`` does; nothing is reimplemented.
    """

    name = "default"
    description = "the product's default: ModuleMatch.score (whole text + title)"

    def __init__(
        self, embedder: Embedder, settings: Settings, catalogue: Embedder | None = None
    ) -> None:
        self.embedder = embedder
        self.catalogue = catalogue or embedder  # what indexes the modules (e5: passages)
        self.settings = settings

    def rank(self, task: RetrievalTask, depth: int = DEPTH) -> Run:
        from recognition_engine.index import CatalogueEntry, CatalogueIndex, entry_text
        from recognition_engine.matching import MatchParams, credential_text, match_vectors

        entries = [
            CatalogueEntry(
                m.id, m.title, m.outcomes, entry_text(m.title, m.description, m.outcomes)
            )
            for m in task.modules
        ]
        index = CatalogueIndex.build(
            entries, self.catalogue, backend=self.settings.index_backend, progress=True
        )
        params = replace(MatchParams.from_settings(self.settings), max_modules=depth)
        run: Run = {}
        for credential in task.credentials:
            query = self.embedder.embed(list(credential.outcomes))
            whole_text = credential_text(credential.title, credential.outcomes)
            text_vector, title_vector = self.embedder.embed([whole_text, credential.title])
            matches = match_vectors(
                query, text_vector, title_vector, index, params, title=credential.title
            )
            run[credential.id] = ordered_scores(matches[:depth])
        return run


def ordered_scores(matches: Sequence[ModuleMatch]) -> dict[str, float]:
    """Return the run of ``matches`` in their order: each its score, held below the one before
    (the engine puts a module from another place in a course sequence below the rest whatever
    its score)."""
    run: dict[str, float] = {}
    ceiling = np.inf
    for match in matches:
        ceiling = min(float(match.score), np.nextafter(ceiling, -np.inf))
        run[match.key] = ceiling
    return run


def standard_rankers(
    embedder: Embedder, settings: Settings, catalogue: Embedder | None = None
) -> tuple[list[Ranker], str]:
    """Return the rankers the harness compares, and the name of the product's default.

    ``embedder`` reads the credentials, ``catalogue`` (default: the same) the modules.
    """
    tfidf, bm25 = TfidfRanker(), Bm25Ranker()
    dense = DenseRanker(embedder, catalogue=catalogue)
    title = DenseRanker(embedder, "title", catalogue)
    outcomes = OutcomeRanker(embedder, catalogue)
    # the candidate for the product's score (evaluation/experiments/fusion_cv.py)
    text_title = MeanRanker([dense, title], name="dense+title")
    hybrid = FusionRanker([bm25, dense, title, outcomes], name="hybrid-rrf")
    default = EngineRanker(embedder, settings, catalogue)
    return [tfidf, bm25, dense, title, outcomes, text_title, hybrid, default], default.name


def _top(run: Run, depth: int) -> Run:
    return {
        query: dict(sorted(docs.items(), key=lambda kv: kv[1], reverse=True)[:depth])
        for query, docs in run.items()
    }


def _field(item: ItemText, field: str) -> str:
    if field == "title":
        return item.title
    if field == "outcomes":
        return " ".join(item.outcomes)
    return item.text
