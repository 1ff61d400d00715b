"""Idempotency-Key on every creating POST: a retry gets the original answer and creates nothing
twice; the same key with another body is a 422; two identical requests at once create one
record (threads released together by a Barrier, against a real server)."""

from __future__ import annotations

import threading
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from apitest_support import assert_problem
from fastapi.testclient import TestClient
from test_server import create_key, server

from api.tables import CredentialRecord, IdempotencyRecord


def with_key(headers: dict[str, str], key: str | None = None) -> dict[str, str]:
    return headers | {"Idempotency-Key": key or str(uuid.uuid4())}


def count(client: TestClient, table: type) -> int:
    return client.app.state.services.store.count(table)


def test_a_retried_credential_is_stored_once(
    client: TestClient, screener: dict, credentials: list[dict]
) -> None:
    headers = with_key(screener)
    before = count(client, CredentialRecord)
    first = client.post("/v1/credentials", json=credentials[0], headers=headers)
    again = client.post("/v1/credentials", json=credentials[0], headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["location"] == first.headers["location"]
    assert again.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert count(client, CredentialRecord) == before + 1


def test_the_same_key_with_another_body_is_a_422(
    client: TestClient, screener: dict, credentials: list[dict]
) -> None:
    headers = with_key(screener)
    assert client.post("/v1/credentials", json=credentials[0], headers=headers).status_code == 201
    other = client.post("/v1/credentials", json=credentials[1], headers=headers)
    assert_problem(other, 422, "idempotency-key-reused")


def test_keys_belong_to_the_api_key_that_sent_them(
    client: TestClient, screener: dict, admin: dict, credentials: list[dict]
) -> None:
    key = str(uuid.uuid4())
    mine = client.post("/v1/credentials", json=credentials[0], headers=with_key(screener, key))
    theirs = client.post("/v1/credentials", json=credentials[0], headers=with_key(admin, key))
    assert mine.status_code == theirs.status_code == 201
    assert mine.json()["id"] != theirs.json()["id"]


def test_a_refused_request_is_not_kept(client: TestClient, screener: dict) -> None:
    headers = with_key(screener)
    body = {"programme_id": "nowhere", "credential_ids": ["nothing"]}
    assert_problem(client.post("/v1/recognitions", json=body, headers=headers), 404)
    assert_problem(client.post("/v1/recognitions", json=body, headers=headers), 404)
    assert "idempotent-replayed" not in client.post(
        "/v1/recognitions", json=body, headers=headers
    ).headers


@pytest.mark.parametrize("path", ["recognitions", "decisions", "screenings", "applications"])
def test_every_creating_post_replays(
    client: TestClient, screener: dict, evaluator: dict, programme_id: str,
    credential_ids: dict[str, str], credentials: list[dict], path: str,
) -> None:
    first_id = next(iter(credential_ids.values()))
    recognition = {"programme_id": programme_id, "credential_ids": [first_id]}
    if path == "decisions":
        made = client.post("/v1/recognitions", json=recognition, headers=screener).json()
        url, body, headers = (
            f"/v1/recognitions/{made['id']}/decisions",
            {"action": "reject", "reason": "retried"}, with_key(evaluator),
        )
    else:
        url, headers = f"/v1/{path}", with_key(screener)
        body = {
            "recognitions": recognition,
            "screenings": {"programme_ids": [programme_id], "credentials": credentials[:1]},
            "applications": {"programme_id": programme_id, "reference": uuid.uuid4().hex},
        }[path]
    first = client.post(url, json=body, headers=headers)
    again = client.post(url, json=body, headers=headers)
    assert first.status_code in (201, 202), first.text
    assert (again.status_code, again.json()) == (first.status_code, first.json())
    assert again.headers["idempotent-replayed"] == "true"


def test_the_header_is_documented_on_every_creating_post(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/v1/programmes", "/v1/credentials", "/v1/applications", "/v1/recognitions",
                 "/v1/recognitions/{recognition_id}/decisions", "/v1/screenings"):
        names = [p["name"] for p in paths[path]["post"].get("parameters", [])]
        assert "Idempotency-Key" in names, path


def test_an_expired_key_runs_again(
    client: TestClient, screener: dict, credentials: list[dict]
) -> None:
    from sqlalchemy import update

    headers = with_key(screener)
    first = client.post("/v1/credentials", json=credentials[0], headers=headers).json()
    database = client.app.state.services.database
    with database.session() as session:
        session.execute(
            update(IdempotencyRecord)
            .where(IdempotencyRecord.idempotency_key == headers["Idempotency-Key"])
            .values(expires_at=IdempotencyRecord.created_at)
        )
    again = client.post("/v1/credentials", json=credentials[0], headers=headers)
    assert again.status_code == 201 and again.json()["id"] != first["id"]


def send_together(url: str, key: str, body: dict[str, Any], headers: dict[str, str], n: int):
    """Send ``n`` identical requests at once from ``n`` threads; return their answers."""
    barrier = threading.Barrier(n)
    answers: list[httpx.Response] = [None] * n  # type: ignore[list-item]

    def one(i: int) -> None:
        with httpx.Client(timeout=300) as http:
            request = http.build_request("POST", url, json=body, headers=with_key(headers, key))
            barrier.wait()
            answers[i] = http.send(request)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def test_identical_requests_at_once_create_one_record(
    tmp_path: Path, credentials: list[dict]
) -> None:
    data_dir = tmp_path / "var"
    key, _ = create_key(data_dir, "screening")
    with server(data_dir) as (url, _):
        answers = send_together(
            f"{url}/v1/credentials", str(uuid.uuid4()), credentials[0], {"X-API-Key": key}, 4
        )
        assert [a.status_code for a in answers] == [201] * 4, [a.text for a in answers]
        assert len({a.json()["id"] for a in answers}) == 1
        assert sum(a.headers.get("idempotent-replayed") == "true" for a in answers) == 3
        stored = httpx.get(
            f"{url}/v1/credentials/{answers[0].json()['id']}", headers={"X-API-Key": key}
        )
        assert stored.status_code == 200
    from api.database import Database

    database = Database(f"sqlite:///{data_dir / 'recognition.db'}")
    try:
        with database.session() as session:
            from sqlalchemy import func, select

            assert session.scalar(select(func.count()).select_from(CredentialRecord)) == 1
    finally:
        database.dispose()


# --- after authentication, per owner, counted, and taken over after a crash -----------------


def test_a_request_without_a_valid_key_never_reaches_the_table(
    tmp_path: Path, credentials: list[dict], monkeypatch: pytest.MonkeyPatch
) -> None:
    from apitest_support import make_client, make_settings

    from api.idempotency import IdempotentPosts
    from api.security import Role, revoke_key
    from api.security import create_key as make_key

    reserved: list[str] = []
    reserve = IdempotentPosts._reserve

    def spy(self: IdempotentPosts, owner: str, key: str, fingerprint: str):  # noqa: ANN202
        reserved.append(owner)
        return reserve(self, owner, key, fingerprint)

    monkeypatch.setattr(IdempotentPosts, "_reserve", spy)
    with make_client(make_settings(tmp_path)) as client:
        database = client.app.state.services.database
        revoked, caller = make_key(database, Role.SCREENING, "revoked")
        revoke_key(database, caller.key_id)
        unknown = "re_" + "A" * 43
        for key in (unknown, revoked):
            answer = client.post("/v1/credentials", json=credentials[0],
                                 headers=with_key({"X-API-Key": key}))
            assert_problem(answer, 401)
        assert reserved == []
        valid, owner = make_key(database, Role.SCREENING, "valid")
        answer = client.post("/v1/credentials", json=credentials[0],
                             headers=with_key({"X-API-Key": valid}))
        assert answer.status_code == 201 and reserved == [owner.key_id]


def test_keys_are_kept_under_the_key_owner_not_the_key_hash(
    client: TestClient, screener: dict, credentials: list[dict]
) -> None:
    from api.security import authenticate

    headers = with_key(screener)
    assert client.post("/v1/credentials", json=credentials[0], headers=headers).status_code == 201
    database = client.app.state.services.database
    owner = authenticate(database, screener["X-API-Key"]).key_id
    with database.session() as session:
        row = session.get(IdempotencyRecord, (owner, headers["Idempotency-Key"]))
        assert row is not None and row.status == 201 and row.locked_until is None
    assert "key_hash" not in IdempotencyRecord.__table__.columns


def test_replays_count_against_the_rate_limit(tmp_path: Path, credentials: list[dict]) -> None:
    from apitest_support import key_headers, make_client, make_settings

    from api.security import Role

    with make_client(make_settings(tmp_path, api_rate_limit_per_minute=3)) as client:
        headers = with_key(key_headers(client, Role.SCREENING))
        first = client.post("/v1/credentials", json=credentials[0], headers=headers)
        assert first.status_code == 201 and first.headers["ratelimit-remaining"] == "2"
        replays = [client.post("/v1/credentials", json=credentials[0], headers=headers)
                   for _ in range(3)]
        assert [r.status_code for r in replays] == [201, 201, 429]
        assert [r.headers["ratelimit-remaining"] for r in replays] == ["1", "0", "0"]
        assert replays[0].headers["idempotent-replayed"] == "true"
        assert_problem(replays[2], 429, "rate-limited")
        assert 1 <= int(replays[2].headers["retry-after"]) <= 60


def _in_progress(client: TestClient, template: str, key: str, locked_until: object) -> None:
    """Leave a row in progress under ``key``, for the same request as ``template``'s."""
    import datetime as dt

    from sqlalchemy import select

    from api.tables import utcnow

    database = client.app.state.services.database
    with database.session() as session:
        done = session.scalars(
            select(IdempotencyRecord).where(IdempotencyRecord.idempotency_key == template)
        ).one()
        session.add(IdempotencyRecord(
            key_id=done.key_id, idempotency_key=key, request_hash=done.request_hash,
            created_at=utcnow() - dt.timedelta(hours=1), expires_at=done.expires_at,
            locked_until=locked_until,
        ))


def test_a_request_left_in_progress_by_a_dead_server_is_taken_over(
    client: TestClient, screener: dict, credentials: list[dict],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import datetime as dt

    import api.idempotency
    from api.tables import utcnow

    monkeypatch.setattr(api.idempotency, "WAIT_SECONDS", 0.3)
    template = with_key(screener)
    client.post("/v1/credentials", json=credentials[0], headers=template)
    dead, alive = with_key(screener), with_key(screener)
    # an hour old, its hold lapsed: nobody runs it any more
    _in_progress(client, template["Idempotency-Key"], dead["Idempotency-Key"],
                 utcnow() - dt.timedelta(seconds=1))
    # an hour old too, but still held: a slow request that its server still runs
    _in_progress(client, template["Idempotency-Key"], alive["Idempotency-Key"],
                 utcnow() + dt.timedelta(minutes=1))
    before = count(client, CredentialRecord)
    taken = client.post("/v1/credentials", json=credentials[0], headers=dead)
    assert taken.status_code == 201 and "idempotent-replayed" not in taken.headers
    replayed = client.post("/v1/credentials", json=credentials[0], headers=dead)
    assert replayed.headers["idempotent-replayed"] == "true"
    assert replayed.json()["id"] == taken.json()["id"]
    waiting = client.post("/v1/credentials", json=credentials[0], headers=alive)
    assert_problem(waiting, 409, "idempotency-key-in-progress")
    assert count(client, CredentialRecord) == before + 1


def test_a_running_request_renews_its_hold(
    tmp_path: Path, credentials: list[dict], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A request slower than the lease keeps its key: its retry waits, it is not run twice."""
    import datetime as dt
    import time

    from apitest_support import key_headers, make_client, make_settings
    from sqlalchemy import select

    import api.idempotency
    from api.security import Role

    monkeypatch.setattr(api.idempotency, "WAIT_SECONDS", 0.5)
    settings = make_settings(tmp_path, idempotency_lease_seconds=6)
    with make_client(settings) as client:
        store = client.app.state.services.store
        release, started = threading.Event(), threading.Event()
        add = store.add_credential

        def slow(*args: Any) -> Any:
            started.set()
            release.wait(60)
            return add(*args)

        monkeypatch.setattr(store, "add_credential", slow)
        headers = with_key(key_headers(client, Role.SCREENING))
        answers: list[Any] = []
        worker = threading.Thread(target=lambda: answers.append(
            client.post("/v1/credentials", json=credentials[0], headers=headers)
        ))
        worker.start()
        assert started.wait(60)
        database = client.app.state.services.database

        def hold() -> Any:
            with database.session() as session:
                return session.scalars(select(IdempotencyRecord.locked_until).where(
                    IdempotencyRecord.idempotency_key == headers["Idempotency-Key"]
                )).one()

        # Wait, however long the machine takes, until the request has outlived its first lease
        # and is still held: its hold was renewed (every third of the lease) past that lease.
        first = hold()
        deadline = time.monotonic() + 120
        while hold() < first + dt.timedelta(seconds=6):
            assert time.monotonic() < deadline, "the hold was never renewed"
            assert worker.is_alive()
            time.sleep(0.1)
        retry = client.post("/v1/credentials", json=credentials[0], headers=headers)
        assert_problem(retry, 409, "idempotency-key-in-progress")
        release.set()
        worker.join(60)
        assert answers[0].status_code == 201
        again = client.post("/v1/credentials", json=credentials[0], headers=headers)
        assert again.json()["id"] == answers[0].json()["id"]
        assert count(client, CredentialRecord) == 1
