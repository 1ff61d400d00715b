"""CSRF protection: every form post carries the session's token (a hidden field, or the
``X-CSRF-Token`` header that htmx sends), compared in constant time."""

from __future__ import annotations

import secrets

import anyio
from fastapi import Request

FIELD = "csrf_token"
HEADER = "X-CSRF-Token"


class CsrfRefused(Exception):
    """A post without the session's CSRF token: answered 403 with ``csrf_error.html``."""


async def require_csrf(request: Request) -> None:
    """A dependency for every POST route of the workbench."""
    # the session is read from the database: off the event loop
    session = await anyio.to_thread.run_sync(request.app.state.workbench.sessions.read, request)
    expected = session.csrf
    token: object = request.headers.get(HEADER)
    if token is None:
        token = (await request.form()).get(FIELD)
    if not isinstance(token, str) or not secrets.compare_digest(token, expected):
        raise CsrfRefused()
