"""``recognition-engine rules list|end`` over the service's database: the rules a decision made,
what each covers on a day, and an end kept in the rule's history."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.database import Database
from api.equivalency_rules import EquivalencyRules
from api.equivalency_schemas import RuleRequest
from api.schemas import DecisionAction, DecisionRequest, ModuleAward
from api.security import Caller, Role
from api.store import Store
from cli import build_app
from recognition_engine.config import Settings
from recognition_engine.decision import CredentialOutcomes, DecisionParams, propose_recognition
from tests.conftest import make_credential, make_programme

EVALUATOR = Caller(key_id="k-evaluator", name="Dr Evaluator", role=Role.EVALUATOR)


@pytest.fixture
def rule_id(tmp_path: Path) -> str:
    """A rule made from a decision, in the database of the data folder ``tmp_path``."""
    database = Database(f"sqlite:///{tmp_path / 'recognition.db'}")
    database.migrate()
    try:
        store = Store(database)
        programme = make_programme()
        store.create_programme(programme)
        case = store.new_case([make_credential()], programme.id, EVALUATOR)
        params = DecisionParams.from_settings(Settings(_env_file=None))
        outcomes = [
            CredentialOutcomes(c, list(c.learning_outcomes)) for c in case.basis.credentials
        ]
        proposal = propose_recognition(outcomes, programme, [], params)
        recognition = store.add_case(case, proposal, EVALUATOR)
        award = ModuleAward(module_code="DB201", ects=4)
        decision = store.add_decision(
            recognition.id,
            DecisionRequest(action=DecisionAction.MODIFY, reason="ours", modules=[award]),
            EVALUATOR,
        )
        request = RuleRequest(decision_id=decision.id, valid_from=dt.date(2026, 1, 1), note="n")
        return EquivalencyRules(database).create(request, EVALUATOR).id
    finally:
        database.dispose()


def rules(data_dir: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        build_app(), ["rules", *args], env={"RECOGNITION_DATA_DIR": str(data_dir)}
    )
    return result.exit_code, result.output


def listed(data_dir: Path, day: str) -> list[str]:
    code, output = rules(data_dir, "list", "--active-on", day, "--json")
    assert code == 0, output
    return [item["id"] for item in json.loads(output)]


def test_list_and_end_a_rule(tmp_path: Path, rule_id: str) -> None:
    code, output = rules(tmp_path, "list")
    assert code == 0, output
    assert rule_id in output and "DB201 (4)" in output and "Network Administration" in output
    assert listed(tmp_path, "2030-01-01") == [rule_id]

    code, output = rules(tmp_path, "end", rule_id, "--on", "2026-06-30", "--note", "changed")
    assert code == 0, output
    assert "until 2026-06-30" in output

    assert listed(tmp_path, "2026-06-30") == [rule_id]
    assert listed(tmp_path, "2026-07-01") == []
    code, output = rules(tmp_path, "list", "--json")
    [rule] = json.loads(output)
    assert [(end["ends_on"], end["note"]) for end in rule["ends"]] == [("2026-06-30", "changed")]
    assert rule["valid_until_as_made"] is None


def test_bad_input_is_a_clear_message_and_a_non_zero_exit(tmp_path: Path, rule_id: str) -> None:
    code, output = rules(tmp_path, "list", "--active-on", "next week")
    assert code == 2 and "not an ISO date" in output
    code, output = rules(tmp_path, "end", "no-such-rule")
    assert code == 3 and "no equivalency rule" in output
    assert rules(tmp_path, "end", rule_id, "--on", "2026-06-30")[0] == 0
    code, output = rules(tmp_path, "end", rule_id, "--on", "2027-01-01")
    assert code == 2 and "can only come sooner" in output


def test_recognise_applies_the_standing_rules_when_asked(tmp_path: Path, rule_id: str) -> None:
    programme = tmp_path / "programme.json"
    programme.write_text(make_programme().model_dump_json())
    credential = tmp_path / "credential.json"
    credential.write_text(make_credential(id="next-learner").model_dump_json())
    env = {"RECOGNITION_DATA_DIR": str(tmp_path), "RECOGNITION_EMBEDDER": "fake"}

    def modules(*options: str) -> list[tuple[str, str | None]]:
        result = CliRunner().invoke(
            build_app(),
            ["recognise", str(credential), "-p", str(programme), "--json", *options],
            env=env,
        )
        assert result.exit_code == 0, result.output
        proposal = json.loads(result.output)
        return [(m["module_code"], m["rule_id"]) for m in proposal["modules"]]

    assert ("DB201", rule_id) not in modules()
    assert modules("--standing-rules") == [("DB201", rule_id)]
