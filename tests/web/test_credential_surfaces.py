"""One file, one reading, whatever the way in: a hand-edited credential that claims a verified
signature and EU 2022 elements it lacks is read as the engine reads it by the CLI
(``recognise --json``), the API (a real server) and the workbench (an upload on a real server,
signed in), each with a data folder of its own, and all three report the same credential."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from api.security import Role
from cli import build_app

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
PROGRAMME = ROOT / "corpora" / "programmes" / "ge-computer-engineering-bsc.yaml"
UNSTATED = ["workload", "level", "assessment", "participation", "quality_assurance"]


@pytest.fixture(scope="module")
def api_server(fresh_workbench: Callable[[], Any]) -> Any:  # a conftest Workbench
    return fresh_workbench()


@pytest.fixture(scope="module")
def workbench_server(fresh_workbench: Callable[[], Any]) -> Any:
    return fresh_workbench()


def through_cli(name: str, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The credential as ``recognise --json`` reports it."""
    monkeypatch.setenv("RECOGNITION_EMBEDDER", "fake")
    monkeypatch.setenv("RECOGNITION_DATA_DIR", str(data_dir))
    result = CliRunner().invoke(
        build_app(), ["recognise", str(FIXTURES / name), "-p", str(PROGRAMME), "--json"]
    )
    assert result.exit_code == 0, result.output
    [summary] = json.loads(result.output)["credentials"]
    return summary


def through_api(name: str, server: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """The credential as the API stores it, and as its proposal reports it."""
    screener = {"X-API-Key": server.keys[Role.SCREENING]}
    with httpx.Client(base_url=server.url, headers=screener, timeout=120) as client:
        created = client.post(
            "/v1/credentials",
            content=(FIXTURES / name).read_bytes(),
            headers={"Content-Type": "application/json"},
        )
        assert created.status_code == 201, created.text
        recognised = client.post(
            "/v1/recognitions",
            json={"programme_id": server.programme_id, "credential_ids": [created.json()["id"]]},
        )
        assert recognised.status_code == 201, recognised.text
    [summary] = recognised.json()["proposal"]["credentials"]
    return created.json()["credential"], summary


def through_workbench(name: str, server: Any) -> tuple[dict[str, Any], str]:
    """The credential as a case made from the uploaded file reports it, and the case's page."""
    with httpx.Client(base_url=server.url, timeout=120) as browser:
        browser.post(
            "/login",
            data={"key": server.keys[Role.SCREENING], "csrf_token": _token(browser.get("/login"))},
        )
        made = browser.post(
            "/cases",
            data={"programme_id": server.programme_id, "csrf_token": _token(browser.get("/cases"))},
            files={"credentials": (name, (FIXTURES / name).read_bytes())},
        )
        assert made.status_code == 303, made.text[:500]
        page = browser.get(made.headers["location"])
        assert page.status_code == 200
    case_id = made.headers["location"].rsplit("/", 1)[-1]
    evaluator = {"X-API-Key": server.keys[Role.EVALUATOR]}
    stored = httpx.get(f"{server.url}/v1/recognitions/{case_id}", headers=evaluator, timeout=60)
    assert stored.status_code == 200, stored.text
    [summary] = stored.json()["proposal"]["credentials"]
    return summary, page.text


def _token(page: httpx.Response) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found is not None, page.text[:500]
    return found.group(1)


def assert_the_engines_reading(summary: dict[str, Any], form: str) -> None:
    provenance = summary["provenance"]
    assert (provenance["format"], provenance["signature"]) == (form, "unsigned")
    assert provenance["signer"] is None
    assert summary["missing_elements"] == UNSTATED


def test_the_json_file_reads_the_same_through_cli_api_and_workbench(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    api_server: Any,
    workbench_server: Any,
) -> None:
    name = "hand-edited-credential.json"
    cli = through_cli(name, tmp_path / "cli-surface", monkeypatch)
    stored, api = through_api(name, api_server)
    workbench, page = through_workbench(name, workbench_server)
    for summary in (cli, api, workbench):
        assert_the_engines_reading(summary, "json")
    assert cli == api == workbench
    assert stored["provenance"] == cli["provenance"]
    assert stored["eu_elements"]["missing"] == UNSTATED
    assert "unsigned" in page and "verified" not in page


def test_the_yaml_file_reads_the_same_through_cli_and_workbench(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workbench_server: Any
) -> None:
    name = "hand-edited-credential.yaml"
    cli = through_cli(name, tmp_path / "cli-surface", monkeypatch)
    workbench, page = through_workbench(name, workbench_server)
    for summary in (cli, workbench):
        assert_the_engines_reading(summary, "yaml")
    assert cli == workbench
    assert "unsigned" in page and "verified" not in page


def test_the_api_refuses_yaml_rather_than_read_it_otherwise(api_server: Any) -> None:
    response = httpx.post(
        f"{api_server.url}/v1/credentials",
        content=(FIXTURES / "hand-edited-credential.yaml").read_bytes(),
        headers={"X-API-Key": api_server.keys[Role.SCREENING], "Content-Type": "text/yaml"},
    )
    assert response.status_code == 415
