"""Learning from the decisions evaluators recorded on the engine's own proposals.

The harness learns from an equivalence set; a customer's service learns from what its
evaluators decided through the API or the workbench. Each decision becomes a decided
credential: what was awarded counts for its modules, a rejection counts against the modules
that had been proposed. The model is trained and saved for the programme exactly as ``learn``
does for an equivalence set, so the engine, the API and the workbench then rank with it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from recognition_engine.domain import Programme
from recognition_engine.embedding import Embedder
from recognition_engine.errors import InvalidInput
from recognition_engine.index import CatalogueIndex
from recognition_engine.learning.features import Course
from recognition_engine.learning.lexical import LexicalIndex
from recognition_engine.learning.model import DecidedCredential, LearnedModel, train_model
from recognition_engine.matching import MatchParams, match_credential, score_positions


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


def learn_from_decisions(
    decisions: Sequence[RecordedDecision],
    programme: Programme,
    index: CatalogueIndex,
    embedder: Embedder,
    params: MatchParams,
) -> LearnedModel:
    """Return a model learned from ``decisions`` for ``programme``'s catalogue."""
    ects = {m.code: m.ects for m in programme.modules}
    courses = {e.key: Course(e.key, e.title, ects.get(e.key)) for e in index.entries}
    lexical = LexicalIndex([e.key for e in index.entries], [e.text for e in index.entries])
    position = {entry.key: i for i, entry in enumerate(index.entries)}
    decided = []
    for decision in decisions:
        votes = {code: False for code in decision.refused} | {
            code: True for code in decision.accepted
        }
        votes = {code: ok for code, ok in votes.items() if code in position}
        if not votes or not decision.outcomes:
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
            )
        )
    if not any(any(c.decisions.values()) for c in decided):
        raise InvalidInput(
            f"no decision on {programme.id} awards a module of its catalogue: nothing to learn"
        )
    try:
        return train_model(decided, courses, lexical, model_id=embedder.model_id)
    except ValueError as error:
        raise InvalidInput(f"cannot learn from the decisions on {programme.id}: {error}") from error
