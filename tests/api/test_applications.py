"""Applications: the programme's cap holds across one learner's requests and decisions, and a
credential counts once in an application, whatever id it was submitted under."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from apitest_support import assert_problem
from fastapi.testclient import TestClient

from api.examples import CREDENTIAL
from api.problems import ApiProblem
from api.schemas import RecognitionRequest
from api.security import Caller, Role

CAP = 8.0  # below two 6-ECTS modules


@pytest.fixture(scope="module")
def capped(client: TestClient, admin: dict, programme: dict[str, Any]) -> dict[str, Any]:
    body = copy.deepcopy(programme) | {
        "id": "capped-programme", "recognition_policy": {"max_microcredential_ects": CAP}
    }
    assert client.post("/v1/programmes", json=body, headers=admin).status_code == 201
    return body


def module_copy(module: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """A credential that certifies the module's outcomes word for word (a sure match)."""
    return copy.deepcopy(CREDENTIAL) | {
        "id": f"copy-of-{module['code']}",
        "title": module["title"],
        "description": module.get("description"),
        "learning_outcomes": module["learning_outcomes"],
        "workload": {"hours": module["ects"] * 25},
    } | changes


def submit(client: TestClient, headers: dict, credential: dict[str, Any]) -> str:
    response = client.post("/v1/credentials", json=credential, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()["id"]


def open_application(client: TestClient, headers: dict, programme_id: str, **extra: Any) -> str:
    response = client.post(
        "/v1/applications", json={"programme_id": programme_id, **extra}, headers=headers
    )
    assert response.status_code == 201, response.text
    assert response.headers["location"] == f"/v1/applications/{response.json()['id']}"
    return response.json()["id"]


def recognise(
    client: TestClient, headers: dict, programme_id: str, ids: list[str], application: str
) -> Any:
    body = {"programme_id": programme_id, "credential_ids": ids, "application_id": application}
    return client.post("/v1/recognitions", json=body, headers=headers)


def decide(client: TestClient, headers: dict, recognition_id: str, **body: Any) -> Any:
    body.setdefault("reason", "checked")
    return client.post(f"/v1/recognitions/{recognition_id}/decisions", json=body, headers=headers)


def test_two_requests_cannot_pass_the_cap_together(
    client: TestClient, screener: dict, evaluator: dict, capped: dict[str, Any]
) -> None:
    first_module, second_module = capped["modules"][:2]
    application = open_application(client, screener, capped["id"])
    first = recognise(client, screener, capped["id"],
                      [submit(client, screener, module_copy(first_module))], application)
    assert first.status_code == 201, first.text
    first_ects = first.json()["proposal"]["total_proposed_ects"]
    assert first_ects == first_module["ects"] and first.json()["application_id"] == application

    second = recognise(client, screener, capped["id"],
                       [submit(client, screener, module_copy(second_module))], application)
    assert second.status_code == 201, second.text
    proposal = second.json()["proposal"]
    assert proposal["ects_cap_remaining"] == CAP - first_ects  # the pending one reserves
    assert proposal["total_proposed_ects"] == CAP - first_ects
    assert first_ects + proposal["total_proposed_ects"] <= CAP

    state = client.get(f"/v1/applications/{application}", headers=evaluator).json()
    assert state["ects_cap"] == CAP and state["ects_counted"] == CAP
    assert state["ects_cap_remaining"] == 0
    assert [r["state"] for r in state["recognitions"]] == ["pending", "pending"]

    # A modify on the first may not take what the second holds ...
    modules = [{"module_code": first_module["code"], "ects": first_ects},
               {"module_code": capped["modules"][5]["code"], "ects": 1}]
    too_much = decide(client, evaluator, first.json()["id"], action="modify", modules=modules)
    assert "left of the programme's cap" in assert_problem(too_much, 409)["detail"]
    # ... until the second is rejected, which frees what it held.
    assert decide(client, evaluator, second.json()["id"], action="reject").status_code == 201
    modules = [{"module_code": first_module["code"], "ects": first_module["ects"]},
               {"module_code": second_module["code"], "ects": CAP - first_module["ects"]}]
    modified = decide(client, evaluator, first.json()["id"], action="modify", modules=modules)
    assert modified.status_code == 201, modified.text
    state = client.get(f"/v1/applications/{application}", headers=evaluator).json()
    assert [(r["state"], r["ects"]) for r in state["recognitions"]] == [
        ("modified", CAP), ("rejected", 0)
    ]
    # The rejected one may not come back past the cap either.
    back = decide(client, evaluator, second.json()["id"], action="accept")
    assert_problem(back, 409, "conflict")


def test_the_same_credential_twice_is_refused_in_the_application(
    client: TestClient, screener: dict, evaluator: dict, capped: dict[str, Any]
) -> None:
    module = capped["modules"][2]
    credential = module_copy(module)
    once, twice = submit(client, screener, credential), submit(client, screener, credential)
    assert once != twice
    application = open_application(client, screener, capped["id"])
    first = recognise(client, screener, capped["id"], [once], application)
    assert first.status_code == 201, first.text

    for ids in ([twice], [once]):  # the same content under another id, and the same id
        again = recognise(client, screener, capped["id"], ids, application)
        problem = assert_problem(again, 409, "already-recognised")
        assert first.json()["id"] in problem["detail"]
    without_id = submit(client, screener, credential | {"id": None})
    assert_problem(recognise(client, screener, capped["id"], [without_id], application), 409)
    # Outside the application, or once the earlier one is rejected, it may be asked again.
    other = open_application(client, screener, capped["id"])
    assert recognise(client, screener, capped["id"], [twice], other).status_code == 201
    assert decide(client, evaluator, first.json()["id"], action="reject").status_code == 201
    assert recognise(client, screener, capped["id"], [twice], application).status_code == 201


def test_application_references_and_errors(
    client: TestClient, screener: dict, evaluator: dict, capped: dict[str, Any],
    programme_id: str, credential_ids: dict[str, str],
) -> None:
    application = open_application(client, screener, capped["id"], reference="intake-2025-0042")
    public = client.get(f"/v1/applications/{application}", headers=evaluator).json()
    assert public["reference"] == "intake-2025-0042" and public["recognitions"] == []
    again = client.post(
        "/v1/applications", json={"programme_id": capped["id"], "reference": "intake-2025-0042"},
        headers=screener,
    )
    assert application in assert_problem(again, 409, "already-exists")["detail"]
    for reference in ("Ani Petrosyan", "ani@example.org", ""):
        body = {"programme_id": capped["id"], "reference": reference}
        assert_problem(client.post("/v1/applications", json=body, headers=screener), 422)
    body = {"programme_id": "unknown"}
    assert_problem(client.post("/v1/applications", json=body, headers=screener), 404)
    body = {"programme_id": capped["id"]}
    assert_problem(client.post("/v1/applications", json=body, headers=evaluator), 403)
    assert_problem(client.get("/v1/applications/unknown", headers=evaluator), 404)

    one = [next(iter(credential_ids.values()))]
    elsewhere = recognise(client, screener, programme_id, one, application)
    assert "is for programme" in assert_problem(elsewhere, 409)["detail"]
    assert_problem(recognise(client, screener, capped["id"], one, "unknown"), 404)


def test_a_recognition_proposed_on_a_stale_application_is_not_stored(
    client: TestClient, screener: dict, capped: dict[str, Any]
) -> None:
    store = client.app.state.services.store
    caller = Caller("k", "stale", Role.SCREENING)
    application = open_application(client, screener, capped["id"])
    ids = [submit(client, screener, module_copy(m, id=None)) for m in capped["modules"][3:5]]
    stale = store.recognition_basis(
        RecognitionRequest(programme_id=capped["id"], credential_ids=ids[:1],
                           application_id=application)
    )
    assert recognise(client, screener, capped["id"], ids[1:], application).status_code == 201
    proposal = client.app.state.services.engine.recognise(
        list(stale.credentials), stale.programme, awarded_ects=stale.awarded_ects
    )
    with pytest.raises(ApiProblem) as refused:
        store.add_recognition(stale, proposal, caller)
    assert refused.value.status == 409 and refused.value.slug == "application-changed"
    state = client.get(f"/v1/applications/{application}", headers=screener).json()
    assert len(state["recognitions"]) == 1
