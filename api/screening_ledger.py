"""The API's screening ledger: one lane of a stored screening, read and written in its database.

The runner (``recognition_engine.screening``) asks the lane for its pending items by id
(keyset, so items handed out and not yet saved are not handed out again) and gives back their
outcomes; the lane applies the programme's standing equivalency rules, turns errors into
problem documents, and saves them through the screening runner's ``save`` (a commit per call).
An item is saved once: the save only moves items still pending, and counts those it moved.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from sqlalchemy import select

from api.database import Database
from api.equivalency_rules import EquivalencyRules
from api.problems import code_stack, engine_problem
from api.schemas import ItemState
from api.tables import ScreeningItemRecord
from recognition_engine.domain import Programme
from recognition_engine.errors import RecognitionError
from recognition_engine.screening import Job, Outcome

logger = logging.getLogger(__name__)

# (item id, state, proposal, problem)
SavedItem = tuple[int, str, dict[str, Any] | None, dict[str, Any] | None]


class ScreeningLane:
    """The items of one screening whose id modulo ``lanes`` is ``lane``."""

    def __init__(
        self,
        database: Database,
        screening_id: str,
        lane: int,
        lanes: int,
        programmes: dict[str, Programme],
        save: Callable[[str, list[SavedItem]], int],
    ) -> None:
        self.database = database
        self.screening_id = screening_id
        self.lane, self.lanes = lane, lanes
        self.programmes = programmes
        self._save = save

    def batches(self, size: int) -> Iterator[list[Job]]:
        after = -1
        while True:
            with self.database.session() as session:
                rows = session.execute(
                    select(
                        ScreeningItemRecord.id,
                        ScreeningItemRecord.programme_id,
                        ScreeningItemRecord.credential,
                    )
                    .where(
                        ScreeningItemRecord.screening_id == self.screening_id,
                        ScreeningItemRecord.state == ItemState.PENDING.value,
                        ScreeningItemRecord.id % self.lanes == self.lane,
                        ScreeningItemRecord.id > after,
                    )
                    .order_by(ScreeningItemRecord.id)
                    .limit(size)
                ).all()
            if not rows:
                return
            after = rows[-1][0]
            yield [
                Job(item_id, credential, programme_id) for item_id, programme_id, credential in rows
            ]

    def record(self, outcomes: Sequence[Outcome]) -> int:
        return self._save(self.screening_id, [self._saved(outcome) for outcome in outcomes])

    def _saved(self, outcome: Outcome) -> SavedItem:
        item_id: int = outcome.job.key  # type: ignore[assignment]
        error = outcome.error
        if error is None and outcome.proposal is not None and outcome.credential is not None:
            programme = self.programmes[outcome.job.programme_id]
            try:
                proposal = EquivalencyRules(self.database).apply(
                    outcome.proposal, [outcome.credential], programme
                )
                return item_id, ItemState.DONE.value, proposal.model_dump(mode="json"), None
            except Exception as raised:  # noqa: BLE001 - one bad item must not stop the batch
                error = raised
        if isinstance(error, RecognitionError):
            return item_id, ItemState.FAILED.value, None, engine_problem(error)
        # the type and the stack, never the message: it may quote a credential's text
        logger.error(
            "screening item failed on an unexpected %s\n%s",
            type(error).__name__,
            code_stack(error) if error is not None else "",
        )
        problem = {
            "type": "urn:recognition-engine:problem:internal-error",
            "title": "Internal error",
            "status": 500,
            "detail": type(error).__name__,
        }
        return item_id, ItemState.FAILED.value, None, problem
