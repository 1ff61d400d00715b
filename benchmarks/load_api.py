"""Load benchmark of the HTTP service on 127.0.0.1: proposals per second, latency, screening time.

Starts ``recognition-engine serve`` on a free local port with a fresh data folder, loads the
shipped programme and credentials, then
  1. sends ``--requests`` recognition proposals (``--concurrency`` at a time), each for its own
     copy of a corpus credential with unique texts, so every request embeds its texts and the
     threads write the embedding cache at once; prints requests/s, p50/p99 latency and errors;
  2. submits one screening of ``--screening-size`` credentials (unique copies too) and prints
     the time to complete it, and the latency of other requests while it runs.

    python benchmarks/load_api.py                      # the real model (bundled MiniLM)
    python benchmarks/load_api.py --embedder fake      # the hashing embedder, for a smoke run
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from checkout import REPO

from api.database import Database
from api.security import Role, create_key
from recognition_engine.errors import InvalidInput
from recognition_engine.ingestion.files import load_credentials, load_programme

PROGRAMME = REPO / "corpora" / "programmes" / "ge-computer-engineering-bsc.yaml"


def corpus_credentials() -> list[dict[str, Any]]:
    found = []
    for path in sorted((REPO / "corpora" / "credentials").glob("*.yaml")):
        try:
            found += [c.model_dump(mode="json") for c in load_credentials(path)]
        except InvalidInput:  # not a credential file
            continue
    return found


def unique_copy(credential: dict[str, Any], tag: str) -> dict[str, Any]:
    """The credential under a new id, with texts no other request shares (nothing cached)."""
    return credential | {
        "id": f"bench-{tag}",
        "title": f"{credential['title']} ({tag})",
        "learning_outcomes": [f"{text} ({tag})" for text in credential["learning_outcomes"]],
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def start_server(
    data_dir: Path, port: int, embedder: str, workers: int | None
) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RECOGNITION_")}
    env |= {
        "RECOGNITION_DATA_DIR": str(data_dir),
        "RECOGNITION_EMBEDDER": embedder,
        "RECOGNITION_API_RATE_LIMIT_PER_MINUTE": "100000000",
        "RECOGNITION_API_MAX_BODY_BYTES": str(100_000_000),
        "PYTHONPATH": str(REPO),
    }
    if workers:
        env["RECOGNITION_SCREENING_WORKERS"] = str(workers)
    command = [sys.executable, "-c", "from cli import main; main()", "serve",
               "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    return subprocess.Popen(command, cwd=REPO, env=env)


def wait_until_up(url: str, process: subprocess.Popen, seconds: float = 300) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        if process.poll() is not None:
            raise SystemExit("the server exited during start-up")
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                return time.perf_counter() - started
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise SystemExit("the server did not start")


@dataclass(frozen=True)
class Server:
    url: str
    key: str  # an admin key
    process: subprocess.Popen
    up: float  # seconds from start to the first healthy answer


@contextmanager
def serving(data_dir: Path, embedder: str, workers: int | None, key_name: str) -> Iterator[Server]:
    """Yield a server started on a fresh database in ``data_dir``, up; stop it after."""
    database = Database(f"sqlite:///{data_dir / 'recognition.db'}")
    database.migrate()
    key, _ = create_key(database, Role.ADMIN, key_name)
    database.dispose()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    process = start_server(data_dir, port, embedder, workers)
    try:
        yield Server(url, key, process, wait_until_up(url, process))
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()


async def proposals(
    http: httpx.AsyncClient, body: list[dict[str, Any]], total: int, concurrency: int
) -> tuple[float, list[float], int]:
    """Send ``total`` proposals, ``concurrency`` at a time; return seconds, latencies, errors."""
    latencies: list[float] = []
    errors = 0
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(total):
        queue.put_nowait(i)

    async def worker() -> None:
        nonlocal errors
        while not queue.empty():
            i = queue.get_nowait()
            started = time.perf_counter()
            response = await http.post("/v1/recognitions", json=body[i % len(body)])
            latencies.append(time.perf_counter() - started)
            errors += response.status_code != 201

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.perf_counter() - started, latencies, errors


async def run(args: argparse.Namespace, url: str, headers: dict[str, str]) -> None:
    limits = httpx.Limits(max_connections=args.concurrency + 4)
    async with httpx.AsyncClient(
        base_url=url, headers=headers, timeout=600, limits=limits
    ) as http:
        programme = load_programme(PROGRAMME).model_dump(mode="json")
        created = await http.post("/v1/programmes", json=programme)
        created.raise_for_status()
        credentials = corpus_credentials()

        async def register(batch: list[dict[str, Any]]) -> list[dict[str, Any]]:
            bodies = []
            for credential in batch:
                response = await http.post("/v1/credentials", json=credential)
                response.raise_for_status()
                ids = [response.json()["id"]]
                bodies.append({"programme_id": programme["id"], "credential_ids": ids})
            return bodies

        warm_up = await register([unique_copy(c, f"warm-{i}") for i, c in enumerate(credentials)])
        await proposals(http, warm_up, len(warm_up), 1)  # the model, the index, the threads
        bodies = await register([
            unique_copy(credentials[i % len(credentials)], f"load-{i}")
            for i in range(args.requests)
        ])
        seconds, latencies, errors = await proposals(
            http, bodies, args.requests, args.concurrency
        )
        print(f"proposals: {args.requests} requests, concurrency {args.concurrency}, "
              f"each credential's texts unique (embedded, none cached), {errors} errors")
        print(f"  throughput  {args.requests / seconds:8.1f} requests/s")
        print(f"  latency p50 {1000 * statistics.median(latencies):8.1f} ms")
        print(f"  latency p99 {1000 * percentile(latencies, 0.99):8.1f} ms")

        batch = [
            unique_copy(credentials[i % len(credentials)], f"cohort-{i}")
            for i in range(args.screening_size)
        ]
        started = time.perf_counter()
        response = await http.post(
            "/v1/screenings", json={"programme_ids": [programme["id"]], "credentials": batch}
        )
        response.raise_for_status()
        accepted = time.perf_counter() - started
        screening_id = response.json()["id"]
        side: list[float] = []
        while True:
            probe = time.perf_counter()
            status = (await http.get(f"/v1/screenings/{screening_id}")).json()
            await http.get(f"/v1/programmes/{programme['id']}")
            side.append((time.perf_counter() - probe) / 2)
            if status["status"] == "completed":
                break
            await asyncio.sleep(0.5)
        seconds = time.perf_counter() - started
        print(f"screening: {args.screening_size} credentials x 1 programme "
              f"({status['completed']} done, {status['failed']} failed)")
        size = len(response.request.content)
        rate = args.screening_size / seconds
        print(f"  acknowledged in {accepted:8.2f} s (a request of {size:,} bytes)")
        print(f"  completed in    {seconds:8.1f} s ({rate:.1f} credentials/s)")
        print(f"  other requests meanwhile: p50 {1000 * statistics.median(side):.1f} ms, "
              f"max {1000 * max(side):.1f} ms over {len(side)} probes")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--screening-size", type=int, default=1000)
    parser.add_argument("--embedder", choices=["sentence-transformers", "fake"],
                        default="sentence-transformers")
    parser.add_argument("--workers", type=int, default=None,
                        help="RECOGNITION_SCREENING_WORKERS for the server (default: settings)")
    args = parser.parse_args()

    with (
        tempfile.TemporaryDirectory(prefix="load-api-") as folder,
        serving(Path(folder), args.embedder, args.workers, "load benchmark") as server,
    ):
        print(f"server on {server.url} ({args.embedder} embedder) up in {server.up:.1f} s")
        asyncio.run(run(args, server.url, {"X-API-Key": server.key}))


if __name__ == "__main__":
    main()
