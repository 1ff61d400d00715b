"""Pure: one matched module → its findings, the ECTS it asks for, and its proposal or refusal."""

from __future__ import annotations

from collections.abc import Sequence

from recognition_engine.decision.allocation import floor_to_step
from recognition_engine.decision.findings import (
    assess_confidence,
    assess_described_module,
    assess_level,
    assess_outcomes,
    assess_similarity,
    finding,
)
from recognition_engine.decision.params import DecisionParams
from recognition_engine.decision.review import (
    evidence_requests,
)
from recognition_engine.domain import (
    ConsideredModule,
    Element,
    Finding,
    Message,
    MicroCredential,
    Module,
    ModuleProposal,
    OutcomePair,
    Programme,
    RecognitionKind,
    Verdict,
)
from recognition_engine.levels.frameworks import module_eqf_level
from recognition_engine.matching import ModuleMatch
from recognition_engine.messages import codes
from recognition_engine.messages.render import coded


def unique_matches(matches: Sequence[ModuleMatch]) -> list[ModuleMatch]:
    seen: set[str] = set()
    unique = []
    for match in matches:
        if match.key not in seen:
            seen.add(match.key)
            unique.append(match)
    return unique


def blocking_findings(findings: Sequence[Finding]) -> list[Finding]:
    return [f for f in findings if f.blocking]


def assess_module(
    match: ModuleMatch, programme: Programme, declared: int | None, params: DecisionParams
) -> list[Finding]:
    module = programme.module(match.key)
    checks = [
        assess_level(
            declared,
            module_eqf_level(module, programme),
            None,
            params.level_estimate_min_confidence,
            module_code=module.code,
        ),
        _outcome_finding(match, module, params),
        # a learned model's calibrated confidence gates in place of the raw similarity
        assess_similarity(module.code, match.score, params.min_proposal_score)
        if match.confidence is None
        else assess_confidence(module.code, match.confidence, params.min_proposal_confidence),
    ]
    return [f for f in checks if f is not None]


def _backed_by_decisions(match: ModuleMatch, module: Module, params: DecisionParams) -> bool:
    """The module states no outcomes, and the institution's decisions back it confidently."""
    stated = any(text.strip() for text in module.learning_outcomes)
    return (
        not stated
        and match.confidence is not None
        and match.confidence >= params.min_proposal_confidence
    )


def _outcome_finding(match: ModuleMatch, module: Module, params: DecisionParams) -> Finding:
    if _backed_by_decisions(match, module, params):
        assert match.confidence is not None  # _backed_by_decisions checks it
        return assess_described_module(
            module.code,
            match.coverage,
            match.confidence,
            params.partial_coverage,
            params.full_coverage,
        )
    return assess_outcomes(
        module.code, match.coverage, params.partial_coverage, params.full_coverage
    )


def wanted_ects(match: ModuleMatch, programme: Programme, params: DecisionParams) -> float:
    """Full coverage asks for the module's ECTS; partial coverage, its share of them.

    A module backed by decisions but stating no outcomes asks for all of them: the share of
    its description's sentences covered is no measure of how much of it was learnt.
    """
    module = programme.module(match.key)
    if match.coverage >= params.full_coverage or _backed_by_decisions(match, module, params):
        return module.ects
    return floor_to_step(module.ects * match.coverage)


def refusal(
    match: ModuleMatch, programme_blocked: Sequence[Finding], own: Sequence[Finding]
) -> list[Finding]:
    blocked = [*programme_blocked, *blocking_findings(own)]
    if blocked:
        return blocked
    return [
        finding(
            Element.WORKLOAD,
            Verdict.WARNING,
            coded(codes.WORKLOAD_NOTHING_LEFT_FOR_MODULE),
            module_code=match.key,
        )
    ]


def considered_module(
    match: ModuleMatch, programme: Programme, findings: list[Finding]
) -> ConsideredModule:
    return ConsideredModule(
        module_code=match.key,
        module_title=programme.module(match.key).title,
        coverage=round(match.coverage, 3),
        score=round(match.score, 3),
        reasons=[f.message for f in findings],
        reason_codes=[said(f) for f in findings],
        findings=findings,
    )


def module_proposal(
    match: ModuleMatch,
    programme: Programme,
    proposed: float,
    pooled: list[str],
    owners: list[str | None],
    params: DecisionParams,
    findings: list[Finding],
    under_review: list[MicroCredential] | None = None,
) -> ModuleProposal:
    """``under_review``: the credentials, when the module is proposed for review."""
    module = programme.module(match.key)
    covered = match.coverage >= params.full_coverage
    backed = not covered and _backed_by_decisions(match, module, params)
    full = covered or backed
    reasons = [
        coded(
            codes.MODULE_COVERAGE,
            coverage=match.coverage,
            outcomes=len(match.outcomes),
            threshold=params.outcome_match_threshold,
            strength=match.strength,
            score=match.score,
        )
    ]
    if backed:
        reasons.append(coded(codes.MODULE_BACKED_BY_DECISIONS, confidence=match.confidence))
    kind = RecognitionKind.FULL if full and proposed >= module.ects else RecognitionKind.PARTIAL
    ects = {"proposed": proposed, "module_ects": module.ects}
    if under_review is not None:
        kind = RecognitionKind.REVIEW
        reasons.append(
            coded(codes.MODULE_FOR_REVIEW, **ects)
            if proposed > 0
            else coded(codes.MODULE_FOR_REVIEW_TOO_LITTLE)
        )
    elif full and proposed < module.ects:
        code = codes.MODULE_COVERED_ECTS_LIMITED if covered else codes.MODULE_FULL_ECTS_LIMITED
        reasons.append(coded(code, **ects))
    elif not full:
        reasons.append(coded(codes.MODULE_PARTIAL, **ects))
    workload = finding(
        Element.WORKLOAD,
        Verdict.PASS if proposed >= module.ects else Verdict.WARNING,
        coded(codes.WORKLOAD_MODULE_BACKED, **ects),
        module_code=module.code,
    )
    by_element = {f.element: f for f in findings if f.module_code == module.code}
    elements = [
        by_element.get(Element.LEVEL, findings[0]),
        workload,
        findings[1],  # quality assurance, a property of the credential
        findings[2],  # profile, likewise
        by_element[Element.LEARNING_OUTCOMES],
    ]
    threshold = params.outcome_match_threshold
    evidence = [
        OutcomePair(
            credential_outcome=pooled[link.credential_outcome],
            module_outcome=match.outcomes[link.module_outcome],
            similarity=round(link.similarity, 3),
            credential_id=owners[link.credential_outcome],
        )
        for link in match.links
        if link.similarity >= threshold
    ]
    uncovered = [
        match.outcomes[link.module_outcome] for link in match.links if link.similarity < threshold
    ]
    requests = evidence_requests(under_review, uncovered) if under_review is not None else []
    return ModuleProposal(
        module_code=module.code,
        module_title=module.title,
        module_ects=module.ects,
        recognition=kind,
        proposed_ects=proposed,
        coverage=round(match.coverage, 3),
        strength=round(match.strength, 3),
        score=round(match.score, 3),
        confidence=None if match.confidence is None else round(match.confidence, 3),
        evidence=evidence,
        uncovered_outcomes=uncovered,
        elements=elements,
        reasons=[r.message for r in reasons],
        reason_codes=reasons,
        evidence_requests=[r.message for r in requests],
        evidence_request_codes=requests,
    )


def said(item: Finding) -> Message:
    """What a finding says, as a reason."""
    return Message(code=item.code, params=item.params, message=item.message)
