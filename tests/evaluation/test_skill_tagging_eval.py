"""Skill tagging's measures: recall@k, per-skill recall, F1 at a threshold, the cases read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evaluation.datasets import Task, detect_task
from evaluation.skills import (
    f1_at_threshold,
    is_skill_set,
    load_skill_cases,
    per_skill_recall,
    recall_at_k,
)
from recognition_engine.skills.taxonomy import bundled_taxonomy


def test_recall_at_k_is_the_mean_share_of_each_cases_gold_in_its_first_k() -> None:
    run = {"a": ["x", "y", "z"], "b": ["q", "x"]}
    gold = {"a": frozenset({"x", "z"}), "b": frozenset({"x"})}
    assert recall_at_k(run, gold, 2) == pytest.approx((0.5 + 1.0) / 2)
    assert recall_at_k(run, gold, 3) == pytest.approx(1.0)
    assert recall_at_k({}, gold, 10) == 0.0


def test_per_skill_recall_counts_each_gold_skill_over_the_cases_it_tags() -> None:
    run = {"a": ["x"], "b": ["y"]}
    gold = {"a": frozenset({"x"}), "b": frozenset({"x"})}
    assert per_skill_recall(run, gold, 1) == {"x": 0.5}


def test_f1_counts_the_skills_that_reach_the_threshold_in_some_outcome() -> None:
    scores = {"a": [{1: 0.9, 2: 0.2}, {3: 0.7}]}
    assert f1_at_threshold(scores, {"a": frozenset({1})}, 0.5) == pytest.approx(2 / 3)
    assert f1_at_threshold(scores, {"a": frozenset({1})}, 0.8) == pytest.approx(1.0)


def test_cases_are_the_tagged_credentials_with_an_esco_label_and_tags_are_not_read(
    tmp_path: Path,
) -> None:
    records = [
        {
            "id": "a",
            "title": "T",
            "learning_outcomes": ["Write queries in a database language"],
            "skills": ["SQL", "Something else"],
        },
        {"id": "b", "title": "T", "learning_outcomes": ["Style pages"], "skills": None},
        {"id": "c", "title": "T", "learning_outcomes": ["Lead people"], "skills": ["Nothing"]},
    ]
    (tmp_path / "credentials.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    assert is_skill_set(tmp_path) and detect_task(tmp_path) is Task.SKILLS
    taxonomy = bundled_taxonomy()
    cases, tagged = load_skill_cases(tmp_path, taxonomy)
    assert tagged == 2  # b's tags are withheld
    assert [c.id for c in cases] == ["a"]
    assert cases[0].gold == {taxonomy.by_label("SQL").uri}
    assert all("SQL" not in text for text in cases[0].outcomes)
