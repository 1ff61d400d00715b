"""Batch pre-screening: many credentials against one or more programmes, in background threads.

A screening is stored with all its credential × programme items before it is acknowledged, and
screened by the engine's batch runner (``recognition_engine.screening``, as `screen` is) through
a ledger of its database (``api/screening_ledger.py``): results are committed in small batches,
each item once; a screening left unfinished by a stop or a crash is
resumed at the next start, from its first unscreened item. Each screening is split into one lane
per worker thread (items by id modulo the number of workers), so that one large screening uses
every worker. The lane that completes a screening writes its callback into the outbox in the same
transaction; the callback sender (``api/callback_sender.py``), not the lane, delivers it.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from itertools import islice

from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import Session

from api.callback_sender import CallbackSender, DeliveryState
from api.callbacks import Allowlist
from api.database import Database
from api.listing import Window, keyset_page
from api.problems import code_stack, not_found
from api.schemas import (
    CallbackDelivery,
    CallbackState,
    ItemState,
    Page,
    ScreeningCreated,
    ScreeningItemPublic,
    ScreeningPublic,
    ScreeningRequest,
    ScreeningResults,
    ScreeningStatus,
)
from api.screening_ledger import SavedItem, ScreeningLane
from api.security import Caller, Role
from api.store import Store, new_id
from api.tables import (
    CallbackDeliveryRecord,
    ScreeningItemRecord,
    ScreeningRecord,
    from_columns,
    utcnow,
)
from recognition_engine.domain import RecognitionProposal
from recognition_engine.screening import Executor, InProcess, OnRay, ScreeningWorker, run
from recognition_engine.skills.counting import (
    SkillCount,
    SkillRole,
    count_skills,
    involves_skill,
)

logger = logging.getLogger(__name__)

BATCH = 16  # items screened between two commits
# Items whose texts are embedded in one model call, or sent to a Ray actor: on 2 cores the
# model embeds a screening's texts about 2.3x faster per credential in calls of 64 than of 16
# (README, HTTP service).
PREPARED = 64


class ScreeningRunner:
    def __init__(
        self,
        database: Database,
        store: Store,
        engine,  # noqa: ANN001
        workers: int,
        callbacks: CallbackSender | None = None,
        *,
        ray_workers: int | None = None,
    ) -> None:
        """``ray_workers``: screen on that many Ray actors (one lane a screening) instead of
        with ``engine`` in ``workers`` lanes of this process."""
        self.callbacks = callbacks  # None: no callback_url is taken
        self.database = database
        self.store = store
        self.engine = engine
        self._workers = workers
        self._ray_workers = ray_workers
        self._lanes = 1 if ray_workers else workers
        self._executor: ThreadPoolExecutor | None = None
        self._stopping = threading.Event()

    def start(self) -> None:
        """Start the worker threads and resume the screenings left unfinished."""
        self._stopping.clear()
        if self.callbacks is not None:
            self.callbacks.start()
        self._executor = ThreadPoolExecutor(self._workers, thread_name_prefix="screening")
        with self.database.session() as session:
            unfinished = session.scalars(
                select(ScreeningRecord.id)
                .where(ScreeningRecord.status != ScreeningStatus.COMPLETED.value)
                .order_by(ScreeningRecord.created_at)
            ).all()
        for screening_id in unfinished:
            logger.info("resuming screening %s", screening_id)
            self._start_lanes(screening_id)

    def stop(self) -> None:
        """Stop once the items in hand (up to BATCH) are saved; the rest resume at next start."""
        self._stopping.set()
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
        if self.callbacks is not None:
            self.callbacks.stop()

    # --- requests --------------------------------------------------------------------------

    def submit(self, request: ScreeningRequest, caller: Caller) -> ScreeningCreated:
        callback_url = str(request.callback_url) if request.callback_url else None
        if callback_url is not None:
            self._callback_allowlist().check(callback_url)
        programme_ids = list(dict.fromkeys(request.programme_ids))
        for programme_id in programme_ids:
            if not self.store.programme_exists(programme_id):
                raise not_found("programme", programme_id)
        screening = ScreeningRecord(
            id=new_id(),
            status=ScreeningStatus.QUEUED.value,
            programme_ids=programme_ids,
            total=len(request.credentials) * len(programme_ids),
            completed=0,
            failed=0,
            requested_by=caller.key_id,
            callback_url=callback_url,
            callback_delivery=None,
        )
        items = [
            ScreeningItemRecord(
                screening_id=screening.id,
                position=position,
                programme_id=programme_id,
                # model_dump leaves out the learner identity (excluded in the domain model)
                credential=credential.model_dump(mode="json"),
                state=ItemState.PENDING.value,
            )
            for position, credential in enumerate(request.credentials)
            for programme_id in programme_ids
        ]
        with self.database.session() as session:
            session.add(screening)
            session.flush()
            session.add_all(items)
        self._start_lanes(screening.id)
        secret = None
        if callback_url is not None and self.callbacks is not None:
            secret = self.callbacks.secret(screening.id)
        return ScreeningCreated(**_public(screening).model_dump(), callback_secret=secret)

    def status(self, screening_id: str, viewer: Caller) -> ScreeningPublic:
        with self.database.session() as session:
            return _public(_visible(session, screening_id, viewer))

    def page(
        self,
        viewer: Caller,
        window: Window,
        status: ScreeningStatus | None = None,
    ) -> Page[ScreeningPublic]:
        statement = visible_to(viewer, select(ScreeningRecord))
        if status is not None:
            statement = statement.where(ScreeningRecord.status == status.value)
        with self.database.session() as session:
            rows, next_after = keyset_page(session, statement, ScreeningRecord, window)
            items = [_public(row[0]) for row in rows]
        return Page[ScreeningPublic](items=items, next_after=next_after)

    def results(
        self,
        screening_id: str,
        offset: int,
        limit: int,
        viewer: Caller,
        skill: str | None = None,
        skill_role: SkillRole = "any",
    ) -> ScreeningResults:
        """A page of results; with ``skill`` (an ESCO URI), of those whose proposed modules
        share it, lack it, or either (``skill_role``): the pairs are read in order to find them."""
        with self.database.session() as session:
            record = _visible(session, screening_id, viewer)
            statement = (
                select(ScreeningItemRecord)
                .where(ScreeningItemRecord.screening_id == screening_id)
                .order_by(ScreeningItemRecord.id)
            )
            if skill is None:
                items = session.scalars(statement.offset(offset).limit(limit)).all()
            else:
                having = (
                    item
                    for item in session.scalars(statement.execution_options(yield_per=500))
                    if item.proposal
                    and involves_skill(
                        RecognitionProposal.model_validate(item.proposal), skill, skill_role
                    )
                )
                items = list(islice(having, offset, offset + limit))
            return ScreeningResults(
                screening=_public(record),
                offset=offset,
                limit=limit,
                items=[_item_public(item) for item in items],
            )

    def skill_counts(self, screening_id: str, viewer: Caller) -> list[SkillCount]:
        """Each ESCO skill of a screening's proposals: in how many a module shares it, lacks it."""
        with self.database.session() as session:
            _visible(session, screening_id, viewer)
            proposals = (
                RecognitionProposal.model_validate(item.proposal)
                for item in session.scalars(
                    select(ScreeningItemRecord)
                    .where(ScreeningItemRecord.screening_id == screening_id)
                    .execution_options(yield_per=500)
                )
                if item.proposal
            )
            return count_skills(proposals)

    def _callback_allowlist(self) -> Allowlist:
        return self.callbacks.allowlist if self.callbacks is not None else Allowlist(())

    # --- work ------------------------------------------------------------------------------

    def _start_lanes(self, screening_id: str) -> None:
        if self._executor is None:
            raise RuntimeError("the screening runner is not started")
        for lane in range(self._lanes):
            self._executor.submit(self._run, screening_id, lane)

    def _run(self, screening_id: str, lane: int) -> None:
        try:
            self._screen(screening_id, lane)
        except Exception as error:  # a thread must not die silently; it resumes at restart
            # the type and the stack, never the message: it may quote a credential's text
            logger.error(
                "screening %s stopped on an unexpected %s\n%s",
                screening_id,
                type(error).__name__,
                code_stack(error),
            )

    def _screen(self, screening_id: str, lane: int) -> None:
        with self.database.session() as session:
            record = session.get(ScreeningRecord, screening_id)
            if record is None or record.status == ScreeningStatus.COMPLETED.value:
                return
            record.status = ScreeningStatus.RUNNING.value
            record.started_at = record.started_at or utcnow()
            programme_ids = list(record.programme_ids)
        programmes = {pid: self.store.programme(pid)[0] for pid in programme_ids}
        ledger = ScreeningLane(
            self.database, screening_id, lane, self._lanes, programmes, self._save
        )
        executor: Executor
        if self._ray_workers is None:
            worker = ScreeningWorker.around(self.engine, programmes.values())
            executor = InProcess(worker, BATCH)
        else:  # the programmes are indexed in data_dir already: the actors load them
            executor = OnRay(
                self.engine.settings, list(programmes.values()), self._ray_workers, indexed=True
            )
        run(ledger, executor, batch_size=PREPARED, stopping=self._stopping)
        if not self._stopping.is_set():
            self._finish_if_done(screening_id)

    def _save(self, screening_id: str, outcomes: list[SavedItem]) -> int:
        """Save the items still pending among ``outcomes`` in one commit; return how many.

        An item another lane or process saved first is left as it is and not counted again.
        """
        done = failed = 0
        with self.database.session() as session:
            for item_id, state, proposal, problem in outcomes:
                moved = session.execute(
                    update(ScreeningItemRecord)
                    .where(
                        ScreeningItemRecord.id == item_id,
                        ScreeningItemRecord.state == ItemState.PENDING.value,
                    )
                    .values(state=state, proposal=proposal, problem=problem)
                ).rowcount
                if state == ItemState.DONE.value:
                    done += moved
                else:
                    failed += moved
            session.execute(
                update(ScreeningRecord)
                .where(ScreeningRecord.id == screening_id)
                .values(
                    completed=ScreeningRecord.completed + done,
                    failed=ScreeningRecord.failed + failed,
                )
            )
        return done + failed

    def _finish_if_done(self, screening_id: str) -> None:
        """Mark the screening completed once no lane has anything left."""
        with self.database.session() as session:
            left = session.scalar(
                select(func.count())
                .select_from(ScreeningItemRecord)
                .where(
                    ScreeningItemRecord.screening_id == screening_id,
                    ScreeningItemRecord.state == ItemState.PENDING.value,
                )
            )
            if left:
                return
            finished = session.execute(
                update(ScreeningRecord)
                .where(
                    ScreeningRecord.id == screening_id,
                    ScreeningRecord.status != ScreeningStatus.COMPLETED.value,
                )
                .values(status=ScreeningStatus.COMPLETED.value, finished_at=utcnow())
            )
            if finished.rowcount:  # this lane completed it: its callback goes in the outbox
                record = session.get(ScreeningRecord, screening_id)
                if record is not None and record.callback_url:
                    body = _public(record).model_dump_json(exclude={"callback"})
                    session.add(
                        CallbackDeliveryRecord(
                            screening_id=screening_id,
                            url=record.callback_url,
                            body=body,
                            state=DeliveryState.PENDING,
                            attempts=0,
                            next_attempt_at=utcnow(),
                        )
                    )
        if finished.rowcount:
            logger.info("screening %s completed", screening_id)
            if self.callbacks is not None:
                self.callbacks.wake()


def visible_to(viewer: Caller, statement: Select) -> Select:
    """Narrow a select of screenings to those ``viewer`` may see: the ones its key asked for
    (through the API or the workbench), or all of them for an admin."""
    if viewer.role is Role.ADMIN:
        return statement
    return statement.where(ScreeningRecord.requested_by == viewer.key_id)


def _visible(session: Session, screening_id: str, viewer: Caller) -> ScreeningRecord:
    """Return the screening if ``viewer`` may see it; to any other key it does not exist."""
    record = session.get(ScreeningRecord, screening_id)
    if record is None or (viewer.role is not Role.ADMIN and record.requested_by != viewer.key_id):
        raise not_found("screening", screening_id)
    return record


def _public(record: ScreeningRecord) -> ScreeningPublic:
    return from_columns(ScreeningPublic, record, callback=_callback(record))


def _callback(record: ScreeningRecord) -> CallbackDelivery | None:
    if not record.callback_url:
        return None
    delivery = record.callback_delivery
    if delivery is None:  # the screening has not completed yet
        return CallbackDelivery(state=CallbackState.WAITING, attempts=0)
    return CallbackDelivery(
        state=CallbackState(delivery.state),
        attempts=delivery.attempts,
        last_status=delivery.last_status,
        last_error=delivery.last_error,
        delivered_at=delivery.delivered_at,
    )


def _item_public(item: ScreeningItemRecord) -> ScreeningItemPublic:
    return ScreeningItemPublic(
        position=item.position,
        programme_id=item.programme_id,
        credential_id=item.credential.get("id"),
        credential_title=item.credential.get("title", ""),
        state=ItemState(item.state),
        proposal=RecognitionProposal.model_validate(item.proposal) if item.proposal else None,
        problem=item.problem,
    )
