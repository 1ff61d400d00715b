"""The `level` and `level-train` commands, with the fake embedder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import build_app

CREDENTIAL = """\
title: Data analysis with Python
awarding_body: Tbilisi State University
country: GE
date_of_issue: 2024-05-01
workload: {hours: 125}
nqf_level: {framework: GE, level: 6}
assessment: project
participation: online
quality_assurance: {type: internal}
learning_outcomes:
  - "By the end of this course students will be able to: 1. Analyse and organise data sets;
    2. Critically evaluate statistical models; 3. Design and implement a data pipeline"
"""


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("RECOGNITION_EMBEDDER", "fake")
    monkeypatch.setenv("RECOGNITION_DATA_DIR", str(tmp_path / "var"))
    return tmp_path


def test_level_of_a_credential_as_json(env: Path) -> None:
    path = env / "credential.yaml"
    path.write_text(CREDENTIAL, encoding="utf-8")
    result = CliRunner().invoke(build_app(), ["level", str(path), "--json"])
    assert result.exit_code == 0, result.output
    estimate = json.loads(result.output)
    assert estimate["declared_eqf_level"] == 6  # from the Georgian NQF level
    assert len(estimate["outcomes"]) == 3
    assert estimate["outcomes"][0]["verbs"] == ["analyze", "organize"]
    assert any("5 ECTS" in line for line in estimate["evidence"])


def test_level_of_a_text_file_for_people(env: Path) -> None:
    path = env / "outcomes.txt"
    path.write_text("Describe the water cycle\nDesign and build a rain gauge\n", encoding="utf-8")
    result = CliRunner().invoke(build_app(), ["level", str(path)])
    assert result.exit_code == 0, result.output
    assert "Georgian NQF" in result.output and "design, build" in result.output


def test_bad_files_exit_with_the_invalid_input_code(env: Path) -> None:
    path = env / "numbers.json"
    path.write_text("[1, 2, 3]", encoding="utf-8")
    result = CliRunner().invoke(build_app(), ["level", str(path)])
    assert result.exit_code == 2
    missing = CliRunner().invoke(build_app(), ["level", str(env / "missing.yaml")])
    assert missing.exit_code == 2


def test_level_train_saves_a_classifier_the_level_command_uses(env: Path) -> None:
    data = env / "labelled"
    data.mkdir()
    rows = [
        {"text": f"{verb} the {topic}", "labels": [level]}
        for verb, level in (
            ("List", "Remember"),
            ("Explain", "Understand"),
            ("Apply", "Apply"),
            ("Analyse", "Analyze"),
            ("Evaluate", "Evaluate"),
            ("Design", "Create"),
        )
        for topic in ("market data", "tax law", "soil samples", "energy systems", "legal cases")
    ]
    (data / "outcomes.jsonl").write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    result = CliRunner().invoke(build_app(), ["level-train", "--data", str(data), "--epochs", "0"])
    assert result.exit_code == 0, result.output
    assert (env / "var" / "bloom-classifier.joblib").is_file()
    outcomes = env / "outcomes.json"
    outcomes.write_text(json.dumps(["Evaluate the soil samples"]), encoding="utf-8")
    estimate = json.loads(
        CliRunner().invoke(build_app(), ["level", str(outcomes), "--json"]).output
    )
    assert estimate["outcomes"][0]["method"] == "classifier"
    assert estimate["outcomes"][0]["bloom"] == ["Evaluate"]


def test_level_train_refuses_unlabelled_data(env: Path) -> None:
    (env / "outcomes.jsonl").write_text(json.dumps({"text": "Explain x"}), encoding="utf-8")
    result = CliRunner().invoke(build_app(), ["level-train", "--data", str(env)])
    assert result.exit_code == 2


def test_level_train_cannot_fine_tune_the_fake_embedder(env: Path) -> None:
    data = env / "labelled"
    data.mkdir()
    rows = [{"text": f"Explain the {i}", "labels": ["Understand"]} for i in range(10)]
    (data / "outcomes.jsonl").write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    result = CliRunner().invoke(build_app(), ["level-train", "--data", str(data)])
    assert result.exit_code == 6 and "fine-tune" in result.output
    assert not (env / "var" / "bloom-classifier.joblib").exists()


@pytest.mark.real_model
def test_level_train_fine_tunes_the_embedding_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RECOGNITION_EMBEDDING_BACKEND", "torch")
    monkeypatch.setenv("RECOGNITION_DATA_DIR", str(tmp_path / "var"))
    rows = [
        {"text": f"{verb} the {topic}", "labels": [level]}
        for verb, level in (("List", "Remember"), ("Design", "Create"), ("Evaluate", "Evaluate"))
        for topic in ("market data", "tax law", "soil samples", "energy systems")
    ]
    (tmp_path / "outcomes.jsonl").write_text("\n".join(json.dumps(r) for r in rows), "utf-8")
    result = CliRunner().invoke(
        build_app(), ["level-train", "--data", str(tmp_path), "--epochs", "1"]
    )
    assert result.exit_code == 0, result.output
    assert "epochs of fine-tuning the embedding model: 1" in " ".join(result.output.split())
    from recognition_engine.levels import BloomClassifier

    saved = BloomClassifier.load(tmp_path / "var" / "bloom-classifier.joblib")
    assert saved.encoder is not None
