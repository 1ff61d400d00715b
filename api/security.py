"""API keys (stored as SHA-256 hashes), roles, and a per-key rate limit.

A key is ``re_`` + 32 random bytes (URL-safe base64): with that much entropy a plain SHA-256 is
enough to store it (no salt or slow hash needed: nobody can guess such a key from its hash).
"""

from __future__ import annotations

import hashlib
import math
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
from sqlalchemy import select

from api.database import Database
from api.problems import ApiProblem
from api.tables import ApiKeyRecord

KEY_PREFIX = "re_"


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


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_key(database: Database, role: Role, name: str | None = None) -> tuple[str, Caller]:
    """Store a new key's hash and return the key itself (shown once, never stored)."""
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    key_id = uuid.uuid4().hex
    caller = Caller(key_id=key_id, name=name or f"{role.value}-{key_id[:8]}", role=role)
    with database.session() as session:
        session.add(
            ApiKeyRecord(id=key_id, name=caller.name, role=role.value, key_hash=hash_key(key))
        )
    return key, caller


def list_keys(database: Database) -> list[Caller]:
    with database.session() as session:
        rows = session.scalars(select(ApiKeyRecord).order_by(ApiKeyRecord.created_at)).all()
        return [Caller(row.id, row.name, Role(row.role)) for row in rows]


def find_caller(database: Database, key: str) -> Caller | None:
    with database.session() as session:
        row = session.scalars(
            select(ApiKeyRecord).where(ApiKeyRecord.key_hash == hash_key(key))
        ).first()
        return Caller(row.id, row.name, Role(row.role)) if row else None


class RateLimiter:
    """A sliding one-minute window per key, in memory (one server process)."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self._limit = per_minute
        self._clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def retry_after(self, key_id: str) -> int | None:
        """Record a request; return None if allowed, else the seconds to wait."""
        now = self._clock()
        with self._lock:
            hits = self._hits.setdefault(key_id, deque())
            while hits and hits[0] <= now - 60:
                hits.popleft()
            if len(hits) >= self._limit:
                return max(1, math.ceil(hits[0] + 60 - now))
            hits.append(now)
            return None


api_key_header = APIKeyHeader(
    name="X-API-Key",
    auto_error=False,
    description="An API key made with `recognition-engine keys create --role ROLE`.",
)


def _authenticate(
    request: Request, key: Annotated[str | None, Security(api_key_header)]
) -> Caller:
    if not key:
        raise ApiProblem(401, "missing-api-key", "API key required", "send the X-API-Key header")
    services = request.app.state.services
    caller = find_caller(services.database, key)
    if caller is None:
        raise ApiProblem(401, "unknown-api-key", "Unknown API key", "the X-API-Key is not valid")
    wait = services.rate_limiter.retry_after(caller.key_id)
    if wait is not None:
        raise ApiProblem(
            429, "rate-limited", "Too many requests",
            f"more than {services.settings.api_rate_limit_per_minute} requests per minute "
            "for this key",
            headers={"Retry-After": str(wait)},
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
