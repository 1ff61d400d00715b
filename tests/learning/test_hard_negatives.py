"""Hard negatives: the modules next door, not accepted, the accepted module's department first."""

from __future__ import annotations

from pathlib import Path

from recognition_engine.ingestion.equivalence import load_equivalence_set
from recognition_engine.learning.hard_negatives import (
    base_ranking,
    examples_with_negatives,
    hard_negatives,
)
from recognition_engine.models import HashingEmbedder


def test_the_accepted_modules_department_comes_first_and_the_accepted_never() -> None:
    ranked = ["HIST 101", "HISP 203", "SPAN 201", "LING 230", "HISP 202"]
    assert hard_negatives(ranked, ["HISP 201"], 3) == ["HISP 203", "HISP 202", "HIST 101"]
    assert hard_negatives(ranked, ["HIST 101"], 2) == ["HISP 203", "SPAN 201"]
    assert hard_negatives(ranked, ["HISP 201"], 3, depth=2) == ["HISP 203", "HIST 101"]
    assert hard_negatives(ranked, ["SPAN 201"], 0) == []


def write_set(folder: Path) -> Path:
    folder.mkdir()
    (folder / "modules.jsonl").write_text(
        '{"id": "SPAN 201", "title": "Intermediate Spanish", "description": "Spanish grammar."}\n'
        '{"id": "SPAN 203", "title": "Spanish Composition", "description": "Spanish essays."}\n'
        '{"id": "CHEM 101", "title": "General Chemistry", "description": "Atoms, bonds."}\n'
        '{"id": "MATH 111", "title": "Calculus", "description": "Limits, derivatives."}\n'
    )
    (folder / "credentials.jsonl").write_text(
        '{"id": "SPA 201", "title": "Intermediate Spanish", "description": "Spanish grammar."}\n'
        '{"id": "CHM 111", "title": "General Chemistry", "description": "Atoms and bonds."}\n'
    )
    (folder / "qrels.tsv").write_text(
        "credential_id\tmodule_id\trelevance\nSPA 201\tSPAN 201\t1\nCHM 111\tCHEM 101\t1\n"
    )
    return folder


def test_each_accepted_pair_is_trained_against_its_near_twins(tmp_path: Path) -> None:
    dataset = load_equivalence_set(write_set(tmp_path / "set"))
    ranking = base_ranking(dataset, HashingEmbedder())
    assert ranking["SPA 201"][0] == "SPAN 201"  # the same text ranks first
    examples = examples_with_negatives(dataset, ranking, 2)
    spanish = [e for e in examples if e[0].startswith("Intermediate Spanish")]
    assert [e[1] for e in spanish] == ["Intermediate Spanish Spanish grammar."] * 2
    # the other Spanish module, ranked below the accepted one, is the first hard negative
    assert spanish[0][2] == "Spanish Composition Spanish essays."
    assert len(examples) == 4 and all(len(e) == 3 for e in examples)
    assert not any(e[1] == e[2] for e in examples)
