"""Server-side render time of the workbench's proposal page, warm.

Builds the app in process (fresh data folder, the shipped programme), makes one case per
shipped credential, signs in, renders each proposal page a few times to warm it (templates
compiled, embeddings cached), then times ``--runs`` renders of each and prints the median per
page and overall. The time is the whole request in process: routing, session, database reads,
the evidence matrix and the template, without a network hop.

    python benchmarks/workbench.py                  # the real model (bundled MiniLM)
    python benchmarks/workbench.py --embedder fake  # the hashing embedder, for a smoke run
"""

from __future__ import annotations

import argparse
import re
import statistics
import tempfile
import time
from pathlib import Path

from checkout import REPO
from fastapi.testclient import TestClient

from api import create_app
from api.security import Role, create_key
from recognition_engine.config import Settings
from recognition_engine.errors import InvalidInput
from recognition_engine.ingestion.files import load_credentials, load_programme

PROGRAMME = REPO / "corpora" / "programmes" / "ge-computer-engineering-bsc.yaml"
CREDENTIALS = REPO / "corpora" / "credentials"
BUDGET_MS = 300


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embedder", choices=["sentence-transformers", "fake"],
                        default="sentence-transformers")
    parser.add_argument("--runs", type=int, default=15, help="Timed renders per page.")
    parser.add_argument("--warm", type=int, default=3, help="Untimed renders per page first.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(data_dir=Path(folder), embedder=args.embedder, _env_file=None,
                            api_rate_limit_per_minute=1_000_000)
        with TestClient(create_app(settings)) as client:
            timings = measure(client, args.runs, args.warm)
    per_page = {title: statistics.median(ms) for title, ms in timings.items()}
    for title, median in sorted(per_page.items(), key=lambda item: -item[1]):
        print(f"{median:7.1f} ms  {title}")
    every = [ms for values in timings.values() for ms in values]
    overall = statistics.median(every)
    print(f"proposal page, {args.embedder}, warm: median {overall:.1f} ms, "
          f"slowest page median {max(per_page.values()):.1f} ms, max {max(every):.1f} ms "
          f"over {len(every)} renders of {len(per_page)} pages (budget {BUDGET_MS} ms)")


def measure(client: TestClient, runs: int, warm: int) -> dict[str, list[float]]:
    database = client.app.state.services.database
    admin = {"X-API-Key": create_key(database, Role.ADMIN, "benchmark")[0]}
    programme = load_programme(PROGRAMME)
    response = client.post("/v1/programmes", json=programme.model_dump(mode="json"),
                           headers=admin)
    response.raise_for_status()
    cases = {}
    for path in sorted(CREDENTIALS.glob("*.yaml")):
        try:
            credentials = load_credentials(path)
        except InvalidInput:  # not a credential file
            continue
        for credential in credentials:
            stored = client.post("/v1/credentials", json=credential.model_dump(mode="json"),
                                 headers=admin).json()
            recognition = client.post(
                "/v1/recognitions", headers=admin,
                json={"programme_id": programme.id, "credential_ids": [stored["id"]]},
            ).json()
            cases[credential.title] = f"/cases/{recognition['id']}"
    sign_in(client, admin["X-API-Key"])
    timings: dict[str, list[float]] = {}
    for title, path in cases.items():
        for _ in range(warm):
            client.get(path).raise_for_status()
        timings[title] = []
        for _ in range(runs):
            start = time.perf_counter()
            client.get(path).raise_for_status()
            timings[title].append((time.perf_counter() - start) * 1000)
    return timings


def sign_in(client: TestClient, key: str) -> None:
    page = client.get("/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    client.post("/login", data={"key": key, "csrf_token": token}).raise_for_status()


if __name__ == "__main__":
    main()
