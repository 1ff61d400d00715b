"""Decisions recorded through the API change the next proposal, once the programme learns."""

from __future__ import annotations

import copy
from typing import Any

from apitest_support import assert_problem
from fastapi.testclient import TestClient

from api.examples import CREDENTIAL

PROGRAMME_ID = "learning-programme"


def variant(module: dict[str, Any], suffix: str) -> dict[str, Any]:
    """A credential close to a module's outcomes, under its own id and title."""
    return copy.deepcopy(CREDENTIAL) | {
        "id": f"{module['code']}-{suffix}",
        "title": f"{module['title']} ({suffix})",
        "learning_outcomes": module["learning_outcomes"],
        "workload": {"ects": module["ects"]},
    }


def propose(client: TestClient, headers: dict, credential: dict[str, Any]) -> dict[str, Any]:
    stored = client.post("/v1/credentials", json=credential, headers=headers)
    assert stored.status_code == 201, stored.text
    body = {"programme_id": PROGRAMME_ID, "credential_ids": [stored.json()["id"]]}
    response = client.post("/v1/recognitions", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def test_recorded_decisions_change_the_next_proposal(
    client: TestClient,
    admin: dict,
    evaluator: dict,
    screener: dict,
    programme: dict[str, Any],
) -> None:
    body = copy.deepcopy(programme) | {"id": PROGRAMME_ID}
    assert client.post("/v1/programmes", json=body, headers=admin).status_code == 201
    nothing = client.post(f"/v1/programmes/{PROGRAMME_ID}/learning", headers=admin)
    assert_problem(nothing, 409, "conflict")  # no decision yet: nothing to learn, said clearly

    module, board_choice = body["modules"][5], body["modules"][12]
    first = propose(client, screener, variant(module, "2025"))
    assert first["proposal"].get("precedents") in (None, [])
    decision = client.post(
        f"/v1/recognitions/{first['id']}/decisions",
        json={
            "action": "modify",
            "reason": "The recognition board maps this credential to another module.",
            "modules": [{"module_code": board_choice["code"], "ects": 3}],
        },
        headers=evaluator,
    )
    assert decision.status_code == 201, decision.text

    learned = client.post(f"/v1/programmes/{PROGRAMME_ID}/learning", headers=admin)
    assert learned.status_code == 200, learned.text
    assert learned.json()["decisions"] >= 1
    forbidden = client.post(f"/v1/programmes/{PROGRAMME_ID}/learning", headers=evaluator)
    assert forbidden.status_code == 403

    second = propose(client, screener, variant(module, "2026"))["proposal"]
    precedents = second["precedents"]
    assert precedents, second
    voted = {(p["module_code"], p["accepted"], p["record_id"]) for p in precedents}
    assert (board_choice["code"], True, str(decision.json()["id"])) in voted
    assert (module["code"], False, str(decision.json()["id"])) in voted  # removed by the board
    assert second["engine"]["learned_model"] == "lambdarank"
    assert second["confidence_tier"] in {"confirmed", "possible", "review", "no_equivalent"}
