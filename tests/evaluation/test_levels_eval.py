"""Level evaluations on tiny data sets written here: Bloom F1, stage AUROC, mastery Spearman."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from evaluation.levels import detect_task, evaluate_bloom, evaluate_mastery, evaluate_stage
from evaluation.stage_protocols import StageItem, places_text, reliability, warm_stage
from recognition_engine.errors import InvalidInput
from recognition_engine.models import HashingEmbedder

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


def stage_item(key: str, title: str, stage: str, description: str) -> dict:
    """Return an item of a stage set as its items.jsonl holds it."""
    return {"id": key, "title": title, "stage": stage, "description": description}


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


@pytest.mark.real_model
def test_bloom_cross_validated_fine_tunes_in_each_fold(bloom_dir: Path) -> None:
    from recognition_engine.models import bundled_model_path

    reports: list[str] = []
    result = evaluate_bloom(
        bloom_dir,
        None,
        HashingEmbedder(),
        folds=2,
        encoder_epochs=1,
        encoder_base=bundled_model_path(),
        report=reports.append,
    )
    assert "fine-tuned for 1 epochs" in result["protocol"]
    assert [line.split(":")[0] for line in reports if line.startswith("fold")] == [
        "fold 1/2",
        "fold 2/2",
    ]
    assert 0 <= result["micro_f1"] <= 1


def test_stage_auroc_ignores_other_stages(tmp_path: Path) -> None:
    lower = [
        stage_item(f"l{i}", "Intro", "lower", f"Describe the basic {t}. List the parts of the {t}.")
        for i, t in enumerate(TOPICS)
    ]
    upper = [
        stage_item(
            f"u{i}",
            "Advanced",
            "upper",
            f"Critically evaluate research on {t}. Design original {t}.",
        )
        for i, t in enumerate(TOPICS)
    ]
    other = [stage_item("g", "Thesis", "graduate", "Research.")]
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
        stage_item(f"{stage}{i}", f"{title} {t}", stage, f"Explain the {t}. Apply the {t}.{tail}")
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


def stage_rows() -> list[dict]:
    """Lower- and upper-division items whose vocabulary differs, as a catalogue's years do."""
    rows = []
    for i, topic in enumerate(TOPICS * 3):
        lower = f"Describe the basic {topic}. List the parts of the {topic}."
        upper = f"Critically evaluate research on {topic}. Design new {topic}."
        rows.append(stage_item(f"l{i}", f"Basic {topic}", "lower", lower))
        rows.append(stage_item(f"u{i}", f"Seminar on {topic}", "upper", upper))
    return rows


def test_stage_warm_learns_the_scale_from_the_other_folds(tmp_path: Path) -> None:
    write_jsonl(tmp_path / "items.jsonl", stage_rows())
    result = evaluate_stage(tmp_path, HashingEmbedder(), protocol="warm", folds=3)
    assert result["task"] == "stage" and result["protocol"] == "warm"
    assert result["folds"] == 3 and result["items"] == len(stage_rows())
    assert result["auroc"] > 0.9
    for signal in ("model", "neighbours", "generic"):
        assert 0 <= result[f"auroc_{signal}_only"] <= 1
    reliability = result["reliability"]
    assert sum(b["estimates"] for b in reliability["bins"]) == len(stage_rows())
    assert 0 <= reliability["confident_share"] <= 1


def test_stage_cold_reports_its_protocol_and_reliability(tmp_path: Path) -> None:
    write_jsonl(tmp_path / "items.jsonl", stage_rows())
    result = evaluate_stage(tmp_path, HashingEmbedder())
    assert result["protocol"] == "cold"
    # The generic estimate is never confident: nothing at 0.8 or more.
    assert result["reliability"]["confident_share"] == 0
    assert result["reliability"]["right_when_confident"] is None


def test_stage_refuses_an_unknown_protocol(tmp_path: Path) -> None:
    write_jsonl(tmp_path / "items.jsonl", stage_rows())
    with pytest.raises(InvalidInput):
        evaluate_stage(tmp_path, HashingEmbedder(), protocol="hot")


def test_warm_folds_never_read_the_stage_of_a_held_out_item() -> None:
    rows = stage_rows()
    items = [StageItem(r["id"], r["title"], r["description"], r["stage"] == "upper") for r in rows]
    embedder = HashingEmbedder()
    texts = embedder.embed([places_text(item) for item in items])
    titles = embedder.embed([item.title for item in items])
    warm = warm_stage(items, np.zeros(len(items)), texts, titles, folds=4)
    assert len(warm.trained_on) == 4
    held_out = [set(range(len(items))) - set(rows_read) for rows_read in warm.trained_on]
    assert all(len(fold) > 0 for fold in held_out)
    assert set().union(*held_out) == set(range(len(items)))  # every item held out once
    assert all(a.isdisjoint(b) for i, a in enumerate(held_out) for b in held_out[i + 1 :])


def test_reliability_bins_and_the_confident_share() -> None:
    confidence = np.array([0.55, 0.65, 0.85, 0.95, 0.95])
    right = np.array([True, False, True, True, False])
    table = reliability(confidence, right)
    assert [b["confidence"] for b in table["bins"]] == ["0.5-0.6", "0.6-0.7", "0.8-0.9", "0.9-1.0"]
    assert table["confident_share"] == pytest.approx(0.6)
    assert table["right_when_confident"] == pytest.approx(2 / 3, abs=1e-4)
    assert 0 <= table["expected_calibration_error"] <= 1
