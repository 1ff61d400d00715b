"""`skills info` and `skills tag`: ESCO named with its terms, credentials of every format read
the engine's way, one JSON line each, outcomes the tagger cannot read said to be untagged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from cli import build_app
from recognition_engine.config import Settings
from recognition_engine.domain import ModuleSkills, SkillRef
from recognition_engine.service import RecognitionEngine
from tests.conftest import make_credential, make_programme
from tests.ingestion.digital.conftest import EDC_EXAMPLE, OB3_EXAMPLE

runner = CliRunner()


@pytest.fixture(autouse=True)
def fake_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECOGNITION_EMBEDDER", "fake")
    monkeypatch.setenv("RECOGNITION_DATA_DIR", str(tmp_path / "var"))


def lines(result) -> list[dict]:  # noqa: ANN001
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def test_info_names_esco_its_version_size_and_attribution() -> None:
    (info,) = lines(runner.invoke(build_app(), ["skills", "info", "--json"]))
    assert set(info) == {"taxonomy", "version", "skills", "licence", "attribution"}
    assert info["taxonomy"] == "ESCO" and info["version"] == "1.1.1"
    assert info["skills"] > 10_000 and "European Union" in info["attribution"]


def test_tag_reads_the_engines_own_format_and_ranks_inferred_skills(tmp_path: Path) -> None:
    path = tmp_path / "credential.yaml"
    path.write_text(yaml.safe_dump(make_credential().model_dump(mode="json")))
    (line,) = lines(
        runner.invoke(build_app(), ["skills", "tag", str(path), "--top", "3", "--json"])
    )
    assert set(line) == {"credential_id", "skills", "not_tagged"}
    inferred = [s for s in line["skills"] if s["source"] == "inferred"]
    assert 0 < len(inferred) <= 3
    assert [s["score"] for s in inferred] == sorted((s["score"] for s in inferred), reverse=True)
    assert all(s["uri"].startswith("http://data.europa.eu/esco/skill/") for s in inferred)
    assert set(inferred[0]) == {"uri", "label", "score", "source", "outcomes", "flags"}


@pytest.mark.parametrize("path", [EDC_EXAMPLE, OB3_EXAMPLE], ids=["edc", "ob3"])
def test_tag_keeps_the_declared_skills_of_digital_credentials_first(path: Path) -> None:
    if not path.is_file():
        pytest.skip(f"{path.name} is not in ../shared/data/credential-formats")
    (line,) = lines(runner.invoke(build_app(), ["skills", "tag", str(path), "--json"]))
    sources = [s["source"] for s in line["skills"]]
    assert sources[0] == "declared" and "inferred" in sources
    assert sources == sorted(sources)  # declared before inferred
    declared_uris = [s["uri"] for s in line["skills"] if s["source"] == "declared" and s["uri"]]
    inferred_uris = [s["uri"] for s in line["skills"] if s["source"] == "inferred"]
    assert declared_uris and not set(declared_uris) & set(inferred_uris)


def test_tag_reads_json_lines_of_evaluation_records_with_their_labels_declared(
    tmp_path: Path,
) -> None:
    path = tmp_path / "credentials.jsonl"
    records = [
        {
            "id": "a",
            "title": "Databases",
            "learning_outcomes": ["Write SQL queries"],
            "skills": ["SQL", "Not an ESCO label"],
        },
        {"id": "b", "title": "Web", "learning_outcomes": ["Style pages with CSS"], "skills": None},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    found = lines(runner.invoke(build_app(), ["skills", "tag", str(path), "--json"]))
    assert [f["credential_id"] for f in found] == ["a", "b"]
    declared = [s for s in found[0]["skills"] if s["source"] == "declared"]
    assert [s["flags"] for s in declared] == [[], ["label_not_esco"]]
    assert declared[0]["uri"] and declared[1]["uri"] is None


def test_outcomes_in_georgian_are_said_to_be_untagged(tmp_path: Path) -> None:
    path = tmp_path / "credential.yaml"
    credential = make_credential(
        language="ka",
        learning_outcomes=[
            "მონაცემთა ბაზის სქემის დაპროექტება მესამე ნორმალურ ფორმაში",
            "SQL მოთხოვნების დაწერა შეერთებებით და აგრეგაციით",
        ],
    )
    path.write_text(yaml.safe_dump(credential.model_dump(mode="json"), allow_unicode=True))
    (line,) = lines(runner.invoke(build_app(), ["skills", "tag", str(path), "--json"]))
    assert [u["outcome"] for u in line["not_tagged"]] == [0, 1]
    assert {u["language"] for u in line["not_tagged"]} == {"ka"}
    assert [s for s in line["skills"] if s["source"] == "inferred"] == []


def test_a_missing_file_is_a_clear_error() -> None:
    result = runner.invoke(build_app(), ["skills", "tag", "no-such-file.jsonl", "--json"])
    assert result.exit_code != 0
    assert "no such file" in result.output


def test_count_counts_a_screenings_skills_and_filters_its_pairs(
    tmp_path: Path, settings: Settings
) -> None:
    proposal = RecognitionEngine(settings).recognise([make_credential()], make_programme())
    assert proposal.modules
    proposal.modules[0].skills = ModuleSkills(shared=[SkillRef(uri="esco:sql", label="SQL")])
    records = [
        {
            "credential_id": "a",
            "programme_id": "p",
            "status": "done",
            "proposal": proposal.model_dump(mode="json"),
        },
        {"credential_id": "b", "programme_id": "p", "status": "failed", "error": "x"},
    ]
    path = tmp_path / "screening.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    (counts,) = lines(runner.invoke(build_app(), ["skills", "count", str(path), "--json"]))
    assert {"uri": "esco:sql", "label": "SQL", "shared": 1, "missing": 0} in counts
    kept = lines(
        runner.invoke(
            build_app(), ["skills", "count", str(path), "--skill", "esco:sql", "--as", "shared"]
        )
    )
    none = lines(
        runner.invoke(
            build_app(), ["skills", "count", str(path), "--skill", "esco:sql", "--as", "missing"]
        )
    )
    assert [k["credential_id"] for k in kept] == ["a"] and none == []
    bad = runner.invoke(build_app(), ["skills", "count", str(path), "--skill", "x", "--as", "y"])
    assert bad.exit_code != 0


def test_the_recognise_report_lists_each_modules_skills(settings: Settings) -> None:
    from rich.console import Console

    from cli.i18n import Reader
    from cli.render import render_proposal

    proposal = RecognitionEngine(settings).recognise([make_credential()], make_programme())
    proposal.modules[0].skills = ModuleSkills(
        shared=[SkillRef(uri="esco:sql", label="SQL")],
        missing=[SkillRef(uri="esco:nosql", label="NoSQL")],
    )
    for lang, evidenced in (
        ("en", "ESCO skills evidenced:"),
        ("ka", "დადასტურებული ESCO-ს უნარები:"),
    ):
        console = Console(record=True, width=200)
        render_proposal(proposal, console, t=Reader(lang))
        text = console.export_text()
        assert f"{evidenced} SQL" in text and "NoSQL" in text
