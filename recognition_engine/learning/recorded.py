"""Learning from the decisions evaluators recorded on the engine's own proposals.

The harness learns from an equivalence set; a customer's service learns from what its
evaluators decided through the API or the workbench. Each decision becomes a decided
credential: what was awarded counts for its modules, a rejection counts against the modules
that had been proposed, and a decision that awards nothing says the credential has no
equivalent in the catalogue, whether or not anything had been proposed. Decisions on modules
no longer in the catalogue are counted, reported and skipped. The model is trained and saved
for the programme exactly as ``learn`` does for an equivalence set, so the engine, the API and
the workbench then rank with it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from recognition_engine.domain import Programme
from recognition_engine.errors import InvalidInput
from recognition_engine.index import CatalogueIndex
from recognition_engine.learning.features import Course, catalogue_courses
from recognition_engine.learning.lexical import LexicalIndex
from recognition_engine.learning.model import DecidedCredential, LearnedModel, train_model
from recognition_engine.matching import MatchParams, match_credential, score_positions
from recognition_engine.models import Embedder


@dataclass(frozen=True)
class RecordedDecision:
    """An evaluator's decision on one proposal, as learning reads it (no learner identity)."""

    key: str  # the recognition's id: one decided "credential" per recognition
    title: str
    outcomes: Sequence[str]
    whole_text: str
    ects: float | None
    accepted: Sequence[str]  # module codes awarded
    refused: Sequence[str]  # module codes proposed and rejected
    decided_on: str | None = None  # ISO date
    record_id: str | None = None  # the decision's id in the audit trail


MIN_DECIDED = 10
"""Decided credentials below which no model is learned: five inner folds need a few each."""
MIN_WITH_EQUIVALENT = 5
"""Credentials with an awarded module below which the ranker has nothing to learn from."""


@dataclass
class LearningInput:
    """What learning read of the recorded decisions."""

    decided: int = 0
    with_equivalent: int = 0
    without_equivalent: int = 0
    unknown_modules: dict[str, int] = field(default_factory=dict)  # code → decisions skipped


def learn_from_decisions(
    decisions: Sequence[RecordedDecision],
    programme: Programme,
    index: CatalogueIndex,
    embedder: Embedder,
    params: MatchParams,
) -> tuple[LearnedModel, LearningInput]:
    """Return a model learned from ``decisions`` for ``programme``'s catalogue, and what was
    read; :class:`InvalidInput` (the earlier model, or none, stays) when there are too few."""
    ects = {m.code: m.ects for m in programme.modules}
    courses = catalogue_courses(index, ects)
    lexical = LexicalIndex([e.key for e in index.entries], [e.text for e in index.entries])
    position = {entry.key: i for i, entry in enumerate(index.entries)}
    decided = []
    read = LearningInput()
    for decision in decisions:
        votes = {code: False for code in decision.refused} | {
            code: True for code in decision.accepted
        }
        for code in votes:
            if code not in position:
                read.unknown_modules[code] = read.unknown_modules.get(code, 0) + 1
        votes = {code: ok for code, ok in votes.items() if code in position}
        awarded = [code for code in decision.accepted if code in position]
        if decision.accepted and not awarded:
            continue  # it awarded only modules that are gone: nothing left to learn
        if not decision.outcomes:
            continue
        query = embedder.embed(list(decision.outcomes))
        text_vector, title_vector = embedder.embed([decision.whole_text, decision.title])
        matches = match_credential(
            decision.outcomes, index, embedder, params,
            whole_text=decision.whole_text, title=decision.title,
        )

        def score_missing(keys, query=query, text=text_vector, title=title_vector):  # noqa: ANN001, ANN202
            return score_positions(query, text, title, index,
                                   [position[k] for k in keys if k in position], params)

        decided.append(
            DecidedCredential(
                course=Course(decision.key, decision.title, decision.ects),
                text=decision.whole_text,
                text_vector=np.asarray(text_vector),
                title_vector=np.asarray(title_vector),
                matches=matches,
                decisions=votes,
                score_missing=score_missing,
                decided_on=decision.decided_on,
                record_id=decision.record_id,
                no_equivalent=not awarded,
            )
        )
        read.decided += 1
        read.with_equivalent += bool(awarded)
    read.without_equivalent = read.decided - read.with_equivalent
    if read.decided < MIN_DECIDED or read.with_equivalent < MIN_WITH_EQUIVALENT:
        raise InvalidInput(
            f"too few decisions on {programme.id} to learn from: {read.decided} decided "
            f"credentials, {read.with_equivalent} of them with a module awarded; learning needs "
            f"at least {MIN_DECIDED}, {MIN_WITH_EQUIVALENT} with a module awarded. Proposals "
            "stay as they were (the earlier learned model, or the cold ranking)."
        )
    try:
        model = train_model(decided, courses, lexical, model_id=embedder.model_id)
    except ValueError as error:
        raise InvalidInput(f"cannot learn from the decisions on {programme.id}: {error}") from error
    model.card["unknown_modules"] = read.unknown_modules
    return model, read
