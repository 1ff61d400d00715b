"""Helpers shared by the API tests (importable by name: pytest puts tests/api on the path)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import httpx
import pytest
from alembic import command
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from api import create_app
from api.database import Database, alembic_config
from api.examples import CREDENTIAL, CREDENTIAL_2, PROGRAMME
from api.screening import BATCH
from api.security import Role, create_key
from recognition_engine.config import Settings
from recognition_engine.errors import InvalidInput
from recognition_engine.ingestion.files import load_credentials, load_programme
from recognition_engine.models import HashingEmbedder
from recognition_engine.service import RecognitionEngine

# However busy the machine: a wait for a screening is a ceiling for a hung one, not a deadline.
SCREENING_CEILING_SECONDS = 600
CORPORA = Path(__file__).resolve().parents[2] / "corpora"
POSTGRES_URL = os.environ.get("RECOGNITION_TEST_POSTGRES_URL")
# The databases a test runs on: SQLite always, PostgreSQL where a test server is given.
DATABASES = [
    "sqlite",
    pytest.param(
        "postgres",
        marks=[
            pytest.mark.postgres,
            pytest.mark.skipif(not POSTGRES_URL, reason="set RECOGNITION_TEST_POSTGRES_URL"),
        ],
    ),
]


def corpus_programme() -> dict[str, Any]:
    path = CORPORA / "programmes" / "ge-computer-engineering-bsc.yaml"
    return load_programme(path).model_dump(mode="json") if path.exists() else PROGRAMME


def corpus_credentials() -> list[dict[str, Any]]:
    found = []
    for path in sorted((CORPORA / "credentials").glob("*.yaml")):
        try:
            found += [c.model_dump(mode="json") for c in load_credentials(path)]
        except InvalidInput:  # not a credential file (e.g. the expected outcomes)
            continue
    return found or [CREDENTIAL, CREDENTIAL_2]


def make_settings(data_dir: Path, **overrides: Any) -> Settings:
    return Settings(data_dir=data_dir, embedder="fake", _env_file=None, **overrides)


def make_client(settings: Settings) -> TestClient:
    engine = RecognitionEngine(settings, embedder=HashingEmbedder())
    return TestClient(create_app(settings, engine=engine))


def key_headers(client: TestClient, role: Role, name: str | None = None) -> dict[str, str]:
    key, _ = create_key(client.app.state.services.database, role, name)
    return {"X-API-Key": key}


def assert_problem(response: Any, status: int, slug: str | None = None) -> dict[str, Any]:
    """Check an RFC 9457 problem response and return its body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert {"type", "title", "status", "detail", "instance"} <= body.keys()
    assert body["status"] == status
    if slug is not None:
        assert body["type"].endswith(":" + slug), body["type"]
    return body


def completed(status: dict[str, Any]) -> bool:
    return status["status"] == "completed"


def past_the_first_batch(status: dict[str, Any]) -> bool:
    """Whether the screening has committed its first batch (a held screening stops there)."""
    return status["completed"] + status["failed"] >= BATCH


def wait_for(
    http: httpx.Client,
    screening_id: str,
    reached: Callable[[dict[str, Any]], bool] = completed,
    *,
    headers: dict[str, str] | None = None,
    seconds: float = SCREENING_CEILING_SECONDS,
) -> dict[str, Any]:
    """Poll the screening until ``reached(status)`` (by default: completed) and return that
    status, failing only past ``seconds``, a ceiling that a working screening does not reach."""
    deadline = time.monotonic() + seconds
    while True:
        status = http.get(f"/v1/screenings/{screening_id}", headers=headers).json()
        if reached(status):
            return status
        assert time.monotonic() < deadline, f"screening {screening_id} did not get there: {status}"
        time.sleep(0.05)


def assert_append_only(database: Database, statements: Iterable[str]) -> None:
    """Check that the database refuses every one of ``statements`` as a change to an
    append-only table, each in a transaction of its own."""
    for statement in statements:
        with pytest.raises(DatabaseError, match="append-only"), database.engine.begin() as db:
            db.execute(text(statement))


def downgrade_to_base(database: Database) -> None:
    """Drop every table of the service, append-only triggers first (tests only: the service
    itself has no code that lifts the triggers)."""
    with database.engine.begin() as connection:
        command.downgrade(alembic_config(connection), "base")
