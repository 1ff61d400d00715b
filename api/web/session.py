"""The workbench session: a signed cookie holding the signed-in key's id, the language and the
CSRF token. Never the API key itself, and nothing about a learner.

The cookie is HttpOnly and SameSite=Strict, and Secure when the page is served over TLS. The
signing secret is made once per data folder (``web-session.key``, readable by its owner only),
so that sessions survive a restart and every worker process of one deployment shares it.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import Request, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

from api.database import Database
from api.security import Caller, Role
from api.tables import ApiKeyRecord, utcnow

COOKIE = "workbench_session"
MAX_AGE = 12 * 3600  # a working day; then sign in again
SECRET_FILE = "web-session.key"


def load_secret(data_dir: Path) -> str:
    """Return the signing secret of this data folder, making it on first use."""
    path = data_dir / SECRET_FILE
    data_dir.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(secrets.token_urlsafe(48))
    return path.read_text(encoding="ascii").strip()


@dataclass
class WebSession:
    """What the cookie holds; ``dirty`` once something changed that must be sent back."""

    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    lang: str | None = None
    key_id: str | None = None
    dirty: bool = False

    def sign_in(self, caller: Caller) -> None:
        # A fresh CSRF token at sign-in: a token seen before cannot ride on the new session.
        self.key_id = caller.key_id
        self.csrf = secrets.token_urlsafe(32)
        self.dirty = True

    def sign_out(self) -> None:
        self.key_id = None
        self.csrf = secrets.token_urlsafe(32)
        self.dirty = True

    def choose_language(self, code: str) -> None:
        self.lang = code
        self.dirty = True


class SessionCodec:
    def __init__(self, secret: str) -> None:
        self._serializer = URLSafeTimedSerializer(secret, salt="workbench-session")

    def read(self, request: Request) -> WebSession:
        """Return the request's session (a new one if the cookie is missing, stale or forged)."""
        cached = getattr(request.state, "web_session", None)
        if cached is not None:
            return cached
        session = self._decode(request.cookies.get(COOKIE))
        request.state.web_session = session
        return session

    def _decode(self, cookie: str | None) -> WebSession:
        if not cookie:
            return WebSession(dirty=True)
        try:
            data: dict[str, Any] = self._serializer.loads(cookie, max_age=MAX_AGE)
        except BadSignature:
            return WebSession(dirty=True)
        return WebSession(csrf=data["c"], lang=data.get("l"), key_id=data.get("k"))

    def write(self, request: Request, response: Response) -> None:
        """Send the session back if it changed."""
        session = self.read(request)
        if not session.dirty:
            return
        value = self._serializer.dumps({"c": session.csrf, "l": session.lang, "k": session.key_id})
        response.set_cookie(
            COOKIE, value, max_age=MAX_AGE, path="/", httponly=True, samesite="strict",
            secure=request.url.scheme == "https",
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
