from __future__ import annotations

import pytest
from apitest_support import assert_problem
from fastapi.testclient import TestClient

pytest.importorskip("recognition_engine.levels", exc_type=ImportError)

OUTCOMES = [
    "Configure stateful firewalls and network segmentation to enforce a security policy.",
    "Evaluate the security of a network design and justify improvements.",
]


def test_estimate_level(client: TestClient, screener: dict) -> None:
    body = {"learning_outcomes": OUTCOMES, "declared_eqf_level": 6, "ects": 3}
    response = client.post("/v1/levels", json=body, headers=screener)
    assert response.status_code == 200, response.text
    estimate = response.json()
    assert 1 <= estimate["eqf_level"] <= 8
    assert estimate["declared_eqf_level"] == 6
    assert len(estimate["outcomes"]) == len(OUTCOMES)


def test_level_errors(client: TestClient, screener: dict) -> None:
    assert_problem(client.post("/v1/levels", json={"learning_outcomes": OUTCOMES}), 401)
    response = client.post("/v1/levels", json={"learning_outcomes": []}, headers=screener)
    assert_problem(response, 422, "validation-error")
    body = {"learning_outcomes": OUTCOMES, "declared_eqf_level": 9}
    assert_problem(client.post("/v1/levels", json=body, headers=screener), 422)
