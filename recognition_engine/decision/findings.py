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
    FindingSource,
    IdentityVerification,
    LevelEstimate,
    Message,
    MicroCredential,
    QualityAssuranceType,
    Scope,
    SignatureStatus,
    Verdict,
)
from recognition_engine.messages import codes
from recognition_engine.messages.render import coded

UNASSESSED = {AssessmentType.NONE, AssessmentType.ATTENDANCE, AssessmentType.SELF_ASSESSMENT}
_SEVERITY = {Verdict.PASS: 0, Verdict.WARNING: 1, Verdict.SUBSTANTIAL_DIFFERENCE: 2}


def finding(
    element: Element,
    verdict: Verdict,
    said: Message,
    *,
    blocking: bool = False,
    module_code: str | None = None,
    evidence: Sequence[str] = (),
    source: FindingSource | None = None,
) -> Finding:
    """Return a finding saying ``said`` (a code with its parameters, ``coded``); a module code
    makes it module-scoped; ``source`` cites the register or rule that decided it."""
    return Finding(
        element=element,
        scope=Scope.MODULE if module_code else Scope.PROGRAMME,
        module_code=module_code,
        verdict=verdict,
        blocking=blocking,
        code=said.code,
        params=said.params,
        message=said.message,
        reason=said.message,
        evidence=list(evidence),
        source=source,
    )


def blocking_difference(
    element: Element, said: Message, *, module_code: str | None = None
) -> Finding:
    """Return a substantial difference that blocks recognition for its scope (the programme,
    or the module ``module_code``)."""
    return finding(
        element, Verdict.SUBSTANTIAL_DIFFERENCE, said, blocking=True, module_code=module_code
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
            coded(codes.QUALITY_NOT_STATED, title=credential.title),
        )
    if qa.type is QualityAssuranceType.EXTERNAL_ACCREDITED:
        said = (coded(codes.QUALITY_ACCREDITED_BY, body=qa.body) if qa.body
                else coded(codes.QUALITY_ACCREDITED))
        return finding(Element.QUALITY_ASSURANCE, Verdict.PASS, said)
    if qa.type is QualityAssuranceType.NONE:
        return blocking_difference(
            Element.QUALITY_ASSURANCE,
            coded(codes.QUALITY_NONE, title=credential.title),
        )
    if qa.type is QualityAssuranceType.INTERNAL:
        said = (coded(codes.QUALITY_INTERNAL_BY, body=qa.body) if qa.body
                else coded(codes.QUALITY_INTERNAL))
    else:
        said = (coded(codes.QUALITY_EXTERNAL_BY, body=qa.body) if qa.body
                else coded(codes.QUALITY_EXTERNAL))
    return finding(Element.QUALITY_ASSURANCE, Verdict.WARNING, said)


def assess_profile(credential: MicroCredential) -> Finding:
    if credential.assessment is None:
        return finding(
            Element.PROFILE,
            Verdict.WARNING,
            coded(codes.PROFILE_NOT_STATED, title=credential.title),
        )
    if credential.assessment in UNASSESSED:
        return blocking_difference(
            Element.PROFILE,
            coded(codes.PROFILE_UNASSESSED, title=credential.title,
                  assessment=credential.assessment.value),
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
            coded(codes.PROFILE_UNVERIFIED_TESTS),
        )
    assessment = credential.assessment.value
    said = (
        coded(codes.PROFILE_ASSESSED, assessment=assessment,
              participation=credential.participation.value)
        if credential.participation is not None
        else coded(codes.PROFILE_ASSESSED_PARTICIPATION_UNSTATED, assessment=assessment)
    )
    return finding(Element.PROFILE, Verdict.PASS, said)


# --- authenticity: what could be checked of a digital credential, offline --------------------


def assess_authenticity(credential: MicroCredential) -> Finding | None:
    """A changed signed credential is refused; what could not be checked is said, not assumed.

    Authenticity is no element of its own under the Convention; it is reported with quality
    assurance, whose trust in the awarding body it underpins.
    """
    provenance = credential.provenance
    if provenance is None or provenance.format in OWN_FORMATS:
        return None
    name = {"title": credential.title, "format": provenance.format.value}
    if provenance.signature is SignatureStatus.INVALID:
        return blocking_difference(
            Element.QUALITY_ASSURANCE,
            # the detail is the signature check's own text, as it gave it
            coded(codes.AUTHENTICITY_INVALID, **name, detail=provenance.signature_detail),
        )
    notes = [provenance.signature_detail, f"Revocation: {provenance.revocation}."]
    if provenance.expired:
        until = provenance.valid_until
        return finding(
            Element.QUALITY_ASSURANCE,
            Verdict.WARNING,
            coded(codes.AUTHENTICITY_EXPIRED, **name,
                  valid_until=None if until is None else f"{until:%Y-%m-%d}"),
            evidence=notes,
        )
    if provenance.signature is SignatureStatus.VERIFIED:
        return finding(
            Element.QUALITY_ASSURANCE,
            Verdict.PASS,
            coded(codes.AUTHENTICITY_VALID, **name),
            evidence=notes,
        )
    code = (codes.AUTHENTICITY_UNSIGNED if provenance.signature is SignatureStatus.UNSIGNED
            else codes.AUTHENTICITY_NOT_CHECKABLE)
    return finding(Element.QUALITY_ASSURANCE, Verdict.WARNING, coded(code, **name),
                   evidence=notes)


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
    evidence = _estimate_evidence(estimate)
    where = {"module_code": module_code} if module_code else {}
    if declared is None:
        if estimate is None:
            code = codes.LEVEL_NOT_DECLARED_MODULE if module_code else codes.LEVEL_NOT_DECLARED
            said = coded(code, required=required, **where)
        else:
            code = (codes.LEVEL_NOT_DECLARED_ESTIMATED_MODULE if module_code
                    else codes.LEVEL_NOT_DECLARED_ESTIMATED)
            said = coded(code, estimate=estimate.eqf_level, confidence=estimate.confidence,
                         required=required, **where)
        return _level_finding(Verdict.WARNING, said, module_code, evidence)
    if declared < required:
        below = {"declared": declared, "required": required}
        if module_code:
            said = coded(codes.LEVEL_BELOW_MODULE, **below, module_code=module_code)
            return _level_finding(Verdict.SUBSTANTIAL_DIFFERENCE, said, module_code, evidence,
                          blocking=True)
        lowest = required if lowest_module_level is None else lowest_module_level
        if declared < lowest:
            said = coded(codes.LEVEL_BELOW_EVERY_MODULE, **below, lowest=lowest)
            return _level_finding(Verdict.SUBSTANTIAL_DIFFERENCE, said, module_code, evidence,
                          blocking=True)
        said = coded(codes.LEVEL_BELOW_PROGRAMME, **below)
        return _level_finding(Verdict.WARNING, said, module_code, evidence)
    if estimate is not None and estimate.eqf_level < declared and not module_code:
        read = {"declared": declared, "estimate": estimate.eqf_level,
                "confidence": estimate.confidence}
        if estimate.confidence >= min_confidence:
            said = coded(codes.LEVEL_ESTIMATE_BELOW, **read)
            return _level_finding(Verdict.SUBSTANTIAL_DIFFERENCE, said, module_code, evidence)
        said = coded(codes.LEVEL_ESTIMATE_UNCERTAIN, **read, required=required)
        return _level_finding(Verdict.PASS, said, module_code, evidence)
    code = codes.LEVEL_MEETS_MODULE if module_code else codes.LEVEL_MEETS
    return finding(
        Element.LEVEL,
        Verdict.PASS,
        coded(code, declared=declared, required=required, **where),
        module_code=module_code,
    )


def _level_finding(
    verdict: Verdict,
    said: Message,
    module_code: str | None,
    evidence: list[str],
    *,
    blocking: bool = False,
) -> Finding:
    """Return a level finding of the scope (``module_code``), with the estimate's evidence."""
    return finding(
        Element.LEVEL, verdict, said, blocking=blocking, module_code=module_code, evidence=evidence
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
            coded(codes.LEVEL_MEETS_FLOOR, declared=declared, floor=floor),
        )
    said = (coded(codes.LEVEL_BELOW_FLOOR_UNDECLARED, floor=floor) if declared is None
            else coded(codes.LEVEL_BELOW_FLOOR, declared=declared, floor=floor))
    return blocking_difference(Element.LEVEL, said)


# --- workload --------------------------------------------------------------------------------


FULL_TIME_YEAR_ECTS = 60.0
"""One year of full-time study (ECTS Users' Guide 2015): no micro-credential is that large."""


def credential_ects(credential: MicroCredential, hours_per_ects: float) -> float | None:
    """Return the credential's workload in ECTS, from ECTS or from hours; None if unstated."""
    workload = credential.workload
    if workload is None:
        return None
    if workload.ects is not None:
        return workload.ects
    assert workload.hours is not None  # Workload guarantees one of the two
    return workload.hours / hours_per_ects


def assess_workload_plausible(
    credentials: Sequence[MicroCredential], hours_per_ects: float
) -> list[Finding]:
    """A stated workload of a full-time year or more is implausible for a micro-credential (a
    small volume of learning, EU 2022 Recommendation): ask before any ECTS count. One finding
    per such credential."""
    found = []
    for credential in credentials:
        ects = credential_ects(credential, hours_per_ects)
        if ects is not None and ects >= FULL_TIME_YEAR_ECTS:
            found.append(finding(
                Element.WORKLOAD,
                Verdict.SUBSTANTIAL_DIFFERENCE,
                coded(codes.WORKLOAD_IMPLAUSIBLE, title=credential.title, ects=ects),
            ))
    return found


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
    return finding(
        Element.LEARNING_OUTCOMES,
        Verdict.WARNING,
        coded(codes.OUTCOMES_TITLE_ONLY, titles=bare),
    )


def assess_workload_known(credentials: Sequence[MicroCredential]) -> Finding | None:
    """A credential that states no workload contributes no ECTS; if none does, nothing can."""
    unknown = [c.title for c in credentials if c.workload is None]
    if not unknown:
        return None
    if len(unknown) == len(credentials):
        return blocking_difference(
            Element.WORKLOAD,
            coded(codes.WORKLOAD_NOT_STATED, titles=unknown),
        )
    return finding(
        Element.WORKLOAD, Verdict.WARNING, coded(codes.WORKLOAD_NOT_STATED_FOR_SOME, titles=unknown)
    )


def assess_cap_left(cap: float, awarded: float) -> Finding | None:
    """The programme's cap, once earlier recognitions of the application have used it up."""
    if awarded <= 0:
        return None
    left = max(0.0, cap - awarded)
    if left < 0.5:
        return blocking_difference(
            Element.WORKLOAD,
            coded(codes.WORKLOAD_CAP_USED, awarded=awarded, cap=cap),
        )
    return finding(
        Element.WORKLOAD,
        Verdict.WARNING,
        coded(codes.WORKLOAD_CAP_LEFT, awarded=awarded, cap=cap, left=left),
    )


# --- learning outcomes, per module -----------------------------------------------------------


def assess_outcomes(
    module_code: str, coverage: float, partial: float, full: float
) -> Finding:
    covered = coverage >= full
    if not covered and coverage < partial:
        return blocking_difference(
            Element.LEARNING_OUTCOMES,
            coded(codes.OUTCOMES_BELOW_PARTIAL, coverage=coverage, partial=partial),
            module_code=module_code,
        )
    return finding(
        Element.LEARNING_OUTCOMES,
        Verdict.PASS if covered else Verdict.WARNING,
        coded(codes.OUTCOMES_COVERED if covered else codes.OUTCOMES_PARTLY_COVERED,
              coverage=coverage),
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
    if coverage >= full:
        return finding(Element.LEARNING_OUTCOMES, Verdict.PASS,
                       coded(codes.OUTCOMES_DESCRIPTION_COVERED, coverage=coverage),
                       module_code=module_code)
    return finding(
        Element.LEARNING_OUTCOMES,
        Verdict.WARNING,
        coded(codes.OUTCOMES_DESCRIPTION_BACKED, coverage=coverage, partial=partial,
              confidence=confidence),
        module_code=module_code,
    )


def assess_similarity(module_code: str, score: float, minimum: float) -> Finding | None:
    """Too weak an overall match: the module is not proposed, whatever its coverage."""
    return _blocks_below(module_code, codes.OUTCOMES_SIMILARITY_LOW, minimum, score=score)


def assess_confidence(module_code: str, confidence: float, minimum: float) -> Finding | None:
    """Too unlikely to be right, by the model learned from decisions: not proposed."""
    return _blocks_below(module_code, codes.OUTCOMES_CONFIDENCE_LOW, minimum,
                         confidence=confidence)


def _blocks_below(module_code: str, code: str, minimum: float, **measured: float) -> Finding | None:
    """Return a blocking finding for the module when its one measure is below ``minimum``."""
    (value,) = measured.values()
    if value >= minimum:
        return None
    return blocking_difference(
        Element.LEARNING_OUTCOMES,
        coded(code, **measured, minimum=minimum),
        module_code=module_code,
    )


def unreadable_model_finding(error: Exception) -> Finding:
    """A warning that the model learned from the institution's decisions could not be read."""
    return finding(
        Element.LEARNING_OUTCOMES,
        Verdict.WARNING,
        coded(codes.OUTCOMES_MODEL_UNREADABLE),
        evidence=[str(error)[:300]],
    )
