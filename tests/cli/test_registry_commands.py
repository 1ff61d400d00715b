"""The registry commands and a recognition through the CLI, in a fresh data folder: before an
import the QA finding says no register was checked; after one a listed provider is registered
with its source and an unlisted one is sent to review; a national policy file is checked when
the command starts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from cli import build_app
from tests.conftest import make_credential
from tests.registry.deqar_rows import write_export, write_institutions, write_reports

runner = CliRunner()
CORPORA = Path(__file__).resolve().parents[2] / "corpora"
LISTED = "Kutaisi Polytechnic Institute (invented)"


@pytest.fixture
def env(cli_env: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("RECOGNITION_NATIONAL_POLICY_FILE", raising=False)
    for name, body in (("listed", LISTED), ("unlisted", "Test College")):
        credential = make_credential(awarding_body=body, workload={"ects": 12})
        (cli_env / f"{name}.yaml").write_text(
            yaml.safe_dump(credential.model_dump(mode="json"), allow_unicode=True)
        )
    return cli_env


def invoke(*args: str):  # noqa: ANN201
    return runner.invoke(build_app(), list(args))


def recognise(env: Path, name: str) -> dict[str, Any]:
    result = invoke(
        "recognise", str(env / f"{name}.yaml"), "-p", str(env / "programme.yaml"), "--json"
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def codes(proposal: dict[str, Any], prefix: str) -> list[dict[str, Any]]:
    return [f for f in proposal["findings"] if f["code"].startswith(prefix)]


def test_before_and_after_a_deqar_import(env: Path) -> None:
    said = invoke("registry", "status")
    assert said.exit_code == 0 and "No register imported" in said.output
    [before] = codes(recognise(env, "listed"), "qa.registry.")
    assert before["code"] == "qa.registry.not_configured"

    imported = invoke(
        "registry",
        "import",
        "deqar",
        str(write_institutions(env)),
        str(write_reports(env)),
        "--captured",
        "2026-11-30",
    )
    assert imported.exit_code == 0, imported.output
    assert "CC BY 4.0" in imported.output
    status = json.loads(invoke("registry", "status", "--json").stdout)
    assert status["configured"] and status["providers"] == 2

    listed = recognise(env, "listed")
    [found] = codes(listed, "qa.registry.")
    assert found["code"] == "qa.registry.registered"
    assert found["source"]["kind"] == "registry" and found["source"]["id"] == "77001"
    assert "EQAR" in found["source"]["citation"]
    assert listed["status"] == "recognition_proposed"

    unlisted = recognise(env, "unlisted")
    [missing] = codes(unlisted, "qa.registry.")
    assert missing["code"] == "qa.registry.not_found"
    assert unlisted["status"] == "review_required"


def test_lookup_shows_which_name_matched_and_how(env: Path) -> None:
    invoke("registry", "import", "deqar", str(write_institutions(env)))
    found = invoke("registry", "lookup", "Kutaisis Politeknikuri Instituti", "--country", "GE")
    assert found.exit_code == 0, found.output
    assert "official name, transliterated" in found.output
    matches = json.loads(invoke("registry", "lookup", "kpi (invented)", "--json").stdout)
    assert matches[0]["name_kind"] == "version" and matches[0]["how"] == "exact"
    assert invoke("registry", "lookup", "Nowhere Institute").exit_code == 1


def test_a_csv_that_is_neither_export_is_refused_and_nothing_stored(env: Path) -> None:
    other = write_export(env / "other.csv", ("title", "ects"), [{"title": "x"}])
    refused = invoke("registry", "import", "deqar", str(write_institutions(env)), str(other))
    assert refused.exit_code == 2
    said = " ".join(refused.output.split())
    assert "neither DEQAR export" in said and "name_primary" in said
    assert "No register imported" in invoke("registry", "status").output


def test_a_national_list_and_the_georgian_profile(
    env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    imported = invoke(
        "registry", "import", "national", str(CORPORA / "registries" / "ge-nceqe.example.yaml")
    )
    assert imported.exit_code == 0, imported.output
    assert "example of the format" in imported.output
    monkeypatch.setenv(
        "RECOGNITION_NATIONAL_POLICY_FILE", str(CORPORA / "policies" / "ge-am.example.yaml")
    )
    proposal = recognise(env, "unlisted")  # 12 ECTS, against the example maximum of 10
    [ects] = codes(proposal, "national_policy.microcredential_ects")
    assert ects["code"] == "national_policy.microcredential_ects.outside"
    assert ects["source"]["id"] == "GE:ge-microcredential-ects"
    assert "example value" in ects["message"]


def test_a_wrong_policy_file_stops_the_command(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    policy = env / "policy.yaml"
    policy.write_text(
        "- country: GE\n  name: x\n  rules:\n    - id: a\n      kind: nope\n"
        "      source: {citation: x}\n"
    )
    monkeypatch.setenv("RECOGNITION_NATIONAL_POLICY_FILE", str(policy))
    result = invoke("recognise", str(env / "listed.yaml"), "-p", str(env / "programme.yaml"))
    assert result.exit_code == 2
    said = " ".join(result.output.split())  # as wrapped to the terminal's width
    assert "line 5" in said and "'nope'" in said


def test_the_report_lists_registers_and_policy_with_sources(env: Path) -> None:
    invoke("registry", "import", "deqar", str(write_institutions(env)), str(write_reports(env)))
    result = invoke("recognise", str(env / "listed.yaml"), "-p", str(env / "programme.yaml"))
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert "Registers and national policy:" in said
    assert "Source: DEQAR, the Database of External Quality Assurance Results, by EQAR" in said


def test_a_wrong_policy_file_stops_serve_before_it_listens(
    env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    policy = env / "policy.yaml"
    policy.write_text(
        "- country: AM\n  name: x\n  rules:\n    - id: a\n"
        "      kind: degree_credit_conditions\n      require: [ects_awarded]\n"
    )
    monkeypatch.setenv("RECOGNITION_NATIONAL_POLICY_FILE", str(policy))
    result = invoke("serve", "--port", "1")
    assert result.exit_code == 2
    said = " ".join(result.output.split())
    assert "line 4" in said and "source" in said
