"""The same service on PostgreSQL: run with RECOGNITION_TEST_POSTGRES_URL set, e.g.
``export RECOGNITION_TEST_POSTGRES_URL="$(.ci/postgres.sh | tail -n 1)"``; skipped otherwise.
The tables of the service in that database are dropped and re-created."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from apitest_support import (
    assert_append_only,
    assert_problem,
    downgrade_to_base,
    key_headers,
    make_client,
    make_settings,
    wait_for,
)
from fastapi.testclient import TestClient
from sqlalchemy import select, text
from test_database import check_upgrade_from_0001

from api.database import Database
from api.security import Role

URL = os.environ.get("RECOGNITION_TEST_POSTGRES_URL")

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not URL, reason="set RECOGNITION_TEST_POSTGRES_URL (see .ci/postgres.sh)"),
]


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    database = Database(URL or "")
    downgrade_to_base(database)  # a clean schema from a previous run's leftovers
    database.dispose()
    yield tmp_path_factory.mktemp("pg")
    database = Database(URL or "")
    downgrade_to_base(database)
    database.dispose()


def pg_client(data_dir: Path) -> TestClient:
    # polled until done, however slow the machine: the polls stay under the rate limit
    return make_client(make_settings(data_dir, database_url=URL, api_rate_limit_per_minute=100_000))


def test_full_flow_and_restart_on_postgres(
    data_dir: Path, programme: dict[str, Any], credentials: list[dict[str, Any]]
) -> None:
    with pg_client(data_dir) as client:
        admin = key_headers(client, Role.ADMIN, "pg admin")
        assert client.post("/v1/programmes", json=programme, headers=admin).status_code == 201
        changed = programme | {"title": programme["title"] + " (2025)"}
        replaced = client.put(f"/v1/programmes/{programme['id']}", json=changed, headers=admin)
        assert replaced.json()["version"] == 2
        body = credentials[0] | {"learner": {"name": "SECRET"}}
        credential = client.post("/v1/credentials", json=body, headers=admin).json()
        long_name = "Admissions office of the Faculty of Engineering, " * 4  # > 32 characters
        screener = key_headers(client, Role.SCREENING, long_name)
        application = client.post(
            "/v1/applications", json={"programme_id": programme["id"], "reference": "pg-1"},
            headers=screener,
        ).json()
        recognition = client.post(
            "/v1/recognitions",
            json={"programme_id": programme["id"], "credential_ids": [credential["id"]],
                  "application_id": application["id"]},
            headers=screener,
        )
        assert recognition.status_code == 201, recognition.text  # was a 500: name > 32 chars
        recognition = recognition.json()
        assert recognition["requested_by"]["name"] == long_name
        assert recognition["programme_version"] == 2
        again = client.post(
            "/v1/recognitions",
            json={"programme_id": programme["id"], "credential_ids": [credential["id"]],
                  "application_id": application["id"]},
            headers=screener,
        )
        assert_problem(again, 409, "already-recognised")
        url = f"/v1/recognitions/{recognition['id']}/decisions"
        decision = client.post(url, json={"action": "reject", "reason": "pg"}, headers=admin)
        assert decision.status_code == 201
        screening = client.post(
            "/v1/screenings",
            json={"programme_ids": [programme["id"]], "credentials": credentials},
            headers=admin,
        ).json()
        wait_for(client, screening["id"], headers=admin)

    with pg_client(data_dir) as client:  # a restart: everything acknowledged is there
        assert client.get("/ready", headers=admin).json()["status"] == "ready"
        stored = client.get(f"/v1/credentials/{credential['id']}", headers=admin)
        assert "SECRET" not in stored.text
        assert client.get(f"/v1/recognitions/{recognition['id']}", headers=admin).json() == (
            recognition
        )
        first = client.get(f"/v1/programmes/{programme['id']}/versions/1", headers=admin).json()
        assert first["title"] == programme["title"] and first["version"] == 1
        state = client.get(f"/v1/applications/{application['id']}", headers=admin).json()
        assert [r["state"] for r in state["recognitions"]] == ["rejected"]
        assert [d["reason"] for d in client.get(url, headers=admin).json()] == ["pg"]
        results = client.get(f"/v1/screenings/{screening['id']}/results", headers=admin).json()
        assert len(results["items"]) == len(credentials)
        assert_problem(client.get("/v1/programmes/nope", headers=admin), 404)


def test_postgres_refuses_to_edit_the_audit_trail(data_dir: Path) -> None:
    database = Database(URL or "")
    database.migrate()
    with database.engine.begin() as conn:  # rows to refuse to change, whatever ran before
        conn.execute(text(
            "INSERT INTO recognitions VALUES ('audit-probe', 'p', 1, '[]', '{}', 'k', now())"
        ))
        conn.execute(text(
            "INSERT INTO decisions (recognition_id, action, modules, total_ects, reason, key_id,"
            " key_name, created_at) VALUES ('audit-probe', 'reject', '[]', 0, 'r', 'k', 'n', now())"
        ))
        conn.execute(text(
            "INSERT INTO programmes VALUES ('audit-probe', 1, now(), now())"
        ))
        conn.execute(text(
            "INSERT INTO programme_versions VALUES ('audit-probe', 1, '{}', now())"
        ))
    assert_append_only(database, (
        "UPDATE programme_versions SET payload = '{\"forged\": true}'",
        "DELETE FROM programme_versions",
        "TRUNCATE programme_versions CASCADE",
        "UPDATE decisions SET reason = 'forged'",
        "DELETE FROM decisions",
        "TRUNCATE decisions CASCADE",
        "UPDATE recognitions SET requested_by = 'someone else'",
        "DELETE FROM recognitions",
    ))
    database.dispose()


def test_upgrade_from_0001_keeps_the_data_on_postgres(data_dir: Path) -> None:
    database = Database(URL or "")
    downgrade_to_base(database)
    check_upgrade_from_0001(database)
    downgrade_to_base(database)
    database.dispose()


def test_identical_requests_at_once_create_one_record_on_postgres(
    data_dir: Path, credentials: list[dict[str, Any]]
) -> None:
    """Idempotency keys are rows of PostgreSQL too: of four identical requests sent at once
    to a real server, one creates the credential and three replay its answer."""
    import uuid

    from test_idempotency import send_together
    from test_server import server

    from api.security import create_key
    from api.tables import CredentialRecord

    database = Database(URL or "")
    database.migrate()
    key, caller = create_key(database, Role.SCREENING, "pg idempotency")
    with server(data_dir / "idempotency", database_url=URL) as (url, _):
        answers = send_together(
            f"{url}/v1/credentials", str(uuid.uuid4()), credentials[0], {"X-API-Key": key}, 4
        )
    assert [a.status_code for a in answers] == [201] * 4, [a.text for a in answers]
    ids = {a.json()["id"] for a in answers}
    assert len(ids) == 1
    with database.session() as session:
        stored = session.scalars(
            select(CredentialRecord.id).where(CredentialRecord.submitted_by == caller.key_id)
        ).all()
    assert stored == list(ids)
    database.dispose()
