"""Pure: matched modules + programme policy → a RecognitionProposal.

Three steps, each pure: the checks yield findings (``findings``), the ECTS are allocated to the
modules no finding blocks (``allocation``), and the status is derived from the findings and the
allocation alone (``proposal_status``).
"""

from __future__ import annotations

from collections.abc import Sequence

from recognition_engine.decision.allocation import Claim, allocate_ects
from recognition_engine.decision.caps import cap_left, programme_cap
from recognition_engine.decision.findings import (
    assess_authenticity,
    assess_cap_left,
    assess_level,
    assess_level_policy,
    assess_outcomes_stated,
    assess_profile,
    assess_quality,
    assess_workload_known,
    assess_workload_plausible,
    credential_ects,
    worst,
)
from recognition_engine.decision.modules import (
    assess_module,
    blocking_findings,
    considered_module,
    module_proposal,
    refusal,
    unique_matches,
    wanted_ects,
)
from recognition_engine.decision.overall import (
    credential_summary,
    missing_elements,
    overall_outcomes,
    overall_reasons,
    overall_workload,
)
from recognition_engine.decision.params import CredentialOutcomes, DecisionParams
from recognition_engine.decision.review import (
    ReviewLine,
    no_review_reason,
    review_candidate,
    review_finding,
)
from recognition_engine.domain import (
    Finding,
    LevelEstimate,
    MicroCredential,
    ModuleProposal,
    Programme,
    ProposalStatus,
    RecognitionProposal,
    Verdict,
)
from recognition_engine.levels.frameworks import credential_eqf_level, module_eqf_level
from recognition_engine.matching import ModuleMatch


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
    cap = programme_cap(programme, national_cap_ects)
    left = cap_left(cap, awarded_ects)
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

    candidates = unique_matches(matches)[: params.max_candidates * 3]
    module_findings = {m.key: assess_module(m, programme, declared, params) for m in candidates}
    for_review = review_candidate(review, candidates, module_findings, programme_blocked)
    if for_review is not None and review is not None:
        module_findings[for_review.key] = [
            *[f for f in module_findings[for_review.key] if not f.blocking],
            review_finding(for_review, review, params.partial_coverage),
        ]
    eligible = [
        m
        for m in candidates
        if not programme_blocked and not blocking_findings(module_findings[m.key])
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
              else wanted_ects(m, programme, params))
        for m in eligible
    ]
    allocation = allocate_ects(claims, min(workload, left), params.max_candidates)
    if (for_review is not None and any(m.key == for_review.key for m in eligible)
            and len(allocation) < params.max_candidates):
        # shown for review even where the workload alone supports less than a step of ECTS:
        # the evaluator learns which module it is, and that stacking could evidence it
        allocation.setdefault(for_review.key, 0.0)

    # Shown in the ranking's order: the first proposed module is the engine's best candidate.
    proposals = [
        module_proposal(m, programme, allocation[m.key], pooled, owners, params,
                         [level, quality, profile, *module_findings[m.key]],
                         raw if for_review is not None and m.key == for_review.key else None)
        for m in candidates
        if m.key in allocation
    ]
    considered = [
        considered_module(m, programme, refusal(m, programme_blocked, module_findings[m.key]))
        for m in candidates
        if m.key not in allocation
    ]
    considered.sort(key=lambda item: item.score, reverse=True)
    total = sum(p.proposed_ects for p in proposals)
    workload_finding = overall_workload(raw, workloads, workload, cap, left, total, proposals)
    outcomes_finding = overall_outcomes(proposals)
    summary = [level, workload_finding, quality, profile, outcomes_finding]
    all_findings = [
        *programme_findings,
        workload_finding,
        outcomes_finding,
        *[f for m in candidates for f in module_findings[m.key]],
    ]
    status = proposal_status(all_findings, proposals)
    reasons = [
        *overall_reasons(status, proposals, considered, all_findings, total),
        *([] if proposals else [r for r in [no_review_reason(review)] if r]),
        *missing_elements(raw),
    ]
    return RecognitionProposal(
        programme_id=programme.id,
        programme_title=programme.title,
        status=status,
        credentials=[credential_summary(c, params) for c in credentials],
        credential_ects=round(workload, 2),
        ects_cap=round(cap, 2),
        ects_cap_remaining=round(left, 2),
        total_proposed_ects=total,
        modules=proposals,
        considered=considered[: params.max_candidates],
        elements=summary,
        findings=all_findings,
        reasons=[r.message for r in reasons],
        reason_codes=reasons,
        level_estimate=level_estimate,
    )
