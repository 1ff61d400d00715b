from __future__ import annotations

import copy
from typing import Any

from apitest_support import assert_problem
from fastapi.testclient import TestClient


def test_create_then_get_returns_the_catalogue(
    client: TestClient, admin: dict, programme_id: str, programme: dict[str, Any]
) -> None:
    response = client.get(f"/v1/programmes/{programme_id}", headers=admin)
    assert response.status_code == 200
    body = response.json()
    assert body["version"] >= 1
    assert [m["code"] for m in body["modules"]] == [m["code"] for m in programme["modules"]]


def test_list_programmes(client: TestClient, screener: dict, programme_id: str) -> None:
    response = client.get("/v1/programmes", headers=screener)
    assert response.status_code == 200
    summary = next(p for p in response.json()["items"] if p["id"] == programme_id)
    assert summary["modules"] > 0


def test_create_indexes_the_programme(
    client: TestClient, admin: dict, programme: dict[str, Any]
) -> None:
    new = copy.deepcopy(programme) | {"id": "indexed-on-create"}
    response = client.post("/v1/programmes", json=new, headers=admin)
    assert response.status_code == 201
    assert response.headers["location"] == "/v1/programmes/indexed-on-create"
    assert response.json()["indexed_outcomes"] > 0
    engine = client.app.state.services.engine
    from recognition_engine.domain import Programme

    assert engine.has_index(Programme.model_validate(new))


def test_replace_bumps_the_version_and_reindexes(
    client: TestClient, admin: dict, programme: dict[str, Any]
) -> None:
    original = copy.deepcopy(programme) | {"id": "to-replace"}
    assert client.post("/v1/programmes", json=original, headers=admin).status_code == 201
    changed = copy.deepcopy(original)
    changed["modules"][0]["learning_outcomes"] = ["Design relational database schemas in SQL."]
    response = client.put("/v1/programmes/to-replace", json=changed, headers=admin)
    assert response.status_code == 200, response.text
    assert response.json()["version"] == 2
    from recognition_engine.domain import Programme

    assert client.app.state.services.engine.has_index(Programme.model_validate(changed))


def test_create_twice_is_a_conflict(
    client: TestClient, admin: dict, programme: dict[str, Any], programme_id: str
) -> None:
    response = client.post("/v1/programmes", json=programme, headers=admin)
    assert_problem(response, 409, "already-exists")


def test_replace_unknown_is_404(client: TestClient, admin: dict, programme: dict) -> None:
    body = copy.deepcopy(programme) | {"id": "nope"}
    assert_problem(client.put("/v1/programmes/nope", json=body, headers=admin), 404, "not-found")


def test_replace_takes_the_id_from_the_path(
    client: TestClient, admin: dict, programme: dict, programme_id: str
) -> None:
    for body in (copy.deepcopy(programme) | {"id": "other-id"}, copy.deepcopy(programme)):
        response = client.put(f"/v1/programmes/{programme_id}", json=body, headers=admin)
        assert response.status_code == 200, response.text
        assert response.json()["id"] == programme_id
    body = {k: v for k, v in programme.items() if k != "id"}
    response = client.put(f"/v1/programmes/{programme_id}", json=body, headers=admin)
    assert response.status_code == 200 and response.json()["id"] == programme_id
    assert client.get("/v1/programmes/other-id", headers=admin).status_code == 404


def test_only_admin_manages_programmes(
    client: TestClient, evaluator: dict, screener: dict, programme: dict
) -> None:
    body = copy.deepcopy(programme) | {"id": "not-allowed"}
    for headers in (evaluator, screener):
        assert_problem(client.post("/v1/programmes", json=body, headers=headers), 403, "forbidden")


def test_unknown_programme_is_404(client: TestClient, evaluator: dict) -> None:
    assert_problem(client.get("/v1/programmes/unknown", headers=evaluator), 404, "not-found")


def test_duplicate_module_codes_are_a_conflict(
    client: TestClient, admin: dict, programme: dict
) -> None:
    # JSON Schema cannot say that codes are unique: a schema-valid body, refused with a 409
    body = copy.deepcopy(programme) | {"id": "dupes"}
    body["modules"].append(copy.deepcopy(body["modules"][0]))
    problem = assert_problem(client.post("/v1/programmes", json=body, headers=admin), 409)
    assert "appear twice" in problem["detail"]
