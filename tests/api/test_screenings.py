from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest
from apitest_support import (
    assert_problem,
    key_headers,
    make_client,
    make_settings,
    past_the_first_batch,
    wait_for,
)
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.screening import BATCH
from api.security import Role
from api.tables import ScreeningItemRecord

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def test_screening_runs_and_pages_its_results(
    client: TestClient,
    screener: dict,
    admin: dict,
    programme_id: str,
    english: list[dict[str, Any]],
) -> None:
    credentials = english
    body = {
        "programme_ids": [programme_id],
        "credentials": [c | {"learner": {"name": "SECRET learner"}} for c in credentials],
    }
    response = client.post("/v1/screenings", json=body, headers=screener)
    assert response.status_code == 202, response.text
    assert response.json()["status"] in {"queued", "running", "completed"}
    screening_id = response.json()["id"]
    assert response.headers["location"] == f"/v1/screenings/{screening_id}"
    status = wait_for(client, screening_id, headers=screener)
    assert status["completed"] + status["failed"] == status["total"] == len(credentials)

    first = client.get(f"/v1/screenings/{screening_id}/results?limit=2", headers=screener).json()
    rest = client.get(  # an admin sees every screening
        f"/v1/screenings/{screening_id}/results?offset=2&limit=200", headers=admin
    ).json()
    items = first["items"] + rest["items"]
    assert [item["position"] for item in items] == list(range(len(credentials)))
    assert [item["credential_title"] for item in items] == [c["title"] for c in credentials]
    for item in items:
        assert (item["state"] == "done") == (item["proposal"] is not None)

    with client.app.state.services.database.session() as session:
        stored = session.scalars(
            select(ScreeningItemRecord.credential).where(
                ScreeningItemRecord.screening_id == screening_id
            )
        ).all()
    assert stored and not any("SECRET" in str(payload) for payload in stored)


def test_server_answers_while_a_screening_runs(
    client: TestClient,
    screener: dict,
    programme_id: str,
    english: list[dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    runner = client.app.state.services.screenings
    release = threading.Event()
    save = runner._save

    def save_then_hold(screening_id: str, outcomes: list) -> int:
        saved = save(screening_id, outcomes)
        release.wait()
        return saved

    # The screening holds after its first committed batch, until the test has checked.
    monkeypatch.setattr(runner, "_save", save_then_hold)
    many = [c | {"id": f"batch-{i}"} for i in range(60) for c in english[:1]]
    response = client.post(
        "/v1/screenings",
        json={"programme_ids": [programme_id], "credentials": many},
        headers=screener,
    )
    assert response.status_code == 202
    screening_id = response.json()["id"]
    try:
        wait_for(client, screening_id, past_the_first_batch, headers=screener)
        assert client.get("/health").status_code == 200
        assert client.get("/v1/programmes", headers=screener).status_code == 200
        status = client.get(f"/v1/screenings/{screening_id}", headers=screener).json()
        assert status["status"] == "running"
        assert status["completed"] + status["failed"] == BATCH < len(many)
    finally:
        release.set()
    final = wait_for(client, screening_id, headers=screener)
    assert final["completed"] + final["failed"] == len(many)


def test_one_credential_against_several_programmes(
    client: TestClient,
    admin: dict,
    screener: dict,
    programme: dict,
    programme_id: str,
    english: list[dict[str, Any]],
) -> None:
    other = programme | {"id": "second-programme"}
    assert client.post("/v1/programmes", json=other, headers=admin).status_code in (201, 409)
    response = client.post(
        "/v1/screenings",
        json={"programme_ids": [programme_id, "second-programme"], "credentials": english[:1]},
        headers=screener,
    )
    status = wait_for(client, response.json()["id"], headers=screener)
    assert status["total"] == 2
    items = client.get(f"/v1/screenings/{status['id']}/results", headers=screener).json()["items"]
    assert {item["programme_id"] for item in items} == {programme_id, "second-programme"}


def test_screening_errors(
    client: TestClient,
    screener: dict,
    evaluator: dict,
    programme_id: str,
    credentials: list[dict[str, Any]],
) -> None:
    body = {"programme_ids": ["unknown"], "credentials": credentials[:1]}
    assert_problem(client.post("/v1/screenings", json=body, headers=screener), 404)
    body = {"programme_ids": [programme_id], "credentials": credentials[:1]}
    assert_problem(client.post("/v1/screenings", json=body, headers=evaluator), 403)
    body = {"programme_ids": [programme_id], "credentials": []}
    assert_problem(client.post("/v1/screenings", json=body, headers=screener), 422)
    assert_problem(client.get("/v1/screenings/unknown", headers=screener), 404)
    assert_problem(client.get("/v1/screenings/unknown/results", headers=screener), 404)
    response = client.get("/v1/screenings/x/results?limit=100000", headers=screener)
    assert_problem(response, 422)


def test_several_workers_share_one_screening(
    tmp_path: Path, programme: dict, english: list[dict[str, Any]]
) -> None:
    # polled until done: however long that takes on a busy machine, the polls stay under the
    # rate limit (at the default limit, a slow run was answered 429 for its results)
    settings = make_settings(tmp_path, screening_workers=3, api_rate_limit_per_minute=100_000)
    with make_client(settings) as client:
        headers = key_headers(client, Role.ADMIN)
        assert client.post("/v1/programmes", json=programme, headers=headers).status_code == 201
        batch = [english[i % len(english)] | {"id": f"w{i}"} for i in range(20)]
        response = client.post(
            "/v1/screenings",
            json={"programme_ids": [programme["id"]], "credentials": batch},
            headers=headers,
        )
        status = wait_for(client, response.json()["id"], headers=headers)
        assert status["completed"] + status["failed"] == 20
        items = client.get(
            f"/v1/screenings/{status['id']}/results?limit=50", headers=headers
        ).json()["items"]
        assert [item["credential_id"] for item in items] == [f"w{i}" for i in range(20)]
        assert all(item["state"] != "pending" for item in items)


def test_a_screening_is_visible_to_its_key_and_to_admins_only(
    client: TestClient,
    screener: dict,
    admin: dict,
    evaluator: dict,
    programme_id: str,
    credentials: list[dict[str, Any]],
) -> None:
    other = key_headers(client, Role.SCREENING, "another intake office")
    body = {"programme_ids": [programme_id], "credentials": credentials[:1]}
    mine = client.post("/v1/screenings", json=body, headers=screener).json()["id"]
    theirs = client.post("/v1/screenings", json=body, headers=other).json()["id"]
    unknown = assert_problem(client.get("/v1/screenings/" + "0" * 32, headers=other), 404)
    for headers in (other, evaluator):
        for path in (f"/v1/screenings/{mine}", f"/v1/screenings/{mine}/results"):
            hidden = assert_problem(client.get(path, headers=headers), 404)
            # the same answer as for an id that names nothing: its existence is not told
            assert {k: hidden[k] for k in ("type", "title")} == {
                k: unknown[k] for k in ("type", "title")
            }

    def listed(headers: dict) -> set[str]:
        page = client.get("/v1/screenings?limit=200", headers=headers).json()
        return {item["id"] for item in page["items"]}

    assert mine in listed(screener) and theirs not in listed(screener)
    assert theirs in listed(other) and mine not in listed(other)
    assert listed(evaluator) & {mine, theirs} == set()
    assert {mine, theirs} <= listed(admin)
    for headers in (screener, admin):
        assert client.get(f"/v1/screenings/{mine}", headers=headers).status_code == 200
        assert client.get(f"/v1/screenings/{mine}/results", headers=headers).status_code == 200


def test_inline_credentials_are_read_as_the_engine_reads_them(
    client: TestClient, screener: dict, programme_id: str
) -> None:
    claimed = json.loads((FIXTURES / "hand-edited-credential.json").read_text())
    response = client.post(
        "/v1/screenings",
        json={"programme_ids": [programme_id], "credentials": [claimed]},
        headers=screener,
    )
    assert response.status_code == 202, response.text
    with client.app.state.services.database.session() as session:
        [stored] = session.scalars(
            select(ScreeningItemRecord.credential).where(
                ScreeningItemRecord.screening_id == response.json()["id"]
            )
        ).all()
    assert (stored["provenance"]["format"], stored["provenance"]["signature"]) == (
        "json",
        "unsigned",
    )
    assert stored["eu_elements"]["missing"] == [
        "workload",
        "level",
        "assessment",
        "participation",
        "quality_assurance",
    ]
