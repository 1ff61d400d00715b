"""The equivalence-set loader: valid sets load, every kind of bad file names the file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from evaluation.datasets import Task, detect_task, holdout_task, load_retrieval_task
from recognition_engine.errors import InvalidInput
from recognition_engine.ingestion.equivalence import load_equivalence_set


def test_loads_records_qrels_and_gold(toy_set: Path) -> None:
    dataset = load_equivalence_set(toy_set)
    assert len(dataset.modules) == 6 and len(dataset.credentials) == 5
    assert dataset.gold()["C-SQL"] == {"M-DB": 1}
    assert dataset.credentials_without_match() == ["C-COOK"]
    assert dataset.credentials[0].issuer == "X"  # extra keys tolerated, known ones typed


def test_detects_the_task(toy_set: Path, tmp_path: Path) -> None:
    assert detect_task(toy_set) is Task.EQUIVALENCE
    bloom = tmp_path / "bloom"
    bloom.mkdir()
    (bloom / "outcomes.jsonl").write_text(
        '{"id": "1", "text": "Explain X.", "labels": ["Understand"]}\n'
    )
    assert detect_task(bloom) is Task.BLOOM
    with pytest.raises(InvalidInput, match="not a dataset"):
        detect_task(tmp_path)


def test_missing_file_is_named(toy_set: Path) -> None:
    (toy_set / "qrels.tsv").unlink()
    with pytest.raises(InvalidInput, match="qrels.tsv: no such file"):
        load_equivalence_set(toy_set)


def test_bad_json_line_is_numbered(toy_set: Path) -> None:
    path = toy_set / "modules.jsonl"
    path.write_text(path.read_text() + "{not json\n")
    with pytest.raises(InvalidInput, match=r"modules.jsonl:7: not JSON"):
        load_equivalence_set(toy_set)


def test_record_without_id_is_refused(toy_set: Path) -> None:
    path = toy_set / "credentials.jsonl"
    path.write_text('{"title": "No id"}\n' + path.read_text())
    with pytest.raises(InvalidInput, match=r"credentials.jsonl:1: id"):
        load_equivalence_set(toy_set)


def test_duplicate_ids_are_refused(toy_set: Path) -> None:
    path = toy_set / "modules.jsonl"
    first = path.read_text().splitlines()[0]
    path.write_text(path.read_text() + first + "\n")
    with pytest.raises(InvalidInput, match="modules.jsonl:7: id 'M-DB' appears twice"):
        load_equivalence_set(toy_set)


def test_qrels_header_and_unknown_ids(toy_set: Path) -> None:
    qrels = toy_set / "qrels.tsv"
    qrels.write_text("a\tb\tc\n")
    with pytest.raises(InvalidInput, match="qrels.tsv:1: expected the header"):
        load_equivalence_set(toy_set)
    qrels.write_text("credential_id\tmodule_id\trelevance\nC-SQL\tM-NOPE\t1\n")
    with pytest.raises(InvalidInput, match="unknown module 'M-NOPE'"):
        load_equivalence_set(toy_set)
    qrels.write_text("credential_id\tmodule_id\trelevance\nC-SQL\tM-DB\n")
    with pytest.raises(InvalidInput, match="qrels.tsv:2: expected 3"):
        load_equivalence_set(toy_set)


def test_texts_and_synthetic_holdout(toy_set: Path) -> None:
    task = load_retrieval_task(toy_set)
    sql = task.credentials[0]
    assert sql.title in sql.text and sql.outcomes  # description sentences stand in for outcomes
    held = holdout_task(task, share=0.5, seed=1)
    assert held.synthetic and len(held.credentials_without_match) == 1 + 2
    removed = {m.id for m in task.modules} - {m.id for m in held.modules}
    assert len(removed) == 2
    assert all(set(rels) <= {m.id for m in held.modules} for rels in held.gold.values())
