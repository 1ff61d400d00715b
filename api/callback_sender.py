"""The callback outbox's sender: delivers the rows that completing a screening wrote.

The screening lane that completes a screening writes its delivery row in the same transaction
(``ScreeningRunner._finish_if_done``), so a completed screening always has its callback to send,
whatever happens to the process next. This sender, a thread of its own with a few delivery
threads, takes the rows that are due: on start (those a stopped or killed server left), when
woken by a completion, and every ``POLL_SECONDS``. A slow receiver holds one delivery thread for
at most the timeout, never a screening lane nor another receiver's delivery.

Taking a row moves its ``next_attempt_at`` past the longest a try can take (a lease) in one
conditional UPDATE, so that two servers on one database never send the same try; a server that
dies mid-try leaves the row to be taken again once the lease is over. A try that fails waits
``retry_seconds``, then twice that, and so on, up to ``max_attempts`` tries; one refused by policy
(off the allowlist, a non-public address) is not tried again.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import select, update

from api.callbacks import (
    SCREENING_HEADER,
    SIGNATURE_HEADER,
    Allowlist,
    Attempt,
    load_signing_key,
    post_once,
    screening_secret,
    signature,
)
from api.database import Database
from api.problems import code_stack
from api.tables import CallbackDeliveryRecord, utcnow
from recognition_engine.config import Settings

logger = logging.getLogger(__name__)

THREADS = 4  # deliveries at once: a few slow receivers do not hold up the others
POLL_SECONDS = 1.0
MAX_DELAY = dt.timedelta(hours=6)


class DeliveryState:
    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"


class CallbackSender:
    def __init__(
        self,
        database: Database,
        allowlist: Allowlist,
        signing_key: bytes,
        *,
        timeout: float,
        max_attempts: int,
        retry_seconds: float,
        threads: int = THREADS,
    ) -> None:
        self.database = database
        self.allowlist = allowlist
        self._signing_key = signing_key
        self._timeout = timeout
        self._max_attempts = max_attempts
        self._retry = dt.timedelta(seconds=retry_seconds)
        # connect, send, answer: each phase may take the timeout; then a margin
        self._lease = dt.timedelta(seconds=3 * timeout + 5)
        self._threads = threads
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._in_flight: set[str] = set()
        self._lock = threading.Lock()
        self._loop: threading.Thread | None = None
        self._pool: ThreadPoolExecutor | None = None

    @classmethod
    def from_settings(cls, database: Database, settings: Settings) -> CallbackSender:
        return cls(
            database,
            Allowlist.parse(settings.screening_callback_allowlist),
            load_signing_key(settings.data_dir),
            timeout=settings.screening_callback_timeout_seconds,
            max_attempts=settings.screening_callback_max_attempts,
            retry_seconds=settings.screening_callback_retry_seconds,
        )

    def secret(self, screening_id: str) -> str:
        """The screening's callback secret, for its client (shown once, at creation)."""
        return screening_secret(self._signing_key, screening_id)

    def start(self) -> None:
        self._stopping.clear()
        self._pool = ThreadPoolExecutor(self._threads, thread_name_prefix="callback")
        self._loop = threading.Thread(target=self._run, name="callback-sender", daemon=True)
        self._loop.start()

    def stop(self) -> None:
        """Stop taking rows; a try under way ends within the timeout. Rows left are sent at the
        next start."""
        self._stopping.set()
        self._wake.set()
        if self._loop is not None:
            self._loop.join()
            self._loop = None
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def wake(self) -> None:
        """Look for due rows now (a screening has just completed)."""
        self._wake.set()

    # --- the loop ------------------------------------------------------------------------

    def _run(self) -> None:
        while not self._stopping.is_set():
            self._wake.clear()
            try:
                self._dispatch_due()
            except Exception as error:  # the loop must outlive a database hiccup; the rows stay
                # the type and the stack, never the message: a database error may quote values
                logger.error("callback sender: could not read the outbox: %s\n%s",
                             type(error).__name__, code_stack(error))
            self._wake.wait(POLL_SECONDS)

    def _dispatch_due(self) -> None:
        while not self._stopping.is_set():
            with self._lock:
                free = self._threads - len(self._in_flight)
                busy = set(self._in_flight)
            if free <= 0:
                return
            with self.database.session() as session:
                due = session.scalars(
                    select(CallbackDeliveryRecord.screening_id)
                    .where(
                        CallbackDeliveryRecord.state == DeliveryState.PENDING,
                        CallbackDeliveryRecord.next_attempt_at <= utcnow(),
                    )
                    .order_by(CallbackDeliveryRecord.next_attempt_at)
                    .limit(free + len(busy))
                ).all()
            taken = [screening_id for screening_id in due if screening_id not in busy][:free]
            taken = [screening_id for screening_id in taken if self._take(screening_id)]
            if not taken:
                return
            for screening_id in taken:
                with self._lock:
                    self._in_flight.add(screening_id)
                assert self._pool is not None
                self._pool.submit(self._deliver, screening_id)

    def _take(self, screening_id: str) -> bool:
        """Lease the row for one try; False if another sender took it first."""
        now = utcnow()
        with self.database.session() as session:
            taken = session.execute(
                update(CallbackDeliveryRecord)
                .where(
                    CallbackDeliveryRecord.screening_id == screening_id,
                    CallbackDeliveryRecord.state == DeliveryState.PENDING,
                    CallbackDeliveryRecord.next_attempt_at <= now,
                )
                .values(next_attempt_at=now + self._lease)
            )
        return bool(taken.rowcount)

    # --- one try -------------------------------------------------------------------------

    def _deliver(self, screening_id: str) -> None:
        try:
            with self.database.session() as session:
                row = session.get(CallbackDeliveryRecord, screening_id)
                if row is None or row.state != DeliveryState.PENDING:
                    return
                url, body, attempts = row.url, row.body.encode(), row.attempts
            timestamp = int(time.time())
            headers = {
                "Content-Type": "application/json",
                SIGNATURE_HEADER: signature(self.secret(screening_id), timestamp, body),
                SCREENING_HEADER: screening_id,
            }
            outcome = post_once(url, body, headers, self.allowlist, self._timeout)
            self._record(screening_id, attempts + 1, outcome)
        except Exception as error:  # the row keeps its lease, and is taken again once it is over
            logger.error("callback of screening %s: the try was not recorded: %s\n%s",
                         screening_id, type(error).__name__, code_stack(error))
        finally:
            with self._lock:
                self._in_flight.discard(screening_id)
            self._wake.set()

    def _record(self, screening_id: str, attempts: int, outcome: Attempt) -> None:
        now = utcnow()
        values: dict = {
            "attempts": attempts,
            "last_status": outcome.status,
            "last_error": outcome.error,
        }
        if outcome.delivered:
            values |= {
                "state": DeliveryState.DELIVERED,
                "delivered_at": now,
                "next_attempt_at": None,
            }
        elif outcome.final or attempts >= self._max_attempts:
            values |= {"state": DeliveryState.FAILED, "next_attempt_at": None}
        else:
            values["next_attempt_at"] = now + min(self._retry * 2 ** (attempts - 1), MAX_DELAY)
        if not outcome.delivered:
            logger.warning(
                "callback of screening %s, try %d: %s", screening_id, attempts, outcome.error
            )
        with self.database.session() as session:
            session.execute(
                update(CallbackDeliveryRecord)
                .where(CallbackDeliveryRecord.screening_id == screening_id)
                .values(**values)
            )
