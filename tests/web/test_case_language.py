"""The case page and the statement show the engine's findings and reasons in the language the
evaluator chose (in process, no browser)."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path

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
from recognition_engine.domain import RecognitionProposal  # noqa: E402
from recognition_engine.messages import render  # noqa: E402

GEORGIAN = re.compile("[\u10d0-\u10ff]")


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, str]]:
    """A client and the id of a case proposed through the API."""
    settings = make_settings(tmp_path_factory.mktemp("lang"), api_rate_limit_per_minute=100_000)
    with make_client(settings) as client:
        admin, _ = create_key(client.app.state.services.database, Role.ADMIN, "admin")
        headers = {"X-API-Key": admin}
        programme = corpus_programme()
        assert client.post("/v1/programmes", json=programme, headers=headers).status_code == 201
        credential = next(c for c in corpus_credentials()
                          if c.get("id") == "am-network-security-essentials-1")
        stored = client.post("/v1/credentials", json=credential, headers=headers).json()
        body = {"programme_id": programme["id"], "credential_ids": [stored["id"]]}
        created = client.post("/v1/recognitions", json=body, headers=headers)
        assert created.status_code == 201, created.text
        yield client, created.json()["id"]


def _in_georgian(client: TestClient) -> TestClient:
    fresh = TestClient(client.app)
    key, _ = create_key(client.app.state.services.database, Role.EVALUATOR, "evaluator")
    token = re.search(r'name="csrf_token" value="([^"]+)"', fresh.get("/login").text).group(1)
    assert fresh.post("/login", data={"key": key, "csrf_token": token}).status_code == 200
    page = fresh.get("/cases")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    fresh.post("/lang", data={"lang": "ka", "next": "/cases", "csrf_token": token})
    return fresh


def _shown(html: str) -> dict[str, list[str]]:
    """The text of every element marked with a message code, by code."""
    shown: dict[str, list[str]] = {}
    for code, text in re.findall(r'data-code="([^"]+)">(.*?)</', html, flags=re.S):
        shown.setdefault(code, []).append(text.strip())
    return shown


def _proposal(client: TestClient, case_id: str) -> RecognitionProposal:
    return client.app.state.services.store.recognition(case_id).proposal


def test_the_case_page_in_georgian_shows_the_findings_in_georgian(case) -> None:
    client, case_id = case
    page = _in_georgian(client).get(f"/cases/{case_id}")
    assert page.status_code == 200 and 'lang="ka"' in page.text
    shown = _shown(page.text)
    proposal = _proposal(client, case_id)
    for finding in proposal.elements:
        georgian = render(finding.code, finding.params, "ka")
        assert GEORGIAN.search(georgian)
        assert any(text == _escaped(georgian) for text in shown[finding.code]), finding.code
        assert finding.message not in page.text  # not the English
    for reason in proposal.reason_codes:
        assert _escaped(render(reason.code, reason.params, "ka")) in shown[reason.code]


def test_the_statement_in_georgian_gives_its_reasons_in_georgian(case) -> None:
    client, case_id = case
    page = _in_georgian(client).get(f"/cases/{case_id}/statement")
    assert page.status_code == 200
    shown = _shown(page.text)
    for reason in _proposal(client, case_id).reason_codes:
        assert _escaped(render(reason.code, reason.params, "ka")) in shown[reason.code]


def _escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace(
        "'", "&#39;").replace('"', "&#34;")
