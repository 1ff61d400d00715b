"""Candidate features: where each candidate stands among the credential's candidates."""

from __future__ import annotations

import math

import numpy as np

from recognition_engine.learning.features import (
    FEATURE_GROUPS,
    FEATURES,
    NO_SIGNALS,
    Course,
    candidate_features,
)
from recognition_engine.matching import ModuleMatch


def candidate(key: str, text: float, title: float) -> ModuleMatch:
    return ModuleMatch(key=key, title=key, coverage=0.5, strength=0.5, credential_coverage=0.5,
                       text_similarity=text, title_similarity=title, score=(text + title) / 2)


def test_gaps_and_ranks_are_relative_to_the_best_candidate() -> None:
    matches = [candidate("ACC 2034", 0.8, 0.6), candidate("ACC 2044", 0.7, 0.9)]
    rows = candidate_features(Course("ACC 211", "Accounting I"), matches, {},
                              [0.2, math.nan], NO_SIGNALS)
    column = {name: rows[:, i] for i, name in enumerate(FEATURES)}
    assert np.allclose(column["text_gap"], [0.0, -0.1])
    assert np.allclose(column["title_gap"], [-0.3, 0.0])
    assert list(column["title_rank"]) == [1.0, 0.0]
    assert column["tfidf_gap"][0] == 0.0 and math.isnan(column["tfidf_gap"][1])
    assert list(column["tfidf_rank"]) == [0.0, 1.0]  # unknown similarity ranks last


def test_every_feature_belongs_to_one_group() -> None:
    grouped = [name for names in FEATURE_GROUPS.values() for name in names]
    assert sorted(grouped) == sorted(FEATURES)
