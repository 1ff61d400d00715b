"""The cap rules are pure: a programme, a stored proposal and the evaluator's awards in, the
awards or a refusal out."""

from __future__ import annotations

import pytest

from recognition_engine.decision.caps import (
    Award,
    cap_left,
    check_cap_left,
    decision_awards,
    programme_cap,
)
from recognition_engine.domain import ModuleProposal, RecognitionProposal
from recognition_engine.errors import AwardRefused
from tests.conftest import make_programme


def stored_proposal(cap: float = 30.0, **modules: float) -> RecognitionProposal:
    """A stored proposal of ``modules`` (code → proposed ECTS) under ``cap``: only what the
    cap rules read of it."""
    return RecognitionProposal.model_construct(
        ects_cap=cap,
        modules=[
            ModuleProposal.model_construct(module_code=code, proposed_ects=ects)
            for code, ects in modules.items()
        ],
    )


def test_the_national_cap_lowers_the_programmes_only_when_lower() -> None:
    programme = make_programme()  # 30 ECTS for micro-credentials
    assert programme_cap(programme) == 30
    assert programme_cap(programme, 20.0) == 20
    assert programme_cap(programme, 60.0) == 30


def test_nothing_is_left_of_a_cap_held_beyond_it() -> None:
    assert cap_left(30, 12.5) == 17.5
    assert cap_left(30, 40) == 0.0


def test_accept_awards_the_proposed_modules_with_ects_and_reject_awards_nothing() -> None:
    proposal = stored_proposal(NET101=6, DB201=0)
    assert decision_awards("accept", proposal, None, None) == [Award("NET101", 6)]
    assert decision_awards("reject", proposal, [Award("NET101", 6)], None) == []


def test_modify_awards_the_evaluators_modules_within_the_programme_version() -> None:
    chosen = [Award("NET101", 3), Award("DB201", 6)]
    awards = decision_awards("modify", stored_proposal(NET101=6), chosen, make_programme())
    assert awards == chosen


@pytest.mark.parametrize(
    ("chosen", "refusal"),
    [
        ([Award("NET101", 3), Award("NET101", 3)], "awarded twice"),
        ([Award("ART999", 3)], "has no module 'ART999'"),
        ([Award("NET101", 7)], "a module of 6 ECTS"),
    ],
)
def test_modify_refuses_what_the_programme_version_does_not_hold(
    chosen: list[Award], refusal: str
) -> None:
    with pytest.raises(AwardRefused, match=refusal):
        decision_awards("modify", stored_proposal(NET101=6), chosen, make_programme())


def test_modify_refuses_more_than_the_cap_of_the_proposal() -> None:
    chosen = [Award("NET101", 6), Award("DB201", 6)]
    with pytest.raises(AwardRefused, match="exceeds the cap of 10 ECTS"):
        decision_awards("modify", stored_proposal(cap=10, NET101=6), chosen, make_programme())


def test_an_application_refuses_more_than_its_other_recognitions_leave() -> None:
    check_cap_left(10, cap=30, others=20, application_id="app-1")  # exactly what is left
    with pytest.raises(AwardRefused, match="exceeds the 10 ECTS left .* hold 20 ECTS"):
        check_cap_left(10.5, cap=30, others=20, application_id="app-1")
