"""The workbench session, kept on the server: the cookie carries only a random id, the table
``web_sessions`` the id's SHA-256 with the signed-in key's id, the language and the CSRF token.
Never the API key itself, and nothing about a learner.

A session ends when its user signs out (the row is removed: replaying the old cookie finds
nothing), when its key is revoked (``api.security.revoke_key`` removes the key's rows), and
when it has not been used for ``web_session_idle_minutes`` or is older than
``web_session_max_hours``. Signing in and out give a new id and a new CSRF token, so that an id
or a token seen before the change does not carry over.

The cookie is HttpOnly and SameSite=Strict, and Secure when the page is served over TLS.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass, field

from fastapi import Request, Response
from sqlalchemy import delete, or_, update
from sqlalchemy.orm import Session

from api.database import Database
from api.security import Caller, Role
from api.tables import ApiKeyRecord, WebSessionRecord, utcnow

COOKIE = "workbench_session"
# What new_token makes: 32 random bytes in URL-safe base64; anything else is not looked up.
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{43}")
# last_seen_at is written at most this often: a page view must not write every time.
SEEN_RESOLUTION = dt.timedelta(minutes=1)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class SessionLifetime:
    idle: dt.timedelta  # unused this long, a session ends
    absolute: dt.timedelta  # and this long after it began, in any case


@dataclass
class WebSession:
    """One request's view of its session; ``dirty`` once something changed that must be kept."""

    csrf: str = field(default_factory=new_token)
    lang: str | None = None
    key_id: str | None = None
    dirty: bool = False
    token: str | None = None  # the cookie's id; None until the session is stored
    ended: str | None = None  # the id hash of the row this session replaces

    def sign_in(self, caller: Caller) -> None:
        self._renew()
        self.key_id = caller.key_id

    def sign_out(self) -> None:
        self._renew()
        self.key_id = None

    def choose_language(self, code: str) -> None:
        self.lang = code
        self.dirty = True

    def keep(self) -> None:
        """Store a new session: a page is about to show its CSRF token. (A redirect alone
        stores nothing: a client that only follows redirects leaves no row behind.)"""
        if self.token is None:
            self.dirty = True

    def _renew(self) -> None:
        # A new id and a new CSRF token: neither a cookie nor a token seen before the change
        # (a fixed session, a replayed one) rides on the new session. The language stays.
        if self.token is not None and self.ended is None:
            self.ended = hash_token(self.token)
        self.token = None
        self.csrf = new_token()
        self.dirty = True


class SessionStore:
    """Reads a request's session from its cookie and keeps what changed in ``web_sessions``."""

    def __init__(self, database: Database, lifetime: SessionLifetime) -> None:
        self.database = database
        self.lifetime = lifetime

    def read(self, request: Request) -> WebSession:
        """Return the request's session (a new one, not stored yet, if the cookie is missing,
        unknown, ended or expired)."""
        cached = getattr(request.state, "web_session", None)
        if cached is not None:
            return cached
        session = self._load(request.cookies.get(COOKIE))
        request.state.web_session = session
        return session

    def _load(self, token: str | None, now: dt.datetime | None = None) -> WebSession:
        if not token or TOKEN_PATTERN.fullmatch(token) is None:
            return WebSession()
        now = now or utcnow()
        with self.database.session() as session:
            row = session.get(WebSessionRecord, hash_token(token))
            if row is None:
                return WebSession()
            if self._expired(row, now):
                session.delete(row)
                return WebSession()
            if row.last_seen_at <= now - SEEN_RESOLUTION:
                row.last_seen_at = now
            return WebSession(csrf=row.csrf, lang=row.lang, key_id=row.key_id, token=token)

    def _expired(self, row: WebSessionRecord, now: dt.datetime) -> bool:
        return row.expires_at <= now or row.last_seen_at <= now - self.lifetime.idle

    def write(self, request: Request, response: Response) -> None:
        """Keep the session if it changed; a new one's id goes out in the cookie."""
        session = self.read(request)
        if not session.dirty:
            return
        now = utcnow()
        with self.database.session() as db:
            if session.ended is not None:
                db.execute(
                    delete(WebSessionRecord).where(WebSessionRecord.id_hash == session.ended)
                )
            if session.token is not None:
                # A row removed meanwhile (signed out elsewhere, key revoked) stays removed.
                db.execute(
                    update(WebSessionRecord)
                    .where(WebSessionRecord.id_hash == hash_token(session.token))
                    .values(lang=session.lang, csrf=session.csrf, last_seen_at=now)
                )
                fresh = None
            else:
                self._purge_expired(db, now)
                fresh = new_token()
                db.add(
                    WebSessionRecord(
                        id_hash=hash_token(fresh), key_id=session.key_id, lang=session.lang,
                        csrf=session.csrf, created_at=now, last_seen_at=now,
                        expires_at=now + self.lifetime.absolute,
                    )
                )
        session.dirty, session.ended = False, None
        if fresh is not None:
            session.token = fresh
            response.set_cookie(
                COOKIE, fresh, max_age=int(self.lifetime.absolute.total_seconds()), path="/",
                httponly=True, samesite="strict", secure=request.url.scheme == "https",
            )

    def _purge_expired(self, db: Session, now: dt.datetime) -> None:
        db.execute(
            delete(WebSessionRecord).where(
                or_(
                    WebSessionRecord.expires_at <= now,
                    WebSessionRecord.last_seen_at <= now - self.lifetime.idle,
                )
            )
        )


def current_caller(
    database: Database, key_id: str, now: dt.datetime | None = None
) -> Caller | None:
    """Return the caller of a signed-in key, or None once it is revoked, expired or deleted."""
    now = now or utcnow()
    with database.session() as session:
        row = session.get(ApiKeyRecord, key_id)
        if row is None or row.revoked_at is not None:
            return None
        if row.expires_at is not None and row.expires_at <= now:
            return None
        return Caller(row.id, row.name, Role(row.role))
