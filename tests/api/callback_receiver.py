"""A callback receiver for tests: an ``http.server`` on 127.0.0.1 in a thread, that records every
request and answers as told; a test can hold its answers on an event (a receiver as slow as the
test wants, without a real wait), and check a call's signature with the screening's secret."""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

# Deadlines for a hung server, not bets on speed.
DEADLINE = 300


@dataclass
class Call:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


class Receiver:
    """Records each request; answers ``status`` (with ``location`` for a redirect) after the
    first ``failures`` answers of 500; with ``hold``, each request waits until ``release()``."""

    def __init__(
        self,
        status: int = 204,
        *,
        failures: int = 0,
        location: str | None = None,
        hold: bool = False,
    ) -> None:
        self.calls: list[Call] = []
        self.arrived = threading.Event()  # a request came in
        self._counted = threading.Condition()
        self.answered = threading.Event()  # a 2xx went out
        self.status, self.failures, self.location = status, failures, location
        self._released = threading.Event()
        if not hold:
            self._released.set()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def _record(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                with receiver._counted:
                    receiver.calls.append(
                        Call(self.command, self.path, dict(self.headers.items()), body)
                    )
                    receiver._counted.notify_all()
                receiver.arrived.set()
                receiver._released.wait(DEADLINE)
                failing = len(receiver.calls) <= receiver.failures
                status = 500 if failing else receiver.status
                self.send_response(status)
                if receiver.location and not failing:
                    self.send_header("Location", receiver.location)
                self.send_header("Content-Length", "0")
                self.end_headers()
                if 200 <= status < 300:
                    receiver.answered.set()

            do_POST = do_GET = do_PUT = _record  # noqa: N815 - http.server's names

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.origin = f"http://127.0.0.1:{self.port}"
        self.url = f"{self.origin}/hooks/screening"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def wait_for_calls(self, count: int, timeout: float = DEADLINE) -> bool:
        """Wait until ``count`` requests have come in; False if they did not in time."""
        with self._counted:
            return self._counted.wait_for(lambda: len(self.calls) >= count, timeout)

    def release(self) -> None:
        """Let held requests (and any later ones) be answered."""
        self._released.set()

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
        self.server.shutdown()
        self.server.server_close()


def verify(call: Call, secret: str, tolerance: float = DEADLINE) -> int:
    """Check the call's ``t=...,v1=...`` signature as a receiver would; return its time."""
    fields = dict(part.split("=", 1) for part in call.headers["X-Recognition-Signature"].split(","))
    timestamp = int(fields["t"])
    expected = hmac.new(
        secret.encode(), f"{timestamp}.".encode() + call.body, hashlib.sha256
    ).hexdigest()
    assert hmac.compare_digest(fields["v1"], expected), "the signature does not verify"
    assert abs(time.time() - timestamp) < tolerance, "the signature's time is stale"
    return timestamp
