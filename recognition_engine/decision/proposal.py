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
    credential_ects,
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
    Message,
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
from recognition_engine.messages import codes
from recognition_engine.messages.render import coded


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
    checks: Sequence[Finding] = (),
    quality_checks: Sequence[Finding] = (),
    national_cap_ects: float | None = None,
) -> RecognitionProposal:
    """Return the modules to recognise, their ECTS and the findings behind them, with reasons.

    ``matches`` are ranked modules of ``programme`` for the pooled outcomes of ``credentials``
    (in order); ``outcome_owner[i]`` names the credential of outcome i. ``awarded_ects`` is what
    earlier recognitions of the same application already hold of the programme's cap.
    ``review``: what a confidence model says of the best-ranked candidate; at tier ``review`` or
    above, that module is proposed for review when the coverage rules would refuse it.
    ``checks``: programme-wide findings made outside (the provider registers, national policy):
    they block, send to review or pass like the engine's own. ``quality_checks``: findings of
    the provider registers on the awarding bodies, weighed with what the credentials declare:
    the quality-assurance element is the worst of them, the register's at equal severity.
    ``national_cap_ects``: a national cap on micro-credential credit, applied when lower than
    the programme's.
    """
    pooled = [text for item in credentials for text in item.outcomes]
    owners = list(outcome_owner) if outcome_owner else [None] * len(pooled)
    raw = [c.credential for c in credentials]
    workloads = [credential_ects(c, params.hours_per_ects) for c in raw]
    workload = sum(w for w in workloads if w is not None)
    cap = programme.recognition_policy.cap_ects(programme.total_ects)
    if national_cap_ects is not None:
        cap = min(cap, national_cap_ects)
    cap_left = max(0.0, cap - awarded_ects)
    declared = declared_eqf_level(raw)

    level = assess_level(
        declared,
        programme.eqf_level,
        level_estimate,
        params.level_estimate_min_confidence,
        lowest_module_level=min(module_eqf_level(m, programme) for m in programme.modules),
    )
    # max() keeps the first of equals: a register's word before a credential's own claim
    quality = worst([*quality_checks, *[assess_quality(c) for c in raw]])
    profile = worst([assess_profile(c) for c in raw])
    optional = [
        *[assess_authenticity(c) for c in raw],
        assess_level_policy(declared, programme.recognition_policy.min_eqf_level),
        assess_workload_known(raw),
        *assess_workload_plausible(raw, params.hours_per_ects),
        assess_outcomes_stated(raw),
        assess_cap_left(cap, awarded_ects),
        *checks,
        *[f for f in quality_checks if f is not quality],
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
    reasons = [
        *_overall_reasons(status, proposals, considered, all_findings, total),
        *([] if proposals else [r for r in [no_review_reason(review)] if r]),
        *_missing_elements(raw),
    ]
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
        reasons=[r.message for r in reasons],
        reason_codes=reasons,
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
            coded(codes.WORKLOAD_NOTHING_LEFT_FOR_MODULE),
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
        reasons=[f.message for f in findings],
        reason_codes=[_said(f) for f in findings],
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
        coded(codes.MODULE_COVERAGE, coverage=match.coverage, outcomes=len(match.outcomes),
              threshold=params.outcome_match_threshold, strength=match.strength,
              score=match.score)
    ]
    if backed:
        reasons.append(coded(codes.MODULE_BACKED_BY_DECISIONS, confidence=match.confidence))
    kind = RecognitionKind.FULL if full and proposed >= module.ects else RecognitionKind.PARTIAL
    ects = {"proposed": proposed, "module_ects": module.ects}
    if under_review is not None:
        kind = RecognitionKind.REVIEW
        reasons.append(
            coded(codes.MODULE_FOR_REVIEW, **ects) if proposed > 0
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
    uncovered = [match.outcomes[link.module_outcome] for link in match.links
                 if link.similarity < threshold]
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
            coded(codes.WORKLOAD_NONE_STATED),
            blocking=True,
        )
    said = (
        coded(codes.WORKLOAD_SUMMARY_CAP_USED, workload=workload, proposed=total, cap=cap,
              left=cap_left)
        if cap_left < cap
        else coded(codes.WORKLOAD_SUMMARY, workload=workload, proposed=total, cap=cap)
    )
    backed = bool(proposals) and all(p.proposed_ects >= p.module_ects for p in proposals)
    return finding(Element.WORKLOAD, Verdict.PASS if backed else Verdict.WARNING, said)


def _overall_outcomes(proposals: Sequence[ModuleProposal]) -> Finding:
    if not proposals:
        return finding(
            Element.LEARNING_OUTCOMES,
            Verdict.SUBSTANTIAL_DIFFERENCE,
            coded(codes.OUTCOMES_NONE_COVERED),
            blocking=True,
        )
    full = [p.module_code for p in proposals if p.recognition is RecognitionKind.FULL]
    partial = [p.module_code for p in proposals if p.recognition is RecognitionKind.PARTIAL]
    review = [p.module_code for p in proposals if p.recognition is RecognitionKind.REVIEW]
    verdict = Verdict.PASS if full and not partial and not review else Verdict.WARNING
    return finding(Element.LEARNING_OUTCOMES, verdict,
                   coded(codes.OUTCOMES_MODULES, full=full, partial=partial, review=review))


def _said(item: Finding) -> Message:
    """What a finding says, as a reason."""
    return Message(code=item.code, params=item.params, message=item.message)


def _overall_reasons(
    status: ProposalStatus,
    proposals: Sequence[ModuleProposal],
    considered: Sequence[ConsideredModule],
    findings: Sequence[Finding],
    total: float,
) -> list[Message]:
    programme_level = [f for f in findings if f.module_code is None]
    # "no module covered" follows from the others; the reasons name the causes
    blocked = [
        _said(f)
        for f in programme_level
        if f.blocking and f.element is not Element.LEARNING_OUTCOMES
    ]
    review = [
        _said(f)
        for f in programme_level
        if f.verdict is Verdict.SUBSTANTIAL_DIFFERENCE and not f.blocking
    ]
    if status is ProposalStatus.NONE:
        if blocked:
            return [coded(codes.REASON_NONE_DIFFERENCES), *_distinct(blocked)]
        reasons = [coded(codes.REASON_NONE_NO_MATCH)]
        if considered:
            best = considered[0]
            reasons.append(coded(codes.REASON_CLOSEST_MODULE, module_code=best.module_code,
                                 module_title=best.module_title))
            reasons += best.reason_codes
        return reasons
    reasons = [coded(codes.REASON_PROPOSED, count=len(proposals), ects=total)]
    for_review = [p for p in proposals if p.recognition is RecognitionKind.REVIEW]
    review += [_said(f) for p in for_review for f in p.elements
               if f.verdict is Verdict.SUBSTANTIAL_DIFFERENCE and not f.blocking]
    if status is ProposalStatus.REVIEW:
        reasons += [coded(codes.REASON_REVIEW_REQUIRED), *review]
    return reasons


def _distinct(messages: Sequence[Message]) -> list[Message]:
    """The messages, each said once (the same check of several credentials says it again)."""
    first: dict[str, Message] = {}
    for item in messages:
        first.setdefault(item.message, item)
    return list(first.values())


def _missing_elements(credentials: Sequence[MicroCredential]) -> list[Message]:
    """A warning per credential that lacks mandatory EU 2022 elements: never invented."""
    return [
        coded(codes.REASON_MISSING_ELEMENTS, title=credential.title,
              elements=[element.value for element in credential.eu_elements.missing])
        for credential in credentials
        if credential.eu_elements is not None and credential.eu_elements.missing
    ]


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
