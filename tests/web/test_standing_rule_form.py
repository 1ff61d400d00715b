"""The workbench makes a case's decision a standing rule: a CSRF-protected form on the case page,
refused with a message when incomplete, and the next identical credential's case shows the
module the rule proposes."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "api"))
from apitest_support import (  # noqa: E402
    corpus_credentials,
    corpus_programme,
    make_client,
    make_settings,
)

from api.security import Role, create_key  # noqa: E402

CREDENTIAL = next(c for c in corpus_credentials() if c["id"] == "ge-cloud-fundamentals")


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """Signed in with an admin key: it submits cases and decides them."""
    settings = make_settings(tmp_path_factory.mktemp("rules"), api_rate_limit_per_minute=100_000)
    with make_client(settings) as client:
        key, _ = create_key(client.app.state.services.database, Role.ADMIN, "Dr Admin")
        response = client.post(
            "/v1/programmes", json=corpus_programme(), headers={"X-API-Key": key}
        )
        assert response.status_code == 201, response.text
        client.post("/login", data={"key": key, "csrf_token": token(client.get("/login").text)})
        yield client


def token(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found is not None, html[:500]
    return found.group(1)


def new_case(browser: TestClient, credential: dict[str, Any]) -> str:
    created = browser.post(
        "/cases",
        data={
            "programme_id": corpus_programme()["id"],
            "csrf_token": token(browser.get("/cases/new").text),
        },
        files=[("credentials", ("c.json", json.dumps(credential).encode(), "application/json"))],
        follow_redirects=False,
    )
    assert created.status_code == 303, created.text
    return created.headers["location"].removeprefix("/cases/")


def post(browser: TestClient, url: str, data: dict[str, str]) -> Any:
    page = browser.get(url.rsplit("/", 1)[0])
    return browser.post(url, data={**data, "csrf_token": token(page.text)}, follow_redirects=False)


def test_a_decision_made_a_standing_rule_proposes_the_next_identical_credential(
    browser: TestClient,
) -> None:
    case_id = new_case(browser, CREDENTIAL | {"id": None, "date_of_issue": "2026-01-15"})
    assert 'data-testid="rule-form"' not in browser.get(f"/cases/{case_id}").text
    module = corpus_programme()["modules"][-1]
    decided = post(
        browser,
        f"/cases/{case_id}/decisions",
        {"action": "modify", f"ects:{module['code']}": "3", "reason": "our module"},
    )
    assert decided.status_code == 303, decided.text
    page = browser.get(f"/cases/{case_id}").text
    assert 'data-testid="rule-form"' in page and "Make this a standing rule" in page

    fields = {
        "decision_id": re.search(r'name="decision_id" value="(\d+)"', page).group(1),
        "valid_from": "2026-01-01",
        "valid_until": "",
    }
    forged = browser.post(
        f"/cases/{case_id}/rules",
        data=fields | {"note": "n", "csrf_token": "forged"},
        follow_redirects=False,
    )
    assert forged.status_code == 403
    incomplete = post(browser, f"/cases/{case_id}/rules", fields | {"note": " "})
    assert incomplete.status_code == 422 and 'data-testid="rule-error"' in incomplete.text
    assert 'data-testid="standing-rule"' not in incomplete.text

    made = post(browser, f"/cases/{case_id}/rules", fields | {"note": "faculty board"})
    assert made.status_code == 303 and made.headers["location"].endswith("#standing-rules")
    page = browser.get(f"/cases/{case_id}").text
    assert page.count('data-testid="standing-rule"') == 1 and "faculty board" in page

    next_case = new_case(browser, CREDENTIAL | {"id": None, "date_of_issue": "2026-03-01"})
    proposal = browser.get(f"/cases/{next_case}").text
    assert 'data-testid="rule-badge"' in proposal and module["code"] in proposal


def test_a_rejection_offers_no_standing_rule(browser: TestClient) -> None:
    case_id = new_case(browser, CREDENTIAL | {"id": None, "date_of_issue": "2025-01-15"})
    rejected = post(
        browser, f"/cases/{case_id}/decisions", {"action": "reject", "reason": "not ours"}
    )
    assert rejected.status_code == 303
    page = browser.get(f"/cases/{case_id}").text
    assert 'data-testid="rule-form"' not in page
    decision_id = str(browser.app.state.services.store.decisions(case_id)[-1].id)
    refused = post(
        browser,
        f"/cases/{case_id}/rules",
        {"decision_id": decision_id, "valid_from": "2025-01-01", "note": "n"},
    )
    assert refused.status_code == 422 and "rejects the proposal" in refused.text
