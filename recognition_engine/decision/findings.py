"""Pure: the checks of the five elements, each yielding a typed finding.

Under the Lisbon Recognition Convention a credential is recognised unless there is a
substantial difference in level, workload, quality assurance, profile or learning outcomes.
Each check below says, for the programme as a whole or for one module, whether it passes,
warns, or finds a substantial difference, and whether that difference blocks recognition for
its scope or only puts the proposal under the evaluator's review.
"""

from __future__ import annotations

from collections.abc import Sequence

from recognition_engine.domain import (
    OWN_FORMATS,
    AssessmentType,
    Element,
    Finding,
    IdentityVerification,
    LevelEstimate,
    MicroCredential,
    QualityAssuranceType,
    Scope,
    SignatureStatus,
    Verdict,
)

UNASSESSED = {AssessmentType.NONE, AssessmentType.ATTENDANCE, AssessmentType.SELF_ASSESSMENT}
_SEVERITY = {Verdict.PASS: 0, Verdict.WARNING: 1, Verdict.SUBSTANTIAL_DIFFERENCE: 2}


def finding(
    element: Element,
    verdict: Verdict,
    reason: str,
    *,
    blocking: bool = False,
    module_code: str | None = None,
    evidence: Sequence[str] = (),
) -> Finding:
    """Return a finding; a module code makes it module-scoped."""
    return Finding(
        element=element,
        scope=Scope.MODULE if module_code else Scope.PROGRAMME,
        module_code=module_code,
        verdict=verdict,
        blocking=blocking,
        reason=reason,
        evidence=list(evidence),
    )


def worst(findings: Sequence[Finding]) -> Finding:
    """Return the most severe finding (blocking before non-blocking at equal verdict)."""
    return max(findings, key=lambda f: (_SEVERITY[f.verdict], f.blocking))


# --- quality assurance and profile: properties of the credential ----------------------------


def assess_quality(credential: MicroCredential) -> Finding:
    qa = credential.quality_assurance
    if qa is None:
        return finding(
            Element.QUALITY_ASSURANCE,
            Verdict.WARNING,
            f"{credential.title!r} does not state its quality assurance: ask the awarding body.",
        )
    body = f" ({qa.body})" if qa.body else ""
    if qa.type is QualityAssuranceType.EXTERNAL_ACCREDITED:
        return finding(Element.QUALITY_ASSURANCE, Verdict.PASS, f"External, accredited QA{body}.")
    if qa.type is QualityAssuranceType.NONE:
        return finding(
            Element.QUALITY_ASSURANCE,
            Verdict.SUBSTANTIAL_DIFFERENCE,
            f"{credential.title!r} declares no quality assurance: its outcomes cannot be "
            "trusted as certified, so nothing is recognised.",
            blocking=True,
        )
    kind = "internal QA only" if qa.type is QualityAssuranceType.INTERNAL else "external QA"
    return finding(
        Element.QUALITY_ASSURANCE,
        Verdict.WARNING,
        f"The provider has {kind}{body}, outside the accredited system: check the provider.",
    )


def assess_profile(credential: MicroCredential) -> Finding:
    if credential.assessment is None:
        return finding(
            Element.PROFILE,
            Verdict.WARNING,
            f"{credential.title!r} does not state how its outcomes were assessed: ask the "
            "awarding body before accepting.",
        )
    if credential.assessment in UNASSESSED:
        return finding(
            Element.PROFILE,
            Verdict.SUBSTANTIAL_DIFFERENCE,
            f"{credential.title!r} is assessed by '{credential.assessment.value}': its outcomes "
            "were not assessed as a degree module's are, so nothing is recognised.",
            blocking=True,
        )
    unverified = credential.identity_verification in {
        None,
        IdentityVerification.NONE,
        IdentityVerification.ONLINE_UNSUPERVISED,
    }
    if credential.assessment is AssessmentType.AUTOMATED_TEST and unverified:
        return finding(
            Element.PROFILE,
            Verdict.WARNING,
            "Automated tests without verified identity: consider a supplementary check.",
        )
    participation = (
        f", {credential.participation.value.replace('_', ' ')} participation"
        if credential.participation is not None
        else " (form of participation not stated)"
    )
    return finding(
        Element.PROFILE,
        Verdict.PASS,
        f"Assessed by {credential.assessment.value.replace('_', ' ')}{participation}.",
    )


# --- authenticity: what could be checked of a digital credential, offline --------------------


def assess_authenticity(credential: MicroCredential) -> Finding | None:
    """A changed signed credential is refused; what could not be checked is said, not assumed.

    Authenticity is no element of its own under the Convention; it is reported with quality
    assurance, whose trust in the awarding body it underpins.
    """
    provenance = credential.provenance
    if provenance is None or provenance.format in OWN_FORMATS:
        return None
    name = f"{credential.title!r} ({provenance.format.value})"
    if provenance.signature is SignatureStatus.INVALID:
        return finding(
            Element.QUALITY_ASSURANCE,
            Verdict.SUBSTANTIAL_DIFFERENCE,
            f"The signature of {name} is invalid: it was changed after signing, so nothing "
            "is recognised. " + provenance.signature_detail,
            blocking=True,
        )
    notes = [provenance.signature_detail, f"Revocation: {provenance.revocation}."]
    if provenance.expired:
        return finding(
            Element.QUALITY_ASSURANCE,
            Verdict.WARNING,
            f"{name} expired on {provenance.valid_until:%Y-%m-%d}: check whether it still "
            "counts.",
            evidence=notes,
        )
    if provenance.signature is SignatureStatus.VERIFIED:
        return finding(
            Element.QUALITY_ASSURANCE,
            Verdict.PASS,
            f"The signature of {name} is valid.",
            evidence=notes,
        )
    state = "unsigned" if provenance.signature is SignatureStatus.UNSIGNED else (
        "signed, but its signature cannot be checked offline"
    )
    return finding(
        Element.QUALITY_ASSURANCE,
        Verdict.WARNING,
        f"{name} is {state}: its authenticity is not established.",
        evidence=notes,
    )


# --- level: every comparison in EQF ---------------------------------------------------------


def assess_level(
    declared: int | None,
    required: int,
    estimate: LevelEstimate | None,
    min_confidence: float,
    *,
    module_code: str | None = None,
    lowest_module_level: int | None = None,
) -> Finding:
    """Compare the credential's declared EQF level with the EQF level a scope requires.

    For a module, a declared level below the module's blocks that module. For the programme
    as a whole it blocks only when no module of the programme is at or below the declared
    level (``lowest_module_level``); otherwise it is a warning: those modules may still be
    recognised. An estimate
    only matters when it reads *below* the declared level: confidently so, the evaluator must
    review the declared level; weakly so, it is no finding against the declaration (the reason
    still shows the estimate): below ``min_confidence`` the estimate is right too rarely to
    raise a warning on every credential. Reading above is no difference.
    """
    scope = f"module {module_code}" if module_code else "the programme"
    evidence = _estimate_evidence(estimate)
    if declared is None:
        if estimate is None:
            reason = f"No EQF/NQF level is declared: check it against EQF {required} ({scope})."
        else:
            reason = (
                f"No level is declared; its outcomes read as EQF {estimate.eqf_level} (estimate, "
                f"confidence {estimate.confidence:.2f}) against EQF {required} for {scope}."
            )
        return finding(
            Element.LEVEL, Verdict.WARNING, reason, module_code=module_code, evidence=evidence
        )
    if declared < required:
        if module_code:
            return finding(
                Element.LEVEL,
                Verdict.SUBSTANTIAL_DIFFERENCE,
                f"Declared EQF {declared} is below the EQF {required} of module {module_code}.",
                blocking=True,
                module_code=module_code,
                evidence=evidence,
            )
        lowest = required if lowest_module_level is None else lowest_module_level
        if declared < lowest:
            return finding(
                Element.LEVEL,
                Verdict.SUBSTANTIAL_DIFFERENCE,
                f"Declared EQF {declared} is below the programme's EQF {required} and below "
                f"the level of every module (EQF {lowest} at least): nothing can be recognised.",
                blocking=True,
                evidence=evidence,
            )
        return finding(
            Element.LEVEL,
            Verdict.WARNING,
            f"Declared EQF {declared} is below the programme's EQF {required}: only modules "
            f"at EQF {declared} or below can be recognised.",
            evidence=evidence,
        )
    if estimate is not None and estimate.eqf_level < declared:
        reads = (
            f"Declared EQF {declared}, but its outcomes read as EQF {estimate.eqf_level} "
            f"(estimate, confidence {estimate.confidence:.2f})"
        )
        if estimate.confidence >= min_confidence and not module_code:
            return finding(
                Element.LEVEL,
                Verdict.SUBSTANTIAL_DIFFERENCE,
                reads + ": the evaluator must review the declared level before accepting.",
                evidence=evidence,
            )
        if not module_code:
            return finding(
                Element.LEVEL,
                Verdict.PASS,
                f"Declared EQF {declared} meets the EQF {required} of {scope}; its outcomes "
                f"read as EQF {estimate.eqf_level} (estimate, confidence "
                f"{estimate.confidence:.2f}), too uncertain to question the declaration.",
                evidence=evidence,
            )
    return finding(
        Element.LEVEL,
        Verdict.PASS,
        f"Declared EQF {declared} meets the EQF {required} of {scope}.",
        module_code=module_code,
    )


def _estimate_evidence(estimate: LevelEstimate | None) -> list[str]:
    return list(estimate.evidence[:3]) if estimate is not None else []


def assess_level_policy(declared: int | None, floor: int | None) -> Finding | None:
    """The programme's own floor for micro-credentials, if it has one."""
    if floor is None:
        return None
    if declared is not None and declared >= floor:
        return finding(
            Element.LEVEL,
            Verdict.PASS,
            f"Declared EQF {declared} meets the programme's floor of EQF {floor}.",
        )
    stated = "no level is declared" if declared is None else f"EQF {declared} is declared"
    return finding(
        Element.LEVEL,
        Verdict.SUBSTANTIAL_DIFFERENCE,
        f"The programme recognises micro-credentials from EQF {floor} only, and {stated}.",
        blocking=True,
    )


# --- workload --------------------------------------------------------------------------------


FULL_TIME_YEAR_ECTS = 60.0
"""One year of full-time study (ECTS Users' Guide 2015): no micro-credential is that large."""


def assess_workload_plausible(
    credentials: Sequence[MicroCredential], hours_per_ects: float
) -> Finding | None:
    """A stated workload of a full-time year or more is implausible for a micro-credential (a
    small volume of learning, EU 2022 Recommendation): ask before any ECTS count."""
    large = []
    for credential in credentials:
        workload = credential.workload
        if workload is None:
            continue
        hours = workload.hours or 0.0
        ects = workload.ects if workload.ects is not None else hours / hours_per_ects
        if ects >= FULL_TIME_YEAR_ECTS:
            large.append(f"{credential.title!r} ({ects:g} ECTS)")
    if not large:
        return None
    return finding(
        Element.WORKLOAD,
        Verdict.SUBSTANTIAL_DIFFERENCE,
        f"The stated workload of {', '.join(large)} is a full-time year or more, implausible for "
        "a micro-credential: check the workload with the awarding body before any ECTS count.",
    )


def states_title_only(credential: MicroCredential) -> bool:
    """The credential states neither learning outcomes nor a description: only its title."""
    return (not any(text.strip() for text in credential.learning_outcomes)
            and not (credential.description or "").strip())


def assess_outcomes_stated(credentials: Sequence[MicroCredential]) -> Finding | None:
    """A credential with neither learning outcomes nor a description is matched by its title
    alone: say so, and what to ask for."""
    bare = [c.title for c in credentials if states_title_only(c)]
    if not bare:
        return None
    names = ", ".join(repr(title) for title in bare)
    return finding(
        Element.LEARNING_OUTCOMES,
        Verdict.WARNING,
        f"{names} states no learning outcomes and no description: it was matched by its title "
        "alone. Ask the awarding body for its learning outcomes and syllabus before deciding.",
    )


def assess_workload_known(credentials: Sequence[MicroCredential]) -> Finding | None:
    """A credential that states no workload contributes no ECTS; if none does, nothing can."""
    unknown = [c.title for c in credentials if c.workload is None]
    if not unknown:
        return None
    names = ", ".join(repr(title) for title in unknown)
    if len(unknown) == len(credentials):
        return finding(
            Element.WORKLOAD,
            Verdict.SUBSTANTIAL_DIFFERENCE,
            f"No workload (ECTS or hours) is stated for {names}: no ECTS can be proposed. "
            "Ask the awarding body for the workload.",
            blocking=True,
        )
    return finding(
        Element.WORKLOAD,
        Verdict.WARNING,
        f"No workload is stated for {names}: it contributes no ECTS.",
    )


def assess_cap_left(cap: float, awarded: float) -> Finding | None:
    """The programme's cap, once earlier recognitions of the application have used it up."""
    if awarded <= 0:
        return None
    left = max(0.0, cap - awarded)
    if left < 0.5:
        return finding(
            Element.WORKLOAD,
            Verdict.SUBSTANTIAL_DIFFERENCE,
            f"Earlier recognitions in this application already use {awarded:g} of the "
            f"programme's {cap:g} ECTS cap for micro-credentials: nothing is left.",
            blocking=True,
        )
    return finding(
        Element.WORKLOAD,
        Verdict.WARNING,
        f"Earlier recognitions in this application use {awarded:g} of the programme's "
        f"{cap:g} ECTS cap: {left:g} ECTS are left.",
    )


# --- learning outcomes, per module -----------------------------------------------------------


def assess_outcomes(
    module_code: str, coverage: float, partial: float, full: float
) -> Finding:
    share = f"{coverage:.0%} of the module's outcomes are covered"
    if coverage >= full:
        return finding(
            Element.LEARNING_OUTCOMES, Verdict.PASS, share + ".", module_code=module_code
        )
    if coverage >= partial:
        return finding(
            Element.LEARNING_OUTCOMES,
            Verdict.WARNING,
            share + ": partial recognition only.",
            module_code=module_code,
        )
    return finding(
        Element.LEARNING_OUTCOMES,
        Verdict.SUBSTANTIAL_DIFFERENCE,
        f"Only {coverage:.0%} of the module's outcomes are covered "
        f"(at least {partial:.0%} needed).",
        blocking=True,
        module_code=module_code,
    )


def assess_described_module(
    module_code: str, coverage: float, confidence: float, partial: float, full: float
) -> Finding:
    """A module that states no learning outcomes, backed by the institution's decisions.

    Its "outcomes" are its description's sentences, which a course description writes as
    topics, not as outcomes: their coverage cannot show a substantial difference in learning
    outcomes. When a model learned from this institution's decisions is confident enough that
    the module is the credential's equivalent, low coverage is a warning to compare the content,
    not a block. Without that backing (no learned model, or too little confidence) the coverage
    check stands (``assess_outcomes``).
    """
    share = f"{coverage:.0%} of its description's sentences are covered"
    if coverage >= full:
        return finding(Element.LEARNING_OUTCOMES, Verdict.PASS,
                       f"The module states no learning outcomes; {share}.",
                       module_code=module_code)
    return finding(
        Element.LEARNING_OUTCOMES,
        Verdict.WARNING,
        f"The module states no learning outcomes and only {share} "
        f"(the outcome check asks {partial:.0%}); this institution's earlier decisions give "
        f"confidence {confidence:.2f} that it is the equivalent: compare the content.",
        module_code=module_code,
    )


def assess_similarity(module_code: str, score: float, minimum: float) -> Finding | None:
    """Too weak an overall match: the module is not proposed, whatever its coverage."""
    if score >= minimum:
        return None
    return finding(
        Element.LEARNING_OUTCOMES,
        Verdict.SUBSTANTIAL_DIFFERENCE,
        f"Overall similarity {score:.2f} is below {minimum:.2f}.",
        blocking=True,
        module_code=module_code,
    )


def assess_confidence(module_code: str, confidence: float, minimum: float) -> Finding | None:
    """Too unlikely to be right, by the model learned from decisions: not proposed."""
    if confidence >= minimum:
        return None
    return finding(
        Element.LEARNING_OUTCOMES,
        Verdict.SUBSTANTIAL_DIFFERENCE,
        f"Calibrated confidence {confidence:.2f} that this is the right module is below "
        f"{minimum:.2f}.",
        blocking=True,
        module_code=module_code,
    )


def unreadable_model_finding(error: Exception) -> Finding:
    """A warning that the model learned from the institution's decisions could not be read."""
    return finding(
        Element.LEARNING_OUTCOMES,
        Verdict.WARNING,
        "The model learned from this institution's decisions could not be read; modules are "
        "ranked as on day one, by similarity alone. Run learn again.",
        evidence=[str(error)[:300]],
    )
