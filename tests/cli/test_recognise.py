"""The CLI on the fake embedder: reports, JSON, and a clear message and exit code for bad input."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from typer.testing import CliRunner

from cli import build_app
from recognition_engine.config import Settings
from recognition_engine.models.cache import CachedEmbedder
from recognition_engine.skills.taxonomy import bundled_taxonomy
from tests.conftest import CountingEmbedder, make_credential

runner = CliRunner()


def invoke(*args: str):  # noqa: ANN201
    return runner.invoke(build_app(), list(args))


def test_index_then_recognise_report(env: Path) -> None:
    indexed = invoke("index", str(env / "programme.yaml"))
    assert indexed.exit_code == 0, indexed.output
    assert "3 modules, 9 outcomes" in indexed.output
    assert "ESCO skills: 13412 labels" in indexed.output
    # in the data folder's embedding cache: a later process embeds none of them again
    counting = CountingEmbedder()
    cache = CachedEmbedder(counting, Settings(data_dir=env / "var").embedding_cache_path)
    cache.embed([skill.label for skill in bundled_taxonomy().skills])
    cache.close()
    assert counting.texts == []
    assert "Multilingual model (credentials not in English): e5:" in indexed.output
    again = invoke("index", str(env / "programme.yaml"))
    assert "already up to date" in again.output
    result = invoke("recognise", str(env / "credential.yaml"), "-p", str(env / "programme.yaml"))
    assert result.exit_code == 0, result.output
    assert "Recognition proposed" in result.output
    assert "NET101" in result.output


def test_recognise_json(env: Path) -> None:
    result = invoke(
        "recognise", str(env / "credential.yaml"), "-p", str(env / "programme.yaml"), "--json"
    )
    assert result.exit_code == 0, result.output
    proposal = json.loads(result.output)
    assert proposal["status"] == "recognition_proposed"
    assert proposal["modules"][0]["module_code"] == "NET101"
    assert {e["element"] for e in proposal["elements"]} == {
        "level",
        "workload",
        "quality_assurance",
        "profile",
        "learning_outcomes",
    }


def test_missing_programme_file_exits_2(env: Path) -> None:
    result = invoke("recognise", str(env / "credential.yaml"), "-p", str(env / "none.yaml"))
    assert result.exit_code == 2
    assert "no such file" in result.output


def test_malformed_credential_exits_2(env: Path) -> None:
    (env / "bad.yaml").write_text("title: [unclosed")
    result = invoke("recognise", str(env / "bad.yaml"), "-p", str(env / "programme.yaml"))
    assert result.exit_code == 2
    assert "malformed YAML" in result.output


def test_stacking_refused_exits_4(env: Path) -> None:
    closed = make_credential(id="other", stackable=False).model_dump(mode="json")
    (env / "closed.yaml").write_text(yaml.safe_dump(closed))
    result = invoke(
        "recognise",
        str(env / "credential.yaml"),
        str(env / "closed.yaml"),
        "-p",
        str(env / "programme.yaml"),
    )
    assert result.exit_code == 4
    assert "not stackable" in result.output


def test_learner_identity_stays_out_of_the_output(env: Path) -> None:
    data = make_credential().model_dump(mode="json")
    data["learner"] = {"name": "Nino Beridze", "identifier": "01001012345"}
    (env / "named.yaml").write_text(yaml.safe_dump(data))
    result = invoke(
        "recognise", str(env / "named.yaml"), "-p", str(env / "programme.yaml"), "--json"
    )
    assert result.exit_code == 0
    assert "Beridze" not in result.output and "01001012345" not in result.output
