"""Credential level estimates: correspondences, evidence, declared level and workload."""

from __future__ import annotations

import pytest

from recognition_engine.errors import InvalidInput
from recognition_engine.levels import LevelEstimator
from recognition_engine.models import HashingEmbedder

INTRODUCTORY = [
    "List the parts of a personal computer",
    "Describe what an operating system does",
    "Recall basic keyboard shortcuts",
]
ADVANCED = [
    "Critically evaluate competing research methodologies in data science",
    "Design and develop an original machine learning system for a novel problem",
    "Synthesise findings from different fields to formulate research questions",
    "Justify design decisions to expert audiences",
]


@pytest.fixture(scope="module")
def estimator() -> LevelEstimator:
    return LevelEstimator(HashingEmbedder(), None)


def test_advanced_outcomes_score_above_introductory_ones(estimator: LevelEstimator) -> None:
    low, high = estimator.estimate(INTRODUCTORY), estimator.estimate(ADVANCED)
    assert low.eqf_level < high.eqf_level
    assert estimator.level_score(INTRODUCTORY) < estimator.level_score(ADVANCED)
    assert high.bloom_profile["Create"] > 0 and low.bloom_profile["Create"] == 0


def test_estimate_carries_the_correspondences_of_its_eqf_level(estimator: LevelEstimator) -> None:
    estimate = estimator.estimate(ADVANCED, declared_eqf_level=6, ects=6)
    cycles = {5: "short", 6: "first", 7: "second", 8: "third"}
    assert estimate.georgian_nqf_level == estimate.eqf_level
    assert estimate.armenian_nqf_level == estimate.eqf_level
    assert estimate.qf_ehea_cycle == cycles.get(estimate.eqf_level)
    assert 0 <= estimate.confidence <= 1
    assert set(estimate.descriptor_similarity) == {str(level) for level in range(1, 9)}
    assert len(estimate.outcomes) == len(ADVANCED)


def test_declared_level_is_evidence_and_does_not_move_the_estimate(
    estimator: LevelEstimator,
) -> None:
    undeclared = estimator.estimate(INTRODUCTORY)
    declared = estimator.estimate(INTRODUCTORY, declared_eqf_level=8, ects=1)
    assert declared.eqf_level == undeclared.eqf_level
    assert declared.declared_eqf_level == 8
    assert any("Declared EQF 8" in line and "lower" in line for line in declared.evidence)
    assert any("1 ECTS" in line for line in declared.evidence)
    assert any("No level declared" in line for line in undeclared.evidence)


def test_a_generic_estimate_is_never_confident(estimator: LevelEstimator) -> None:
    # Without a catalogue scale the estimate is uncertain to about one level: it can inform an
    # evaluator, not contradict a declared level.
    for outcomes in (ADVANCED[:1], ADVANCED, INTRODUCTORY):
        estimate = estimator.estimate(outcomes)
        assert estimate.basis == "generic"
        assert 0.3 <= estimate.confidence <= 0.4
        assert estimate.level_probabilities == {}


def test_no_outcomes_is_invalid_input(estimator: LevelEstimator) -> None:
    with pytest.raises(InvalidInput):
        estimator.estimate(["  ", ""])


def test_level_components_score_many_sets_at_once(estimator: LevelEstimator) -> None:
    components = estimator.level_components([INTRODUCTORY, ADVANCED])
    assert components["score"].shape == (2,)
    assert components["bloom"][0] < components["bloom"][1]
    assert estimator.level_score(ADVANCED) == pytest.approx(components["score"][1])


@pytest.mark.real_model
def test_real_model_orders_introductory_below_advanced_outcomes() -> None:
    from recognition_engine.config import Settings
    from recognition_engine.models import create_embedder

    embedder = create_embedder(
        Settings(embedder="sentence-transformers", _env_file=None), cached=False
    )
    estimator = LevelEstimator(embedder, None)
    low, high = estimator.estimate(INTRODUCTORY), estimator.estimate(ADVANCED)
    assert low.eqf_level < high.eqf_level
    assert all(value > 0 for value in high.descriptor_similarity.values())


def test_context_cues_move_the_estimate_and_show_as_evidence(estimator: LevelEstimator) -> None:
    outcomes = ["Explain the laws of motion", "Solve problems in mechanics"]
    plain = estimator.estimate(outcomes)
    intro = estimator.estimate(outcomes, context="Introduction to Physics. Overview of mechanics.")
    upper = estimator.estimate(outcomes, context="Advanced Mechanics. Pre: PHYS 2305, MATH 2214.")
    assert estimator.level_score(outcomes, "Introductory") < estimator.level_score(outcomes)
    assert intro.eqf_level <= plain.eqf_level <= upper.eqf_level
    assert any("'introduction to'" in line for line in intro.evidence)
    assert any("PHYS 2305, MATH 2214" in line and "'advanced'" in line for line in upper.evidence)
    assert any("no introductory, advanced" in line for line in plain.evidence)


def test_level_components_take_one_context_per_set(estimator: LevelEstimator) -> None:
    components = estimator.level_components(
        [INTRODUCTORY, INTRODUCTORY], ["Fundamentals of computing", "Senior seminar. Pre: CS 3114"]
    )
    assert components["depth"][0] < 0 < components["depth"][1]
    assert components["score"][0] < components["score"][1]
    assert estimator.level_components([INTRODUCTORY])["depth"].shape == (1,)
    with pytest.raises(InvalidInput):
        estimator.level_components([INTRODUCTORY], ["a", "b"])
