"""Pure: matched modules + programme policy → a RecognitionProposal.

Three steps, each pure: the checks yield findings (``findings``), the ECTS are allocated to the
modules no finding blocks (``allocation``), and the status is derived from the findings and the
allocation alone (``proposal_status``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from recognition_engine.config import Settings
from recognition_engine.decision.allocation import Claim, allocate_ects, floor_to_step
from recognition_engine.decision.findings import (
    assess_authenticity,
    assess_cap_left,
    assess_confidence,
    assess_described_module,
    assess_level,
    assess_level_policy,
    assess_outcomes,
    assess_outcomes_stated,
    assess_profile,
    assess_quality,
    assess_similarity,
    assess_workload_known,
    assess_workload_plausible,
    finding,
    worst,
)
from recognition_engine.decision.review import (
    ReviewLine,
    evidence_requests,
    no_review_reason,
    review_candidate,
    review_finding,
)
from recognition_engine.domain import (
    ConsideredModule,
    CredentialSummary,
    Element,
    Finding,
    LevelEstimate,
    MicroCredential,
    Module,
    ModuleProposal,
    OutcomePair,
    Programme,
    ProposalStatus,
    RecognitionKind,
    RecognitionProposal,
    Verdict,
)
from recognition_engine.levels.frameworks import credential_eqf_level, module_eqf_level
from recognition_engine.matching import ModuleMatch


@dataclass(frozen=True)
class DecisionParams:
    hours_per_ects: float
    outcome_match_threshold: float
    partial_coverage: float
    full_coverage: float
    min_proposal_score: float
    min_proposal_confidence: float
    max_candidates: int
    level_estimate_min_confidence: float

    @classmethod
    def from_settings(cls, settings: Settings) -> DecisionParams:
        return cls(**{name: getattr(settings, name) for name in cls.__dataclass_fields__})


@dataclass(frozen=True)
class CredentialOutcomes:
    """A credential with the outcomes extracted from it, in matching order."""

    credential: MicroCredential
    outcomes: list[str]


def credential_ects(credential: MicroCredential, hours_per_ects: float) -> float | None:
    """Return the credential's workload in ECTS, from ECTS or from hours; None if unstated."""
    workload = credential.workload
    if workload is None:
        return None
    if workload.ects is not None:
        return workload.ects
    assert workload.hours is not None  # Workload guarantees one of the two
    return workload.hours / hours_per_ects


def declared_eqf_level(credentials: Sequence[MicroCredential]) -> int | None:
    """The EQF level of a stack: the lowest declared, or None if any credential declares none."""
    levels = [credential_eqf_level(c) for c in credentials]
    known = [level for level in levels if level is not None]
    return min(known) if known and len(known) == len(levels) else None


def proposal_status(
    findings: Sequence[Finding], proposed: Sequence[ModuleProposal]
) -> ProposalStatus:
    """Return the status that the findings and the proposed modules imply.

    No module proposed: no recognition. Modules proposed, and a substantial difference that
    does not block (it would have kept its scope out): the evaluator must review it.
    """
    if not proposed:
        return ProposalStatus.NONE
    if any(f.verdict is Verdict.SUBSTANTIAL_DIFFERENCE and not f.blocking for f in findings):
        return ProposalStatus.REVIEW
    return ProposalStatus.PROPOSED


def propose_recognition(
    credentials: Sequence[CredentialOutcomes],
    programme: Programme,
    matches: Sequence[ModuleMatch],
    params: DecisionParams,
    *,
    level_estimate: LevelEstimate | None = None,
    outcome_owner: Sequence[str | None] | None = None,
    awarded_ects: float = 0.0,
    review: ReviewLine | None = None,
) -> RecognitionProposal:
    """Return the modules to recognise, their ECTS and the findings behind them, with reasons.

    ``matches`` are ranked modules of ``programme`` for the pooled outcomes of ``credentials``
    (in order); ``outcome_owner[i]`` names the credential of outcome i. ``awarded_ects`` is what
    earlier recognitions of the same application already hold of the programme's cap.
    ``review``: what a confidence model says of the best-ranked candidate; at tier ``review`` or
    above, that module is proposed for review when the coverage rules would refuse it.
    """
    pooled = [text for item in credentials for text in item.outcomes]
    owners = list(outcome_owner) if outcome_owner else [None] * len(pooled)
    raw = [c.credential for c in credentials]
    workloads = [credential_ects(c, params.hours_per_ects) for c in raw]
    workload = sum(w for w in workloads if w is not None)
    cap = programme.recognition_policy.cap_ects(programme.total_ects)
    cap_left = max(0.0, cap - awarded_ects)
    declared = declared_eqf_level(raw)

    level = assess_level(
        declared,
        programme.eqf_level,
        level_estimate,
        params.level_estimate_min_confidence,
        lowest_module_level=min(module_eqf_level(m, programme) for m in programme.modules),
    )
    quality = worst([assess_quality(c) for c in raw])
    profile = worst([assess_profile(c) for c in raw])
    optional = [
        *[assess_authenticity(c) for c in raw],
        assess_level_policy(declared, programme.recognition_policy.min_eqf_level),
        assess_workload_known(raw),
        assess_workload_plausible(raw, params.hours_per_ects),
        assess_outcomes_stated(raw),
        assess_cap_left(cap, awarded_ects),
    ]
    programme_findings = [level, quality, profile, *[f for f in optional if f is not None]]
    programme_blocked = [f for f in programme_findings if f.blocking]

    candidates = _unique(matches)[: params.max_candidates * 3]
    module_findings = {m.key: _module_findings(m, programme, declared, params) for m in candidates}
    for_review = review_candidate(review, candidates, module_findings, programme_blocked)
    if for_review is not None and review is not None:
        module_findings[for_review.key] = [
            *[f for f in module_findings[for_review.key] if not f.blocking],
            review_finding(for_review, review, params.partial_coverage),
        ]
    eligible = [
        m for m in candidates if not programme_blocked and not _blocking(module_findings[m.key])
    ]
    # The workload goes first to the modules whose outcomes are best covered: a fully covered
    # module should not lose its credit to a better-ranked but half-covered one. A model learned
    # from the institution's decisions has weighed coverage with every other signal: its
    # ranking (the order of ``matches``) decides instead.
    if not any(m.confidence is not None for m in eligible):
        eligible.sort(key=lambda m: (m.coverage, m.score), reverse=True)
    # a module under review gets what the modules recognised as they stand leave
    eligible.sort(key=lambda m: for_review is not None and m.key == for_review.key)  # last
    under_review = {for_review.key} if for_review is not None else set()
    claims = [
        # a module under review asks for all its ECTS: the workload decides what it gets
        Claim(m.key, programme.module(m.key).ects if m.key in under_review
              else _wanted_ects(m, programme, params))
        for m in eligible
    ]
    allocation = allocate_ects(claims, min(workload, cap_left), params.max_candidates)
    if (for_review is not None and any(m.key == for_review.key for m in eligible)
            and len(allocation) < params.max_candidates):
        # shown for review even where the workload alone supports less than a step of ECTS:
        # the evaluator learns which module it is, and that stacking could evidence it
        allocation.setdefault(for_review.key, 0.0)

    # Shown in the ranking's order: the first proposed module is the engine's best candidate.
    proposals = [
        _module_proposal(m, programme, allocation[m.key], pooled, owners, params,
                         [level, quality, profile, *module_findings[m.key]],
                         raw if for_review is not None and m.key == for_review.key else None)
        for m in candidates
        if m.key in allocation
    ]
    considered = [
        _considered(m, programme, _refusal(m, programme_blocked, module_findings[m.key]))
        for m in candidates
        if m.key not in allocation
    ]
    considered.sort(key=lambda item: item.score, reverse=True)
    total = sum(p.proposed_ects for p in proposals)
    workload_finding = _overall_workload(raw, workloads, workload, cap, cap_left, total, proposals)
    outcomes_finding = _overall_outcomes(proposals)
    summary = [level, workload_finding, quality, profile, outcomes_finding]
    all_findings = [
        *programme_findings,
        workload_finding,
        outcomes_finding,
        *[f for m in candidates for f in module_findings[m.key]],
    ]
    status = proposal_status(all_findings, proposals)
    return RecognitionProposal(
        programme_id=programme.id,
        programme_title=programme.title,
        status=status,
        credentials=[_summary(c, params) for c in credentials],
        credential_ects=round(workload, 2),
        ects_cap=round(cap, 2),
        ects_cap_remaining=round(cap_left, 2),
        total_proposed_ects=total,
        modules=proposals,
        considered=considered[: params.max_candidates],
        elements=summary,
        findings=all_findings,
        reasons=[
            *_overall_reasons(status, proposals, considered, all_findings, total),
            *([] if proposals else [r for r in [no_review_reason(review)] if r]),
            *_missing_elements(raw),
        ],
        level_estimate=level_estimate,
    )


def _unique(matches: Sequence[ModuleMatch]) -> list[ModuleMatch]:
    seen: set[str] = set()
    unique = []
    for match in matches:
        if match.key not in seen:
            seen.add(match.key)
            unique.append(match)
    return unique


def _blocking(findings: Sequence[Finding]) -> list[Finding]:
    return [f for f in findings if f.blocking]


def _module_findings(
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
        return assess_described_module(module.code, match.coverage, match.confidence,
                                       params.partial_coverage, params.full_coverage)
    return assess_outcomes(module.code, match.coverage, params.partial_coverage,
                           params.full_coverage)


def _wanted_ects(match: ModuleMatch, programme: Programme, params: DecisionParams) -> float:
    """Full coverage asks for the module's ECTS; partial coverage, its share of them.

    A module backed by decisions but stating no outcomes asks for all of them: the share of
    its description's sentences covered is no measure of how much of it was learnt.
    """
    module = programme.module(match.key)
    if match.coverage >= params.full_coverage or _backed_by_decisions(match, module, params):
        return module.ects
    return floor_to_step(module.ects * match.coverage)


def _refusal(
    match: ModuleMatch, programme_blocked: Sequence[Finding], own: Sequence[Finding]
) -> list[Finding]:
    blocked = [*programme_blocked, *_blocking(own)]
    if blocked:
        return blocked
    return [
        finding(
            Element.WORKLOAD,
            Verdict.WARNING,
            "Not even 0.5 ECTS are left of the credential's workload, or of the programme's "
            "cap, for this module.",
            module_code=match.key,
        )
    ]


def _considered(
    match: ModuleMatch, programme: Programme, findings: list[Finding]
) -> ConsideredModule:
    return ConsideredModule(
        module_code=match.key,
        module_title=programme.module(match.key).title,
        coverage=round(match.coverage, 3),
        score=round(match.score, 3),
        reasons=[f.reason for f in findings],
        findings=findings,
    )


def _module_proposal(
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
        f"{match.coverage:.0%} of {len(match.outcomes)} module outcomes covered "
        f"(similarity ≥ {params.outcome_match_threshold:.2f}); mean best similarity "
        f"{match.strength:.2f}; score {match.score:.2f}."
    ]
    if backed:
        reasons.append(
            "The module states no learning outcomes (its description's sentences were "
            f"compared): proposed on this institution's earlier decisions, confidence "
            f"{match.confidence:.2f}; an evaluator should compare the content."
        )
    kind = RecognitionKind.FULL if full and proposed >= module.ects else RecognitionKind.PARTIAL
    if under_review is not None:
        kind = RecognitionKind.REVIEW
        reasons.append(
            f"For review: {proposed:g} of {module.ects:g} ECTS are what the workload supports "
            "within the programme's rules, if the evidence requested bears the module out."
            if proposed > 0 else
            "For review: the credential's workload alone supports less than 0.5 ECTS of it; "
            "stacked with other credentials of the learner it may evidence more."
        )
    elif full and proposed < module.ects:
        basis = "Outcomes are covered" if covered else "Proposed in full"
        reasons.append(
            f"{basis}, but only {proposed:g} of {module.ects:g} ECTS remain "
            "within the credential's workload and the programme cap."
        )
    elif not full:
        reasons.append(
            f"Partial: {proposed:g} of {module.ects:g} ECTS; the uncovered outcomes need a "
            "supplementary assessment or the rest of the module."
        )
    workload = finding(
        Element.WORKLOAD,
        Verdict.PASS if proposed >= module.ects else Verdict.WARNING,
        f"{proposed:g} of the module's {module.ects:g} ECTS can be backed by the workload.",
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
    uncovered = [match.outcomes[link.module_outcome] for link in match.links
                 if link.similarity < threshold]
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
        reasons=reasons,
        evidence_requests=(
            evidence_requests(under_review, uncovered) if under_review is not None else []
        ),
    )


def _overall_workload(
    credentials: Sequence[MicroCredential],
    workloads: Sequence[float | None],
    workload: float,
    cap: float,
    cap_left: float,
    total: float,
    proposals: Sequence[ModuleProposal],
) -> Finding:
    if all(w is None for w in workloads):
        return finding(
            Element.WORKLOAD,
            Verdict.SUBSTANTIAL_DIFFERENCE,
            "No workload is stated: no ECTS can be proposed.",
            blocking=True,
        )
    left = f"; {cap_left:g} ECTS were left of it in this application" if cap_left < cap else ""
    reason = (
        f"Credential workload {workload:g} ECTS; {total:g} ECTS proposed; programme cap for "
        f"micro-credentials {cap:g} ECTS{left}."
    )
    backed = bool(proposals) and all(p.proposed_ects >= p.module_ects for p in proposals)
    return finding(Element.WORKLOAD, Verdict.PASS if backed else Verdict.WARNING, reason)


def _overall_outcomes(proposals: Sequence[ModuleProposal]) -> Finding:
    if not proposals:
        return finding(
            Element.LEARNING_OUTCOMES,
            Verdict.SUBSTANTIAL_DIFFERENCE,
            "No module's outcomes are covered well enough for recognition.",
            blocking=True,
        )
    full = [p.module_code for p in proposals if p.recognition is RecognitionKind.FULL]
    partial = [p.module_code for p in proposals if p.recognition is RecognitionKind.PARTIAL]
    review = [p.module_code for p in proposals if p.recognition is RecognitionKind.REVIEW]
    parts = []
    if full:
        parts.append(f"fully covered: {', '.join(full)}")
    if partial:
        parts.append(f"partly covered: {', '.join(partial)}")
    if review:
        parts.append(f"below the coverage rules, proposed for review: {', '.join(review)}")
    verdict = Verdict.PASS if full and not partial and not review else Verdict.WARNING
    return finding(Element.LEARNING_OUTCOMES, verdict, "Modules " + "; ".join(parts) + ".")


def _overall_reasons(
    status: ProposalStatus,
    proposals: Sequence[ModuleProposal],
    considered: Sequence[ConsideredModule],
    findings: Sequence[Finding],
    total: float,
) -> list[str]:
    programme_level = [f for f in findings if f.module_code is None]
    # "no module covered" follows from the others; the reasons name the causes
    blocked = [
        f.reason
        for f in programme_level
        if f.blocking and f.element is not Element.LEARNING_OUTCOMES
    ]
    review = [
        f.reason
        for f in programme_level
        if f.verdict is Verdict.SUBSTANTIAL_DIFFERENCE and not f.blocking
    ]
    if status is ProposalStatus.NONE:
        if blocked:
            return ["No recognition proposed: substantial differences.", *dict.fromkeys(blocked)]
        reasons = ["No recognition proposed: no module is matched well enough."]
        if considered:
            best = considered[0]
            closest = f"Closest module {best.module_code} ({best.module_title}): "
            reasons.append(closest + " ".join(best.reasons))
        return reasons
    reasons = [f"{len(proposals)} module(s) proposed for {total:g} ECTS."]
    for_review = [p for p in proposals if p.recognition is RecognitionKind.REVIEW]
    review += [f.reason for p in for_review for f in p.elements
               if f.verdict is Verdict.SUBSTANTIAL_DIFFERENCE and not f.blocking]
    if status is ProposalStatus.REVIEW:
        reasons.append("Review required before accepting: " + " ".join(review))
    return reasons


def _missing_elements(credentials: Sequence[MicroCredential]) -> list[str]:
    """A warning per credential that lacks mandatory EU 2022 elements: never invented."""
    warnings = []
    for credential in credentials:
        report = credential.eu_elements
        if report is not None and report.missing:
            names = ", ".join(element.value.replace("_", " ") for element in report.missing)
            warnings.append(
                f"Warning: {credential.title!r} does not state these mandatory elements of the "
                f"EU 2022 Recommendation: {names}."
            )
    return warnings


def _summary(item: CredentialOutcomes, params: DecisionParams) -> CredentialSummary:
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
