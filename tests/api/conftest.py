"""One in-process app per test session: the hashing embedder, a temporary SQLite database, the
shipped programme and credentials, and one API key per role."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from apitest_support import (
    corpus_credentials,
    corpus_programme,
    key_headers,
    make_client,
    make_settings,
)
from fastapi.testclient import TestClient

from api.security import Role


@pytest.fixture(scope="session")
def programme() -> dict[str, Any]:
    return corpus_programme()


@pytest.fixture(scope="session")
def credentials() -> list[dict[str, Any]]:
    return corpus_credentials()


@pytest.fixture(scope="session")
def english(credentials: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The corpus credentials the English model reads: a test that needs no other model does
    not load the multilingual one (over a minute on a busy machine)."""
    found = [c for c in credentials if c.get("language") in ("en", "English")]
    assert len(found) >= 3
    return found


@pytest.fixture(scope="session")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    settings = make_settings(tmp_path_factory.mktemp("api"), api_rate_limit_per_minute=100_000)
    with make_client(settings) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def admin(client: TestClient) -> dict[str, str]:
    return key_headers(client, Role.ADMIN, "test admin")


@pytest.fixture(scope="session")
def evaluator(client: TestClient) -> dict[str, str]:
    return key_headers(client, Role.EVALUATOR, "Dr Evaluator")


@pytest.fixture(scope="session")
def screener(client: TestClient) -> dict[str, str]:
    return key_headers(client, Role.SCREENING, "intake office")


@pytest.fixture(scope="session")
def programme_id(client: TestClient, admin: dict[str, str], programme: dict[str, Any]) -> str:
    response = client.post("/v1/programmes", json=programme, headers=admin)
    assert response.status_code == 201, response.text
    return programme["id"]


@pytest.fixture(scope="session")
def credential_ids(
    client: TestClient, screener: dict[str, str], credentials: list[dict[str, Any]]
) -> dict[str, str]:
    """Stored credential id by the credential's own id (or title)."""
    ids = {}
    for credential in credentials:
        response = client.post("/v1/credentials", json=credential, headers=screener)
        assert response.status_code == 201, response.text
        ids[credential.get("id") or credential["title"]] = response.json()["id"]
    return ids
