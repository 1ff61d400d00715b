"""Key lifecycle: a revoked or expired key is refused from its next request on; the last use
is recorded, at most once a minute per key."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from apitest_support import assert_problem, make_client, make_settings
from fastapi.testclient import TestClient
from sqlalchemy import event, update

from api.problems import ApiProblem
from api.security import (
    LAST_USED_RESOLUTION,
    Role,
    authenticate,
    create_key,
    list_keys,
    revoke_key,
)
from api.tables import ApiKeyRecord, utcnow
from recognition_engine.errors import InvalidInput, NotFound


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[TestClient]:
    with make_client(make_settings(tmp_path)) as client:
        yield client


def test_revoked_key_is_refused_on_its_next_request(fresh: TestClient) -> None:
    database = fresh.app.state.services.database
    key, caller = create_key(database, Role.SCREENING, "to revoke")
    headers = {"X-API-Key": key}
    assert fresh.get("/v1/programmes", headers=headers).status_code == 200
    revoked = revoke_key(database, caller.key_id)  # as `keys revoke` does, on its own session
    assert revoked.revoked_at is not None and revoked.state(utcnow()) == "revoked"
    assert_problem(fresh.get("/v1/programmes", headers=headers), 401, "revoked-api-key")
    assert revoke_key(database, caller.key_id).revoked_at == revoked.revoked_at  # idempotent
    with pytest.raises(NotFound):
        revoke_key(database, "no-such-key")


def test_expired_key_is_refused(fresh: TestClient) -> None:
    database = fresh.app.state.services.database
    expires = utcnow() + dt.timedelta(days=1)
    key, caller = create_key(database, Role.EVALUATOR, "expiring", expires_at=expires)
    headers = {"X-API-Key": key}
    assert fresh.get("/v1/programmes", headers=headers).status_code == 200
    with pytest.raises(ApiProblem) as refused:  # the day after
        authenticate(database, key, now=expires + dt.timedelta(seconds=1))
    assert refused.value.slug == "expired-api-key"
    with database.session() as session:  # the expiry reached: refused over HTTP too
        session.execute(
            update(ApiKeyRecord)
            .where(ApiKeyRecord.id == caller.key_id)
            .values(expires_at=utcnow() - dt.timedelta(seconds=1))
        )
    assert_problem(fresh.get("/v1/programmes", headers=headers), 401, "expired-api-key")
    with pytest.raises(InvalidInput, match="not in the future"):
        create_key(database, Role.EVALUATOR, expires_at=utcnow() - dt.timedelta(days=1))


def test_last_use_is_written_at_most_once_a_minute(fresh: TestClient) -> None:
    database = fresh.app.state.services.database
    key, caller = create_key(database, Role.SCREENING, "counted")
    writes: list[str] = []

    def record(conn, cursor, statement, *args) -> None:  # noqa: ANN001
        if statement.lstrip().upper().startswith("UPDATE API_KEYS"):
            writes.append(statement)

    event.listen(database.engine, "before_cursor_execute", record)
    try:
        for _ in range(5):
            assert fresh.get("/v1/programmes", headers={"X-API-Key": key}).status_code == 200
        assert len(writes) == 1
        first = _last_used(database, caller.key_id)
        assert first is not None
        authenticate(database, key, now=first + LAST_USED_RESOLUTION / 2)
        assert len(writes) == 1 and _last_used(database, caller.key_id) == first
        later = first + LAST_USED_RESOLUTION + dt.timedelta(seconds=1)
        authenticate(database, key, now=later)
        assert len(writes) == 2 and _last_used(database, caller.key_id) == later
    finally:
        event.remove(database.engine, "before_cursor_execute", record)


def _last_used(database, key_id: str) -> dt.datetime | None:  # noqa: ANN001
    return next(k.last_used_at for k in list_keys(database) if k.key_id == key_id)
