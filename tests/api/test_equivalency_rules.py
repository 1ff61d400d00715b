"""Standing equivalency rules over the API, on SQLite and, with RECOGNITION_TEST_POSTGRES_URL
set, on PostgreSQL: a rule made from a decision applies to the next identical credential and
stops at its end date; what cannot stand as a rule is refused; the tables keep their history."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from apitest_support import (
    DATABASES,
    POSTGRES_URL,
    assert_append_only,
    assert_problem,
    downgrade_to_base,
    key_headers,
    make_client,
    wait_for,
)
from apitest_support import make_settings as settings_in
from fastapi.testclient import TestClient
from sqlalchemy import text

from api.database import Database
from api.security import Role


@pytest.fixture(
    scope="module",
    params=DATABASES,
)
def service(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    url = POSTGRES_URL if request.param == "postgres" else None
    if url:
        _drop_everything(url)
    overrides = {"database_url": url} if url else {}
    settings = settings_in(
        tmp_path_factory.mktemp("rules"), api_rate_limit_per_minute=100_000, **overrides
    )
    with make_client(settings) as client:
        yield client
    if url:
        _drop_everything(url)


def _drop_everything(url: str) -> None:
    database = Database(url)
    downgrade_to_base(database)
    database.dispose()


@pytest.fixture(scope="module")
def keys(service: TestClient) -> dict[str, dict[str, str]]:
    return {role.value: key_headers(service, role, f"rules {role.value}") for role in Role}


@pytest.fixture(scope="module")
def programme_id(
    service: TestClient, keys: dict[str, dict[str, str]], programme: dict[str, Any]
) -> str:
    own = programme | {"id": f"rules-{uuid.uuid4().hex[:8]}"}
    assert service.post("/v1/programmes", json=own, headers=keys["admin"]).status_code == 201
    return own["id"]


@dataclass(frozen=True)
class Desk:
    """The service as an office uses it for these tests: a key per role and a programme of
    their own."""

    client: TestClient
    keys: dict[str, dict[str, str]]
    programme_id: str

    def propose(self, credential: dict[str, Any]) -> dict[str, Any]:
        """Return the recognition of ``credential`` against the programme, as screening."""
        screening = self.keys["screening"]
        stored = self.client.post("/v1/credentials", json=credential, headers=screening)
        assert stored.status_code == 201, stored.text
        answer = self.client.post(
            "/v1/recognitions",
            json={"programme_id": self.programme_id, "credential_ids": [stored.json()["id"]]},
            headers=screening,
        )
        assert answer.status_code == 201, answer.text
        return answer.json()

    def decide(self, recognition_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """Return the evaluator's decision ``body`` on the recognition, as recorded."""
        url = f"/v1/recognitions/{recognition_id}/decisions"
        answer = self.client.post(url, json=body, headers=self.keys["evaluator"])
        assert answer.status_code == 201, answer.text
        return answer.json()

    def award(
        self, recognition_id: str, awards: list[dict[str, Any]], reason: str = "r"
    ) -> dict[str, Any]:
        """Return the decision that modifies the proposal to award ``awards`` (module, ECTS)."""
        body = {"action": "modify", "reason": reason, "modules": awards}
        return self.decide(recognition_id, body)

    def make_rule(
        self, decision_id: int, headers: dict[str, str] | None = None, **fields: Any
    ) -> httpx.Response:
        """Ask for a standing rule from the decision, valid from 2026-01-01 unless ``fields``
        say otherwise; the evaluator asks unless ``headers`` are given."""
        body = {"decision_id": decision_id, "valid_from": "2026-01-01", "note": "n"} | fields
        return self.client.post(
            "/v1/equivalency-rules", json=body, headers=headers or self.keys["evaluator"]
        )

    def end_rule(
        self, rule_id: str, body: dict[str, Any], headers: dict[str, str] | None = None
    ) -> httpx.Response:
        """Ask to end the rule; the evaluator asks unless ``headers`` are given."""
        return self.client.post(
            f"/v1/equivalency-rules/{rule_id}/end",
            json=body,
            headers=headers or self.keys["evaluator"],
        )

    def modified_to_one_ects(self, credential: dict[str, Any]) -> dict[str, Any]:
        """Return the decision that awards 1 ECTS of the first module proposed or considered."""
        recognition = self.propose(credential)
        module = recognition["proposal"]["considered"] or recognition["proposal"]["modules"]
        return self.award(recognition["id"], [{"module_code": module[0]["module_code"], "ects": 1}])


@pytest.fixture(scope="module")
def desk(service: TestClient, keys: dict[str, dict[str, str]], programme_id: str) -> Desk:
    return Desk(service, keys, programme_id)


def issued(credential: dict[str, Any], day: str, **changes: Any) -> dict[str, Any]:
    return credential | {"id": None, "date_of_issue": day, **changes}


def by_id(credentials: list[dict[str, Any]], credential_id: str) -> dict[str, Any]:
    """A shipped credential in English (a credential in another language takes the multilingual
    model, which these tests do not need)."""
    return next(c for c in credentials if c["id"] == credential_id)


def rule_findings(proposal: dict[str, Any], code: str) -> list[dict[str, Any]]:
    return [f for f in proposal["findings"] if f["code"] == code]


def test_a_standing_rule_applies_to_the_next_identical_credential_and_stops_at_its_end_date(
    desk: Desk, programme: dict[str, Any], credentials: list[dict[str, Any]]
) -> None:
    first = by_id(credentials, "ge-cloud-fundamentals")
    decided = desk.propose(issued(first, "2026-01-15"))
    # a module the evaluator chose: the last of the catalogue, whatever the engine proposed
    module = programme["modules"][-1]
    award = {"module_code": module["code"], "ects": min(module["ects"], 3)}
    decision = desk.award(decided["id"], [award], reason="the course is our module")
    made = desk.make_rule(decision["id"], valid_until=None, note="agreed by the faculty board")
    assert made.status_code == 201, made.text
    rule = made.json()
    assert made.headers["location"] == f"/v1/equivalency-rules/{rule['id']}"
    assert (rule["title"], rule["awarding_body"]) == (first["title"], first["awarding_body"])
    assert rule["modules"] == [award] and rule["valid_until"] is None and rule["ends"] == []

    # the next learner's credential, the same course written in other case and spacing
    same = issued(
        first,
        "2026-06-30",
        title="  " + first["title"].upper(),
        awarding_body=first["awarding_body"].lower(),
    )
    proposal = desk.propose(same)["proposal"]
    by_rule = [m for m in proposal["modules"] if m["rule_id"] == rule["id"]]
    assert [(m["module_code"], m["proposed_ects"]) for m in by_rule] == [
        (award["module_code"], award["ects"])
    ]
    assert proposal["modules"] == by_rule  # the rule decides the credential
    applied = [f for f in rule_findings(proposal, "equivalency.rule_applied") if f["module_code"]]
    assert [f["module_code"] for f in applied] == [module["code"]]
    assert applied[0]["source"]["kind"] == "equivalency_rule"
    assert applied[0]["source"]["id"] == rule["id"]
    assert f"decision {decision['id']}" in applied[0]["source"]["citation"]
    assert applied[0]["source"]["date"] == "2026-01-01"
    assert proposal["status"] != "no_recognition_proposed"

    ended = desk.end_rule(
        rule["id"], {"ends_on": "2026-06-30", "note": "the provider changed the course"}
    )
    assert ended.status_code == 200, ended.text
    assert ended.json()["valid_until"] == "2026-06-30"
    history = desk.client.get(
        f"/v1/equivalency-rules/{rule['id']}", headers=desk.keys["screening"]
    ).json()
    assert [end["ends_on"] for end in history["ends"]] == ["2026-06-30"]
    assert history["valid_until_as_made"] is None

    on_the_last_day = desk.propose(issued(first, "2026-06-30"))
    assert [m["rule_id"] for m in on_the_last_day["proposal"]["modules"]] == [rule["id"]]
    after = desk.propose(issued(first, "2026-07-01"))["proposal"]
    assert all(m["rule_id"] is None for m in after["modules"])
    expired = rule_findings(after, "equivalency.rule_expired")
    assert [f["source"]["id"] for f in expired] == [rule["id"]]
    assert "2026-07-01" in expired[0]["message"]

    def listed(day: str) -> list[str]:
        page = desk.client.get(
            "/v1/equivalency-rules",
            params={"active_on": day, "programme_id": desk.programme_id},
            headers=desk.keys["evaluator"],
        )
        assert page.status_code == 200, page.text
        return [item["id"] for item in page.json()["items"]]

    assert rule["id"] in listed("2026-06-30")
    assert rule["id"] not in listed("2026-07-01")
    assert rule["id"] not in listed("2025-12-31")


def test_what_cannot_stand_as_a_rule_is_refused(
    desk: Desk, credentials: list[dict[str, Any]]
) -> None:
    recognition = desk.propose(issued(by_id(credentials, "mooc-sql-databases"), "2026-02-01"))
    rejected = desk.decide(recognition["id"], {"action": "reject", "reason": "no"})

    assert_problem(desk.make_rule(rejected["id"]), 409, "conflict")
    assert_problem(desk.make_rule(10_000_000), 404, "not-found")
    assert_problem(desk.make_rule(rejected["id"], desk.keys["screening"]), 403)
    assert_problem(desk.make_rule(rejected["id"], valid_until="2025-01-01"), 422)
    # a rejection superseded by an accept: the accept stands, the rejection never can
    proposal = recognition["proposal"]
    module = (proposal["considered"] or proposal["modules"])[0]["module_code"]
    accepted = desk.award(recognition["id"], [{"module_code": module, "ects": 1}], "on review")
    assert_problem(desk.make_rule(rejected["id"]), 409, "conflict")
    rule = desk.make_rule(accepted["id"], valid_until="2026-12-31")
    assert rule.status_code == 201, rule.text
    rule_id = rule.json()["id"]
    assert_problem(desk.end_rule(rule_id, {"ends_on": "2027-01-31"}), 409, "conflict")
    assert_problem(desk.end_rule(rule_id, {"ends_on": "2025-12-31"}), 409, "conflict")
    assert_problem(desk.end_rule(rule_id, {}, desk.keys["screening"]), 403)
    assert_problem(desk.end_rule("nope", {}), 404, "not-found")
    kept = desk.client.get(f"/v1/equivalency-rules/{rule_id}", headers=desk.keys["evaluator"])
    assert kept.json()["ends"] == []


def test_a_retried_request_makes_one_rule(desk: Desk, credentials: list[dict[str, Any]]) -> None:
    credential = issued(by_id(credentials, "ge-pilot-gis-for-tourism"), "2026-03-01")
    decision = desk.modified_to_one_ects(credential)
    headers = desk.keys["evaluator"] | {"Idempotency-Key": uuid.uuid4().hex}
    first = desk.make_rule(decision["id"], headers, note="once")
    again = desk.make_rule(decision["id"], headers, note="once")
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    listed = desk.client.get(
        "/v1/equivalency-rules",
        params={"programme_id": desk.programme_id, "limit": 200},
        headers=desk.keys["evaluator"],
    ).json()["items"]
    assert [item["id"] for item in listed].count(first.json()["id"]) == 1


def test_the_database_refuses_to_rewrite_a_rule_or_its_history(
    desk: Desk, credentials: list[dict[str, Any]]
) -> None:
    credential = issued(by_id(credentials, "am-network-security-essentials-1"), "2026-04-01")
    decision = desk.modified_to_one_ects(credential)
    rule = desk.make_rule(decision["id"], note="kept").json()
    assert desk.end_rule(rule["id"], {"ends_on": "2026-05-01"}).status_code == 200
    url = f"/v1/equivalency-rules/{rule['id']}"
    before = desk.client.get(url, headers=desk.keys["evaluator"]).json()

    database = desk.client.app.state.services.database
    dialect = database.engine.dialect.name
    assert_append_only(database, _rewrites(dialect, rule["id"], decision["id"]))

    assert desk.client.get(url, headers=desk.keys["evaluator"]).json() == before


def _rewrites(dialect: str, rule_id: str, decision_id: int) -> list[str]:
    """Statements that would change or remove a rule or an end of it: each must be refused."""
    rule_columns = (
        "(id, decision_id, recognition_id, programme_id, awarding_body, title, match_key, modules, "
        "valid_from, valid_until, note, decided_at, key_id, key_name, created_at)"
    )
    rule_row = (
        f"equivalency_rules {rule_columns} VALUES ('{rule_id}', {decision_id}, 'r', 'p', 'b', "
        "'t', 'k', '[]', '2000-01-01', NULL, 'forged', '2020-01-01', 'k', 'forger', '2020-01-01')"
    )
    end_id = f"(SELECT MIN(id) FROM equivalency_rule_ends WHERE rule_id = '{rule_id}')"
    statements = [
        "UPDATE equivalency_rules SET valid_until = NULL",
        "UPDATE equivalency_rule_ends SET ends_on = '2099-01-01'",
        f"DELETE FROM equivalency_rule_ends WHERE rule_id = '{rule_id}'",
        f"DELETE FROM equivalency_rules WHERE id = '{rule_id}'",
        f"INSERT INTO {rule_row} ON CONFLICT (id) DO UPDATE SET note = 'forged'",
    ]
    if dialect == "sqlite":
        end_row = (
            "equivalency_rule_ends (id, rule_id, ends_on, note, key_id, key_name, created_at) "
            f"VALUES ({end_id}, '{rule_id}', '2099-01-01', 'forged', 'k', 'forger', "
            "'2020-01-01')"
        )
        statements += [
            f"REPLACE INTO {rule_row}",
            f"INSERT OR REPLACE INTO {rule_row}",
            f"REPLACE INTO {end_row}",
            "UPDATE OR REPLACE equivalency_rules SET note = 'forged'",
        ]
    if dialect == "postgresql":
        statements += [
            "TRUNCATE equivalency_rule_ends",
            f"MERGE INTO equivalency_rules r USING (SELECT '{rule_id}' AS id) s ON r.id = s.id "
            "WHEN MATCHED THEN UPDATE SET note = 'forged'",
        ]
    return statements


def test_the_rule_tables_migrate_down_and_up(tmp_path: Path) -> None:
    """The migration goes down and up again (what ``downgrade_to_base`` relies on)."""
    database = Database(f"sqlite:///{tmp_path / 'recognition.db'}")
    database.migrate()
    downgrade_to_base(database)
    database.migrate()
    with database.engine.begin() as connection:
        names = {
            row[0]
            for row in connection.execute(
                text("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            )
        }
    database.dispose()
    assert {"equivalency_rules_refuse_update", "equivalency_rule_ends_refuse_replace"} <= names


def test_a_screening_applies_the_rule_and_every_language_renders_it(
    desk: Desk, programme: dict[str, Any], credentials: list[dict[str, Any]]
) -> None:
    course = by_id(credentials, "ge-pilot-python-r-data-analysis-medicine")
    recognition = desk.propose(issued(course, "2026-05-01"))
    module = programme["modules"][0]
    decision = desk.award(recognition["id"], [{"module_code": module["code"], "ects": 2}])
    rule = desk.make_rule(decision["id"]).json()

    next_one = desk.propose(issued(course, "2026-05-02"))
    georgian = desk.client.get(
        f"/v1/recognitions/{next_one['id']}",
        headers=desk.keys["screening"] | {"Accept-Language": "ka"},
    ).json()["proposal"]
    [applied] = [f for f in rule_findings(georgian, "equivalency.rule_applied") if f["module_code"]]
    assert rule["id"] in applied["message"] and "მუდმივი წესით" in applied["message"]

    screening = desk.client.post(
        "/v1/screenings",
        json={"programme_ids": [desk.programme_id], "credentials": [issued(course, "2026-05-03")]},
        headers=desk.keys["screening"],
    )
    assert screening.status_code == 202, screening.text
    url = f"/v1/screenings/{screening.json()['id']}"
    wait_for(desk.client, screening.json()["id"], headers=desk.keys["screening"])
    [item] = desk.client.get(f"{url}/results", headers=desk.keys["screening"]).json()["items"]
    assert [m["rule_id"] for m in item["proposal"]["modules"]] == [rule["id"]]
