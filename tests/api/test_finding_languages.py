"""Findings and reasons in the reader's language: codes and parameters for machines, a
`message` rendered in the language of Accept-Language for people."""

from __future__ import annotations

import re
from typing import Any

import pytest
from apitest_support import wait_for
from fastapi.testclient import TestClient

from recognition_engine.messages import render
from recognition_engine.messages.codes import MESSAGES

SCRIPT = {"ka": re.compile("[\u10d0-\u10ff]"), "hy": re.compile("[\u0531-\u058f]")}
CREDENTIAL = "am-network-security-essentials-1"


def findings(proposal: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        *proposal["elements"],
        *proposal["findings"],
        *[f for module in proposal["modules"] for f in module["elements"]],
        *[f for considered in proposal["considered"] for f in considered["findings"]],
    ]


def messages(proposal: dict[str, Any]) -> list[dict[str, Any]]:
    """Every coded message of the proposal: findings, reasons, module reasons and requests."""
    return [
        *findings(proposal),
        *proposal["reason_codes"],
        *[m for module in proposal["modules"]
          for m in (*module["reason_codes"], *module["evidence_request_codes"])],
        *[m for considered in proposal["considered"] for m in considered["reason_codes"]],
    ]


def prose(item: dict[str, Any]) -> str:
    """The message without the values it quotes (a title may be in any language)."""
    text = item["message"]
    for value in item["params"].values():
        for part in value if isinstance(value, list) else [value]:
            if isinstance(part, str) and part:
                text = text.replace(part, "")
    return text


@pytest.fixture(scope="module")
def propose(
    client: TestClient, screener: dict, programme_id: str, credential_ids: dict[str, str]
):
    def post(headers: dict[str, str]) -> Any:
        body = {"programme_id": programme_id, "credential_ids": [credential_ids[CREDENTIAL]]}
        response = client.post("/v1/recognitions", json=body, headers=screener | headers)
        assert response.status_code == 201, response.text
        return response

    return post


@pytest.mark.parametrize("language", ["ka", "hy"])
def test_every_finding_has_a_code_and_a_message_in_the_language_asked(
    propose, language: str
) -> None:
    response = propose({"Accept-Language": f"{language},en;q=0.5"})
    assert response.headers["Content-Language"] == language
    proposal = response.json()["proposal"]
    assert findings(proposal)
    for item in messages(proposal):
        assert item["code"] in MESSAGES and item["code"] != "text"
        assert item["message"] == render(item["code"], item["params"], language)
        assert item["message"] != render(item["code"], item["params"], "en")
        assert SCRIPT[language].search(prose(item)), item
    for finding in findings(proposal):
        assert finding["reason"] == finding["message"]
    assert proposal["reasons"] == [m["message"] for m in proposal["reason_codes"]]
    for module in proposal["modules"]:
        assert module["reasons"] == [m["message"] for m in module["reason_codes"]]


def test_without_the_header_the_messages_are_english(propose) -> None:
    response = propose({})
    assert response.headers["Content-Language"] == "en"
    for item in messages(response.json()["proposal"]):
        assert item["message"] == render(item["code"], item["params"], "en")
        assert not any(script.search(prose(item)) for script in SCRIPT.values()), item


def test_an_unsupported_language_is_answered_in_english(propose) -> None:
    response = propose({"Accept-Language": "de-DE,fr;q=0.8"})
    assert response.headers["Content-Language"] == "en"
    proposal = response.json()["proposal"]
    assert all(f["message"] == render(f["code"], f["params"], "en") for f in findings(proposal))


def test_a_stored_proposal_is_read_in_any_language_with_the_same_codes(
    client: TestClient, evaluator: dict, propose
) -> None:
    created = propose({"Accept-Language": "ka"}).json()
    url = f"/v1/recognitions/{created['id']}"
    armenian = client.get(url, headers=evaluator | {"Accept-Language": "hy"})
    assert armenian.headers["Content-Language"] == "hy"
    codes = [(m["code"], m["params"]) for m in messages(created["proposal"])]
    assert [(m["code"], m["params"]) for m in messages(armenian.json()["proposal"])] == codes
    assert all(SCRIPT["hy"].search(prose(f)) for f in findings(armenian.json()["proposal"]))
    listed = client.get("/v1/recognitions", headers=evaluator | {"Accept-Language": "ka"})
    assert listed.headers["Content-Language"] == "ka"
    mine = next(r for r in listed.json()["items"] if r["id"] == created["id"])
    assert mine["proposal"] == created["proposal"]


def test_the_openapi_document_says_how_messages_are_rendered(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    post = document["paths"]["/v1/recognitions"]["post"]
    header = next(p for p in post["parameters"] if p["name"].lower() == "accept-language")
    assert header["in"] == "header" and "`ka`" in header["description"]
    finding = document["components"]["schemas"]["Finding"]["properties"]
    assert {"code", "params", "message", "reason"} <= finding.keys()
    assert "Accept-Language" in finding["message"]["description"]


def test_screening_results_are_read_in_the_language_asked(
    client: TestClient, screener: dict, programme_id: str, credentials: list[dict]
) -> None:
    body = {"programme_ids": [programme_id], "credentials": credentials[:2]}
    screening = client.post("/v1/screenings", json=body, headers=screener).json()["id"]
    wait_for(client, screening, headers=screener)
    url = f"/v1/screenings/{screening}/results"
    response = client.get(url, headers=screener | {"Accept-Language": "ka"})
    assert response.headers["Content-Language"] == "ka"
    proposals = [item["proposal"] for item in response.json()["items"] if item["proposal"]]
    assert proposals
    for proposal in proposals:
        for item in messages(proposal):
            assert item["message"] == render(item["code"], item["params"], "ka")
            assert SCRIPT["ka"].search(prose(item)), item
