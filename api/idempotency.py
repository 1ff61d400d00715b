"""``Idempotency-Key`` on the POSTs that create something: a retried request gets the original
answer and creates nothing twice.

The key is scoped to the API key that sends it. Before the request runs, a row is inserted under
(API key, idempotency key) with a hash of the request (method, path, query, media type, body):
the database's primary key lets only one of two requests sent at once run; the other waits for
the first one's answer and replays it. The same key with another request is a 422. Only a 2xx
answer is kept (``idempotency_key_ttl_hours``); after any other answer the row is removed, so a
retry runs again (nothing was created). Sent without the header, a POST runs as always.
"""

from __future__ import annotations

import datetime as dt
import hashlib
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
from api.problems import ApiProblem, problem_response
from api.security import KEY_HEADER, authenticate, hash_key
from api.tables import IdempotencyRecord, utcnow

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
        self, app: ASGIApp, database: Database, paths: Iterable[str], ttl: dt.timedelta
    ) -> None:
        self.app = app
        self.database = database
        self.paths = [re.compile(path) for path in paths]
        self.ttl = ttl

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = Headers(scope=scope) if scope["type"] == "http" else None
        key = headers.get(HEADER) if headers is not None else None
        if (
            key is None
            or scope["method"] != "POST"
            or not _is_uuid(key)
            or not any(path.fullmatch(scope["path"]) for path in self.paths)
            or not headers.get(KEY_HEADER)
        ):
            await self.app(scope, receive, send)  # the route checks and answers the rest
            return
        body = await _read(receive)
        owner = hash_key(headers[KEY_HEADER])
        fingerprint = _fingerprint(scope, headers, body)
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            won, record = await anyio.to_thread.run_sync(
                self._reserve, owner, key, fingerprint
            )
            if won:
                break
            if record.request_hash != fingerprint:
                await _refuse(scope, receive, send, 422, "idempotency-key-reused",
                              "Idempotency key reused",
                              f"this {HEADER} was sent with another request; use a new key")
                return
            if record.status is not None:
                refused = await anyio.to_thread.run_sync(self._refusal, headers[KEY_HEADER])
                if refused is not None:  # revoked or expired since: no answer for it
                    await _refuse(scope, receive, send, refused.status, refused.slug,
                                  refused.title, refused.detail)
                    return
                await _replay(record, send)
                return
            if time.monotonic() > deadline:
                await _refuse(scope, receive, send, 409, "idempotency-key-in-progress",
                              "Request in progress",
                              f"a request with this {HEADER} is still running; retry later")
                return
            await anyio.sleep(0.05)  # the same request is running: wait for its answer
        await self._run(scope, body, send, owner, key)

    async def _run(self, scope: Scope, body: bytes, send: Send, owner: str, key: str) -> None:
        answer: dict[str, Any] = {"status": None, "headers": [], "body": b""}
        sent_body = False

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
            await self.app(scope, receive_once, capture)
        finally:
            await anyio.to_thread.run_sync(self._complete, owner, key, answer)

    # --- the database ------------------------------------------------------------------------

    def _refusal(self, api_key: str) -> ApiProblem | None:
        try:
            authenticate(self.database, api_key)
        except ApiProblem as problem:
            return problem
        return None

    def _reserve(
        self, owner: str, key: str, fingerprint: str
    ) -> tuple[bool, IdempotencyRecord | None]:
        """Insert the in-progress row; else return the one there (an expired one is replaced)."""
        now = utcnow()
        with self.database.session() as session:
            session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.expires_at <= now))
        try:
            with self.database.session() as session:
                session.add(
                    IdempotencyRecord(
                        key_hash=owner, idempotency_key=key, request_hash=fingerprint,
                        created_at=now, expires_at=now + self.ttl,
                    )
                )
            return True, None
        except IntegrityError:
            pass
        with self.database.session() as session:
            record = session.scalar(
                select(IdempotencyRecord).where(
                    IdempotencyRecord.key_hash == owner,
                    IdempotencyRecord.idempotency_key == key,
                )
            )
        if record is None:  # removed meanwhile (its request failed): try again
            return self._reserve(owner, key, fingerprint)
        return False, record

    def _complete(self, owner: str, key: str, answer: dict[str, Any]) -> None:
        """Keep a 2xx answer; remove the row after any other (the retry runs again)."""
        mine = (IdempotencyRecord.key_hash == owner) & (IdempotencyRecord.idempotency_key == key)
        with self.database.session() as session:
            status = answer["status"]
            if status is None or not 200 <= status < 300:
                session.execute(delete(IdempotencyRecord).where(mine))
                return
            kept = {
                name.decode("latin-1").lower(): value.decode("latin-1")
                for name, value in answer["headers"]
                if name.decode("latin-1").lower() in REPLAYED_HEADERS
            }
            session.execute(
                update(IdempotencyRecord)
                .where(mine)
                .values(status=status, headers=kept, body=answer["body"])
            )


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


async def _replay(record: IdempotencyRecord, send: Send) -> None:
    headers = [(k.encode(), v.encode()) for k, v in (record.headers or {}).items()]
    body = record.body or b""
    headers += [
        (b"content-length", str(len(body)).encode()),
        (REPLAYED.lower().encode(), b"true"),
    ]
    await send({"type": "http.response.start", "status": record.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _refuse(
    scope: Scope, receive: Receive, send: Send, status: int, slug: str, title: str, detail: str
) -> None:
    response = problem_response(scope["path"], status, slug, title, detail)
    await response(scope, receive, send)


def _is_uuid(key: str) -> bool:
    try:
        uuid.UUID(key)
    except ValueError:
        return False
    return True
