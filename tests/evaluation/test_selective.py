"""The selective figures come from the engine's own decision at every threshold."""

from __future__ import annotations

import numpy as np

from evaluation.datasets import ItemText
from evaluation.selective import (
    GRID,
    CredentialDecisions,
    credential_decisions,
    expected_calibration_error,
    sampling_ece,
    selective_figures,
)
from recognition_engine.config import Settings
from recognition_engine.matching import ModuleMatch

SETTINGS = Settings(_env_file=None)


def item(key: str, text: str) -> ItemText:
    return ItemText(id=key, title=key, text=text, outcomes=(text,), description=text)


def learned(key: str, confidence: float) -> ModuleMatch:
    return ModuleMatch(key=key, title=key, coverage=0.2, strength=0.4, credential_coverage=0.2,
                       text_similarity=0.6, title_similarity=0.6, score=0.6,
                       outcomes=(key,), confidence=confidence)


def at(threshold: float) -> int:
    return int(np.searchsorted(GRID, threshold))


def test_a_module_is_proposed_up_to_its_own_confidence_exactly() -> None:
    """0.8543216 must not be read as 0.854322, a gate above it that refuses the module."""
    modules = {"ACC 2034": item("ACC 2034", "ledger journal"),
               "ACC 2044": item("ACC 2044", "cost budget")}
    matches = [learned("ACC 2034", 0.8543216), learned("ACC 2044", 0.3)]
    decisions = credential_decisions(item("ACC 211", "ledger"), matches, modules,
                                     {"ACC 2034"}, SETTINGS)
    assert decisions.proposed[at(0.85)] and decisions.correct[at(0.85)]
    assert not decisions.proposed[at(0.86)]
    assert decisions.confidence == 0.8543216 and decisions.top_correct


def test_coverage_at_precision_counts_every_credential() -> None:
    def one(confidence: float, right: bool) -> CredentialDecisions:
        proposed = confidence >= GRID
        return CredentialDecisions(proposed, proposed & right, confidence, right)

    decisions = [one(0.95, True)] * 9 + [one(0.9, False)] + [one(0.2, False)] * 10
    figures = selective_figures(decisions)
    assert figures["coverage_at_precision_0.9"] == 0.5  # 10 of 20 proposed, 9 of them right
    assert figures["precision_at_coverage_0.2"] == 1.0


def test_the_sampling_ece_is_what_chance_alone_gives_a_calibrated_confidence() -> None:
    rng = np.random.default_rng(0)
    few, many = rng.random(100), rng.random(10_000)
    # sure confidences leave nothing to chance; a few credentials leave more than many do
    assert sampling_ece(np.array([0.0, 1.0] * 50)) == 0.0
    assert sampling_ece(few) > sampling_ece(many) > 0.0
    # outcomes drawn at the confidences land about as far off as the figure says
    drawn = [expected_calibration_error(few, (rng.random(100) < few).astype(float))
             for _ in range(200)]
    assert abs(np.median(drawn) - sampling_ece(few)) < 0.02
