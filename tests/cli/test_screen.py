"""`recognition-engine screen`: credentials × programmes into a resumable JSONL file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import build_app
from tests.conftest import make_credential

runner = CliRunner()


@pytest.fixture
def env(cli_env: Path) -> Path:
    """Return the ``cli_env`` folder with credentials.jsonl, two credentials, beside the
    programme."""
    credentials = [make_credential(), make_credential(id="mc-2", title="Networks again")]
    (cli_env / "credentials.jsonl").write_text(
        "".join(c.model_dump_json() + "\n" for c in credentials)
    )
    return cli_env


def test_screen_locally_then_resume(env: Path) -> None:
    args = ["screen", str(env / "credentials.jsonl"), "-p", str(env / "programme.yaml")]
    args += ["-o", str(env / "out.jsonl")]
    result = runner.invoke(build_app(), args)
    assert result.exit_code == 0, result.output
    assert "2 pairs screened" in result.output
    records = [json.loads(line) for line in (env / "out.jsonl").read_text().splitlines()]
    assert {(r["credential_id"], r["status"]) for r in records} == {
        ("mc-net", "done"),
        ("mc-2", "done"),
    }
    again = runner.invoke(build_app(), args)
    assert "0 pairs screened" in again.output


def test_screen_refuses_an_unknown_engine(env: Path) -> None:
    result = runner.invoke(
        build_app(),
        [
            "screen",
            str(env / "credentials.jsonl"),
            "-p",
            str(env / "programme.yaml"),
            "--engine",
            "spark",
        ],
    )
    assert result.exit_code != 0


def test_jsonl_lines_are_read_by_the_engines_reader(tmp_path: Path) -> None:
    from cli.screen import read_credential_files

    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "hand-edited-credential.json"
    claimed = json.loads(fixture.read_text())
    (tmp_path / "in.jsonl").write_text(json.dumps(claimed) + "\n\n" + json.dumps(claimed) + "\n")
    read = read_credential_files([tmp_path / "in.jsonl"], 5_000_000)
    assert len(read) == 2
    for credential in read:
        assert credential.provenance is not None
        assert (credential.provenance.format, credential.provenance.signature) == (
            "json",
            "unsigned",
        )
        assert credential.eu_elements is not None and "workload" in credential.eu_elements.missing


def test_a_bad_jsonl_line_is_named(env: Path) -> None:
    bad = env / "bad.jsonl"
    bad.write_text(make_credential().model_dump_json() + '\n{"title": "x", "eqf_level": "6"}\n')
    result = runner.invoke(
        build_app(), ["screen", str(bad), "-p", str(env / "programme.yaml"), "-o", "out.jsonl"]
    )
    assert result.exit_code == 2, result.output
    assert "bad.jsonl:2" in result.output and "eqf_level" in result.output
