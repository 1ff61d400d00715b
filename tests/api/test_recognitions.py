from __future__ import annotations

import copy
from typing import Any

import pytest
from apitest_support import assert_append_only, assert_problem
from fastapi.testclient import TestClient

from api.security import Role, create_key
from api.tables import RecognitionRecord
from recognition_engine.domain import Programme
from recognition_engine.ingestion import read_credentials

SECURITY_1 = "am-network-security-essentials-1"
SECURITY_2 = "am-network-security-essentials-2"


@pytest.fixture(scope="module")
def stacked(
    client: TestClient, screener: dict, programme_id: str, credential_ids: dict[str, str]
) -> dict[str, Any]:
    ids = [credential_ids[SECURITY_1], credential_ids[SECURITY_2]]
    response = client.post(
        "/v1/recognitions", json={"programme_id": programme_id, "credential_ids": ids},
        headers=screener,
    )
    assert response.status_code == 201, response.text
    return response.json()


def test_proposal_is_the_engines(
    client: TestClient, stacked: dict, programme: dict, credentials: list[dict]
) -> None:
    engine = client.app.state.services.engine
    chosen = [c for c in credentials if c.get("id") in (SECURITY_1, SECURITY_2)]
    # as the API stores them: sent as JSON, so marked as read from the engine's JSON
    sent = [credential for c in chosen for credential in read_credentials(c, "sent")]
    expected = engine.recognise(sent, Programme.model_validate(programme))
    assert stacked["proposal"] == expected.model_dump(mode="json")
    assert stacked["requested_by"]["name"] == "intake office"


def test_get_returns_the_stored_proposal(client: TestClient, evaluator: dict, stacked) -> None:
    response = client.get(f"/v1/recognitions/{stacked['id']}", headers=evaluator)
    assert response.status_code == 200
    assert response.json() == stacked


def test_the_same_credential_twice_is_refused(
    client: TestClient, screener: dict, programme_id: str, credential_ids: dict[str, str]
) -> None:
    one = credential_ids[SECURITY_1]
    response = client.post(
        "/v1/recognitions", json={"programme_id": programme_id, "credential_ids": [one, one]},
        headers=screener,
    )
    assert_problem(response, 409, "stacking-refused")


def test_unknown_ids_are_404(
    client: TestClient, screener: dict, programme_id: str, credential_ids: dict[str, str]
) -> None:
    one = credential_ids[SECURITY_1]
    for body in (
        {"programme_id": "unknown", "credential_ids": [one]},
        {"programme_id": programme_id, "credential_ids": [one, "unknown"]},
    ):
        response = client.post("/v1/recognitions", json=body, headers=screener)
        assert_problem(response, 404, "not-found")
    assert_problem(client.get("/v1/recognitions/unknown", headers=screener), 404)


def test_evaluator_cannot_request_proposals(
    client: TestClient, evaluator: dict, programme_id: str, credential_ids: dict[str, str]
) -> None:
    body = {"programme_id": programme_id, "credential_ids": [credential_ids[SECURITY_1]]}
    assert_problem(client.post("/v1/recognitions", json=body, headers=evaluator), 403)


# --- decisions ----------------------------------------------------------------------------


def test_decisions_form_an_audit_trail(
    client: TestClient, evaluator: dict, stacked: dict
) -> None:
    url = f"/v1/recognitions/{stacked['id']}/decisions"
    code = stacked["proposal"]["modules"][0]["module_code"] if stacked["proposal"]["modules"] else (
        stacked["proposal"]["considered"][0]["module_code"]
    )
    bodies = [
        {"action": "accept", "reason": "Outcomes match."},
        {"action": "modify", "reason": "Partial.", "modules": [{"module_code": code, "ects": 1}]},
        {"action": "reject", "reason": "Assessment not supervised."},
    ]
    for body in bodies:
        response = client.post(url, json=body, headers=evaluator)
        assert response.status_code == 201, response.text
    history = client.get(url, headers=evaluator).json()
    assert [d["action"] for d in history[-3:]] == ["accept", "modify", "reject"]
    accept, modify, reject = history[-3:]
    assert accept["total_ects"] == stacked["proposal"]["total_proposed_ects"]
    assert modify["modules"] == [{"module_code": code, "ects": 1.0}]
    assert reject["modules"] == [] and reject["total_ects"] == 0
    assert {d["decided_by"]["name"] for d in history} == {"Dr Evaluator"}
    assert all(d["decided_at"] and d["reason"] for d in history)


def test_decisions_cannot_be_changed_through_the_api(
    client: TestClient, admin: dict, stacked: dict
) -> None:
    url = f"/v1/recognitions/{stacked['id']}/decisions"
    for method in ("PUT", "PATCH", "DELETE"):
        response = client.request(method, url, headers=admin, json={})
        assert_problem(response, 405, "method-not-allowed")
        response = client.request(method, f"{url}/1", headers=admin, json={})
        assert response.status_code in (404, 405)


def test_database_refuses_to_edit_the_audit_trail(
    client: TestClient, evaluator: dict, stacked: dict
) -> None:
    url = f"/v1/recognitions/{stacked['id']}/decisions"
    client.post(url, json={"action": "reject", "reason": "no"}, headers=evaluator)
    database = client.app.state.services.database
    assert_append_only(database, (
        "UPDATE decisions SET reason = 'forged'",
        "DELETE FROM decisions",
        "UPDATE recognitions SET proposal = '{}'",
        "DELETE FROM recognitions",
    ))
    assert all(d["reason"] != "forged" for d in client.get(url, headers=evaluator).json())


@pytest.mark.parametrize(
    "body",
    [
        {"action": "modify", "reason": "x"},  # modify needs modules
        {"action": "accept", "reason": "x", "modules": [{"module_code": "CE3201", "ects": 1}]},
        {"action": "accept", "reason": ""},
        {"action": "approve", "reason": "x"},
        {"action": "modify", "reason": "x", "modules": []},
        {"action": "reject", "reason": "   "},
        {"action": "reject", "reason": 0},
    ],
)
def test_decisions_the_schema_refuses_are_422(
    client: TestClient, evaluator: dict, stacked, body
) -> None:
    response = client.post(
        f"/v1/recognitions/{stacked['id']}/decisions", json=body, headers=evaluator
    )
    assert_problem(response, 422, "validation-error")


@pytest.mark.parametrize(
    ("modules", "said"),
    [
        ([{"module_code": "NOPE", "ects": 1}], "no module 'NOPE'"),
        ([{"module_code": "CE3201", "ects": 99}], "a module of 6 ECTS"),
        ([{"module_code": "CE3201", "ects": 1}, {"module_code": "CE3201", "ects": 2}], "twice"),
    ],
)
def test_decisions_the_programme_version_refuses_are_409(
    client: TestClient, evaluator: dict, stacked, modules, said
) -> None:
    body = {"action": "modify", "reason": "x", "modules": modules}
    response = client.post(
        f"/v1/recognitions/{stacked['id']}/decisions", json=body, headers=evaluator
    )
    assert said in assert_problem(response, 409, "conflict")["detail"]


def test_screening_role_cannot_decide_nor_read_decisions(
    client: TestClient, screener: dict, stacked: dict
) -> None:
    url = f"/v1/recognitions/{stacked['id']}/decisions"
    response = client.post(url, json={"action": "accept", "reason": "x"}, headers=screener)
    assert_problem(response, 403, "forbidden")
    assert_problem(client.get(url, headers=screener), 403, "forbidden")


def test_decision_on_unknown_recognition_is_404(client: TestClient, evaluator: dict) -> None:
    url = "/v1/recognitions/unknown/decisions"
    response = client.post(url, json={"action": "accept", "reason": "x"}, headers=evaluator)
    assert_problem(response, 404)
    assert_problem(client.get(url, headers=evaluator), 404)


# --- programme versions -------------------------------------------------------------------


def test_decisions_are_checked_against_the_version_proposed_against(
    client: TestClient, admin: dict, screener: dict, evaluator: dict,
    programme: dict[str, Any], credential_ids: dict[str, str],
) -> None:
    original = copy.deepcopy(programme) | {"id": "versioned"}
    assert client.post("/v1/programmes", json=original, headers=admin).status_code == 201
    body = {"programme_id": "versioned", "credential_ids": [credential_ids[SECURITY_1]]}
    recognition = client.post("/v1/recognitions", json=body, headers=screener).json()
    assert recognition["programme_version"] == 1
    assert recognition["programme_version_url"] == "/v1/programmes/versioned/versions/1"

    dropped, shrunk = original["modules"][0], original["modules"][1]
    changed = copy.deepcopy(original)
    changed["modules"] = [m for m in changed["modules"] if m["code"] != dropped["code"]]
    changed["modules"][0]["ects"] = 1  # the module that was `shrunk`
    changed["modules"].append(copy.deepcopy(dropped) | {"code": "NEW101"})
    replaced = client.put("/v1/programmes/versioned", json=changed, headers=admin)
    assert replaced.status_code == 200 and replaced.json()["version"] == 2

    url = f"/v1/recognitions/{recognition['id']}/decisions"
    old_only = {"action": "modify", "reason": "v1", "modules": [
        {"module_code": dropped["code"], "ects": 2}, {"module_code": shrunk["code"], "ects": 3},
    ]}
    assert client.post(url, json=old_only, headers=evaluator).status_code == 201
    new_only = {"action": "modify", "reason": "v2", "modules": [
        {"module_code": "NEW101", "ects": 1}
    ]}
    problem = assert_problem(client.post(url, json=new_only, headers=evaluator), 409)
    assert "NEW101" in problem["detail"] and "version" in problem["detail"]

    fetched = client.get(f"/v1/recognitions/{recognition['id']}", headers=evaluator).json()
    assert fetched == recognition
    then = client.get(fetched["programme_version_url"], headers=evaluator).json()
    assert then["version"] == 1
    assert then["modules"] == original["modules"]
    now = client.get("/v1/programmes/versioned", headers=evaluator).json()
    assert now["version"] == 2 and now["modules"] == changed["modules"]
    assert client.get("/v1/programmes/versioned/versions/2", headers=evaluator).json() == now
    assert_problem(client.get("/v1/programmes/versioned/versions/3", headers=evaluator), 404)
    assert_problem(client.get("/v1/programmes/nope/versions/1", headers=evaluator), 404)


def test_versions_are_append_only(client: TestClient, admin: dict) -> None:
    database = client.app.state.services.database
    assert_append_only(
        database, ("UPDATE programme_versions SET payload = '{}'", "DELETE FROM programme_versions")
    )


def test_requested_by_is_the_key_id_with_its_name_shown(
    client: TestClient, programme_id: str, credential_ids: dict[str, str]
) -> None:
    long_name = "Admissions office of the Faculty of Engineering, " * 4  # 200 characters
    key, caller = create_key(client.app.state.services.database, Role.SCREENING, long_name)
    body = {"programme_id": programme_id, "credential_ids": [credential_ids[SECURITY_1]]}
    created = client.post("/v1/recognitions", json=body, headers={"X-API-Key": key})
    assert created.status_code == 201, created.text
    assert created.json()["requested_by"] == {"key_id": caller.key_id, "name": long_name}
    with client.app.state.services.database.session() as session:
        stored = session.get(RecognitionRecord, created.json()["id"])
        assert stored.requested_by == caller.key_id
