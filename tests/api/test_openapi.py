"""The OpenAPI document is usable as is: every request body has an example, errors are
documented as problems, and the learner-identity policy is stated."""

from __future__ import annotations

from fastapi.testclient import TestClient


def operations(client: TestClient):
    schema = client.get("/openapi.json").json()
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def test_every_request_body_has_an_example(client: TestClient) -> None:
    bodies = 0
    for path, method, operation in operations(client):
        if "requestBody" in operation:
            bodies += 1
            content = operation["requestBody"]["content"]["application/json"]
            assert content.get("examples") or content.get("example"), f"{method} {path}"
    assert bodies >= 6


def test_examples_are_valid_requests(client: TestClient) -> None:
    from api.examples import CREDENTIAL, PROGRAMME
    from recognition_engine.domain import MicroCredential, Programme

    Programme.model_validate(PROGRAMME)
    MicroCredential.model_validate(CREDENTIAL)


def test_every_operation_but_health_needs_a_key(client: TestClient) -> None:
    for path, method, operation in operations(client):
        secured = bool(operation.get("security"))
        assert secured == (path != "/health"), f"{method} {path}"


def test_errors_are_documented_as_problems(client: TestClient) -> None:
    for path, method, operation in operations(client):
        if path == "/health":
            continue
        assert "401" in operation["responses"], f"{method} {path}"
        assert "application/problem+json" in operation["responses"]["401"]["content"]


def test_learner_identity_policy_is_documented(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    submit = schema["paths"]["/v1/credentials"]["post"]["description"]
    assert "dropped before storage" in submit and "never logged" in submit


def test_there_is_no_way_to_edit_decisions(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    decisions = [p for p in schema["paths"] if "decisions" in p]
    for path in decisions:
        assert set(schema["paths"][path]) <= {"get", "post"}
