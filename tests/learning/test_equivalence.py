"""The has-an-equivalent model: "no equivalent" decisions are learned, not thrown away."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from evaluation.protocols import CandidatePool
from recognition_engine.learning.card import calibration_error
from recognition_engine.learning.equivalence import WARM_FEATURES, LogisticModel
from recognition_engine.learning.model import COMBINED, LearnedModel, combined, train_model
from recognition_engine.learning.precedents import NO_EQUIVALENT, Precedent, PrecedentMemory


def test_the_learned_map_of_two_related_probabilities_is_calibrated_where_their_product_is_not(
) -> None:
    # a credential with a clear equivalent also has a first module that clearly leads: the two
    # probabilities share a cause, and their product counts it twice
    rng = np.random.default_rng(1)
    clear = rng.normal(size=4000)
    has = 1 / (1 + np.exp(-(clear + 2 + 0.3 * rng.normal(size=4000))))
    module = 1 / (1 + np.exp(-(clear + 0.3 * rng.normal(size=4000))))
    right = rng.random(4000) < 1 / (1 + np.exp(-1.5 * clear))  # below P(has) for all but a few
    logits = np.log(np.column_stack([has, module]) / (1 - np.column_stack([has, module])))
    fitted = LogisticModel.fit(COMBINED, logits, right, standardise=False)
    mapped = np.array(
        [combined(fitted, h, np.array([m]))[0] for h, m in zip(has, module, strict=True)]
    )
    assert calibration_error(mapped, right) < 0.03 < calibration_error(has * module, right)
    assert (mapped <= has + 1e-12).all()  # never above P(has an equivalent)
    assert np.allclose(combined(None, 0.5, np.array([0.2, 0.8])), [0.1, 0.4])  # models before


def test_an_unscaled_feature_that_barely_varies_keeps_a_small_weight() -> None:
    rng = np.random.default_rng(2)
    x = np.column_stack([5.0 + 1e-3 * rng.normal(size=300), rng.normal(size=300)])
    y = x[:, 1] > 0
    assert abs(LogisticModel.fit(("a", "b"), x, y, standardise=False).coef[0]) < 0.1
    assert abs(LogisticModel.fit(("a", "b"), x, y).coef[0]) > abs(
        LogisticModel.fit(("a", "b"), x, y, standardise=False).coef[0])


def test_the_logistic_model_separates_and_round_trips() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, 2))
    y = x[:, 0] + 0.2 * rng.normal(size=400) > 0
    x[::7, 1] = np.nan  # a missing value is filled with the training mean
    model = LogisticModel.fit(("a", "b"), x, y)
    assert model(np.array([2.0, 0.0])) > 0.9 > 0.1 > model(np.array([-2.0, np.nan]))
    again = LogisticModel.from_json(model.to_json())
    assert np.allclose(again(x), model(x))


def test_one_class_gives_the_smoothed_rate() -> None:
    model = LogisticModel.fit(("a",), np.zeros((3, 1)), [True, True, True])
    assert float(model(np.array([5.0]))) == pytest.approx(0.8)


def test_a_no_equivalent_decision_votes_for_no_module_but_is_remembered() -> None:
    vector = np.ones(4, dtype=np.float32) / 2
    memory = PrecedentMemory(
        [
            Precedent("ART 101", "painting", NO_EQUIVALENT, accepted=False),
            Precedent("ART 102", "drawing", NO_EQUIVALENT, accepted=False),
            Precedent("ACC 101", "ledgers", "ACIS 1001", accepted=True),
        ],
        np.array([vector] * 3),
        np.array([vector] * 3),
    )
    votes = memory.signals("Q 1", memory.nearest(vector, vector)).votes
    assert set(votes) == {"ACIS 1001"}
    assert memory.outcomes == {"ART 101": False, "ART 102": False, "ACC 101": True}
    # ART: 2 of 2 without one; smoothed toward the overall rate (3 of 5 with the +1/+2 prior)
    rate, count = memory.none_rate("ART 109")
    assert count == 2 and rate == pytest.approx((2 + 2 * 0.6) / 4)
    left_out, count = memory.none_rate("ART 101", exclude_own=True)
    assert count == 1 and left_out < rate


def test_credentials_like_those_judged_without_equivalent_are_less_likely_to_have_one(
    pool: CandidatePool,
) -> None:
    without = pool.task.credentials_without_match
    assert without, "the synthetic set has credentials without an equivalent"
    held = {without[0], pool.task.credentials_with_match[0]}
    decided = [pool.gold_decided(c.id) for c in pool.task.credentials if c.id not in held]
    assert sum(c.no_equivalent for c in decided) == len(without) - 1
    model = train_model(decided, pool.courses, pool.lexical)
    assert model.equivalence is not None and model.equivalence.names == WARM_FEATURES
    none = model.rank(pool.decided(without[0], {}), pool.courses, pool.lexical)
    some = model.rank(
        pool.decided(pool.task.credentials_with_match[0], {}), pool.courses, pool.lexical
    )
    assert none.has_equivalent is not None and some.has_equivalent is not None
    assert none.has_equivalent < some.has_equivalent
    assert none.confidence is not None and none.confidence <= none.has_equivalent
    assert any(n.precedent.credential_key.startswith("ART") for n in none.neighbours)


def test_a_saved_model_keeps_its_equivalence_model_and_tiers(
    pool: CandidatePool, tmp_path: Path
) -> None:
    model = train_model(
        [pool.gold_decided(c.id) for c in pool.task.credentials], pool.courses, pool.lexical
    )
    model.save(tmp_path / "model")
    again = LearnedModel.load(tmp_path / "model")
    assert again.equivalence == model.equivalence and again.tiers == model.tiers
    assert model.combination is not None and again.combination == model.combination
    query = pool.decided(pool.task.credentials_without_match[0], {})
    first = model.rank(query, pool.courses, pool.lexical)
    second = again.rank(query, pool.courses, pool.lexical)
    assert first.has_equivalent == pytest.approx(second.has_equivalent)
    assert first.confidence == pytest.approx(second.confidence)
    assert [m.key for m in first.matches] == [m.key for m in second.matches]
