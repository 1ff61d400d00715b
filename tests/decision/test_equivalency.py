"""Standing equivalency rules are applied by a pure function: a proposal and rules as data in,
the proposal with the rules' modules, findings and sources out."""

from __future__ import annotations

import datetime as dt

from recognition_engine.config import Settings
from recognition_engine.decision import CredentialOutcomes, DecisionParams, propose_recognition
from recognition_engine.decision.equivalency import apply_equivalency_rules, match_rules
from recognition_engine.domain import ProposalStatus, SourceKind
from recognition_engine.domain.equivalency import EquivalencyRule, RuleModule
from recognition_engine.matching import ModuleMatch, OutcomeLink
from tests.conftest import make_credential, make_programme

PARAMS = DecisionParams.from_settings(Settings(_env_file=None))


def rule(**overrides: object) -> EquivalencyRule:
    data: dict[str, object] = {
        "id": "r1",
        "programme_id": "test-cs",
        "awarding_body": "Test College",
        "title": "Network Administration",
        "modules": [RuleModule(module_code="DB201", ects=4)],
        "valid_from": dt.date(2026, 1, 1),
        "valid_until": dt.date(2026, 12, 31),
        "decision_id": 7,
        "recognition_id": "rec1",
        "decided_on": dt.date(2025, 12, 20),
    }
    return EquivalencyRule.model_validate(data | overrides)


def net_match() -> ModuleMatch:
    links = [OutcomeLink(j, 0, 0.8) for j in range(4)]
    return ModuleMatch(
        key="NET101",
        title="NET101",
        coverage=1.0,
        strength=0.8,
        credential_coverage=1.0,
        text_similarity=0.8,
        title_similarity=0.8,
        score=0.8,
        outcomes=tuple(f"outcome {j}" for j in range(4)),
        links=links,
    )


def proposal_for(credential, matches=()):  # noqa: ANN001, ANN201
    return propose_recognition(
        [CredentialOutcomes(credential, ["outcome a"])], make_programme(), list(matches), PARAMS
    )


def codes_of(proposal) -> list[str]:  # noqa: ANN001
    return [f.code for f in proposal.findings]


def test_a_rule_proposes_its_module_in_place_of_the_engines_own() -> None:
    credential = make_credential(title="network  ADMINISTRATION", awarding_body="test college")
    engine = proposal_for(credential, [net_match()])
    assert [m.module_code for m in engine.modules] == ["NET101"]

    ruled = apply_equivalency_rules(engine, [credential], make_programme(), [rule()])

    assert [(m.module_code, m.proposed_ects, m.rule_id) for m in ruled.modules] == [
        ("DB201", 4, "r1")
    ]
    assert "NET101" in [m.module_code for m in ruled.considered]
    assert ruled.total_proposed_ects == 4
    assert ruled.status is ProposalStatus.PROPOSED
    [applied] = [
        f for f in ruled.findings if f.code == "equivalency.rule_applied" and f.module_code
    ]
    assert applied.source is not None and applied.source.kind is SourceKind.EQUIVALENCY_RULE
    assert applied.source.citation == "decision 7 on recognition rec1 (2025-12-20)"
    assert ruled.reason_codes[0].params == {"count": 1, "ects": 4}
    assert engine.modules[0].module_code == "NET101"  # the input is left as it was


def test_a_rule_turns_no_proposal_into_one() -> None:
    credential = make_credential()
    engine = proposal_for(credential)
    assert engine.status is ProposalStatus.NONE
    ruled = apply_equivalency_rules(engine, [credential], make_programme(), [rule()])
    assert ruled.status is ProposalStatus.PROPOSED
    assert "reason.none_no_match" not in [r.code for r in ruled.reason_codes]


def test_the_window_is_inclusive_and_outside_it_the_rule_has_expired() -> None:
    programme = make_programme()
    for day, applies in [
        (dt.date(2026, 1, 1), True),
        (dt.date(2026, 12, 31), True),
        (dt.date(2025, 12, 31), False),
        (dt.date(2027, 1, 1), False),
    ]:
        credential = make_credential(date_of_issue=day)
        ruled = apply_equivalency_rules(proposal_for(credential), [credential], programme, [rule()])
        assert ("equivalency.rule_applied" in codes_of(ruled)) is applies, day
        assert ("equivalency.rule_expired" in codes_of(ruled)) is not applies, day
        if not applies:
            assert ruled.modules == []


def test_another_title_provider_or_programme_is_not_matched() -> None:
    credential = make_credential()
    others = [
        rule(title="Network Administration II"),
        rule(awarding_body="Another College"),
        rule(programme_id="another-programme"),
    ]
    assert match_rules([credential], "test-cs", others) == []


def test_the_latest_decision_wins_and_the_cap_bounds_the_award() -> None:
    credential = make_credential()
    older = rule(id="old", modules=[RuleModule(module_code="NET101", ects=6)])
    newer = rule(
        id="new",
        decision_id=9,
        decided_on=dt.date(2026, 2, 1),
        modules=[RuleModule(module_code="DB201", ects=6)],
    )
    [found] = match_rules([credential], "test-cs", [older, newer])
    assert found.rule.id == "new" and found.applies
    engine = proposal_for(credential).model_copy(update={"ects_cap_remaining": 2.5})
    ruled = apply_equivalency_rules(engine, [credential], make_programme(), [older, newer])
    assert [(m.module_code, m.proposed_ects) for m in ruled.modules] == [("DB201", 2.5)]


def test_a_module_the_programme_dropped_is_not_proposed() -> None:
    credential = make_credential()
    gone = rule(modules=[RuleModule(module_code="OLD999", ects=3)])
    ruled = apply_equivalency_rules(
        proposal_for(credential), [credential], make_programme(), [gone]
    )
    assert ruled.modules == [] and "equivalency.rule_module_gone" in codes_of(ruled)


def test_a_programme_wide_substantial_difference_blocks_the_rule() -> None:
    credential = make_credential(quality_assurance={"type": "none"})
    engine = proposal_for(credential)
    ruled = apply_equivalency_rules(engine, [credential], make_programme(), [rule()])
    assert ruled.modules == [] and "equivalency.rule_blocked" in codes_of(ruled)


def test_a_spent_cap_leaves_the_rule_nothing_to_propose() -> None:
    credential = make_credential()
    engine = proposal_for(credential).model_copy(update={"ects_cap_remaining": 0.0})
    ruled = apply_equivalency_rules(engine, [credential], make_programme(), [rule()])
    assert ruled.modules == []
    [spent] = [f for f in ruled.findings if f.code == "workload.nothing_left_for_module"]
    assert spent.module_code == "DB201" and spent.source is not None


def test_in_a_stack_the_engines_modules_keep_what_the_rule_leaves() -> None:
    ruled_one = make_credential(id="a")
    other = make_credential(id="b", title="Routing and Switching")
    engine = propose_recognition(
        [CredentialOutcomes(c, ["outcome a"]) for c in (ruled_one, other)],
        make_programme(),
        [net_match()],
        PARAMS,
    )
    engine = engine.model_copy(update={"ects_cap_remaining": 8.0})
    ruled = apply_equivalency_rules(engine, [ruled_one, other], make_programme(), [rule()])
    assert [(m.module_code, m.proposed_ects, m.rule_id) for m in ruled.modules] == [
        ("DB201", 4, "r1"),
        ("NET101", 4, None),
    ]
    assert ruled.modules[1].recognition.value == "partial"
