"""Each check yields one typed finding: element, scope, verdict, blocking, reason."""

from __future__ import annotations

from recognition_engine.decision.findings import (
    assess_cap_left,
    assess_level,
    assess_level_policy,
    assess_outcomes,
    assess_workload_known,
)
from recognition_engine.domain import Element, LevelEstimate, Scope, Verdict
from tests.conftest import make_credential


def estimate(eqf: int, confidence: float) -> LevelEstimate:
    return LevelEstimate(
        eqf_level=eqf,
        georgian_nqf_level=eqf,
        armenian_nqf_level=eqf,
        qf_ehea_cycle=None,
        confidence=confidence,
        declared_eqf_level=6,
        bloom_profile={},
        descriptor_similarity={},
        evidence=["outcomes analyse and design"],
        outcomes=[],
    )


def test_missing_level_is_a_warning() -> None:
    found = assess_level(None, 6, None, 0.5)
    assert (found.verdict, found.blocking, found.scope) == (Verdict.WARNING, False, Scope.PROGRAMME)


def test_a_confident_lower_estimate_is_a_difference_for_review_not_a_block() -> None:
    found = assess_level(6, 6, estimate(4, 0.8), 0.5)
    assert found.verdict is Verdict.SUBSTANTIAL_DIFFERENCE and not found.blocking
    assert "review" in found.reason and found.evidence == ["outcomes analyse and design"]


def test_a_weak_lower_estimate_is_only_a_warning() -> None:
    found = assess_level(6, 6, estimate(4, 0.2), 0.5)
    assert found.verdict is Verdict.WARNING
    assert "weak evidence" in found.reason


def test_an_estimate_above_the_declared_level_is_no_difference() -> None:
    """The old check used abs(): reading *more* advanced than declared was flagged too."""
    assert assess_level(6, 6, estimate(8, 0.99), 0.5).verdict is Verdict.PASS


def test_an_agreeing_estimate_passes() -> None:
    assert assess_level(6, 6, estimate(6, 0.9), 0.5).verdict is Verdict.PASS


def test_below_a_module_blocks_that_module_only() -> None:
    found = assess_level(5, 6, None, 0.5, module_code="NET101")
    assert found.blocking and found.scope is Scope.MODULE and found.module_code == "NET101"


def test_below_the_programme_blocks_only_when_no_module_is_low_enough() -> None:
    assert not assess_level(5, 6, None, 0.5, lowest_module_level=5).blocking
    assert assess_level(4, 6, None, 0.5, lowest_module_level=5).blocking


def test_the_policy_floor_blocks() -> None:
    floor = assess_level_policy(5, 6)
    assert floor is not None and floor.blocking
    assert assess_level_policy(None, None) is None


def test_a_credential_without_workload_blocks_ects() -> None:
    found = assess_workload_known([make_credential(workload=None)])
    assert found is not None and found.blocking and found.element is Element.WORKLOAD
    mixed = assess_workload_known([make_credential(workload=None), make_credential(id="b")])
    assert mixed is not None and not mixed.blocking


def test_the_cap_left_in_an_application() -> None:
    assert assess_cap_left(30, 0) is None
    used = assess_cap_left(30, 30)
    assert used is not None and used.blocking
    some = assess_cap_left(30, 20)
    assert some is not None and not some.blocking and "10 ECTS are left" in some.reason


def test_coverage_below_partial_blocks_the_module() -> None:
    assert assess_outcomes("M", 0.9, 0.5, 0.8).verdict is Verdict.PASS
    assert assess_outcomes("M", 0.6, 0.5, 0.8).verdict is Verdict.WARNING
    low = assess_outcomes("M", 0.2, 0.5, 0.8)
    assert low.blocking and low.module_code == "M"
