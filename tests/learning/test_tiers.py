"""Tiers chosen for stated precisions on out-of-fold confidences."""

from __future__ import annotations

import numpy as np

from recognition_engine.learning.tiers import TARGETS, Tier, Tiers


def _sample(n: int = 600, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    # most credentials unsure, as in real intake, and a quarter nearly sure
    confidence = np.concatenate([rng.beta(1.0, 3.0, n - n // 4), rng.uniform(0.9, 1.0, n // 4)])
    has = rng.random(n) < np.sqrt(confidence)
    # calibrated: P(has) × P(right | has) = confidence
    correct = has & (rng.random(n) < np.sqrt(confidence))
    return confidence, correct, has


def test_each_tier_reaches_its_precision_where_it_was_chosen() -> None:
    confidence, correct, has = _sample()
    tiers = Tiers.fit(confidence, correct, has)
    assert [b.tier for b in tiers.bands] == [*TARGETS, Tier.NO_EQUIVALENT]
    thresholds = [b.threshold for b in tiers.bands]
    assert thresholds == sorted(thresholds, reverse=True)
    assert all(b.threshold < np.inf for b in tiers.bands)
    upper = np.inf
    for band in tiers.bands[:-1]:
        inside = (confidence >= band.threshold) & (confidence < upper)
        assert inside.sum() == band.support
        if band.support:
            assert correct[inside].mean() == band.precision >= TARGETS[band.tier]
        upper = band.threshold
    assert tiers.bands[0].support > 0 and tiers.bands[-1].support > 0
    assert sum(b.support for b in tiers.bands) == len(confidence) == tiers.decisions


def test_the_bound_is_stricter_than_the_plain_rate() -> None:
    # 9 of the 10 most confident right: a plain rate of 0.9, too few to be sure of 0.9
    confidence = np.linspace(1, 0, 10)
    correct = np.array([True] * 9 + [False])
    tiers = Tiers.fit(confidence, correct, correct)
    assert tiers.bands[0].threshold == np.inf and tiers.bands[0].support == 0
    assert tiers.of(1.0).tier is not Tier.CONFIRMED


def test_a_confidence_falls_in_one_band_and_the_record_shows_it() -> None:
    confidence, correct, has = _sample(seed=1)
    tiers = Tiers.fit(confidence, correct, has)
    assert tiers.of(1.0).tier is Tier.CONFIRMED
    assert tiers.of(0.0).tier is Tier.NO_EQUIVALENT
    record = tiers.record(0.0, basis="institution")
    assert record.tier is Tier.NO_EQUIVALENT and record.decisions == 600
    assert record.precision is not None and record.precision > 0.5  # mostly without one
    assert Tiers.from_json(tiers.to_json()) == tiers
