"""`recognition-engine learn`: from an equivalence set or from the service's recorded decisions."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from cli import build_app


def run(tmp_path: Path, *args: str):  # noqa: ANN201
    env = {"RECOGNITION_DATA_DIR": str(tmp_path), "RECOGNITION_EMBEDDER": "fake",
           "RECOGNITION_DATABASE_URL": None}
    return CliRunner().invoke(build_app(), ["learn", *args], env=env)


def test_one_source_of_decisions_is_required(tmp_path: Path) -> None:
    neither = run(tmp_path)
    assert neither.exit_code == 2 and "--dataset or --programme" in neither.output
    both = run(tmp_path, "--dataset", str(tmp_path), "--programme", "p")
    assert both.exit_code == 2


def test_an_unknown_programme_is_not_found(tmp_path: Path) -> None:
    result = run(tmp_path, "--programme", "no-such-programme")
    assert result.exit_code == 3, result.output
    assert "no programme 'no-such-programme'" in result.output
