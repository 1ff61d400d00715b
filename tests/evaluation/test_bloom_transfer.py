"""The parallel outcomes behind the Bloom transfer figures, and how agreement is counted."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import yaml

from evaluation.experiments.bloom_transfer import LANGUAGES, agreement
from recognition_engine.ingestion.language import detect_language

REPO = Path(__file__).resolve().parents[2]
PARALLEL = REPO / "tests" / "fixtures" / "outcomes-translated.jsonl"


def first_outcomes(programme: str) -> dict[str, str]:
    data = yaml.safe_load((REPO / "corpora" / "programmes" / programme).read_text("utf-8"))
    return {
        f"{module['code']}-1": module["learning_outcomes"][0]
        for module in data["modules"]
        if module.get("learning_outcomes")
    }


def test_the_parallel_outcomes_are_the_shipped_programme_in_three_languages() -> None:
    rows = [json.loads(line) for line in PARALLEL.read_text("utf-8").splitlines()]
    english = first_outcomes("ge-computer-engineering-bsc.yaml")
    georgian = first_outcomes("ge-computer-engineering-bsc.ka.yaml")
    assert [row["id"] for row in rows] == list(english)
    for row in rows:
        assert row["en"] == english[row["id"]]
        assert row["ka"] == georgian[row["id"]]
        assert {lang: detect_language(row[lang]) for lang in LANGUAGES} == {
            "en": "en",
            "ka": "ka",
            "hy": "hy",
        }, row["id"]


def test_agreement_counts_identical_level_sets_and_identical_highest_levels() -> None:
    a = np.array([[1, 0, 0, 0, 0, 0], [0, 1, 1, 0, 0, 0], [0, 0, 0, 1, 0, 0]], dtype=bool)
    b = np.array([[1, 0, 0, 0, 0, 0], [0, 0, 1, 0, 0, 0], [0, 0, 0, 0, 1, 0]], dtype=bool)
    assert agreement(a, b) == {"same_levels": 0.333, "same_highest": 0.667}
