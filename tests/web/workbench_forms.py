"""Steps the workbench's form tests share, without a browser: an app that holds the shipped
programme, the CSRF token of a page, and a client signed in with a new key."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "api"))
from apitest_support import corpus_programme, make_client, make_settings  # noqa: E402

from api.security import Role, create_key  # noqa: E402


def serving_programme(data_dir: Path, **settings: Any) -> Iterator[TestClient]:
    """Yield a client of an app in ``data_dir`` that has indexed the shipped programme."""
    with make_client(
        make_settings(data_dir, api_rate_limit_per_minute=100_000, **settings)
    ) as client:
        admin, _ = create_key(client.app.state.services.database, Role.ADMIN, "admin")
        response = client.post(
            "/v1/programmes", json=corpus_programme(), headers={"X-API-Key": admin}
        )
        assert response.status_code == 201, response.text
        yield client


def csrf_token(html: str) -> str:
    """Return the CSRF token of a workbench page's form."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found is not None, html[:500]
    return found.group(1)


def signed_in(
    client: TestClient, role: Role = Role.EVALUATOR, name: str = "workbench"
) -> tuple[TestClient, str]:
    """Return a new browser signed in with a new key of ``role``, and that key's id."""
    browser = TestClient(client.app)
    key, caller = create_key(client.app.state.services.database, role, name)
    token = csrf_token(browser.get("/login").text)
    response = browser.post("/login", data={"key": key, "csrf_token": token})
    assert response.status_code == 200 and response.url.path == "/cases"
    return browser, caller.key_id
