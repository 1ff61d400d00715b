"""Proposals for review: the closest module, below the coverage rules.

A short online course states a handful of thin outcomes: it seldom covers half of a module's,
so the coverage rules alone propose nothing and an evaluator sees "no match" for a Python
course against a programme with a Python module. Where the confidence model (the institution's
learned model, or the cold-start model on day one) puts the best-ranked candidate at tier
``review`` or above, that module is proposed **for review**: with the outcome pairs that match,
the module's outcomes left without evidence, the ECTS the workload supports, and what to ask
the provider for. Below that tier nothing is proposed, and the proposal says why. The line is
the calibrated confidence, not a coverage rule: a thin outcome list may evidence no module
outcome line by line while the whole course plainly reads as the module (then the review asks
for the syllabus of every module outcome).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from recognition_engine.decision.findings import finding, states_title_only
from recognition_engine.domain import (
    AssessmentType,
    ConfidenceTier,
    Element,
    Finding,
    IdentityVerification,
    MicroCredential,
    Verdict,
)
from recognition_engine.matching import ModuleMatch

PROPOSING_TIERS = frozenset({ConfidenceTier.CONFIRMED, ConfidenceTier.POSSIBLE,
                             ConfidenceTier.REVIEW})
ASSESSED_WITH_IDENTITY = frozenset({IdentityVerification.ONLINE_PROCTORED,
                                    IdentityVerification.ON_SITE})
MAX_LISTED = 5


@dataclass(frozen=True)
class ReviewLine:
    """What the confidence model says of the best-ranked candidate."""

    module_code: str
    confidence: float
    tier: ConfidenceTier
    basis: str  # "institution" or "shared" (the cold-start model)

    @property
    def proposes(self) -> bool:
        return self.tier in PROPOSING_TIERS


def review_candidate(
    line: ReviewLine | None,
    candidates: Sequence[ModuleMatch],
    module_findings: Mapping[str, Sequence[Finding]],
    programme_blocked: Sequence[Finding],
) -> ModuleMatch | None:
    """Return the module to propose for review: the best-ranked one when the confidence model
    puts it at tier review or above and only its outcome findings (too little coverage,
    similarity or confidence) keep it out. Any other block stands."""
    if line is None or not line.proposes or programme_blocked:
        return None
    match = next((m for m in candidates if m.key == line.module_code), None)
    if match is None:
        return None
    blocks = [f for f in module_findings[match.key] if f.blocking]
    if not blocks or any(f.element is not Element.LEARNING_OUTCOMES for f in blocks):
        return None
    return match


def review_finding(match: ModuleMatch, line: ReviewLine, partial: float) -> Finding:
    """The non-blocking substantial difference that puts a review module under review."""
    where = "this institution's decisions" if line.basis == "institution" else (
        "the cold-start model, fitted on other institutions' decisions"
    )
    if match.coverage >= partial:  # kept out by its overall similarity or learned confidence
        evidenced = (f"{match.coverage:.0%} of the module's outcomes are evidenced, but the "
                     "overall match is below the proposal rule")
    elif match.coverage > 0:
        evidenced = (f"Only {match.coverage:.0%} of the module's outcomes are evidenced (at "
                     f"least {partial:.0%} for partial recognition)")
    else:
        evidenced = ("No outcome line of the credential evidences one of the module's outcomes "
                     f"(at least {partial:.0%} for partial recognition)")
    return finding(
        Element.LEARNING_OUTCOMES,
        Verdict.SUBSTANTIAL_DIFFERENCE,
        f"{evidenced}, but it is the closest module and the "
        f"confidence that it is the equivalent, {line.confidence:.2f}, is in the "
        f"'{line.tier.value}' tier ({where}): proposed for an evaluator to review against the "
        "evidence requested, not for recognition as it stands.",
        module_code=match.key,
    )


def no_review_reason(line: ReviewLine | None) -> str | None:
    """Why the closest module was not put up for review, when a confidence model said no."""
    if line is None or line.proposes:
        return None
    return (
        f"The confidence that the closest module ({line.module_code}) is an equivalent, "
        f"{line.confidence:.2f}, is in the '{line.tier.value}' tier: nothing to review."
    )


def evidence_requests(
    credentials: list[MicroCredential], uncovered: list[str]
) -> list[str]:
    """Return what an evaluator should ask the provider for before recognising the module."""
    requests = [
        f"The learning outcomes of {c.title!r}: it states none, only its title."
        for c in credentials
        if states_title_only(c)
    ]
    if uncovered:
        listed = "; ".join(uncovered[:MAX_LISTED])
        more = f" (and {len(uncovered) - MAX_LISTED} more)" if len(uncovered) > MAX_LISTED else ""
        requests.append(
            "A syllabus, or assessed work, that shows the module's outcomes the credential does "
            f"not evidence: {listed}{more}."
        )
    for credential in credentials:
        if credential.assessment is None or credential.assessment is AssessmentType.AUTOMATED_TEST:
            requests.append(
                f"How {credential.title!r} was assessed: the assessment, its weight and pass "
                "mark, and a sample of assessed work."
            )
        if credential.identity_verification not in ASSESSED_WITH_IDENTITY:
            requests.append(
                f"Proof that the learner's identity was checked at the assessment of "
                f"{credential.title!r} (proctored online or on site)."
            )
    return requests
