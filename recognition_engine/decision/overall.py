"""Pure: what the proposal says as a whole: the workload and outcomes elements, the reasons,
and the summary of each credential."""

from __future__ import annotations

from collections.abc import Sequence

from recognition_engine.decision.findings import (
    blocking_difference,
    credential_ects,
    finding,
)
from recognition_engine.decision.modules import said
from recognition_engine.decision.params import CredentialOutcomes, DecisionParams
from recognition_engine.domain import (
    ConsideredModule,
    CredentialSummary,
    Element,
    Finding,
    Message,
    MicroCredential,
    ModuleProposal,
    ProposalStatus,
    RecognitionKind,
    Verdict,
)
from recognition_engine.levels.frameworks import credential_eqf_level
from recognition_engine.messages import codes
from recognition_engine.messages.render import coded


def overall_workload(
    credentials: Sequence[MicroCredential],
    workloads: Sequence[float | None],
    workload: float,
    cap: float,
    cap_left: float,
    total: float,
    proposals: Sequence[ModuleProposal],
) -> Finding:
    if all(w is None for w in workloads):
        return blocking_difference(Element.WORKLOAD, coded(codes.WORKLOAD_NONE_STATED))
    said = (
        coded(
            codes.WORKLOAD_SUMMARY_CAP_USED,
            workload=workload,
            proposed=total,
            cap=cap,
            left=cap_left,
        )
        if cap_left < cap
        else coded(codes.WORKLOAD_SUMMARY, workload=workload, proposed=total, cap=cap)
    )
    backed = bool(proposals) and all(p.proposed_ects >= p.module_ects for p in proposals)
    return finding(Element.WORKLOAD, Verdict.PASS if backed else Verdict.WARNING, said)


def overall_outcomes(proposals: Sequence[ModuleProposal]) -> Finding:
    if not proposals:
        return blocking_difference(Element.LEARNING_OUTCOMES, coded(codes.OUTCOMES_NONE_COVERED))
    full = [p.module_code for p in proposals if p.recognition is RecognitionKind.FULL]
    partial = [p.module_code for p in proposals if p.recognition is RecognitionKind.PARTIAL]
    review = [p.module_code for p in proposals if p.recognition is RecognitionKind.REVIEW]
    verdict = Verdict.PASS if full and not partial and not review else Verdict.WARNING
    return finding(
        Element.LEARNING_OUTCOMES,
        verdict,
        coded(codes.OUTCOMES_MODULES, full=full, partial=partial, review=review),
    )


def overall_reasons(
    status: ProposalStatus,
    proposals: Sequence[ModuleProposal],
    considered: Sequence[ConsideredModule],
    findings: Sequence[Finding],
    total: float,
) -> list[Message]:
    programme_level = [f for f in findings if f.module_code is None]
    # "no module covered" follows from the others; the reasons name the causes
    blocked = [
        said(f)
        for f in programme_level
        if f.blocking and f.element is not Element.LEARNING_OUTCOMES
    ]
    review = [
        said(f)
        for f in programme_level
        if f.verdict is Verdict.SUBSTANTIAL_DIFFERENCE and not f.blocking
    ]
    if status is ProposalStatus.NONE:
        if blocked:
            return [coded(codes.REASON_NONE_DIFFERENCES), *_distinct(blocked)]
        reasons = [coded(codes.REASON_NONE_NO_MATCH)]
        if considered:
            best = considered[0]
            reasons.append(
                coded(
                    codes.REASON_CLOSEST_MODULE,
                    module_code=best.module_code,
                    module_title=best.module_title,
                )
            )
            reasons += best.reason_codes
        return reasons
    reasons = [coded(codes.REASON_PROPOSED, count=len(proposals), ects=total)]
    for_review = [p for p in proposals if p.recognition is RecognitionKind.REVIEW]
    review += [
        said(f)
        for p in for_review
        for f in p.elements
        if f.verdict is Verdict.SUBSTANTIAL_DIFFERENCE and not f.blocking
    ]
    if status is ProposalStatus.REVIEW:
        reasons += [coded(codes.REASON_REVIEW_REQUIRED), *review]
    return reasons


def _distinct(messages: Sequence[Message]) -> list[Message]:
    """The messages, each said once (the same check of several credentials says it again)."""
    first: dict[str, Message] = {}
    for item in messages:
        first.setdefault(item.message, item)
    return list(first.values())


def missing_elements(credentials: Sequence[MicroCredential]) -> list[Message]:
    """A warning per credential that lacks mandatory EU 2022 elements: never invented."""
    return [
        coded(
            codes.REASON_MISSING_ELEMENTS,
            title=credential.title,
            elements=[element.value for element in credential.eu_elements.missing],
        )
        for credential in credentials
        if credential.eu_elements is not None and credential.eu_elements.missing
    ]


def credential_summary(item: CredentialOutcomes, params: DecisionParams) -> CredentialSummary:
    credential = item.credential
    ects = credential_ects(credential, params.hours_per_ects)
    return CredentialSummary(
        id=credential.id,
        title=credential.title,
        awarding_body=credential.awarding_body,
        country=credential.country,
        ects=None if ects is None else round(ects, 2),
        eqf_level=credential_eqf_level(credential),
        outcomes=item.outcomes,
        provenance=credential.provenance,
        missing_elements=credential.eu_elements.missing if credential.eu_elements else [],
    )
