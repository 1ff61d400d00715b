"""Invariants of every proposal, over random credentials, programmes, matches and applications.

- each proposed module gets > 0 ECTS, at most its own ECTS, in steps of 0.5;
- the total never exceeds the workload, the programme's cap, or what is left of the cap in the
  learner's application;
- no module is proposed twice;
- a proposal (recognition_proposed or review_required) iff at least one module is proposed;
- every substantial difference blocks its scope or puts the proposal under review: a proposal
  is never silently recognition_proposed;
- a blocked scope gets nothing; recognition_proposed has no difference left to review.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recognition_engine.config import Settings
from recognition_engine.decision import CredentialOutcomes, DecisionParams, propose_recognition
from recognition_engine.decision.proposal import credential_ects
from recognition_engine.domain import (
    LevelEstimate,
    MicroCredential,
    Programme,
    ProposalStatus,
    Scope,
    Verdict,
)
from recognition_engine.matching import ModuleMatch, OutcomeLink

PARAMS = DecisionParams.from_settings(Settings(_env_file=None))
HALVES = st.integers(min_value=1, max_value=30).map(lambda n: n / 2)


@st.composite
def programmes(draw: st.DrawFn) -> Programme:
    irish = draw(st.booleans())
    levels = st.one_of(st.none(), st.integers(6, 9) if irish else st.integers(4, 7))
    modules = [
        {
            "code": f"M{i}",
            "title": f"Module {i}",
            "ects": draw(HALVES),
            "nqf_level": draw(levels),
            "learning_outcomes": [f"outcome {i}.{j}" for j in range(3)],
        }
        for i in range(draw(st.integers(1, 8)))
    ]
    policy = {
        "max_microcredential_ects": draw(st.one_of(st.none(), HALVES)),
        "max_microcredential_share": draw(st.one_of(st.none(), st.floats(0, 0.5))),
        "min_eqf_level": draw(st.one_of(st.none(), st.integers(4, 7))),
    }
    return Programme.model_validate(
        {
            "id": "p",
            "institution": "U",
            "country": "IE" if irish else "GE",
            "framework": "IE-NFQ" if irish else None,
            "title": "P",
            "cycle": "first",
            "nqf_level": 8 if irish else 6,
            "eqf_level": 6,
            "total_ects": draw(st.sampled_from([60, 180, 240])),
            "recognition_policy": policy,
            "modules": modules,
        }
    )


@st.composite
def credentials(draw: st.DrawFn, index: int) -> MicroCredential:
    workload = draw(
        st.one_of(
            st.none(),
            st.builds(dict, ects=st.floats(0.1, 40)),
            st.builds(dict, hours=st.floats(1, 900)),
        )
    )
    return MicroCredential.model_validate(
        {
            "id": f"c{index}",
            "title": f"Credential {index}",
            "awarding_body": "B",
            "country": "GE",
            "date_of_issue": dt.date(2026, 1, 1),
            "learning_outcomes": [f"credential outcome {index}"],
            "workload": workload,
            "eqf_level": draw(st.one_of(st.none(), st.integers(3, 8))),
            "assessment": draw(
                st.sampled_from(["supervised_exam", "automated_test", "none", None])
            ),
            "participation": draw(st.sampled_from(["online", None])),
            "quality_assurance": draw(
                st.sampled_from(["external_accredited", "internal", "none", None]).map(
                    lambda kind: None if kind is None else {"type": kind}
                )
            ),
            "provenance": draw(
                st.sampled_from([None, "verified", "invalid", "not_verifiable_offline"]).map(
                    lambda signature: None if signature is None else {
                        "format": "ob3-json", "signature": signature, "signature_detail": "."
                    }
                )
            ),
        }
    )


@st.composite
def matches(draw: st.DrawFn, programme: Programme) -> list[ModuleMatch]:
    chosen = draw(st.lists(st.sampled_from(programme.modules), max_size=10))  # repeats too
    found = []
    for module in chosen:
        coverage = draw(st.sampled_from([0.0, 1 / 3, 2 / 3, 1.0]))
        score = draw(st.floats(0, 1))
        links = [OutcomeLink(j, 0, 0.9 if j < round(coverage * 3) else 0.1) for j in range(3)]
        found.append(
            ModuleMatch(module.code, module.title, coverage, score, 1.0, score, score, score,
                        tuple(module.learning_outcomes), links)
        )
    return found


def estimates() -> st.SearchStrategy[LevelEstimate | None]:
    return st.one_of(
        st.none(),
        st.builds(
            lambda eqf, confidence: LevelEstimate(
                eqf_level=eqf, georgian_nqf_level=eqf, armenian_nqf_level=eqf,
                qf_ehea_cycle=None, confidence=confidence, declared_eqf_level=None,
                bloom_profile={}, descriptor_similarity={}, evidence=[], outcomes=[],
            ),
            st.integers(1, 8),
            st.floats(0, 1),
        ),
    )


@st.composite
def cases(draw: st.DrawFn):  # noqa: ANN201
    programme = draw(programmes())
    stack = [draw(credentials(i)) for i in range(draw(st.integers(1, 3)))]
    return programme, stack, draw(matches(programme)), draw(estimates()), draw(HALVES | st.just(0))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_every_proposal_keeps_the_invariants(case) -> None:  # noqa: ANN001
    programme, stack, found, estimate, awarded = case
    proposal = propose_recognition(
        [CredentialOutcomes(c, list(c.learning_outcomes)) for c in stack],
        programme, found, PARAMS, level_estimate=estimate, awarded_ects=awarded,
    )
    ects_of = {m.code: m.ects for m in programme.modules}
    codes = [m.module_code for m in proposal.modules]
    assert len(codes) == len(set(codes))
    for module in proposal.modules:
        assert 0 < module.proposed_ects <= ects_of[module.module_code]
        assert (module.proposed_ects * 2).is_integer()
    workload = sum(w for c in stack if (w := credential_ects(c, PARAMS.hours_per_ects)))
    cap = programme.recognition_policy.cap_ects(programme.total_ects)
    total = proposal.total_proposed_ects
    assert total <= workload + 1e-9
    assert total <= cap + 1e-9
    assert total <= max(0.0, cap - awarded) + 1e-9
    assert (proposal.status is not ProposalStatus.NONE) == bool(proposal.modules)
    for finding in proposal.findings:
        if finding.verdict is Verdict.SUBSTANTIAL_DIFFERENCE:
            # never silently PROPOSED: it blocks its scope, or the proposal is under review
            # (or there is nothing proposed to review)
            assert finding.blocking or proposal.status is not ProposalStatus.PROPOSED, finding
        if finding.blocking and finding.scope is Scope.PROGRAMME:
            assert not proposal.modules, finding
        if finding.blocking and finding.scope is Scope.MODULE:
            assert finding.module_code not in codes, finding
    if proposal.status is ProposalStatus.PROPOSED:
        assert not any(
            f.verdict is Verdict.SUBSTANTIAL_DIFFERENCE and not f.blocking
            for f in proposal.findings
        )
