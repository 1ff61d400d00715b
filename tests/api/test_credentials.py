from __future__ import annotations

import logging
from typing import Any

import pytest
from apitest_support import assert_problem
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.tables import CredentialRecord

LEARNER = {"name": "Ani Petrosyan-Secret", "identifier": "AM-987654-SECRET"}


def test_submit_and_get(client: TestClient, screener: dict, evaluator: dict, credentials) -> None:
    created = client.post("/v1/credentials", json=credentials[0], headers=screener)
    assert created.status_code == 201
    assert created.headers["location"] == f"/v1/credentials/{created.json()['id']}"
    fetched = client.get(created.headers["location"], headers=evaluator)
    assert fetched.status_code == 200
    assert fetched.json()["credential"]["title"] == credentials[0]["title"]


def test_learner_identity_is_never_stored_returned_or_logged(
    client: TestClient, screener: dict, credentials: list[dict[str, Any]],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    body = credentials[0] | {"learner": LEARNER}
    created = client.post("/v1/credentials", json=body, headers=screener)
    assert created.status_code == 201
    fetched = client.get(f"/v1/credentials/{created.json()['id']}", headers=screener)
    for text in (created.text, fetched.text, caplog.text):
        assert "SECRET" not in text
    with client.app.state.services.database.session() as session:
        payloads = session.scalars(select(CredentialRecord.payload)).all()
    assert all("learner" not in payload for payload in payloads)
    assert not any("SECRET" in str(payload) for payload in payloads)


def test_learner_identity_is_not_echoed_in_field_errors(
    client: TestClient, screener: dict, credentials: list[dict[str, Any]]
) -> None:
    body = credentials[0] | {"learner": LEARNER, "workload": {}}
    problem = assert_problem(client.post("/v1/credentials", json=body, headers=screener), 422)
    assert "SECRET" not in str(problem)


def test_missing_fields_are_listed(client: TestClient, screener: dict) -> None:
    problem = assert_problem(
        client.post("/v1/credentials", json={"title": "x"}, headers=screener), 422,
        "validation-error",
    )
    missing = {tuple(error["loc"])[-1] for error in problem["errors"]}
    assert {"awarding_body", "date_of_issue"} <= missing


def test_evaluator_cannot_submit(client: TestClient, evaluator: dict, credentials) -> None:
    response = client.post("/v1/credentials", json=credentials[0], headers=evaluator)
    assert_problem(response, 403, "forbidden")


def test_unknown_credential_is_404(client: TestClient, screener: dict) -> None:
    assert_problem(client.get("/v1/credentials/unknown", headers=screener), 404, "not-found")
