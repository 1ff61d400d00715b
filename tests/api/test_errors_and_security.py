"""Every class of error is an RFC 9457 problem; keys, roles and limits are enforced."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from apitest_support import assert_problem, key_headers, make_client, make_settings
from fastapi.testclient import TestClient
from sqlalchemy import event, select

from api.database import Database
from api.security import KEY_PREFIX, RateLimiter, Role, hash_key
from api.tables import ApiKeyRecord

JSON_TYPE = {"content-type": "application/json"}


def test_health_needs_no_key(client: TestClient) -> None:
    assert client.get("/health").json() == {"status": "ok"}


def test_ready_reports_database_and_indexes(
    client: TestClient, screener: dict, programme_id: str
) -> None:
    body = client.get("/ready", headers=screener).json()
    assert body["status"] == "ready" and body["database"] and body["indexes_missing"] == []


def test_ready_is_503_when_an_index_is_missing(tmp_path: Path) -> None:
    with make_client(make_settings(tmp_path)) as client:
        admin = key_headers(client, Role.ADMIN)
        from api.examples import PROGRAMME

        assert client.post("/v1/programmes", json=PROGRAMME, headers=admin).status_code == 201
        engine = client.app.state.services.engine
        engine.has_index = lambda programme: False  # as if the index files were lost
        response = client.get("/ready", headers=admin)
        assert response.status_code == 503
        assert response.json()["indexes_missing"] == [PROGRAMME["id"]]


@pytest.mark.parametrize("path", ["/ready", "/v1/programmes", "/v1/credentials/x"])
def test_missing_key_is_401(client: TestClient, path: str) -> None:
    assert_problem(client.get(path), 401, "missing-api-key")


def test_unknown_key_is_401(client: TestClient) -> None:
    headers = {"X-API-Key": KEY_PREFIX + "A" * 43}
    assert_problem(client.get("/v1/programmes", headers=headers), 401, "unknown-api-key")


@pytest.mark.parametrize(
    "key",
    [KEY_PREFIX + "not-a-key", "xx_" + "A" * 43, KEY_PREFIX + "!" * 43, KEY_PREFIX + "A" * 44],
)
def test_malformed_key_is_401(client: TestClient, key: str) -> None:
    response = client.get("/v1/programmes", headers={"X-API-Key": key})
    assert_problem(response, 401, "malformed-api-key")


@contextmanager
def statements(database: Database) -> Iterator[list[str]]:
    """The SQL statements the database runs inside the block."""
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
        seen.append(statement)

    event.listen(database.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(database.engine, "before_cursor_execute", record)


def test_unusable_keys_are_refused_before_the_database_and_the_body(tmp_path: Path) -> None:
    with make_client(make_settings(tmp_path)) as client:
        database = client.app.state.services.database
        invalid = {"programme_id": 3, "credential_ids": "not a list"}
        with statements(database) as seen:
            for headers in ({}, {"X-API-Key": "re_short"}, {"X-API-Key": "xx_" + "A" * 43}):
                body = client.post("/v1/recognitions", json=invalid, headers=headers)
                assert_problem(body, 401)  # not 422: the body was not validated
                malformed = client.post(
                    "/v1/credentials", content=b'{"title": ', headers=headers | JSON_TYPE
                )
                assert_problem(malformed, 401)  # not 400: the body was not parsed
                assert_problem(client.get("/v1/programmes", headers=headers), 401)
        assert seen == []
        with statements(database) as seen:  # a well-formed key is looked up
            unknown = {"X-API-Key": KEY_PREFIX + "A" * 43}
            assert_problem(client.get("/v1/programmes", headers=unknown), 401, "unknown-api-key")
        assert seen


def test_the_documentation_needs_no_key(client: TestClient) -> None:
    assert client.get("/openapi.json").status_code == 200
    assert client.get("/docs").status_code == 200


def test_keys_are_stored_hashed(client: TestClient, admin: dict) -> None:
    key = admin["X-API-Key"]
    assert key.startswith(KEY_PREFIX) and len(key) > 40
    with client.app.state.services.database.session() as session:
        hashes = session.scalars(select(ApiKeyRecord.key_hash)).all()
    assert hash_key(key) in hashes
    assert key not in hashes


def test_malformed_json_is_400(client: TestClient, screener: dict) -> None:
    response = client.post(
        "/v1/credentials", content=b'{"title": ', headers=screener | JSON_TYPE
    )
    assert_problem(response, 400, "malformed-json")


def test_wrong_types_are_422_with_field_errors(client: TestClient, screener: dict) -> None:
    response = client.post("/v1/recognitions", json={"programme_id": 3}, headers=screener)
    problem = assert_problem(response, 422, "validation-error")
    assert {tuple(e["loc"]) for e in problem["errors"]} >= {("body", "credential_ids")}


def test_unknown_route_and_method(client: TestClient, admin: dict) -> None:
    assert_problem(client.get("/v1/nothing-here", headers=admin), 404, "not-found")
    assert_problem(client.delete("/v1/programmes", headers=admin), 405, "method-not-allowed")


def test_oversize_body_is_413(tmp_path: Path) -> None:
    with make_client(make_settings(tmp_path, api_max_body_bytes=2_000)) as client:
        headers = key_headers(client, Role.SCREENING)
        big = {"title": "x" * 5_000}
        assert_problem(client.post("/v1/credentials", json=big, headers=headers), 413)

        def chunks():  # no Content-Length: the limit still holds
            for _ in range(10):
                yield b" " * 500

        response = client.post(
            "/v1/credentials", content=chunks(), headers=headers | JSON_TYPE
        )
        assert_problem(response, 413, "body-too-large")


def test_rate_limit_is_429_with_retry_after(tmp_path: Path) -> None:
    with make_client(make_settings(tmp_path, api_rate_limit_per_minute=3)) as client:
        first, second = key_headers(client, Role.SCREENING), key_headers(client, Role.SCREENING)
        for _ in range(3):
            assert client.get("/v1/programmes", headers=first).status_code == 200
        problem = client.get("/v1/programmes", headers=first)
        assert_problem(problem, 429, "rate-limited")
        assert 1 <= int(problem.headers["retry-after"]) <= 60
        assert client.get("/v1/programmes", headers=second).status_code == 200  # per key
        assert client.get("/health").status_code == 200


def test_every_answer_to_a_key_carries_its_rate_limit(tmp_path: Path) -> None:
    with make_client(make_settings(tmp_path, api_rate_limit_per_minute=3)) as client:
        key = key_headers(client, Role.SCREENING)
        ok = client.get("/v1/programmes", headers=key)
        missing = client.get("/v1/programmes/nope", headers=key)  # a problem answer too
        assert (ok.status_code, missing.status_code) == (200, 404)
        assert ok.headers["ratelimit-limit"] == missing.headers["ratelimit-limit"] == "3"
        assert [ok.headers["ratelimit-remaining"], missing.headers["ratelimit-remaining"]] == [
            "2", "1"
        ]
        assert 1 <= int(ok.headers["ratelimit-reset"]) <= 60
        client.get("/v1/programmes", headers=key)
        refused = client.get("/v1/programmes", headers=key)
        assert_problem(refused, 429, "rate-limited")
        assert refused.headers["ratelimit-remaining"] == "0"
        assert refused.headers["retry-after"] == refused.headers["ratelimit-reset"]
        assert "retry-after" not in ok.headers


def test_rate_limiter_window_slides() -> None:
    now = [0.0]
    limiter = RateLimiter(2, clock=lambda: now[0])
    assert limiter.retry_after("k") is None and limiter.retry_after("k") is None
    assert limiter.retry_after("k") == 60
    now[0] = 59.5
    assert limiter.retry_after("k") == 1
    now[0] = 60.0
    assert limiter.retry_after("k") is None


def test_engine_errors_map_to_problems() -> None:
    from api.problems import Conflict, engine_problem
    from recognition_engine.errors import (
        IndexUnavailable,
        InvalidInput,
        ModelUnavailable,
        NotFound,
        StackingRefused,
    )

    expected = {
        InvalidInput: 422, NotFound: 404, StackingRefused: 409, Conflict: 409,
        IndexUnavailable: 503, ModelUnavailable: 503,
    }
    for kind, status in expected.items():
        problem = engine_problem(kind("why"))
        assert problem["status"] == status and problem["detail"] == "why"
        assert problem["title"] == kind.title


def test_engine_error_inside_a_route_is_a_problem(
    client: TestClient, screener: dict, programme_id: str, credential_ids: dict, monkeypatch
) -> None:
    from recognition_engine.errors import IndexUnavailable

    def refuse(*args, **kwargs):
        raise IndexUnavailable("index built with another model")

    monkeypatch.setattr(client.app.state.services.engine, "recognise", refuse)
    body = {"programme_id": programme_id, "credential_ids": list(credential_ids.values())[:1]}
    problem = assert_problem(
        client.post("/v1/recognitions", json=body, headers=screener), 503, "index-unavailable"
    )
    assert problem["instance"] == "/v1/recognitions"
