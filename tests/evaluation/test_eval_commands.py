"""The evaluate and analyze commands end to end on tiny sets, with the fake embedder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import build_app


@pytest.fixture
def fake_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECOGNITION_EMBEDDER", "fake")
    monkeypatch.setenv("RECOGNITION_DATA_DIR", str(tmp_path / "var"))


def test_evaluate_writes_json_and_report(toy_set: Path, tmp_path: Path, fake_env: None) -> None:
    out, report = tmp_path / "out.json", tmp_path / "report"
    result = CliRunner().invoke(
        build_app(),
        [
            "evaluate",
            "--dataset",
            str(toy_set),
            "--json-out",
            str(out),
            "--report-dir",
            str(report),
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert data["task"] == "equivalence" and data["dataset"] == "toy-set"
    assert data["default_ranker"] in data["rankers"]
    for figures in data["rankers"].values():
        assert {"P@1", "P@3", "R@5", "R@10", "MRR@10", "nDCG@10", "AUROC_no_match"} <= set(figures)
    # the toy set has one credential without a match: abstention is measurable
    default = data["rankers"][data["default_ranker"]]
    assert default["AUROC_no_match"] is not None
    assert data["abstention"][0]["cross_validated"] is not None
    assert len(data["per_credential"]) == 5
    text = (report / "report.md").read_text()
    assert "C-COOK" in text and (report / "metrics.png").exists()
    assert (report / "score_distributions.png").exists()


def test_evaluate_refuses_an_unknown_folder(tmp_path: Path, fake_env: None) -> None:
    result = CliRunner().invoke(build_app(), ["evaluate", "--dataset", str(tmp_path)])
    assert result.exit_code == 2
    assert "not a dataset" in " ".join(result.output.split())


def test_analyze_two_corpora(tmp_path: Path) -> None:
    first = tmp_path / "credentials.jsonl"
    first.write_text(
        json.dumps(
            {
                "id": "c1",
                "title": "Cloud",
                "issuer": "X",
                "learning_outcomes": [
                    "Understand cloud computing.",
                    "Configure, deploy and monitor virtual machines.",
                ],
                "workload_hours": 10,
            }
        )
        + "\n"
    )
    second = tmp_path / "outcomes.jsonl"
    second.write_text(
        "\n".join(
            json.dumps({"id": str(i), "text": t, "labels": []})
            for i, t in enumerate(["Explain big O notation.", "Be aware of ethical issues."])
        )
    )
    out = tmp_path / "analysis.json"
    result = CliRunner().invoke(
        build_app(),
        [
            "analyze",
            str(first),
            str(second),
            "--report-dir",
            str(tmp_path / "r"),
            "--json-out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    credentials, outcomes = json.loads(out.read_text())
    assert credentials["outcomes"] == 2 and credentials["vague"] == {"understand": 1}
    assert credentials["bundled_share"] == pytest.approx(0.5)
    assert credentials["completeness"]["title"] == 1.0
    assert credentials["completeness"]["level"] == 0.0
    assert outcomes["vague"] == {"be aware of": 1}
    assert (tmp_path / "r" / "analysis.md").exists() and (tmp_path / "r" / "bloom.png").exists()
