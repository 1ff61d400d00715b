"""Pure: matched modules + programme policy → a RecognitionProposal with reasons.

Decision support under the Lisbon Recognition Convention: recognise unless there is a
substantial difference in level, workload, quality assurance, profile or learning outcomes;
partial recognition is a valid answer, and no proposal is better than a wrong one.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from recognition_engine.config import Settings
from recognition_engine.domain import (
    AssessmentType,
    ConsideredModule,
    CredentialSummary,
    Element,
    ElementAssessment,
    IdentityVerification,
    LevelEstimate,
    MicroCredential,
    Module,
    ModuleProposal,
    OutcomePair,
    Programme,
    ProposalStatus,
    QualityAssuranceType,
    RecognitionKind,
    RecognitionProposal,
    Verdict,
)
from recognition_engine.matching import ModuleMatch

# National frameworks referenced to the EQF whose higher-education levels coincide with it.
EQF_ALIGNED_FRAMEWORKS = {"GE", "AM"}
UNASSESSED = {AssessmentType.NONE, AssessmentType.ATTENDANCE, AssessmentType.SELF_ASSESSMENT}


@dataclass(frozen=True)
class DecisionParams:
    hours_per_ects: float
    outcome_match_threshold: float
    partial_coverage: float
    full_coverage: float
    min_proposal_score: float
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


def credential_ects(credential: MicroCredential, hours_per_ects: float) -> float:
    """Return the credential's workload in ECTS, from ECTS or from hours."""
    if credential.workload.ects is not None:
        return credential.workload.ects
    assert credential.workload.hours is not None  # the model guarantees one of the two
    return credential.workload.hours / hours_per_ects


def credential_eqf_level(credential: MicroCredential) -> int | None:
    """Return the declared EQF level, or the one a GE/AM NQF level corresponds to."""
    if credential.eqf_level is not None:
        return credential.eqf_level
    if credential.nqf_level and credential.nqf_level.framework in EQF_ALIGNED_FRAMEWORKS:
        return credential.nqf_level.level
    return None


def _floor_half(value: float) -> float:
    return math.floor(value * 2) / 2


# --- the five elements, per credential --------------------------------------------------------


def assess_quality(credential: MicroCredential) -> ElementAssessment:
    qa = credential.quality_assurance
    body = f" ({qa.body})" if qa.body else ""
    if qa.type is QualityAssuranceType.EXTERNAL_ACCREDITED:
        return _element(Element.QUALITY_ASSURANCE, Verdict.PASS, f"External, accredited QA{body}.")
    if qa.type is QualityAssuranceType.NONE:
        return _element(
            Element.QUALITY_ASSURANCE,
            Verdict.SUBSTANTIAL_DIFFERENCE,
            "No quality assurance is declared: the outcomes cannot be trusted as certified.",
        )
    kind = "internal QA only" if qa.type is QualityAssuranceType.INTERNAL else "external QA"
    return _element(
        Element.QUALITY_ASSURANCE,
        Verdict.WARNING,
        f"The provider has {kind}{body}, outside the accredited system: check the provider.",
    )


def assess_profile(credential: MicroCredential) -> ElementAssessment:
    if credential.assessment in UNASSESSED:
        return _element(
            Element.PROFILE,
            Verdict.SUBSTANTIAL_DIFFERENCE,
            f"Assessment is '{credential.assessment.value}': the outcomes were not assessed "
            "as a degree module's are.",
        )
    unverified = credential.identity_verification in {
        None,
        IdentityVerification.NONE,
        IdentityVerification.ONLINE_UNSUPERVISED,
    }
    if credential.assessment is AssessmentType.AUTOMATED_TEST and unverified:
        return _element(
            Element.PROFILE,
            Verdict.WARNING,
            "Automated tests without verified identity: consider a supplementary check.",
        )
    return _element(
        Element.PROFILE,
        Verdict.PASS,
        f"Assessed by {credential.assessment.value.replace('_', ' ')}, "
        f"{credential.participation.value.replace('_', ' ')} participation.",
    )


def assess_level(
    credential_level: int | None,
    target_level: int,
    estimate: LevelEstimate | None,
    min_confidence: float = 0.5,
) -> ElementAssessment:
    """Compare a credential's level with the level of a module or programme.

    A declared level that the outcomes contradict is a substantial difference only when the
    estimate is confident; a weak estimate is shown as a warning, not as a finding.
    """
    if credential_level is None:
        if estimate is None:
            return _element(
                Element.LEVEL, Verdict.WARNING, "No EQF/NQF level is declared: check the level."
            )
        verdict = Verdict.PASS if estimate.eqf_level >= target_level else Verdict.WARNING
        return _element(
            Element.LEVEL,
            Verdict.WARNING if verdict is Verdict.PASS else verdict,
            f"No level declared; its outcomes read as EQF {estimate.eqf_level} "
            f"(estimate, confidence {estimate.confidence:.2f}) against EQF {target_level}.",
        )
    if credential_level < target_level:
        return _element(
            Element.LEVEL,
            Verdict.SUBSTANTIAL_DIFFERENCE,
            f"Declared EQF {credential_level} is below the EQF {target_level} required.",
        )
    if estimate is not None and abs(estimate.eqf_level - credential_level) >= 1:
        confident = estimate.confidence >= min_confidence
        return _element(
            Element.LEVEL,
            Verdict.SUBSTANTIAL_DIFFERENCE if confident else Verdict.WARNING,
            f"Declared EQF {credential_level}, but its outcomes read as EQF {estimate.eqf_level} "
            f"(estimate, confidence {estimate.confidence:.2f}"
            + ("" if confident else ", weak evidence")
            + "): check the level.",
        )
    return _element(
        Element.LEVEL,
        Verdict.PASS,
        f"Declared EQF {credential_level} meets the EQF {target_level} required.",
    )


def _element(element: Element, verdict: Verdict, reason: str) -> ElementAssessment:
    return ElementAssessment(element=element, verdict=verdict, reason=reason)


def _worst(assessments: Sequence[ElementAssessment], element: Element) -> ElementAssessment:
    order = [Verdict.PASS, Verdict.WARNING, Verdict.SUBSTANTIAL_DIFFERENCE]
    return max(assessments, key=lambda a: order.index(a.verdict))


# --- the proposal ---------------------------------------------------------------------------


def propose_recognition(
    credentials: Sequence[CredentialOutcomes],
    programme: Programme,
    matches: Sequence[ModuleMatch],
    params: DecisionParams,
    *,
    level_estimate: LevelEstimate | None = None,
    outcome_owner: Sequence[str | None] | None = None,
) -> RecognitionProposal:
    """Return the modules to recognise, their ECTS and the five elements, with reasons.

    ``matches`` are ranked modules of ``programme`` for the pooled outcomes of
    ``credentials`` (in order); ``outcome_owner[i]`` names the credential of outcome i.
    """
    pooled = [text for item in credentials for text in item.outcomes]
    owners = list(outcome_owner) if outcome_owner else [None] * len(pooled)
    workload = sum(credential_ects(c.credential, params.hours_per_ects) for c in credentials)
    cap = programme.recognition_policy.cap_ects(programme.total_ects)
    budget = min(workload, cap)
    levels = [credential_eqf_level(c.credential) for c in credentials]
    declared = None if any(level is None for level in levels) else min(levels)  # type: ignore[type-var]

    quality = _worst([assess_quality(c.credential) for c in credentials], Element.QUALITY_ASSURANCE)
    profile = _worst([assess_profile(c.credential) for c in credentials], Element.PROFILE)
    min_confidence = params.level_estimate_min_confidence
    programme_level = assess_level(declared, programme.eqf_level, level_estimate, min_confidence)
    blockers = [a for a in (quality, profile) if a.verdict is Verdict.SUBSTANTIAL_DIFFERENCE]
    policy_floor = programme.recognition_policy.min_eqf_level
    if policy_floor is not None and (declared is None or declared < policy_floor):
        blockers.append(
            _element(
                Element.LEVEL,
                Verdict.SUBSTANTIAL_DIFFERENCE,
                f"The programme recognises micro-credentials from EQF {policy_floor} only.",
            )
        )

    considered: list[ConsideredModule] = []
    eligible: list[tuple[ModuleMatch, Module, list[ElementAssessment]]] = []
    for match in matches[: params.max_candidates * 3]:
        module = programme.module(match.key)
        module_level = assess_level(
            declared, module.nqf_level or programme.nqf_level, level_estimate, min_confidence
        )
        outcome_element = _assess_outcomes(match, params)
        refusals = [b.reason for b in blockers]
        if (
            module_level.verdict is Verdict.SUBSTANTIAL_DIFFERENCE
            and declared is not None
            and (declared < (module.nqf_level or programme.nqf_level))
        ):
            refusals.append(module_level.reason)
        if match.score < params.min_proposal_score:
            refusals.append(
                f"Overall similarity {match.score:.2f} is below {params.min_proposal_score:.2f}."
            )
        if outcome_element.verdict is Verdict.SUBSTANTIAL_DIFFERENCE:
            refusals.append(outcome_element.reason)
        if refusals:
            considered.append(_considered(match, module, refusals))
        else:
            eligible.append((match, module, [module_level, quality, profile, outcome_element]))

    # The workload goes first to the modules whose outcomes are best covered: a fully covered
    # module should not lose its credit to a better-ranked but half-covered one.
    eligible.sort(key=lambda item: (item[0].coverage, item[0].score), reverse=True)
    proposals: list[ModuleProposal] = []
    remaining = budget
    for match, module, elements in eligible:
        if remaining <= 0 or len(proposals) >= params.max_candidates:
            considered.append(
                _considered(
                    match, module, ["The credential's ECTS, or the programme's cap, are used up."]
                )
            )
            continue
        proposal = _module_proposal(match, module, pooled, owners, remaining, params, elements)
        remaining -= proposal.proposed_ects
        proposals.append(proposal)
    considered = sorted(considered, key=lambda item: item.score, reverse=True)
    considered = considered[: params.max_candidates]

    total = sum(p.proposed_ects for p in proposals)
    differences = [b.reason for b in blockers]
    if (
        programme_level.verdict is Verdict.SUBSTANTIAL_DIFFERENCE
        and declared is not None
        and (declared < programme.eqf_level)
    ):
        differences.append(programme_level.reason)
    reasons = _overall_reasons(proposals, considered, differences, workload, cap, total)
    outcomes_element = _overall_outcomes(proposals)
    workload_element = _element(
        Element.WORKLOAD,
        Verdict.PASS if proposals and total <= workload else Verdict.WARNING,
        f"Credential workload {workload:g} ECTS; {total:g} ECTS proposed; "
        f"programme cap for micro-credentials {cap:g} ECTS.",
    )
    return RecognitionProposal(
        programme_id=programme.id,
        programme_title=programme.title,
        status=ProposalStatus.PROPOSED if proposals else ProposalStatus.NONE,
        credentials=[_summary(c, params) for c in credentials],
        credential_ects=round(workload, 2),
        ects_cap=round(cap, 2),
        total_proposed_ects=total,
        modules=proposals,
        considered=considered,
        elements=[programme_level, workload_element, quality, profile, outcomes_element],
        reasons=reasons,
        level_estimate=level_estimate,
    )


def _considered(match: ModuleMatch, module: Module, reasons: list[str]) -> ConsideredModule:
    return ConsideredModule(
        module_code=module.code,
        module_title=module.title,
        coverage=round(match.coverage, 3),
        score=round(match.score, 3),
        reasons=reasons,
    )


def _assess_outcomes(match: ModuleMatch, params: DecisionParams) -> ElementAssessment:
    share = f"{match.coverage:.0%} of the module's outcomes are covered"
    if match.coverage >= params.full_coverage:
        return _element(Element.LEARNING_OUTCOMES, Verdict.PASS, share + ".")
    if match.coverage >= params.partial_coverage:
        return _element(
            Element.LEARNING_OUTCOMES, Verdict.WARNING, share + ": partial recognition only."
        )
    return _element(
        Element.LEARNING_OUTCOMES,
        Verdict.SUBSTANTIAL_DIFFERENCE,
        f"Only {match.coverage:.0%} of the module's outcomes are covered "
        f"(at least {params.partial_coverage:.0%} needed).",
    )


def _module_proposal(
    match: ModuleMatch,
    module: Module,
    pooled: list[str],
    owners: list[str | None],
    remaining: float,
    params: DecisionParams,
    elements: list[ElementAssessment],
) -> ModuleProposal:
    module_outcomes = match.outcomes
    full = match.coverage >= params.full_coverage
    wanted = module.ects if full else _floor_half(module.ects * match.coverage)
    proposed = min(wanted, _floor_half(remaining))
    reasons = [
        f"{match.coverage:.0%} of {len(module_outcomes)} module outcomes covered "
        f"(similarity ≥ {params.outcome_match_threshold:.2f}); mean best similarity "
        f"{match.strength:.2f}; score {match.score:.2f}."
    ]
    kind = RecognitionKind.FULL if full and proposed >= module.ects else RecognitionKind.PARTIAL
    if full and proposed < module.ects:
        reasons.append(
            f"Outcomes are covered, but only {proposed:g} of {module.ects:g} ECTS remain "
            "within the credential's workload and the programme cap."
        )
    elif not full:
        reasons.append(
            f"Partial: {proposed:g} of {module.ects:g} ECTS; the uncovered outcomes need a "
            "supplementary assessment or the rest of the module."
        )
    workload = _element(
        Element.WORKLOAD,
        Verdict.PASS if proposed >= module.ects else Verdict.WARNING,
        f"{proposed:g} of the module's {module.ects:g} ECTS can be backed by the workload.",
    )
    evidence = [
        OutcomePair(
            credential_outcome=pooled[link.credential_outcome],
            module_outcome=module_outcomes[link.module_outcome],
            similarity=round(link.similarity, 3),
            credential_id=owners[link.credential_outcome],
        )
        for link in match.links
        if link.similarity >= params.outcome_match_threshold
    ]
    uncovered = [
        module_outcomes[link.module_outcome]
        for link in match.links
        if link.similarity < params.outcome_match_threshold
    ]
    return ModuleProposal(
        module_code=module.code,
        module_title=module.title,
        module_ects=module.ects,
        recognition=kind,
        proposed_ects=proposed,
        coverage=round(match.coverage, 3),
        strength=round(match.strength, 3),
        score=round(match.score, 3),
        evidence=evidence,
        uncovered_outcomes=uncovered,
        elements=[elements[0], workload, *elements[1:]],
        reasons=reasons,
    )


def _overall_outcomes(proposals: Sequence[ModuleProposal]) -> ElementAssessment:
    if not proposals:
        return _element(
            Element.LEARNING_OUTCOMES,
            Verdict.SUBSTANTIAL_DIFFERENCE,
            "No module's outcomes are covered well enough.",
        )
    full = [p.module_code for p in proposals if p.recognition is RecognitionKind.FULL]
    partial = [p.module_code for p in proposals if p.recognition is RecognitionKind.PARTIAL]
    verdict = Verdict.PASS if full and not partial else Verdict.WARNING
    parts = []
    if full:
        parts.append(f"fully covered: {', '.join(full)}")
    if partial:
        parts.append(f"partly covered: {', '.join(partial)}")
    return _element(Element.LEARNING_OUTCOMES, verdict, "Modules " + "; ".join(parts) + ".")


def _overall_reasons(
    proposals: Sequence[ModuleProposal],
    considered: Sequence[ConsideredModule],
    differences: Sequence[str],
    workload: float,
    cap: float,
    total: float,
) -> list[str]:
    if not proposals:
        if differences:
            return ["No recognition proposed: substantial differences.", *differences]
        reasons = ["No recognition proposed: no module is matched well enough."]
        if considered:
            best = considered[0]
            reasons.append(
                f"Closest module {best.module_code} ({best.module_title}): "
                + " ".join(best.reasons)
            )
        return reasons
    reasons = [f"{len(proposals)} module(s) proposed for {total:g} ECTS."]
    if workload > cap:
        reasons.append(f"The programme caps micro-credential credit at {cap:g} ECTS.")
    return reasons


def _summary(item: CredentialOutcomes, params: DecisionParams) -> CredentialSummary:
    credential = item.credential
    return CredentialSummary(
        id=credential.id,
        title=credential.title,
        awarding_body=credential.awarding_body,
        country=credential.country,
        ects=round(credential_ects(credential, params.hours_per_ects), 2),
        eqf_level=credential_eqf_level(credential),
        outcomes=item.outcomes,
    )
