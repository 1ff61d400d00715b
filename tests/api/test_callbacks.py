"""Completion callbacks of screenings, against a receiver on 127.0.0.1 started here: called
once, signed with the key's secret, retried after a failure, and only to allowed URLs. The test
waits on an event with a deadline, never on a guess of how long screening takes."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from apitest_support import assert_problem, key_headers, make_client, make_settings
from fastapi.testclient import TestClient

from api.security import Role


class Receiver:
    """An HTTP server that records each POST; the first ``failures`` answers are 500."""

    def __init__(self, failures: int = 0) -> None:
        self.calls: list[tuple[dict[str, str], bytes]] = []
        self.answered = threading.Event()
        self.failures = failures
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.calls.append((dict(self.headers), body))
                failing = len(receiver.calls) <= receiver.failures
                self.send_response(500 if failing else 204)
                self.end_headers()
                if not failing:
                    receiver.answered.set()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/screening"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture()
def receiver() -> Iterator[Receiver]:
    with Receiver(failures=1) as running:
        yield running


def app_allowing(tmp_path: Path, prefix: str) -> TestClient:
    return make_client(
        make_settings(tmp_path, screening_callback_allowlist=[prefix],
                      api_rate_limit_per_minute=100_000)
    )


def test_a_completed_screening_calls_back_once_signed(
    tmp_path: Path, receiver: Receiver, programme: dict, credentials: list[dict]
) -> None:
    with app_allowing(tmp_path, receiver.url.rsplit("/", 1)[0] + "/") as client:
        admin = key_headers(client, Role.ADMIN)
        assert client.post("/v1/programmes", json=programme, headers=admin).status_code == 201
        body = {"programme_ids": [programme["id"]], "credentials": credentials[:3],
                "callback_url": receiver.url}
        created = client.post("/v1/screenings", json=body, headers=admin)
        assert created.status_code == 202, created.text
        assert receiver.answered.wait(timeout=120), "no successful callback"
        status = client.get(f"/v1/screenings/{created.json()['id']}", headers=admin).json()
    assert len(receiver.calls) == 2  # one failure (500), then the delivery
    for headers, sent in receiver.calls:
        secret = hashlib.sha256(admin["X-API-Key"].encode()).hexdigest()
        expected = "sha256=" + hmac.new(secret.encode(), sent, hashlib.sha256).hexdigest()
        assert hmac.compare_digest(headers["X-Recognition-Signature"], expected)
        assert headers["X-Recognition-Screening"] == status["id"]
    delivered = json.loads(receiver.calls[-1][1])
    assert delivered["status"] == "completed" and delivered["id"] == status["id"]
    assert delivered["completed"] + delivered["failed"] == delivered["total"] == 3


def test_a_callback_url_off_the_allowlist_is_refused(
    tmp_path: Path, programme: dict, credentials: list[dict]
) -> None:
    with app_allowing(tmp_path, "https://registry.example/hooks/") as client:
        admin = key_headers(client, Role.ADMIN)
        assert client.post("/v1/programmes", json=programme, headers=admin).status_code == 201
        for url in ("http://169.254.169.254/latest", "https://registry.example.evil/hooks/"):
            body = {"programme_ids": [programme["id"]], "credentials": credentials[:1],
                    "callback_url": url}
            refused = client.post("/v1/screenings", json=body, headers=admin)
            assert_problem(refused, 403, "callback-not-allowed")
