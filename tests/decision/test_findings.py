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
from tests.conftest import make_credential, make_estimate


def estimate(eqf: int, confidence: float) -> LevelEstimate:
    return make_estimate(eqf, confidence, ("outcomes analyse and design",))


def test_missing_level_is_a_warning() -> None:
    found = assess_level(None, 6, None, 0.5)
    assert (found.verdict, found.blocking, found.scope) == (Verdict.WARNING, False, Scope.PROGRAMME)


def test_a_confident_lower_estimate_is_a_difference_for_review_not_a_block() -> None:
    found = assess_level(6, 6, estimate(4, 0.8), 0.5)
    assert found.verdict is Verdict.SUBSTANTIAL_DIFFERENCE and not found.blocking
    assert "review" in found.reason and found.evidence == ["outcomes analyse and design"]


def test_a_weak_lower_estimate_raises_nothing_but_is_shown() -> None:
    found = assess_level(6, 6, estimate(5, 0.49), 0.5)
    assert found.verdict is Verdict.PASS and not found.blocking
    assert "read as EQF 5" in found.reason and found.evidence == ["outcomes analyse and design"]


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


def test_unstated_quality_assurance_and_assessment_are_warnings_not_inventions() -> None:
    from recognition_engine.decision.findings import assess_profile, assess_quality

    unstated = make_credential(quality_assurance=None, assessment=None, participation=None)
    quality, profile = assess_quality(unstated), assess_profile(unstated)
    assert quality.verdict is Verdict.WARNING and "does not state" in quality.reason
    assert profile.verdict is Verdict.WARNING and "does not state" in profile.reason


def _digital(signature: str, **provenance: object):  # noqa: ANN202
    return make_credential(
        provenance={
            "format": "edc",
            "signature": signature,
            "signature_detail": "RS256 over the protected header and the payload.",
            **provenance,
        }
    )


def test_a_changed_signed_credential_blocks() -> None:
    from recognition_engine.decision.findings import assess_authenticity

    found = assess_authenticity(_digital("invalid"))
    assert found is not None and found.blocking and "changed after signing" in found.reason


def test_what_could_not_be_checked_is_said() -> None:
    import datetime as dt

    from recognition_engine.decision.findings import assess_authenticity

    verified = assess_authenticity(_digital("verified"))
    assert verified is not None and verified.verdict is Verdict.PASS
    assert "Revocation: not checked." in verified.evidence
    offline = assess_authenticity(_digital("not_verifiable_offline"))
    assert offline is not None and offline.verdict is Verdict.WARNING
    expired = assess_authenticity(
        _digital("verified", valid_until=dt.datetime(2020, 1, 1, tzinfo=dt.UTC), expired=True)
    )
    assert expired is not None and "expired on 2020-01-01" in expired.reason
    assert assess_authenticity(make_credential()) is None  # our own format: nothing to check
