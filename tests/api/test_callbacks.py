"""Completion callbacks of screenings, against a receiver on 127.0.0.1 started here: delivered
from the outbox, signed with the screening's own secret over a timestamp, retried after a failure,
only to allowed URLs, at the address checked. The tests wait on events and states with a
deadline, never on a guess of how long screening takes."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from apitest_support import assert_problem, key_headers, make_client, make_settings, wait_for
from callback_receiver import Receiver, verify
from fastapi.testclient import TestClient

from api.callbacks import Allowlist, is_public, post_once, screening_secret, signature
from api.security import Role


@pytest.fixture()
def receiver() -> Iterator[Receiver]:
    with Receiver(failures=1) as running:
        yield running


def app_allowing(tmp_path: Path, *entries: str, **settings: Any) -> TestClient:
    return make_client(
        make_settings(
            tmp_path,
            screening_callback_allowlist=list(entries),
            api_rate_limit_per_minute=100_000,
            screening_callback_retry_seconds=0.05,
            **settings,
        )
    )


def test_a_completed_screening_calls_back_signed_with_its_own_secret(
    tmp_path: Path, receiver: Receiver, programme: dict, credentials: list[dict]
) -> None:
    with app_allowing(tmp_path, receiver.origin + "/hooks/") as client:
        admin = key_headers(client, Role.ADMIN)
        assert client.post("/v1/programmes", json=programme, headers=admin).status_code == 201
        body = {
            "programme_ids": [programme["id"]],
            "credentials": credentials[:3],
            "callback_url": receiver.url,
        }
        created = client.post("/v1/screenings", json=body, headers=admin)
        assert created.status_code == 202, created.text
        secret = created.json()["callback_secret"]
        assert secret.startswith("whsec_")
        assert created.json()["callback"] == {
            "state": "waiting",
            "attempts": 0,
            "last_status": None,
            "last_error": None,
            "delivered_at": None,
        }
        screening_id = created.json()["id"]
        status = wait_for(
            client, screening_id, lambda s: s["callback"]["state"] == "delivered", headers=admin
        )
        assert "callback_secret" not in status  # shown once, at creation
    assert status["callback"]["attempts"] == 2 and status["callback"]["last_status"] == 204
    assert len(receiver.calls) == 2  # one failure (500), then the delivery
    key_hash = hashlib.sha256(admin["X-API-Key"].encode()).hexdigest()
    for call in receiver.calls:
        verify(call, secret)
        assert call.headers["X-Recognition-Screening"] == screening_id
        with pytest.raises(AssertionError):  # not the key's hash any more
            verify(call, key_hash)
    delivered = json.loads(receiver.calls[-1].body)
    assert delivered["status"] == "completed" and delivered["id"] == screening_id
    assert delivered["completed"] + delivered["failed"] == delivered["total"] == 3
    assert "callback" not in delivered


def test_a_callback_url_off_the_allowlist_is_refused(
    tmp_path: Path, programme: dict, credentials: list[dict]
) -> None:
    with app_allowing(tmp_path, "https://registry.example/hooks/") as client:
        admin = key_headers(client, Role.ADMIN)
        assert client.post("/v1/programmes", json=programme, headers=admin).status_code == 201
        for url in (
            "http://169.254.169.254/latest",
            "https://registry.example.evil/hooks/",
            "https://registry.example/hooksmith",
            "https://registry.example:444/hooks/",
        ):
            body = {
                "programme_ids": [programme["id"]],
                "credentials": credentials[:1],
                "callback_url": url,
            }
            refused = client.post("/v1/screenings", json=body, headers=admin)
            assert_problem(refused, 403, "callback-not-allowed")


def test_without_a_callback_there_is_no_secret_nor_delivery(
    tmp_path: Path, programme: dict, credentials: list[dict]
) -> None:
    with app_allowing(tmp_path) as client:
        admin = key_headers(client, Role.ADMIN)
        assert client.post("/v1/programmes", json=programme, headers=admin).status_code == 201
        body = {"programme_ids": [programme["id"]], "credentials": credentials[:1]}
        created = client.post("/v1/screenings", json=body, headers=admin).json()
    assert created["callback_secret"] is None and created["callback"] is None


# --- one try, without a server ------------------------------------------------------------


def recorded(status: int = 204) -> tuple[list[httpx.Request], httpx.MockTransport]:
    requests: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return httpx.Response(status, headers={"Location": "http://127.0.0.1:9/"})

    return requests, httpx.MockTransport(answer)


def test_the_call_goes_to_the_address_checked_with_the_hosts_name() -> None:
    lookups: list[tuple[str, int]] = []

    def resolver(host: str, port: int) -> list:
        lookups.append((host, port))
        import ipaddress

        return [ipaddress.ip_address("93.184.215.14")]

    requests, transport = recorded()
    attempt = post_once(
        "https://hooks.example/in?x=1",
        b"{}",
        {"X-A": "1"},
        Allowlist.parse(["https://hooks.example/"]),
        5,
        resolver=resolver,
        transport=transport,
    )
    assert attempt.delivered and attempt.status == 204
    assert lookups == [("hooks.example", 443)]  # resolved once
    (request,) = requests
    assert str(request.url) == "https://93.184.215.14/in?x=1"
    assert request.headers["Host"] == "hooks.example"
    assert request.extensions["sni_hostname"] == "hooks.example"  # TLS checks the name


def test_a_host_that_resolves_inside_is_refused_unless_named_by_address() -> None:
    import ipaddress

    requests, transport = recorded()
    for inside in (
        "127.0.0.1",
        "10.1.2.3",
        "169.254.169.254",
        "::1",
        "::ffff:10.0.0.1",
        "100.64.0.1",
        "fe80::1",
        "0.0.0.0",
        "64:ff9b::7f00:1",
        "2002:7f00:1::1",
    ):
        attempt = post_once(
            "http://hooks.example/in",
            b"{}",
            {},
            Allowlist.parse(["http://hooks.example/"]),
            5,
            resolver=lambda *_, a=inside: [
                ipaddress.ip_address("93.184.215.14"),
                ipaddress.ip_address(a),
            ],
            transport=transport,
        )
        assert not attempt.delivered and attempt.final, inside
        assert not is_public(ipaddress.ip_address(inside))
    assert requests == []
    named = post_once(
        "http://10.1.2.3:8080/in",
        b"{}",
        {},
        Allowlist.parse(["http://10.1.2.3:8080/"]),
        5,
        resolver=lambda *_: pytest.fail("an address is not resolved"),
        transport=transport,
    )
    assert named.delivered and str(requests[0].url) == "http://10.1.2.3:8080/in"


def test_a_redirect_is_a_failed_try_and_is_not_followed() -> None:
    requests, transport = recorded(302)
    attempt = post_once(
        "http://10.1.2.3/in",
        b"{}",
        {},
        Allowlist.parse(["http://10.1.2.3/"]),
        5,
        transport=transport,
    )
    assert (attempt.delivered, attempt.status, attempt.error) == (
        False,
        302,
        "redirect not followed",
    )
    assert len(requests) == 1


def test_the_signature_covers_the_time_and_the_body() -> None:
    secret = screening_secret(b"k" * 32, "s1")
    assert secret != screening_secret(b"k" * 32, "s2") != screening_secret(b"j" * 32, "s1")
    signed = signature(secret, 1700000000, b'{"a":1}')
    mac = hmac.new(secret.encode(), b'1700000000.{"a":1}', hashlib.sha256).hexdigest()
    assert signed == f"t=1700000000,v1={mac}"
    assert signature(secret, 1700000001, b'{"a":1}') != signed


# --- the outbox migration -----------------------------------------------------------------


def migration_databases() -> list[Any]:
    import os

    url = os.environ.get("RECOGNITION_TEST_POSTGRES_URL")
    return [
        "sqlite",
        pytest.param(url, marks=pytest.mark.skipif(not url, reason="no PostgreSQL"), id="pg"),
    ]


@pytest.mark.parametrize("url", migration_databases())
def test_0007_moves_the_delivery_columns_into_the_outbox(tmp_path: Path, url: str) -> None:
    from alembic import command
    from apitest_support import downgrade_to_base
    from sqlalchemy import text

    from api.database import Database, alembic_config

    database = Database(f"sqlite:///{tmp_path / 'db.sqlite'}" if url == "sqlite" else url)
    downgrade_to_base(database)
    with database.engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0006")
        then = "2025-01-01 00:00:00.000000"
        for row in (
            ("s1", "completed", "https://a/", 1, then),  # delivered
            ("s2", "completed", "https://a/", 5, None),  # given up
            ("s3", "completed", "https://a/", None, None),  # the server stopped first
            ("s4", "running", "https://a/", None, None),  # not completed: no delivery yet
            ("s5", "completed", None, None, None),  # no callback
        ):
            connection.execute(
                text(
                    "INSERT INTO screenings (id, status, programme_ids, total, completed,"
                    " failed, requested_by, created_at, finished_at, callback_url,"
                    " callback_attempts, callback_delivered_at)"
                    " VALUES (:id, :status, '[]', 0, 0, 0, 'k1', :then, :then, :url,"
                    " :attempts, :delivered)"
                ),
                dict(zip(("id", "status", "url", "attempts", "delivered"), row, strict=True))
                | {"then": then},
            )
    database.migrate()
    outbox = text("SELECT screening_id, state, attempts FROM callback_deliveries ORDER BY 1")
    with database.engine.connect() as connection:
        moved = [tuple(row) for row in connection.execute(outbox)]
    assert moved == [("s1", "delivered", 1), ("s2", "failed", 5), ("s3", "failed", 0)]
    with database.engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0006")
        back = connection.execute(
            text("SELECT id, callback_attempts FROM screenings ORDER BY id")
        ).all()
        delivered = connection.scalar(
            text("SELECT callback_delivered_at FROM screenings WHERE id = 's1'")
        )
    assert [tuple(row) for row in back] == [
        ("s1", 1),
        ("s2", 5),
        ("s3", 0),
        ("s4", None),
        ("s5", None),
    ]
    assert delivered is not None
    downgrade_to_base(database)
    database.dispose()
