"""Every rule a client must know is in the OpenAPI document: what the schema admits, the
service takes (or refuses with a 409 for what is stored); what it refuses, the service refuses
with a 422 that names the field."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from apitest_support import assert_problem
from fastapi.testclient import TestClient


def openapi(client: TestClient) -> dict[str, Any]:
    return client.get("/openapi.json").json()


def test_workload_needs_ects_or_hours_in_the_schema(client: TestClient) -> None:
    workload = openapi(client)["components"]["schemas"]["Workload"]
    assert {"required": ["ects"]}.items() <= workload["anyOf"][0].items()
    assert {"required": ["hours"]}.items() <= workload["anyOf"][1].items()


def test_a_described_item_needs_outcomes_or_a_description_in_the_schema(
    client: TestClient,
) -> None:
    schemas = openapi(client)["components"]["schemas"]
    for name in ("Module", "MicroCredential-Input"):
        branches = schemas[name]["anyOf"]
        required = [branch["required"] for branch in branches]
        assert required == [["learning_outcomes"], ["description"]]


def test_each_decision_action_is_its_own_schema(client: TestClient) -> None:
    document = openapi(client)
    body = document["paths"]["/v1/recognitions/{recognition_id}/decisions"]["post"]
    schema = body["requestBody"]["content"]["application/json"]["schema"]
    assert schema["discriminator"]["propertyName"] == "action"
    schemas = document["components"]["schemas"]
    modify = schemas["ModifyDecision"]
    assert "modules" in modify["required"] and modify["properties"]["modules"]["minItems"] == 1
    for name in ("AcceptDecision", "RejectDecision"):
        assert "modules" not in schemas[name]["properties"]
        assert schemas[name]["additionalProperties"] is False


@pytest.mark.parametrize(
    ("field", "value"),
    [("stackable", 0), ("stackable", "false"), ("eqf_level", "6"), ("eqf_level", True)],
)
def test_no_coercion_at_the_boundary(
    client: TestClient, screener: dict, credentials: list[dict], field: str, value: Any
) -> None:
    body = copy.deepcopy(credentials[0]) | {field: value}
    problem = assert_problem(client.post("/v1/credentials", json=body, headers=screener), 422)
    assert ["body", field] in [error["loc"] for error in problem["errors"]]


def test_a_whole_number_written_as_a_float_is_the_integer(
    client: TestClient, screener: dict, credentials: list[dict]
) -> None:
    body = copy.deepcopy(credentials[0]) | {"eqf_level": 6.0}
    response = client.post("/v1/credentials", json=body, headers=screener)
    assert response.status_code == 201, response.text
    assert response.json()["credential"]["eqf_level"] == 6


def test_a_module_compulsory_flag_is_a_boolean(
    client: TestClient, admin: dict, programme: dict
) -> None:
    body = copy.deepcopy(programme) | {"id": "strict-flags"}
    body["modules"][0]["compulsory"] = 1
    problem = assert_problem(client.post("/v1/programmes", json=body, headers=admin), 422)
    assert ["body", "modules", 0, "compulsory"] in [e["loc"] for e in problem["errors"]]


def test_a_list_over_its_max_items_is_a_422_naming_it(
    client: TestClient, screener: dict, credentials: list[dict], programme_id: str
) -> None:
    body = {"programme_ids": [programme_id], "credentials": [credentials[0]] * 1_001}
    problem = assert_problem(client.post("/v1/screenings", json=body, headers=screener), 422)
    assert ["body", "credentials"] in [error["loc"] for error in problem["errors"]]


def test_whitespace_is_not_content(
    client: TestClient, screener: dict, credentials: list[dict]
) -> None:
    body = copy.deepcopy(credentials[0]) | {"title": "   "}
    assert_problem(client.post("/v1/credentials", json=body, headers=screener), 422)
    pattern = openapi(client)["components"]["schemas"]["MicroCredential-Input"]
    assert pattern["properties"]["title"]["pattern"] == r"\S"


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("/v1/programmes", "GET, POST"),
        ("/v1/programmes/some-id", "GET, PUT"),
        ("/v1/recognitions/some-id/decisions", "GET, POST"),
    ],
)
def test_405_names_the_methods_allowed(
    client: TestClient, admin: dict, path: str, allowed: str
) -> None:
    response = client.request("DELETE", path, headers=admin)
    assert_problem(response, 405)
    assert {m.strip() for m in response.headers["allow"].split(",")} - {"HEAD"} == set(
        allowed.split(", ")
    )


def test_links_lead_from_each_created_id_to_what_uses_it(client: TestClient) -> None:
    paths = openapi(client)["paths"]
    expected = {
        ("/v1/programmes", "201"): {"get_programme", "create_recognition", "create_screening"},
        ("/v1/credentials", "201"): {"get_credential", "create_recognition"},
        ("/v1/applications", "201"): {"get_application", "create_recognition"},
        ("/v1/recognitions", "201"): {"get_recognition", "record_decision", "list_decisions"},
        ("/v1/screenings", "202"): {"get_screening", "get_screening_results"},
    }
    operation_ids = {
        operation["operationId"] for item in paths.values() for operation in item.values()
    }
    for (path, status), targets in expected.items():
        links = paths[path]["post"]["responses"][status]["links"]
        assert targets <= {link["operationId"] for link in links.values()}, path
        assert {link["operationId"] for link in links.values()} <= operation_ids
