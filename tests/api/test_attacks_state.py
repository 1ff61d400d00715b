"""Attacks on the service's state, against the real server (`recognition-engine serve` in a
subprocess, ``test_server.server``), on SQLite and, with RECOGNITION_TEST_POSTGRES_URL set, on
PostgreSQL: a session cookie replayed after sign-out or revocation, a tampered or expired one;
a server killed (SIGKILL) with an idempotent request in progress; REPLACE, upserts and updates
on the append-only tables; a refused workbench case; another key's screening; and the attacks
that held before (401, 403, a revoked key, CSRF, reads while a screening runs).

No step bets on the machine's speed: a server is killed only once it says that it holds the
request (``gated_server.py``), and the waits are deadlines for a hung server."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import signal
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from apitest_support import assert_append_only, completed, past_the_first_batch, wait_for
from sqlalchemy import func, select, update
from test_server import DEADLINE, keys_cli, recognise, server
from typer.testing import CliRunner

from api.database import Database
from api.screening import BATCH
from api.tables import CredentialRecord, IdempotencyRecord, WebSessionRecord, utcnow
from api.web.session import COOKIE

POSTGRES_URL = os.environ.get("RECOGNITION_TEST_POSTGRES_URL")
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass(frozen=True)
class Backend:
    """Where the server keeps its data: SQLite in ``data_dir``, or the PostgreSQL at ``url``."""

    data_dir: Path
    url: str | None

    @property
    def settings(self) -> dict[str, str]:
        return {"database_url": self.url} if self.url else {}

    def keys(self, *args: str) -> str:
        """Run `recognition-engine keys ...` on this backend (another process than the server's
        own, as an operator would); return its output."""
        result = CliRunner().invoke(
            keys_cli(), ["keys", *args],
            env={"RECOGNITION_DATA_DIR": str(self.data_dir), "RECOGNITION_DATABASE_URL": self.url},
        )
        assert result.exit_code == 0, result.output
        return result.output

    def create_key(self, role: str) -> tuple[str, str]:
        """Return a new key and its id."""
        output = self.keys("create", "--role", role, "--name", f"{role} attacked")
        return output.strip().splitlines()[-1], output.split("created key ", 1)[1].split()[0]

    @contextmanager
    def database(self) -> Iterator[Database]:
        database = Database(self.url or f"sqlite:///{self.data_dir / 'recognition.db'}")
        try:
            yield database
        finally:
            database.dispose()


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param("postgres", marks=[
            pytest.mark.postgres,
            pytest.mark.skipif(not POSTGRES_URL, reason="set RECOGNITION_TEST_POSTGRES_URL"),
        ]),
    ]
)
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Backend:
    return Backend(tmp_path / "var", POSTGRES_URL if request.param == "postgres" else None)


@pytest.fixture
def programme(programme: dict[str, Any]) -> dict[str, Any]:
    """The shipped programme cut to three modules, under an id of its own: each server of these
    tests fits the catalogue's level scale anew, and a few modules are enough to attack with."""
    modules = programme["modules"][:3]
    return programme | {"id": f"attacked-{uuid.uuid4().hex[:8]}", "modules": modules}


# --- the workbench over HTTP ---------------------------------------------------------------


def csrf_of(page: httpx.Response) -> str:
    found = CSRF.search(page.text)
    assert found is not None, page.text[:500]
    return found.group(1)


def sign_in(http: httpx.Client, key: str) -> None:
    """Sign in through the login form, as a browser does."""
    answer = http.post("/login", data={"key": key, "csrf_token": csrf_of(http.get("/login"))})
    assert answer.status_code == 303 and answer.headers["location"] == "/cases", answer.text


def workbench(url: str, cookie: str | None = None) -> httpx.Client:
    cookies = {COOKIE: cookie} if cookie is not None else None
    return httpx.Client(base_url=url, cookies=cookies, timeout=DEADLINE)


def sent_to_sign_in(answer: httpx.Response) -> bool:
    return answer.status_code == 303 and answer.headers["location"].startswith("/login")


def sessions_of(backend: Backend, key_id: str) -> int:
    with backend.database() as database, database.session() as session:
        return session.scalar(
            select(func.count()).select_from(WebSessionRecord)
            .where(WebSessionRecord.key_id == key_id)
        ) or 0


# --- #1 sessions ---------------------------------------------------------------------------


def test_a_session_cookie_replayed_after_sign_out_is_refused(backend: Backend) -> None:
    key, key_id = backend.create_key("evaluator")
    with server(backend.data_dir, **backend.settings) as (url, _), workbench(url) as http:
        sign_in(http, key)
        cookie = http.cookies[COOKIE]
        page = http.get("/cases")
        assert page.status_code == 200
        token = csrf_of(page)
        assert sessions_of(backend, key_id) == 1
        signed_out = http.post("/logout", data={"csrf_token": token})
        assert signed_out.status_code == 303 and signed_out.headers["location"] == "/login"
        assert sessions_of(backend, key_id) == 0

        with workbench(url, cookie) as replay:
            assert sent_to_sign_in(replay.get("/cases"))
            # nor can the old cookie post with the old token: its session is gone
            assert replay.post("/logout", data={"csrf_token": token}).status_code == 403


def test_revoking_the_key_ends_its_sessions(backend: Backend) -> None:
    key, key_id = backend.create_key("evaluator")
    with server(backend.data_dir, **backend.settings) as (url, _), workbench(url) as http:
        sign_in(http, key)
        assert http.get("/cases").status_code == 200
        backend.keys("revoke", key_id)  # another process, while the server runs
        assert sessions_of(backend, key_id) == 0
        assert sent_to_sign_in(http.get("/cases"))


def test_a_tampered_or_invented_session_cookie_is_refused(backend: Backend) -> None:
    key, _ = backend.create_key("evaluator")
    with server(backend.data_dir, **backend.settings) as (url, _), workbench(url) as http:
        sign_in(http, key)
        cookie = http.cookies[COOKIE]
        assert http.get("/cases").status_code == 200
        flipped = cookie[:-1] + ("A" if cookie[-1] != "A" else "B")
        for forged in (flipped, "A" * 43, cookie + "x", "", "../" + cookie):
            with workbench(url, forged) as attacker:
                assert sent_to_sign_in(attacker.get("/cases")), forged


def test_sessions_expire_when_idle_and_after_their_lifetime(backend: Backend) -> None:
    key, key_id = backend.create_key("evaluator")
    settings = backend.settings | {"web_session_idle_minutes": 5, "web_session_max_hours": 2}
    with server(backend.data_dir, **settings) as (url, _), workbench(url) as http:
        sign_in(http, key)
        now = utcnow()
        with backend.database() as database, database.session() as session:
            row = session.scalars(
                select(WebSessionRecord).where(WebSessionRecord.key_id == key_id)
            ).one()
            assert dt.timedelta(hours=2) - (row.expires_at - row.created_at) < dt.timedelta(
                seconds=5
            )
        mine = WebSessionRecord.key_id == key_id

        def age(**values: dt.datetime) -> None:
            with backend.database() as database, database.session() as session:
                session.execute(update(WebSessionRecord).where(mine).values(**values))

        age(last_seen_at=now - dt.timedelta(minutes=4))
        assert http.get("/cases").status_code == 200  # used within the idle time
        age(last_seen_at=now - dt.timedelta(minutes=6))
        assert sent_to_sign_in(http.get("/cases"))
        assert sessions_of(backend, key_id) == 0

        sign_in(http, key)
        age(expires_at=now - dt.timedelta(seconds=1))  # busy, but past its lifetime
        assert sent_to_sign_in(http.get("/cases"))


# --- #5 idempotency across a crash ---------------------------------------------------------


def test_a_request_killed_midway_is_completed_by_its_retry(
    backend: Backend, credentials: list[dict[str, Any]]
) -> None:
    key, key_id = backend.create_key("screening")
    headers = {"X-API-Key": key, "Idempotency-Key": str(uuid.uuid4())}
    marker = backend.data_dir / "credential-held"
    lease = {"idempotency_lease_seconds": 2}

    def send() -> None:
        with suppress(httpx.TransportError):  # the server is killed under it
            httpx.post(f"{url}/v1/credentials", json=credentials[0], headers=headers,
                       timeout=DEADLINE)

    with server(
        backend.data_dir, gate=("--hold-credentials", str(marker)), **backend.settings, **lease
    ) as (url, process):
        first = threading.Thread(target=send, daemon=True)
        first.start()
        deadline = time.monotonic() + DEADLINE
        while not marker.exists():  # the server holds the request, before it writes
            assert time.monotonic() < deadline and first.is_alive()
            time.sleep(0.05)
        with backend.database() as database, database.session() as session:
            held = session.scalars(
                select(IdempotencyRecord).where(
                    IdempotencyRecord.idempotency_key == headers["Idempotency-Key"]
                )
            ).one()
            assert (held.key_id, held.status) == (key_id, None)  # the key's owner, in progress
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    first.join(timeout=60)

    with server(backend.data_dir, **backend.settings, **lease) as (url, _):
        retry = httpx.post(f"{url}/v1/credentials", json=credentials[0], headers=headers,
                           timeout=DEADLINE)
        assert retry.status_code == 201, retry.text  # not a 409 for a day
        again = httpx.post(f"{url}/v1/credentials", json=credentials[0], headers=headers,
                           timeout=DEADLINE)
        assert again.status_code == 201 and again.headers["idempotent-replayed"] == "true"
        assert again.json()["id"] == retry.json()["id"]
    with backend.database() as database, database.session() as session:
        stored = session.scalars(
            select(CredentialRecord.id).where(CredentialRecord.submitted_by == key_id)
        ).all()
    assert stored == [retry.json()["id"]]  # created once


# --- #9 append-only tables -----------------------------------------------------------------


def rewrites(dialect: str, recognition_id: str, decision_id: int, programme_id: str) -> list[str]:
    """Statements that would rewrite the stored history, each of which must be refused."""
    recognition = (
        f"'{recognition_id}', '{programme_id}', 1, '[]', '{{}}', 'forger', '2020-01-01'"
    )
    decision = f"{decision_id}, '{recognition_id}', 'accept', 'forged', 'k', 'forger', '2020-01-01'"
    version = f"'{programme_id}', 1, '{{\"forged\": true}}', '2020-01-01'"
    columns = {
        "recognitions": "(id, programme_id, programme_version, credential_ids, proposal,"
                        " requested_by, created_at)",
        "decisions": "(id, recognition_id, action, reason, key_id, key_name, created_at)",
        "programme_versions": "(programme_id, version, payload, created_at)",
    }
    values = {"recognitions": recognition, "decisions": decision, "programme_versions": version}
    keys = {"recognitions": "id", "decisions": "id", "programme_versions": "programme_id, version"}
    changed = {
        "recognitions": "requested_by = 'forger'",
        "decisions": "reason = 'forged'",
        "programme_versions": "created_at = '2020-01-01'",
    }
    statements = []
    for table in columns:
        row = f"{table} {columns[table]} VALUES ({values[table]})"
        statements += [
            f"UPDATE {table} SET {changed[table]}",
            f"INSERT INTO {row} ON CONFLICT ({keys[table]}) DO UPDATE SET {changed[table]}",
        ]
        if dialect == "sqlite":
            statements += [f"REPLACE INTO {row}", f"INSERT OR REPLACE INTO {row}",
                           f"UPDATE OR REPLACE {table} SET {changed[table]}"]
    if dialect == "postgresql":
        statements += [
            f"MERGE INTO decisions d USING (SELECT {decision_id} AS id) s ON d.id = s.id "
            "WHEN MATCHED THEN UPDATE SET reason = 'forged'",
            f"MERGE INTO recognitions r USING (SELECT '{recognition_id}' AS id) s "
            "ON r.id = s.id WHEN MATCHED THEN DELETE",
        ]
    return statements


def test_the_database_refuses_to_rewrite_the_history(
    backend: Backend, programme: dict[str, Any], credentials: list[dict[str, Any]]
) -> None:
    key, _ = backend.create_key("admin")
    with server(backend.data_dir, **backend.settings) as (url, _), httpx.Client(
        base_url=url, headers={"X-API-Key": key}, timeout=DEADLINE
    ) as http:
        recognition = recognise(http, programme, credentials[0])
        decisions_url = f"/v1/recognitions/{recognition['id']}/decisions"
        decision = http.post(decisions_url, json={"action": "reject", "reason": "as decided"})
        assert decision.status_code == 201
        before = (http.get(decisions_url).json(), http.get(f"/v1/recognitions/{recognition['id']}")
                  .json(), http.get(f"/v1/programmes/{programme['id']}/versions/1").json())

        with backend.database() as database:
            dialect = database.engine.dialect.name
            assert_append_only(
                database,
                rewrites(dialect, recognition["id"], decision.json()["id"], programme["id"]),
            )

        after = (http.get(decisions_url).json(), http.get(f"/v1/recognitions/{recognition['id']}")
                 .json(), http.get(f"/v1/programmes/{programme['id']}/versions/1").json())
        assert after == before


# --- #7 a refused case ---------------------------------------------------------------------


def test_a_refused_case_leaves_nothing_behind(
    backend: Backend, programme: dict[str, Any], credentials: list[dict[str, Any]]
) -> None:
    admin, _ = backend.create_key("admin")
    key, key_id = backend.create_key("screening")
    document = json.dumps(credentials[0]).encode()
    with server(backend.data_dir, **backend.settings) as (url, _), workbench(url) as http:
        created = httpx.post(f"{url}/v1/programmes", json=programme,
                             headers={"X-API-Key": admin}, timeout=DEADLINE)
        assert created.status_code == 201
        sign_in(http, key)
        token = csrf_of(http.get("/cases/new"))

        def new_case(*files: bytes) -> httpx.Response:
            return http.post(
                "/cases", data={"programme_id": programme["id"], "csrf_token": token},
                files=[("credentials", (f"c{i}.json", body, "application/json"))
                       for i, body in enumerate(files)],
            )

        def stored() -> int:
            with backend.database() as database, database.session() as session:
                return session.scalar(
                    select(func.count()).select_from(CredentialRecord)
                    .where(CredentialRecord.submitted_by == key_id)
                ) or 0

        refused = new_case(document, document)  # the same credential twice: stacking refused
        assert refused.status_code == 422 and "twice" in refused.text
        assert stored() == 0
        accepted = new_case(document)
        assert accepted.status_code == 303 and accepted.headers["location"].startswith("/cases/")
        assert stored() == 1


# --- screenings are their owner's ----------------------------------------------------------


def test_a_screening_is_seen_by_the_key_that_asked_and_by_admins_only(
    backend: Backend, programme: dict[str, Any], credentials: list[dict[str, Any]]
) -> None:
    admin, _ = backend.create_key("admin")
    owner, _ = backend.create_key("screening")
    other, _ = backend.create_key("screening")
    evaluator, _ = backend.create_key("evaluator")
    with server(backend.data_dir, **backend.settings) as (url, _):

        def api(key: str) -> httpx.Client:
            return httpx.Client(base_url=url, headers={"X-API-Key": key}, timeout=DEADLINE)

        with api(admin) as http:
            assert http.post("/v1/programmes", json=programme).status_code == 201
        with api(owner) as http:
            by_api = http.post(
                "/v1/screenings",
                json={"programme_ids": [programme["id"]], "credentials": credentials[:1]},
            ).json()["id"]
        with workbench(url) as page:  # and one submitted from the workbench
            sign_in(page, owner)
            token = csrf_of(page.get("/screenings"))
            submitted = page.post(
                "/screenings", data={"programme_ids": programme["id"], "csrf_token": token},
                files=[("credentials", ("c.json", json.dumps(credentials[:1]).encode(),
                                        "application/json"))],
            )
            assert submitted.status_code == 303, submitted.text
            by_page = submitted.headers["location"].removeprefix("/screenings/")
            assert page.get(f"/screenings/{by_page}").status_code == 200

        unknown = uuid.uuid4().hex
        for key in (other, evaluator):
            with api(key) as http:
                nowhere = http.get(f"/v1/screenings/{unknown}")
                for screening_id in (by_api, by_page):
                    for path in ("", "/results"):
                        answer = http.get(f"/v1/screenings/{screening_id}{path}")
                        assert answer.status_code == 404, answer.text
                        # told exactly what an unknown id is told, but for the id itself
                        assert answer.json()["type"] == nowhere.json()["type"]
                        assert answer.json()["title"] == nowhere.json()["title"]
                listed = {item["id"] for item in http.get("/v1/screenings?limit=200")
                          .json()["items"]}
                assert not {by_api, by_page} & listed
            with workbench(url) as page:
                sign_in(page, key)
                for screening_id in (by_api, by_page):
                    assert page.get(f"/screenings/{screening_id}").status_code == 404
                    assert page.get(f"/screenings/{screening_id}/results.csv").status_code == 404
                assert by_api not in page.get("/screenings").text

        for key in (owner, admin):
            with api(key) as http:
                for screening_id in (by_api, by_page):
                    wait_for(http, screening_id, completed)
                    results = http.get(f"/v1/screenings/{screening_id}/results")
                    assert results.status_code == 200
                listed = {item["id"] for item in http.get("/v1/screenings?limit=200")
                          .json()["items"]}
                assert {by_api, by_page} <= listed


# --- the attacks that held before -----------------------------------------------------------


def test_the_attacks_that_held_still_hold(backend: Backend, programme: dict[str, Any]) -> None:
    """401 without a key, 403 for a role not allowed, a revoked key refused (API and pages),
    CSRF refused: through the real server, on this backend."""
    evaluator, evaluator_id = backend.create_key("evaluator")
    screening, _ = backend.create_key("screening")
    with server(backend.data_dir, **backend.settings) as (url, _):
        bare = httpx.Client(base_url=url, timeout=DEADLINE)
        assert bare.get("/v1/programmes").json()["type"].endswith(":missing-api-key")
        assert bare.post("/v1/credentials", json={}).status_code == 401
        assert bare.get("/v1/screenings", headers={"X-API-Key": "re_" + "A" * 43}
                        ).status_code == 401
        refused = bare.post("/v1/programmes", json=programme, headers={"X-API-Key": evaluator})
        assert refused.status_code == 403 and refused.json()["type"].endswith(":forbidden")
        with workbench(url) as page:
            sign_in(page, evaluator)
            assert page.get("/cases/new").status_code == 403  # the role, on the pages too
            token = csrf_of(page.get("/cases"))
            for sent in ({}, {"csrf_token": "forged"}, {"csrf_token": token + "x"}):
                assert page.post("/logout", data=sent).status_code == 403, sent
            assert page.get("/cases").status_code == 200  # still signed in: nothing was done
        with workbench(url) as page:  # a form posted from another session's page
            sign_in(page, screening)
            assert page.post("/logout", data={"csrf_token": token}).status_code == 403
        backend.keys("revoke", evaluator_id)
        revoked = bare.get("/v1/programmes", headers={"X-API-Key": evaluator})
        assert revoked.json()["type"].endswith(":revoked-api-key")
        with workbench(url) as page:
            login = page.post("/login", data={"key": evaluator,
                                              "csrf_token": csrf_of(page.get("/login"))})
            assert login.status_code == 401
        bare.close()


def test_reads_answer_while_a_screening_runs(
    backend: Backend, programme: dict[str, Any], credentials: list[dict[str, Any]]
) -> None:
    key, _ = backend.create_key("admin")
    with server(backend.data_dir, gated=True, **backend.settings) as (url, _), httpx.Client(
        base_url=url, headers={"X-API-Key": key}, timeout=DEADLINE
    ) as http:
        assert http.post("/v1/programmes", json=programme).status_code == 201
        batch = [credentials[0] | {"id": f"busy-{i}"} for i in range(3 * BATCH)]
        screening = http.post(
            "/v1/screenings", json={"programme_ids": [programme["id"]], "credentials": batch}
        ).json()["id"]
        # the server holds the screening after its first committed batch: it is running
        held = wait_for(http, screening, past_the_first_batch)
        assert held["status"] == "running"
        for path in ("/health", "/ready", "/v1/programmes", f"/v1/screenings/{screening}",
                     f"/v1/screenings/{screening}/results", "/v1/recognitions"):
            assert http.get(path).status_code == 200, path
        with workbench(url) as page:
            sign_in(page, key)
            for path in ("/cases", "/screenings", f"/screenings/{screening}"):
                assert page.get(path).status_code == 200, path

