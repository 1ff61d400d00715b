"""A model learned from one institution's decisions for one catalogue: train, rank, save, load.

Training reads the decided credentials (their vectors and their candidate matches); every
signal a credential's training row gets from the decisions leaves its own decisions out, so the
ranker learns what precedents are worth for a credential they have not seen.

Every decision counts, "no equivalent" included. The shown confidence combines
P(has an equivalent) and P(this module is the right one | it has one): the first from the
has-an-equivalent model (``equivalence``), the second from the ranker's share, calibrated; a
logistic map of the two logits (``combination``) turns them into the probability that the module
is right. All three are fitted on inner out-of-fold predictions, and so are the tiers; then the
ranker is refitted on all decisions.

Why a map and not the plain product: the two are not independent (a credential with a clear
equivalent is also one whose first module leads), so their product counts what they share twice.
Where every decided credential had an equivalent (VT) there is nothing to learn of how the two
combine, and the product stays. Measured in ``docs/learning.md`` ("A confidence mapped from its
two parts").
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from recognition_engine.learning.calibration import Calibrator, logit, softmax_shares
from recognition_engine.learning.card import model_card
from recognition_engine.learning.equivalence import (
    EQUIVALENCE_FEATURES,
    WARM_FEATURES,
    LogisticModel,
    warm_row,
)
from recognition_engine.learning.equivalence import columns as positions_of
from recognition_engine.learning.features import (
    FEATURE_GROUPS,
    Course,
    candidate_features,
    feature_columns,
)
from recognition_engine.learning.lexical import LexicalIndex
from recognition_engine.learning.precedents import (
    NO_EQUIVALENT,
    Neighbour,
    Precedent,
    PrecedentMemory,
)
from recognition_engine.learning.ranker import LearnedRanker
from recognition_engine.learning.tiers import TierBand, Tiers
from recognition_engine.matching import ModuleMatch

INNER_FOLDS = 5
ALL_GROUPS = tuple(FEATURE_GROUPS)
ScoreMissing = Callable[[Sequence[str]], list[ModuleMatch]]
"""Scores the modules of the given keys for the credential at hand (modules precedents name)."""


@dataclass
class DecidedCredential:
    """A credential with its decisions, as training reads it."""

    course: Course
    text: str  # whole text, for the lexical similarity
    text_vector: np.ndarray  # (dim,)
    title_vector: np.ndarray  # (dim,)
    matches: list[ModuleMatch]  # the engine's candidates, without precedents
    decisions: dict[str, bool]  # module key → accepted
    score_missing: ScoreMissing | None = None
    decided_on: str | None = None
    record_id: str | None = None
    no_equivalent: bool = False  # judged to have no equivalent in the catalogue

    @property
    def decided(self) -> bool:
        return bool(self.decisions) or self.no_equivalent

    @property
    def has_equivalent(self) -> bool:
        return any(self.decisions.values())

    def precedents(self) -> list[Precedent]:
        rows = [
            Precedent(self.course.key, self.course.title, module, accepted, self.decided_on,
                      self.record_id)
            for module, accepted in sorted(self.decisions.items())
        ]
        if self.no_equivalent and not self.has_equivalent:
            rows.append(Precedent(self.course.key, self.course.title, NO_EQUIVALENT, False,
                                  self.decided_on, self.record_id))
        return rows


@dataclass
class Ranked:
    """Candidates reordered by the learned ranker, each with its calibrated confidence."""

    matches: list[ModuleMatch]
    scores: np.ndarray
    neighbours: list[Neighbour] = field(default_factory=list)
    has_equivalent: float | None = None  # P(the credential has an equivalent at all)
    tier: TierBand | None = None

    @property
    def confidence(self) -> float | None:
        return self.matches[0].confidence if self.matches else None


@dataclass
class LearnedModel:
    ranker: LearnedRanker
    calibrator: Calibrator  # the ranker's share → P(this module | the credential has one)
    memory: PrecedentMemory
    model_id: str = ""
    equivalence: LogisticModel | None = None  # P(has an equivalent); None: models saved before
    tiers: Tiers | None = None
    card: dict[str, object] = field(default_factory=dict)
    combination: LogisticModel | None = None  # the module docstring's map; None: the product

    def rank(
        self,
        credential: DecidedCredential,
        modules: Mapping[str, Course],
        lexical: LexicalIndex,
        *,
        exclude_own: bool = False,
    ) -> Ranked:
        """Return the credential's candidates (with those its precedents name) ranked."""
        matches, features, neighbours = candidates(
            credential, self.memory, modules, lexical, exclude_own=exclude_own
        )
        scores = self.ranker.score(features)
        probability = self.calibrator(softmax_shares(scores))
        order = np.argsort(-scores, kind="stable")
        has = None
        if self.equivalence is not None and len(scores):
            row = warm_row(credential.course.key, matches, features, scores, neighbours,
                           self.memory, exclude_own=exclude_own)
            has = float(self.equivalence(row[_at(self.equivalence.names)]))
            probability = combined(self.combination, has, probability)
        ranked = [replace(matches[i], confidence=float(probability[i])) for i in order]
        result = Ranked(ranked, scores[order], neighbours, has)
        if self.tiers is not None and ranked:
            result.tier = self.tiers.of(float(probability[order[0]]))
        return result

    def save(self, folder: Path) -> None:
        """Write the model into ``folder`` (created); it replaces what was there."""
        folder.mkdir(parents=True, exist_ok=True)
        self.ranker.save(folder)
        self.calibrator.save(folder / "calibration.json")
        rows = [p.__dict__ for p in self.memory.precedents]
        (folder / "precedents.json").write_text(json.dumps(rows, ensure_ascii=False))
        np.savez(folder / "precedents.npz", text=self.memory.text_vectors,
                 title=self.memory.title_vectors)
        meta: dict[str, object] = {"model_id": self.model_id, "decisions": len(rows),
                                   "card": self.card}
        if self.equivalence is not None:
            meta["equivalence"] = self.equivalence.to_json()
        if self.tiers is not None:
            meta["tiers"] = self.tiers.to_json()
        if self.combination is not None:
            meta["combination"] = self.combination.to_json()
        (folder / "model.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1))

    @classmethod
    def load(cls, folder: Path) -> LearnedModel:
        """Return the model saved in ``folder``; ValueError if any part of it cannot be read."""
        try:
            return cls._load(folder)
        except Exception as error:  # json, numpy, LightGBM and file errors alike
            raise ValueError(f"the learned model in {folder} cannot be read: {error}") from error

    @classmethod
    def _load(cls, folder: Path) -> LearnedModel:
        meta = json.loads((folder / "model.json").read_text())
        vectors = np.load(folder / "precedents.npz")
        rows = json.loads((folder / "precedents.json").read_text())
        precedents = [Precedent(**row) for row in rows]
        memory = PrecedentMemory(precedents, vectors["text"], vectors["title"])
        return cls(
            LearnedRanker.load(folder),
            Calibrator.load(folder / "calibration.json"),
            memory,
            meta.get("model_id", ""),
            LogisticModel.from_json(meta["equivalence"]) if "equivalence" in meta else None,
            Tiers.from_json(meta["tiers"]) if "tiers" in meta else None,
            dict(meta.get("card", {})),
            LogisticModel.from_json(meta["combination"]) if "combination" in meta else None,
        )


def candidates(
    credential: DecidedCredential,
    memory: PrecedentMemory,
    modules: Mapping[str, Course],
    lexical: LexicalIndex,
    *,
    exclude_own: bool = False,
) -> tuple[list[ModuleMatch], np.ndarray, list[Neighbour]]:
    """Return the candidates (the matches plus the modules precedents name), their features and
    the neighbours; ``exclude_own`` leaves the credential's own decisions out (training)."""
    exclude = {credential.course.key} if exclude_own else set()
    neighbours = memory.nearest(credential.text_vector, credential.title_vector, exclude)
    matches = list(credential.matches)
    have = {m.key for m in matches}
    named = [n.precedent.module_key for n in neighbours if n.precedent.accepted]
    missing = [k for k in dict.fromkeys(named) if k not in have and k in modules]
    if missing and credential.score_missing is not None:
        matches += credential.score_missing(missing)
    signals = memory.signals(credential.course.key, neighbours, exclude_own=exclude_own)
    lexical_scores = lexical.similarity(credential.text, [m.key for m in matches])
    features = candidate_features(credential.course, matches, modules, lexical_scores, signals)
    return matches, features, neighbours


def train_model(
    decided: Sequence[DecidedCredential],
    modules: Mapping[str, Course],
    lexical: LexicalIndex,
    *,
    groups: Sequence[str] = ALL_GROUPS,
    model_id: str = "",
    inner_folds: int = INNER_FOLDS,
    seed: int = 11,
) -> LearnedModel:
    """Return a model learned from the decisions of ``decided`` only.

    The confidence is calibrated on inner out-of-fold predictions made as the final model will
    be used: each inner fold's ranker and precedent memory come from the other inner folds
    alone, so a held-out credential's precedents never include the decisions it is scored
    against. (Building one memory from every decision and leaving only a credential's own out
    made the inner predictions right 69% of the time where the outer held-out folds were right
    61%: an over-confident calibration. Nested, 63% against 61%.)
    """
    started = time.perf_counter()
    columns = feature_columns(groups)
    decided = [c for c in decided if c.decided]
    order = list(range(len(decided)))
    random.Random(seed).shuffle(order)
    held_out = _inner_predictions(decided, order, modules, lexical, columns, inner_folds)
    with_one = [p for p in held_out if p.has]
    calibrator = Calibrator.fit([p.share for p in with_one], [p.correct for p in with_one])
    rows = np.array([p.row for p in held_out]).reshape(len(held_out), len(WARM_FEATURES))
    has = np.array([p.has for p in held_out], dtype=bool)
    correct = np.array([p.correct for p in held_out], dtype=bool)
    equivalence = LogisticModel.fit(EQUIVALENCE_FEATURES, rows[:, _at(EQUIVALENCE_FEATURES)], has)
    # the tiers from confidences none of whose parts saw the credential's decision
    has_probability = _cross_fitted(rows, has, seed)
    module_probability = calibrator(rows[:, _at(("ranker_share",))[0]])
    # without a credential judged to have no equivalent there is nothing to learn of how the
    # two combine (P(has) is the same smoothed rate throughout): the plain product
    combination = LogisticModel.fit(
        COMBINED, _logits(has_probability, module_probability), correct, standardise=False
    ) if 0 < has.sum() < len(has) else None
    confidence = combined(combination, has_probability, module_probability)
    tiers = Tiers.fit(confidence, correct, has)
    memory = _memory(decided)
    ranker = _fit(_rows(decided, memory, modules, lexical, exclude_own=True), columns)
    card = model_card(model_id=model_id, has=has, correct=correct,
                      has_probability=has_probability, confidence=confidence, tiers=tiers,
                      decisions=len(memory), seconds=time.perf_counter() - started)
    return LearnedModel(ranker, calibrator, memory, model_id, equivalence, tiers, card,
                        combination)


COMBINED = ("logit_has_equivalent", "logit_module_given_one")


def combined(
    combination: LogisticModel | None, has: np.ndarray | float, module: np.ndarray
) -> np.ndarray:
    """Return the probability that each module is right from P(has an equivalent) and each
    P(module | it has one): the learned map of their logits, or their product without one.
    Never above P(has an equivalent): no module is right where there is none."""
    module = np.asarray(module, dtype=np.float64)
    if combination is None:
        return module * has
    return np.minimum(combination(_logits(np.broadcast_to(has, module.shape), module)), has)


def _logits(*probabilities: np.ndarray | float) -> np.ndarray:
    return logit(np.column_stack(probabilities).astype(np.float64))


@dataclass(frozen=True)
class _HeldOut:
    """One credential's inner out-of-fold prediction."""

    row: np.ndarray  # WARM_FEATURES
    share: float  # the ranker's softmax share of its first candidate
    correct: bool  # that candidate was accepted
    has: bool  # some module was accepted for the credential


def _inner_predictions(
    decided: Sequence[DecidedCredential],
    order: Sequence[int],
    modules: Mapping[str, Course],
    lexical: LexicalIndex,
    columns: Sequence[int],
    inner_folds: int,
) -> list[_HeldOut]:
    """Return a prediction for each credential made by a model (ranker and precedent memory)
    learned from the other inner folds alone, as the final model will be used."""
    predictions: list[_HeldOut] = []
    for held in (order[i::inner_folds] for i in range(inner_folds)):
        left_out = set(held)
        inner = [decided[i] for i in order if i not in left_out]
        if not held or not inner:
            continue
        memory = _memory(inner)
        try:
            ranker = _fit(_rows(inner, memory, modules, lexical, exclude_own=True), columns)
        except ValueError:
            continue
        for i in held:
            credential = decided[i]
            matches, features, neighbours = candidates(credential, memory, modules, lexical)
            accepted = {k for k, ok in credential.decisions.items() if ok}
            scores = ranker.score(features)
            row = warm_row(credential.course.key, matches, features, scores, neighbours, memory)
            if len(scores) == 0:
                predictions.append(_HeldOut(row, 0.0, False, bool(accepted)))
                continue
            top = int(np.argmax(scores))
            predictions.append(_HeldOut(
                row, float(softmax_shares(scores)[top]), matches[top].key in accepted,
                bool(accepted),
            ))
    return predictions


def _cross_fitted(rows: np.ndarray, has: np.ndarray, seed: int, folds: int = 5) -> np.ndarray:
    """Return each row's P(has an equivalent) from a model fitted on the other folds' rows."""
    out = np.zeros(len(rows))
    index = np.arange(len(rows))
    np.random.default_rng(seed).shuffle(index)
    for fold in range(folds):
        held = index[fold::folds]
        rest = np.setdiff1d(index, held)
        if len(held) == 0:
            continue
        p_has = LogisticModel.fit(EQUIVALENCE_FEATURES, rows[rest][:, _at(EQUIVALENCE_FEATURES)],
                                  has[rest])
        out[held] = p_has(rows[held])
    return out


def _at(names: Sequence[str]) -> list[int]:
    return positions_of(names, WARM_FEATURES)


def _memory(decided: Sequence[DecidedCredential]) -> PrecedentMemory:
    precedents = [(c, p) for c in decided for p in c.precedents()]
    return PrecedentMemory(
        [p for _, p in precedents],
        np.array([c.text_vector for c, _ in precedents]),
        np.array([c.title_vector for c, _ in precedents]),
    )


def _rows(
    decided: Sequence[DecidedCredential],
    memory: PrecedentMemory,
    modules: Mapping[str, Course],
    lexical: LexicalIndex,
    *,
    exclude_own: bool = False,
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Return each credential's (candidate features, labels: 1 for an accepted module)."""
    rows = []
    for credential in decided:
        matches, features, _ = candidates(
            credential, memory, modules, lexical, exclude_own=exclude_own
        )
        accepted = {k for k, ok in credential.decisions.items() if ok}
        rows.append((features, np.array([1.0 if m.key in accepted else 0.0 for m in matches])))
    return rows


def _fit(rows: Sequence[tuple[np.ndarray, np.ndarray]], columns: Sequence[int]) -> LearnedRanker:
    return LearnedRanker.fit([r[0] for r in rows], [r[1] for r in rows], columns)
