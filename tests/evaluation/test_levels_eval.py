"""Level evaluations on tiny data sets written here: Bloom F1, stage AUROC, mastery Spearman."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evaluation.levels import detect_task, evaluate_bloom, evaluate_mastery, evaluate_stage
from recognition_engine.embedding import HashingEmbedder

VERBS = {
    "Remember": ["List", "Recall"],
    "Understand": ["Explain", "Describe"],
    "Apply": ["Apply", "Use"],
    "Analyze": ["Analyse", "Examine"],
    "Evaluate": ["Evaluate", "Critique"],
    "Create": ["Design", "Develop"],
}
TOPICS = [
    "market data",
    "tax law",
    "soil samples",
    "energy systems",
    "legal cases",
    "lesson plans",
    "survey results",
    "network protocols",
]


def write_jsonl(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(json.dumps(row) for row in rows) + "\n", encoding="utf-8")


def bloom_rows(topics: list[str]) -> list[dict]:
    return [
        {"id": f"{verb}-{topic}", "text": f"{verb} the {topic}", "labels": [level]}
        for level, verbs in VERBS.items()
        for verb in verbs
        for topic in topics
    ]


@pytest.fixture
def bloom_dir(tmp_path: Path) -> Path:
    write_jsonl(tmp_path / "bloom" / "outcomes.jsonl", bloom_rows(TOPICS))
    return tmp_path / "bloom"


def test_detect_task(tmp_path: Path, bloom_dir: Path) -> None:
    write_jsonl(tmp_path / "s" / "items.jsonl", [{"id": "a", "title": "t", "stage": "lower"}])
    write_jsonl(tmp_path / "m" / "outcomes.jsonl", [{"id": "a", "text": "t", "mastery": "Usage"}])
    write_jsonl(tmp_path / "x" / "modules.jsonl", [{"id": "a"}])
    assert detect_task(bloom_dir) == "bloom"
    assert detect_task(tmp_path / "s") == "stage"
    assert detect_task(tmp_path / "m") == "mastery"
    assert detect_task(tmp_path / "x") is None


def test_bloom_cross_validated(bloom_dir: Path) -> None:
    result = evaluate_bloom(bloom_dir, None, HashingEmbedder(), folds=3)
    assert result["task"] == "bloom"
    assert result["outcomes"] == len(bloom_rows(TOPICS))
    assert set(result["per_label"]) == set(VERBS)
    assert result["micro_f1"] > 0.9 and result["macro_f1"] > 0.9
    assert result["lexicon"]["micro_f1"] == pytest.approx(1.0)


def test_bloom_on_a_separate_training_set(tmp_path: Path, bloom_dir: Path) -> None:
    write_jsonl(tmp_path / "test" / "outcomes.jsonl", bloom_rows(["welfare policy", "art works"]))
    result = evaluate_bloom(tmp_path / "test", bloom_dir, HashingEmbedder())
    assert result["outcomes"] == 24
    assert "trained on" in result["protocol"]
    assert 0 <= result["micro_f1"] <= 1


def test_stage_auroc_ignores_other_stages(tmp_path: Path) -> None:
    lower = [
        {
            "id": f"l{i}",
            "title": "Intro",
            "stage": "lower",
            "description": f"Describe the basic {t}. List the parts of the {t}.",
        }
        for i, t in enumerate(TOPICS)
    ]
    upper = [
        {
            "id": f"u{i}",
            "title": "Advanced",
            "stage": "upper",
            "description": f"Critically evaluate research on {t}. Design original {t}.",
        }
        for i, t in enumerate(TOPICS)
    ]
    other = [{"id": "g", "title": "Thesis", "stage": "graduate", "description": "Research."}]
    write_jsonl(tmp_path / "items.jsonl", lower + upper + other)
    result = evaluate_stage(tmp_path, HashingEmbedder())
    assert result["task"] == "stage"
    assert result["items"] == 2 * len(TOPICS)
    assert result["auroc"] > 0.9
    assert 0 <= result["auroc_cv_supervised"] <= 1
    assert "learned on this set" in result["auroc_cv_supervised_note"]


def test_stage_reads_depth_cues_and_prerequisites_from_the_raw_description(
    tmp_path: Path,
) -> None:
    # Same outcomes everywhere: only the title and the "Pre:" tail the splitter cuts tell apart.
    rows = [
        {
            "id": f"{stage}{i}",
            "title": f"{title} {t}",
            "stage": stage,
            "description": f"Explain the {t}. Apply the {t}.{tail}",
        }
        for i, t in enumerate(TOPICS)
        for stage, title, tail in (
            ("lower", "Introduction to", ""),
            ("upper", "Topics in", " Pre: ABC 2114."),
        )
    ]
    write_jsonl(tmp_path / "items.jsonl", rows)
    result = evaluate_stage(tmp_path, HashingEmbedder())
    assert result["auroc_depth_only"] == pytest.approx(1.0)
    assert result["auroc"] > 0.9


def test_mastery_spearman(tmp_path: Path) -> None:
    rows = []
    for i, topic in enumerate(TOPICS):
        rows += [
            {"id": f"f{i}", "text": f"Define the {topic}", "mastery": "Familiarity"},
            {"id": f"u{i}", "text": f"Apply the {topic} to a case", "mastery": "Usage"},
            {"id": f"a{i}", "text": f"Evaluate and redesign the {topic}", "mastery": "Assessment"},
        ]
    write_jsonl(tmp_path / "outcomes.jsonl", rows)
    result = evaluate_mastery(tmp_path, HashingEmbedder())
    assert result["task"] == "mastery"
    assert result["outcomes"] == len(rows)
    assert result["spearman"] > 0.5
    assert "spearman_depth_only" in result
    assert list(result["mean_score_by_mastery"]) == ["familiarity", "usage", "assessment"]
