"""``Idempotency-Key`` on the POSTs that create something: a retried request gets the original
answer and creates nothing twice.

The key is scoped to the key's owner: the id of the API key that sends it. The API key is
checked first: a request without a valid key never reaches the table (the route answers its
401). Then a row is inserted under (key id, idempotency key) with a hash of the request
(method, path, query, media type, body): the database's primary key lets only one of two
requests sent at once run; the other waits for the first one's answer and replays it. The same
key with another request is a 422. Only a 2xx answer is kept (``idempotency_key_ttl_hours``);
after any other answer the row is removed, so a retry runs again (nothing was created). Sent
without the header, a POST runs as always.

A request in progress holds its row for ``idempotency_lease_seconds``, and renews the hold while
it runs: a server killed mid-request stops renewing, and the retry of its request takes the row
over once the hold has lapsed, instead of a 409 for as long as the key is kept. Every request
that comes here counts once against the key's rate limit, replays included.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import time
import uuid
from collections.abc import Iterable
from typing import Annotated, Any

import anyio
from fastapi import Header
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.database import Database
from api.problems import ApiProblem, code_stack, problem_response
from api.security import KEY_HEADER, Caller, RateLimit, RateLimiter, authenticate, is_well_formed
from api.tables import IdempotencyRecord, utcnow

logger = logging.getLogger(__name__)

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
# A UUID: unique per operation without coordination, so that two clients, or a client and a
# test generator, never pick the same key for different requests by chance.
WAIT_SECONDS = 60.0  # how long a request waits for the same one in progress
REPLAYED_HEADERS = ("content-type", "location")


def idempotency_key(
    # not "| None": a header is there or not, and "null" is no UUID
    key: Annotated[
        uuid.UUID,
        Header(
            alias=HEADER,
            description="A UUID of your own for this operation: sent again with "
            "the same request, it gets the original answer (with `Idempotent-Replayed: true`) "
            "and nothing is created twice; with another request, a 422. Kept "
            "`idempotency_key_ttl_hours` (24 by default).",
        ),
    ] = None,  # type: ignore[assignment]
) -> None:
    """Documents and checks the header; the middleware below does the work."""


class IdempotentPosts:
    """An ASGI middleware over the app: it must see the body, the key and the whole answer."""

    def __init__(
        self,
        app: ASGIApp,
        database: Database,
        paths: Iterable[str],
        ttl: dt.timedelta,
        lease: dt.timedelta,
        rate_limiter: RateLimiter,
    ) -> None:
        self.app = app
        self.database = database
        self.paths = [re.compile(path) for path in paths]
        self.ttl = ttl
        self.lease = lease
        self.rate_limiter = rate_limiter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = Headers(scope=scope) if scope["type"] == "http" else None
        key = headers.get(HEADER) if headers is not None else None
        if (
            key is None
            or scope["method"] != "POST"
            or not _is_uuid(key)
            or not any(path.fullmatch(scope["path"]) for path in self.paths)
            or not is_well_formed(headers.get(KEY_HEADER))
        ):
            await self.app(scope, receive, send)  # the route checks and answers the rest
            return
        caller = await anyio.to_thread.run_sync(self._caller, headers[KEY_HEADER])
        if caller is None:  # unknown, revoked or expired: the route answers 401, nothing kept
            await self.app(scope, receive, send)
            return
        # Counted here, once, whatever follows (a replay, a refusal or the route, which
        # finds the count in the request's state and does not count again).
        limit = self.rate_limiter.hit(caller.key_id)
        scope.setdefault("state", {})["rate_limit"] = limit
        if limit.retry_after is not None:
            await _refuse(scope, receive, send, limit, 429, "rate-limited", "Too many requests",
                          f"more than {limit.limit} requests per minute for this key")
            return
        body = await _read(receive)
        owner = caller.key_id
        fingerprint = _fingerprint(scope, headers, body)
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            won, record = await anyio.to_thread.run_sync(
                self._reserve, owner, key, fingerprint
            )
            if won:
                break
            if record.request_hash != fingerprint:
                await _refuse(scope, receive, send, limit, 422, "idempotency-key-reused",
                              "Idempotency key reused",
                              f"this {HEADER} was sent with another request; use a new key")
                return
            if record.status is not None:
                await _replay(record, send, limit)
                return
            if time.monotonic() > deadline:
                await _refuse(scope, receive, send, limit, 409, "idempotency-key-in-progress",
                              "Request in progress",
                              f"a request with this {HEADER} is still running; retry later")
                return
            await anyio.sleep(0.05)  # the same request is running: wait for its answer
        await self._run(scope, body, send, owner, key)

    async def _run(self, scope: Scope, body: bytes, send: Send, owner: str, key: str) -> None:
        answer: dict[str, Any] = {"status": None, "headers": [], "body": b""}
        sent_body = False
        failure: Exception | None = None

        async def receive_once() -> Message:
            nonlocal sent_body
            if not sent_body:
                sent_body = True
                return {"type": "http.request", "body": body, "more_body": False}
            return {"type": "http.disconnect"}

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                answer["status"] = message["status"]
                answer["headers"] = message.get("headers", [])
            elif message["type"] == "http.response.body":
                answer["body"] += message.get("body", b"")
            await send(message)

        try:
            async with anyio.create_task_group() as group:
                group.start_soon(self._hold, owner, key)
                try:
                    await self.app(scope, receive_once, capture)
                except Exception as error:  # raised again below, not wrapped in a group
                    failure = error
                group.cancel_scope.cancel()
        finally:
            with anyio.CancelScope(shield=True):  # even for a request cancelled midway
                await anyio.to_thread.run_sync(self._complete, owner, key, answer)
        if failure is not None:
            raise failure

    async def _hold(self, owner: str, key: str) -> None:
        """Renew the row's hold while the request runs (a third of the lease between two)."""
        while True:
            await anyio.sleep(self.lease.total_seconds() / 3)
            try:
                await anyio.to_thread.run_sync(self._renew, owner, key)
            except Exception as error:  # noqa: BLE001 - the request goes on; a retry may take over
                # the type and the stack, never the message: a database error may quote the key
                logger.warning(
                    "could not renew the hold of an idempotency key: %s\n%s",
                    type(error).__name__, code_stack(error),
                )

    # --- the database ------------------------------------------------------------------------

    def _caller(self, api_key: str) -> Caller | None:
        try:
            return authenticate(self.database, api_key)
        except ApiProblem:
            return None

    def _reserve(
        self, owner: str, key: str, fingerprint: str
    ) -> tuple[bool, IdempotencyRecord | None]:
        """Insert the in-progress row, or take over one whose server died; else return the row
        there (an expired one is replaced)."""
        now = utcnow()
        with self.database.session() as session:
            session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.expires_at <= now))
        try:
            with self.database.session() as session:
                session.add(
                    IdempotencyRecord(
                        key_id=owner, idempotency_key=key, request_hash=fingerprint,
                        created_at=now, expires_at=now + self.ttl, locked_until=now + self.lease,
                    )
                )
            return True, None
        except IntegrityError:
            pass
        with self.database.session() as session:
            record = session.scalar(select(IdempotencyRecord).where(_row(owner, key)))
            if record is None:  # removed meanwhile (its request failed): try again
                return self._reserve(owner, key, fingerprint)
            if (
                record.status is None
                and record.request_hash == fingerprint
                and record.locked_until is not None
                and record.locked_until <= now
            ):
                # Nobody renewed the hold: its server died. One retry takes it over (the
                # condition is checked again in the update, so two retries cannot both).
                taken = session.execute(
                    update(IdempotencyRecord)
                    .where(
                        _row(owner, key),
                        IdempotencyRecord.status.is_(None),
                        IdempotencyRecord.locked_until <= now,
                    )
                    .values(locked_until=now + self.lease)
                )
                if taken.rowcount == 1:
                    logger.info("took over an idempotency key left in progress")
                    return True, None
        return False, record

    def _renew(self, owner: str, key: str) -> None:
        with self.database.session() as session:
            session.execute(
                update(IdempotencyRecord)
                .where(_row(owner, key), IdempotencyRecord.status.is_(None))
                .values(locked_until=utcnow() + self.lease)
            )

    def _complete(self, owner: str, key: str, answer: dict[str, Any]) -> None:
        """Keep a 2xx answer; remove the row after any other (the retry runs again)."""
        with self.database.session() as session:
            status = answer["status"]
            if status is None or not 200 <= status < 300:
                session.execute(delete(IdempotencyRecord).where(_row(owner, key)))
                return
            kept = {
                name.decode("latin-1").lower(): value.decode("latin-1")
                for name, value in answer["headers"]
                if name.decode("latin-1").lower() in REPLAYED_HEADERS
            }
            session.execute(
                update(IdempotencyRecord)
                .where(_row(owner, key))
                .values(status=status, headers=kept, body=answer["body"], locked_until=None)
            )


def _row(owner: str, key: str) -> Any:
    return (IdempotencyRecord.key_id == owner) & (IdempotencyRecord.idempotency_key == key)


async def _read(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _fingerprint(scope: Scope, headers: Headers, body: bytes) -> str:
    digest = hashlib.sha256()
    for part in (
        scope["method"].encode(),
        scope["path"].encode(),
        scope.get("query_string", b""),
        headers.get("content-type", "").encode(),
    ):
        digest.update(len(part).to_bytes(8, "big") + part)
    digest.update(body)
    return digest.hexdigest()


async def _replay(record: IdempotencyRecord, send: Send, limit: RateLimit) -> None:
    headers = [(k.encode(), v.encode()) for k, v in (record.headers or {}).items()]
    body = record.body or b""
    headers += [
        (b"content-length", str(len(body)).encode()),
        (REPLAYED.lower().encode(), b"true"),
    ]
    headers += [(k.lower().encode(), v.encode()) for k, v in limit.headers().items()]
    await send({"type": "http.response.start", "status": record.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _refuse(
    scope: Scope, receive: Receive, send: Send, limit: RateLimit, status: int, slug: str,
    title: str, detail: str,
) -> None:
    response = problem_response(
        scope["path"], status, slug, title, detail, headers=limit.headers()
    )
    await response(scope, receive, send)


def _is_uuid(key: str) -> bool:
    try:
        uuid.UUID(key)
    except ValueError:
        return False
    return True
