"""API keys (stored as SHA-256 hashes), roles, expiry and revocation, and a per-key rate limit.

A key is ``re_`` + 32 random bytes (URL-safe base64): with that much entropy a plain SHA-256 is
enough to store it (no salt or slow hash needed: nobody can guess such a key from its hash).
Every request reads its key's row, so a key revoked or expired (from the CLI, by another
process) is refused from its next request on; nothing about keys is cached in the process.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
import secrets
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader
from sqlalchemy import delete, or_, select, update

from api.database import Database
from api.problems import ApiProblem
from api.tables import ApiKeyRecord, WebSessionRecord, utcnow
from recognition_engine.errors import InvalidInput, NotFound

KEY_PREFIX = "re_"
KEY_HEADER = "X-API-Key"
# What create_key makes: the prefix and 32 bytes in URL-safe base64 without padding.
KEY_PATTERN = re.compile(r"re_[A-Za-z0-9_-]{43}")
# last_used_at is written at most this often per key: a read must not write every time.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


class Role(StrEnum):
    ADMIN = "admin"  # manages programmes and can do everything
    EVALUATOR = "evaluator"  # reads, and records decisions
    SCREENING = "screening"  # submits credentials, requests proposals and screenings


@dataclass(frozen=True)
class Caller:
    """The key behind a request: who did it, for the audit trail."""

    key_id: str
    name: str
    role: Role


@dataclass(frozen=True)
class KeyInfo:
    """What ``keys list`` shows of a key (never the key itself)."""

    key_id: str
    name: str
    role: Role
    created_at: dt.datetime
    expires_at: dt.datetime | None
    revoked_at: dt.datetime | None
    last_used_at: dt.datetime | None

    def state(self, now: dt.datetime) -> str:
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= now:
            return "expired"
        return "active"


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def is_well_formed(key: str | None) -> bool:
    """Whether ``key`` could be a key at all: checked before anything reaches the database."""
    return key is not None and KEY_PATTERN.fullmatch(key) is not None


def create_key(
    database: Database,
    role: Role,
    name: str | None = None,
    *,
    expires_at: dt.datetime | None = None,
) -> tuple[str, Caller]:
    """Store a new key's hash and return the key itself (shown once, never stored)."""
    if expires_at is not None and expires_at <= utcnow():
        raise InvalidInput(f"the expiry {expires_at.isoformat()} is not in the future")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    key_id = uuid.uuid4().hex
    caller = Caller(key_id=key_id, name=name or f"{role.value}-{key_id[:8]}", role=role)
    with database.session() as session:
        session.add(
            ApiKeyRecord(
                id=key_id, name=caller.name, role=role.value, key_hash=hash_key(key),
                expires_at=expires_at,
            )
        )
    return key, caller


def list_keys(database: Database) -> list[KeyInfo]:
    with database.session() as session:
        rows = session.scalars(select(ApiKeyRecord).order_by(ApiKeyRecord.created_at)).all()
        return [_info(row) for row in rows]


def revoke_key(database: Database, key_id: str) -> KeyInfo:
    """Revoke a key from its next request on, and end its workbench sessions; revoking it
    again changes nothing."""
    with database.session() as session:
        row = session.get(ApiKeyRecord, key_id)
        if row is None:
            raise NotFound(f"no API key with id {key_id!r}")
        if row.revoked_at is None:
            row.revoked_at = utcnow()
        session.execute(delete(WebSessionRecord).where(WebSessionRecord.key_id == key_id))
        return _info(row)


def _info(row: ApiKeyRecord) -> KeyInfo:
    return KeyInfo(
        key_id=row.id, name=row.name, role=Role(row.role), created_at=row.created_at,
        expires_at=row.expires_at, revoked_at=row.revoked_at, last_used_at=row.last_used_at,
    )


def authenticate(database: Database, key: str, now: dt.datetime | None = None) -> Caller:
    """Return the caller behind a well-formed key; refuse an unknown, revoked or expired one."""
    now = now or utcnow()
    with database.session() as session:
        row = session.scalars(
            select(ApiKeyRecord).where(ApiKeyRecord.key_hash == hash_key(key))
        ).first()
        if row is None:
            raise ApiProblem(
                401, "unknown-api-key", "Unknown API key", "the X-API-Key is not valid"
            )
        if row.revoked_at is not None:
            raise ApiProblem(401, "revoked-api-key", "Revoked API key", "this key was revoked")
        if row.expires_at is not None and row.expires_at <= now:
            raise ApiProblem(
                401, "expired-api-key", "Expired API key",
                f"this key expired at {row.expires_at.isoformat()}",
            )
        stale = now - LAST_USED_RESOLUTION
        if row.last_used_at is None or row.last_used_at <= stale:
            session.execute(
                update(ApiKeyRecord)
                .where(
                    ApiKeyRecord.id == row.id,
                    or_(ApiKeyRecord.last_used_at.is_(None), ApiKeyRecord.last_used_at <= stale),
                )
                .values(last_used_at=now)
            )
        return Caller(row.id, row.name, Role(row.role))


@dataclass(frozen=True)
class RateLimit:
    """Where a key stands in its window, as the IETF draft's RateLimit-* headers say it."""

    limit: int
    remaining: int
    reset: int  # seconds until a request is free again (the oldest in the window leaves)
    retry_after: int | None  # set when this request was refused

    def headers(self) -> dict[str, str]:
        headers = {
            "RateLimit-Limit": str(self.limit),
            "RateLimit-Remaining": str(self.remaining),
            "RateLimit-Reset": str(self.reset),
        }
        if self.retry_after is not None:
            headers["Retry-After"] = str(self.retry_after)
        return headers


class RateLimiter:
    """A sliding one-minute window per key, in memory: each server process counts its own
    (see the README: with several workers, a key gets the limit in each)."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self._limit = per_minute
        self._clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def retry_after(self, key_id: str) -> int | None:
        """Record a request; return None if allowed, else the seconds to wait."""
        return self.hit(key_id).retry_after

    def hit(self, key_id: str) -> RateLimit:
        """Record a request (unless refused) and return where the key stands."""
        now = self._clock()
        with self._lock:
            hits = self._hits.setdefault(key_id, deque())
            while hits and hits[0] <= now - 60:
                hits.popleft()
            refused = len(hits) >= self._limit
            if not refused:
                hits.append(now)
            reset = max(1, math.ceil(hits[0] + 60 - now)) if hits else 0
            return RateLimit(
                limit=self._limit,
                remaining=max(0, self._limit - len(hits)),
                reset=reset,
                retry_after=reset if refused else None,
            )


api_key_header = APIKeyHeader(
    name=KEY_HEADER,
    auto_error=False,
    description="An API key made with `recognition-engine keys create --role ROLE`.",
)


def refuse_unusable_key(key: str | None) -> ApiProblem | None:
    """The 401 for a missing or malformed key (no database needed to tell), else None."""
    if not key:
        return ApiProblem(401, "missing-api-key", "API key required", "send the X-API-Key header")
    if not is_well_formed(key):
        return ApiProblem(
            401, "malformed-api-key", "Malformed API key",
            f"an X-API-Key is {KEY_PREFIX!r} followed by 43 URL-safe base64 characters",
        )
    return None


def _authenticate(
    request: Request, key: Annotated[str | None, Security(api_key_header)]
) -> Caller:
    refused = refuse_unusable_key(key)
    if refused is not None:
        raise refused
    assert key is not None
    services = request.app.state.services
    caller = authenticate(services.database, key)
    # Counted once a request: api.idempotency counts those it sees before they get here.
    limit = getattr(request.state, "rate_limit", None) or services.rate_limiter.hit(
        caller.key_id
    )
    # every answer to this request carries it (api.rate_limit_headers.RateLimitHeaders)
    request.state.rate_limit = limit
    if limit.retry_after is not None:
        raise ApiProblem(
            429, "rate-limited", "Too many requests",
            f"more than {services.settings.api_rate_limit_per_minute} requests per minute "
            "for this key",
            headers=limit.headers(),
        )
    return caller


def require(*roles: Role) -> Callable[..., Caller]:
    """A dependency that admits a valid key with one of ``roles`` (admin is always admitted)."""
    allowed = {Role.ADMIN, *roles}

    def dependency(caller: Annotated[Caller, Depends(_authenticate)]) -> Caller:
        if caller.role not in allowed:
            names = ", ".join(sorted(role.value for role in allowed))
            raise ApiProblem(
                403, "forbidden", "Role not allowed",
                f"this needs a key with role {names}; this key has role {caller.role.value}",
            )
        return caller

    return dependency


ANY_ROLE = require(Role.EVALUATOR, Role.SCREENING)

# The key behind a route, as its parameter (``caller: EvaluatorCaller``), admitted by role.
AnyCaller = Annotated[Caller, Depends(ANY_ROLE)]
ScreeningCaller = Annotated[Caller, Depends(require(Role.SCREENING))]
EvaluatorCaller = Annotated[Caller, Depends(require(Role.EVALUATOR))]
