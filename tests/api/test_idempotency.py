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
