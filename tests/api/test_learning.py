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
    too_few = client.post(f"/v1/programmes/{PROGRAMME_ID}/learning", headers=admin)
    assert_problem(too_few, 409, "conflict")
    assert "1 decided credentials" in too_few.json()["detail"]  # and how many it needs
    assert "at least 10" in too_few.json()["detail"]
    no_card = client.get(f"/v1/programmes/{PROGRAMME_ID}/learning", headers=admin)
    assert_problem(no_card, 404, "not-found")

    # more decisions: accepted as proposed, and rejected (no equivalent in the catalogue)
    for n, other in enumerate(body["modules"][:8]):
        made = propose(client, screener, variant(other, f"2025-{n}"))
        client.post(f"/v1/recognitions/{made['id']}/decisions", headers=evaluator,
                    json={"action": "accept", "reason": "As proposed."}).raise_for_status()
    for n in range(3):
        unrelated = copy.deepcopy(CREDENTIAL) | {
            "id": f"pottery-{n}", "title": f"Studio pottery {n}",
            "learning_outcomes": ["Throw a bowl on the wheel", "Glaze and fire stoneware"],
        }
        made = propose(client, screener, unrelated)
        client.post(f"/v1/recognitions/{made['id']}/decisions", headers=evaluator,
                    json={"action": "reject", "reason": "No equivalent module."}
                    ).raise_for_status()

    learned = client.post(f"/v1/programmes/{PROGRAMME_ID}/learning", headers=admin)
    assert learned.status_code == 200, learned.text
    report = learned.json()
    assert report["credentials"] == 12 and report["without_equivalent"] == 3
    assert report["card"]["cross_validated"]["tiers"][-1]["tier"] == "no_equivalent"
    card = client.get(f"/v1/programmes/{PROGRAMME_ID}/learning", headers=admin).json()
    assert card["credentials"] == 12 and card["versions"]["lightgbm"]
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
