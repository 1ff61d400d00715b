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


def test_learn_from_a_set_prints_its_figures_and_report_prints_the_card(tmp_path: Path) -> None:
    import json

    from tests.learning.conftest import write_synthetic

    folder = write_synthetic(tmp_path / "synthetic-set")
    learned = run(tmp_path, "--dataset", str(folder))
    assert learned.exit_code == 0, learned.output
    assert "6 with no equivalent" in learned.output  # the set's ART credentials count too
    assert "no_equivalent" in learned.output and "out of fold" in learned.output
    report = run(tmp_path, "--report", "--catalogue", "synthetic-set")
    assert report.exit_code == 0, report.output
    card = json.loads(report.output)
    assert card["without_equivalent"] == 6 and card["cross_validated"]["tiers"]


def test_report_without_a_model_says_so(tmp_path: Path) -> None:
    result = run(tmp_path, "--report", "--catalogue", "never-learned")
    assert result.exit_code == 3 and "run learn first" in result.output
