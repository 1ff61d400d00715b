"""Attacks and faults on screening callbacks, against the real server (`recognition-engine serve`
in a subprocess) and receivers on 127.0.0.1 started here (allowlisted by address: loopback is
refused otherwise). On SQLite, and on PostgreSQL when RECOGNITION_TEST_POSTGRES_URL is set.

Nothing here bets on the machine's speed: a slow receiver is one that holds its answer until the
test releases it, and the test waits for states (a request arrived, a delivery recorded) with a
deadline for a hung server only."""

from __future__ import annotations

import json
import signal
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from apitest_support import DATABASES, POSTGRES_URL, assert_problem, downgrade_to_base, wait_for
from callback_receiver import DEADLINE, Receiver, verify
from test_server import create_key, server

from api.database import Database
from api.security import Role
from api.security import create_key as create_key_in


@dataclass
class Service:
    """Where a server keeps its data, and a key to it."""

    data_dir: Path
    key: str
    settings: dict[str, Any] = field(default_factory=dict)


@pytest.fixture(params=DATABASES)
def service(request: pytest.FixtureRequest, tmp_path: Path) -> Service:
    data_dir = tmp_path / "var"
    if request.param == "sqlite":
        return Service(data_dir, create_key(data_dir, "admin")[0])
    database = Database(POSTGRES_URL or "")
    downgrade_to_base(database)  # a clean schema: no deliveries left by an earlier run
    database.migrate()
    key, _ = create_key_in(database, Role.ADMIN, "callback attacks")
    database.dispose()
    return Service(data_dir, key, {"database_url": POSTGRES_URL})


@contextmanager
def serving(
    service: Service, allowlist: list[str], **settings: Any
) -> Iterator[tuple[httpx.Client, subprocess.Popen]]:
    """The real server with these callback settings; an HTTP client holding the key."""
    every = service.settings | settings | {"screening_callback_allowlist": json.dumps(allowlist)}
    with (
        server(service.data_dir, **every) as (url, process),
        httpx.Client(base_url=url, headers={"X-API-Key": service.key}, timeout=DEADLINE) as http,
    ):
        yield http, process


@contextmanager
def running(service: Service, allowlist: list[str], **settings: Any) -> Iterator[httpx.Client]:
    with serving(service, allowlist, **settings) as (http, _):
        yield http


def add_programme(http: httpx.Client, programme: dict[str, Any]) -> None:
    answer = http.post("/v1/programmes", json=programme)
    assert answer.status_code in (201, 409), answer.text


def screen(
    http: httpx.Client, programme: dict[str, Any], credentials: list[dict[str, Any]], url: str
) -> httpx.Response:
    body = {"programme_ids": [programme["id"]], "credentials": credentials[:2], "callback_url": url}
    return http.post("/v1/screenings", json=body)


def callback_state(state: str):  # noqa: ANN201
    return lambda status: (status.get("callback") or {}).get("state") == state


def test_a_redirect_to_an_internal_address_is_not_followed(
    service: Service, programme: dict[str, Any], credentials: list[dict[str, Any]]
) -> None:
    with (
        Receiver() as internal,
        Receiver(302, location=f"{internal.origin}/latest/meta-data") as redirecting,
        running(
            service, [redirecting.origin + "/hooks/"], screening_callback_max_attempts=1
        ) as http,
    ):
        add_programme(http, programme)
        created = screen(http, programme, credentials, redirecting.url)
        assert created.status_code == 202, created.text
        status = wait_for(http, created.json()["id"], callback_state("failed"))
    assert [call.method for call in redirecting.calls] == ["POST"]
    assert internal.calls == []  # neither as a POST nor as the GET urllib used to turn it into
    assert status["callback"]["last_status"] == 302
    assert status["callback"]["last_error"] == "redirect not followed"


def test_a_host_name_that_resolves_to_loopback_is_refused(
    service: Service, programme: dict[str, Any], credentials: list[dict[str, Any]]
) -> None:
    with Receiver() as receiver:
        by_name = f"http://localhost:{receiver.port}/hooks/"
        with running(service, [by_name]) as http:
            add_programme(http, programme)
            created = screen(http, programme, credentials, by_name + "screening")
            assert created.status_code == 202, created.text
            status = wait_for(http, created.json()["id"], callback_state("failed"))
    assert receiver.calls == []
    assert status["callback"]["last_error"] == "host resolves to a non-public address"
    assert status["callback"]["attempts"] == 1  # refused by policy: not tried again


def test_allowlist_prefix_tricks_are_refused_at_creation(
    service: Service, programme: dict[str, Any], credentials: list[dict[str, Any]]
) -> None:
    with running(service, ["https://intake.example"], screening_callback_max_attempts=1) as http:
        add_programme(http, programme)
        for url in (
            "https://intake.example:8443/",
            "https://intake.example.evil/",
            "https://intake.example@evil/",
            "https://intake.examplex/hooks",
            "http://intake.example/",
        ):
            assert_problem(screen(http, programme, credentials, url), 403, "callback-not-allowed")
        # the entry itself still admits its origin, at any path
        assert screen(http, programme, credentials, "https://intake.example/h").status_code == 202


def test_an_invalid_allowlist_entry_stops_the_server_at_start_up(tmp_path: Path) -> None:
    with (
        pytest.raises(AssertionError, match="screening_callback_allowlist") as stopped,
        server(tmp_path / "var", screening_callback_allowlist='["intake.example/hooks"]'),
    ):
        pass
    assert "intake.example/hooks" in str(stopped.value)


def test_a_callback_survives_sigkill_after_completion(
    service: Service, programme: dict[str, Any], credentials: list[dict[str, Any]]
) -> None:
    with Receiver(hold=True) as receiver:
        settings = {
            # A try that the kill cuts short is taken again once its lease (3 x timeout + 5 s)
            # is over. The receiver holds every try until after the kill; tries that time out
            # before it only push the next one back (0.5 s, 1 s, 2 s ...), and 50 of them
            # outlast any machine.
            "screening_callback_timeout_seconds": 1,
            "screening_callback_retry_seconds": 0.5,
            "screening_callback_max_attempts": 50,
        }
        with serving(service, [receiver.origin + "/hooks/"], **settings) as (http, process):
            add_programme(http, programme)
            created = screen(http, programme, credentials, receiver.url)
            assert created.status_code == 202, created.text
            screening_id, secret = created.json()["id"], created.json().get("callback_secret")
            assert receiver.arrived.wait(DEADLINE), "no callback was tried"
            assert http.get(f"/v1/screenings/{screening_id}").json()["status"] == "completed"
            assert not receiver.answered.is_set()
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=DEADLINE)
        receiver.release()  # the killed server's tries get nowhere
        tried = len(receiver.calls)
        with running(service, [receiver.origin + "/hooks/"], **settings) as http:
            sent = receiver.wait_for_calls(tried + 1)
            assert sent, "the callback was not sent after the restart"
            status = wait_for(http, screening_id, callback_state("delivered"))
    delivered = receiver.calls[tried]
    assert secret is not None
    verify(delivered, secret)
    assert delivered.headers["X-Recognition-Screening"] == screening_id
    assert json.loads(delivered.body)["status"] == "completed"
    assert status["callback"]["delivered_at"] is not None


def test_a_held_receiver_does_not_stall_other_screenings(
    service: Service, programme: dict[str, Any], credentials: list[dict[str, Any]]
) -> None:
    with (
        Receiver(hold=True) as slow,
        Receiver() as quick,
        running(
            service,
            [slow.origin + "/hooks/", quick.origin + "/hooks/"],
            # the slow receiver may take all it wants: it never answers before the release
            screening_callback_timeout_seconds=300,
        ) as http,
    ):
        add_programme(http, programme)
        first = screen(http, programme, credentials, slow.url).json()
        assert slow.arrived.wait(DEADLINE), "the first callback was not tried"
        second = screen(http, programme, credentials, quick.url).json()
        assert quick.answered.wait(DEADLINE), "the second screening's callback was not sent"
        # ... while the first receiver still holds its one call
        assert len(slow.calls) == 1 and not slow.answered.is_set()
        done = wait_for(http, second["id"], callback_state("delivered"))
        assert done["status"] == "completed"
        signed_at = verify(quick.calls[0], second["callback_secret"])
        assert json.loads(quick.calls[0].body)["id"] == second["id"]
        slow.release()
        wait_for(http, first["id"], callback_state("delivered"))
    verify(slow.calls[0], first["callback_secret"])
    with pytest.raises(AssertionError):  # each screening has its own secret
        verify(quick.calls[0], first["callback_secret"])
    assert signed_at > 0
