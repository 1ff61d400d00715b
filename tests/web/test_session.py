"""The workbench session on the server (api/web/session.py): the cookie is a random id, the table
keeps its hash; signing in and out change the id and the CSRF token; a redirect stores nothing;
ended and expired sessions are removed."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "api"))
from apitest_support import make_client, make_settings  # noqa: E402
from workbench_forms import csrf_token, signed_in  # noqa: E402

from api.security import Role, create_key, revoke_key  # noqa: E402
from api.tables import WebSessionRecord, utcnow  # noqa: E402
from api.web.session import COOKIE, TOKEN_PATTERN, hash_token  # noqa: E402


@pytest.fixture(scope="module")
def app_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    settings = make_settings(
        tmp_path_factory.mktemp("sessions"),
        api_rate_limit_per_minute=100_000,
        web_session_idle_minutes=30,
        web_session_max_hours=8,
    )
    with make_client(settings) as client:
        yield client


def _row(client: TestClient, cookie: str) -> WebSessionRecord | None:
    with client.app.state.services.database.session() as session:
        return session.get(WebSessionRecord, hash_token(cookie))


def _rows(client: TestClient) -> int:
    with client.app.state.services.database.session() as session:
        return session.scalar(select(func.count()).select_from(WebSessionRecord)) or 0


def test_the_cookie_is_a_random_id_and_the_table_keeps_only_its_hash(
    app_client: TestClient,
) -> None:
    browser, key_id = signed_in(app_client)
    cookie = browser.cookies[COOKIE]
    assert TOKEN_PATTERN.fullmatch(cookie) and key_id not in cookie
    row = _row(app_client, cookie)
    assert row is not None and row.key_id == key_id and row.id_hash != cookie
    with app_client.app.state.services.database.session() as session:
        assert session.get(WebSessionRecord, cookie) is None
    assert row.expires_at - row.created_at == dt.timedelta(hours=8)
    assert row.csrf == csrf_token(browser.get("/cases").text)


def test_signing_in_and_out_changes_the_id_and_the_token(app_client: TestClient) -> None:
    browser = TestClient(app_client.app)
    anonymous_token = csrf_token(browser.get("/login").text)
    anonymous = browser.cookies[COOKIE]
    key, _ = create_key(app_client.app.state.services.database, Role.EVALUATOR, "fixation")
    browser.post("/login", data={"key": key, "csrf_token": anonymous_token})
    signed_in_id = browser.cookies[COOKIE]
    # a session fixed before sign-in (the id, the token) does not carry over
    assert signed_in_id != anonymous and _row(app_client, anonymous) is None
    token = csrf_token(browser.get("/cases").text)
    assert token != anonymous_token
    browser.post("/logout", data={"csrf_token": token})
    assert _row(app_client, signed_in_id) is None
    assert browser.cookies[COOKIE] not in (signed_in_id, anonymous)


def test_the_language_outlives_a_sign_out(app_client: TestClient) -> None:
    browser = TestClient(app_client.app)
    browser.post("/lang", data={"lang": "ka", "csrf_token": csrf_token(browser.get("/login").text)})
    key, _ = create_key(app_client.app.state.services.database, Role.EVALUATOR, "ka")
    browser.post("/login", data={"key": key, "csrf_token": csrf_token(browser.get("/login").text)})
    browser.post("/logout", data={"csrf_token": csrf_token(browser.get("/cases").text)})
    assert '<html lang="ka">' in browser.get("/login").text
    assert _row(app_client, browser.cookies[COOKIE]).lang == "ka"


def test_a_redirect_alone_stores_no_session(app_client: TestClient) -> None:
    before = _rows(app_client)
    for path in ("/", "/cases", "/screenings"):
        answer = TestClient(app_client.app).get(path, follow_redirects=False)
        assert answer.status_code in (302, 303) and "set-cookie" not in answer.headers
    assert _rows(app_client) == before


def test_revoking_a_key_removes_its_sessions_only(app_client: TestClient) -> None:
    database = app_client.app.state.services.database
    first, key_id = signed_in(app_client)
    other, _ = signed_in(app_client)
    revoke_key(database, key_id)
    assert _row(app_client, first.cookies[COOKIE]) is None
    assert _row(app_client, other.cookies[COOKIE]) is not None
    assert first.get("/cases", follow_redirects=False).status_code == 303
    assert other.get("/cases").status_code == 200


def test_an_idle_session_ends_and_expired_rows_are_removed(app_client: TestClient) -> None:
    database = app_client.app.state.services.database
    idle, _ = signed_in(app_client)
    stale, _ = signed_in(app_client)
    with database.session() as session:
        session.execute(
            update(WebSessionRecord)
            .where(
                WebSessionRecord.id_hash.in_(
                    [hash_token(idle.cookies[COOKIE]), hash_token(stale.cookies[COOKIE])]
                )
            )
            .values(last_seen_at=utcnow() - dt.timedelta(minutes=31))
        )
    assert idle.get("/cases", follow_redirects=False).status_code == 303
    assert _row(app_client, idle.cookies[COOKIE]) is None or (
        _row(app_client, idle.cookies[COOKIE]).key_id is None
    )
    # the next new session clears out every expired row, not only the one that was read
    signed_in(app_client)
    assert _row(app_client, stale.cookies[COOKIE]) is None


def test_a_session_in_use_is_seen_at_most_once_a_minute(app_client: TestClient) -> None:
    browser, _ = signed_in(app_client)
    cookie = browser.cookies[COOKIE]
    seen = _row(app_client, cookie).last_seen_at
    browser.get("/cases")
    assert _row(app_client, cookie).last_seen_at == seen
    with app_client.app.state.services.database.session() as session:
        session.execute(
            update(WebSessionRecord)
            .where(WebSessionRecord.id_hash == hash_token(cookie))
            .values(last_seen_at=seen - dt.timedelta(minutes=2))
        )
    browser.get("/cases")
    assert _row(app_client, cookie).last_seen_at > seen - dt.timedelta(seconds=1)
