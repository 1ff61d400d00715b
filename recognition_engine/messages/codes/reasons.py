"""The sentences that explain a proposal: review, the proposal's and a module's reasons, what
to ask the provider for, standing equivalency rules."""

from __future__ import annotations

from recognition_engine.messages.codes.registry import message

# --- review: the closest module, below the coverage rules ---------------------------------------

REVIEW_MATCH_BELOW_RULE = message(
    "review.match_below_rule",
    "{coverage:percent} of the module's outcomes are evidenced, but the overall match is below "
    "the proposal rule; it is nevertheless the closest module, and the confidence that it is "
    "the equivalent, {confidence:decimal2}, is in the '{tier:tier}' tier ({basis:basis}): proposed "
    "for an evaluator to review against the evidence requested, not for recognition as it "
    "stands.",
)
REVIEW_COVERAGE_BELOW = message(
    "review.coverage_below",
    "Only {coverage:percent} of the module's outcomes are evidenced (at least {partial:percent} "
    "for partial recognition), but it is the closest module and the confidence that it is the "
    "equivalent, {confidence:decimal2}, is in the '{tier:tier}' tier ({basis:basis}): proposed "
    "for an evaluator to review against the evidence requested, not for recognition as it "
    "stands.",
)
REVIEW_NOTHING_EVIDENCED = message(
    "review.nothing_evidenced",
    "No outcome line of the credential evidences one of the module's outcomes (at least "
    "{partial:percent} for partial recognition), but it is the closest module and the "
    "confidence that it is the equivalent, {confidence:decimal2}, is in the '{tier:tier}' tier "
    "({basis:basis}): proposed for an evaluator to review against the evidence requested, not "
    "for recognition as it stands.",
)

# --- the proposal's reasons ---------------------------------------------------------------------

REASON_NONE_DIFFERENCES = message(
    "reason.none_differences", "No recognition proposed: substantial differences."
)
REASON_NONE_NO_MATCH = message(
    "reason.none_no_match", "No recognition proposed: no module is matched well enough."
)
REASON_CLOSEST_MODULE = message(
    "reason.closest_module",
    "Closest module {module_code} ({module_title}), not proposed for the reasons that follow.",
)
REASON_PROPOSED = message(
    "reason.proposed", "{count} module(s) proposed for {ects:ects} ECTS."
)
REASON_REVIEW_REQUIRED = message(
    "reason.review_required", "Review required before accepting, for the reasons that follow."
)
REASON_NOTHING_TO_REVIEW = message(
    "reason.nothing_to_review",
    "The confidence that the closest module ({module_code}) is an equivalent, "
    "{confidence:decimal2}, is in the '{tier:tier}' tier: nothing to review.",
)
REASON_MISSING_ELEMENTS = message(
    "reason.missing_elements",
    "Warning: {title:quoted} does not state these mandatory elements of the EU 2022 "
    "Recommendation: {elements:eu_element}.",
)
REASON_NO_EQUIVALENT_PRECEDENTS = message(
    "reason.no_equivalent_precedents",
    "{count} of the {total} most similar earlier credentials were judged to have no equivalent "
    "in this catalogue: {titles:semicolon_list}.",
)

# --- a module's reasons -------------------------------------------------------------------------

MODULE_COVERAGE = message(
    "module.coverage",
    "{coverage:percent} of {outcomes} module outcomes covered (similarity ≥ "
    "{threshold:decimal2}); mean best similarity {strength:decimal2}; score {score:decimal2}.",
)
MODULE_BACKED_BY_DECISIONS = message(
    "module.backed_by_decisions",
    "The module states no learning outcomes (its description's sentences were compared): "
    "proposed on this institution's earlier decisions, confidence {confidence:decimal2}; an "
    "evaluator should compare the content.",
)
MODULE_FOR_REVIEW = message(
    "module.for_review",
    "For review: {proposed:ects} of {module_ects:ects} ECTS are what the workload supports "
    "within the programme's rules, if the evidence requested bears the module out.",
)
MODULE_FOR_REVIEW_TOO_LITTLE = message(
    "module.for_review_too_little",
    "For review: the credential's workload alone supports less than 0.5 ECTS of it; stacked "
    "with other credentials of the learner it may evidence more.",
)
MODULE_COVERED_ECTS_LIMITED = message(
    "module.covered_ects_limited",
    "Outcomes are covered, but only {proposed:ects} of {module_ects:ects} ECTS remain within "
    "the credential's workload and the programme cap.",
)
MODULE_FULL_ECTS_LIMITED = message(
    "module.full_ects_limited",
    "Proposed in full, but only {proposed:ects} of {module_ects:ects} ECTS remain within the "
    "credential's workload and the programme cap.",
)
MODULE_PARTIAL = message(
    "module.partial",
    "Partial: {proposed:ects} of {module_ects:ects} ECTS; the uncovered outcomes need a "
    "supplementary assessment or the rest of the module.",
)

# --- what to ask the provider for, before recognising a module under review ---------------------

REQUEST_OUTCOMES = message(
    "request.outcomes",
    "The learning outcomes of {title:quoted}: it states none, only its title.",
)
REQUEST_SYLLABUS = message(
    "request.syllabus",
    "A syllabus, or assessed work, that shows the module's outcomes the credential does not "
    "evidence: {outcomes:semicolon_list}.",
)
REQUEST_SYLLABUS_MORE = message(
    "request.syllabus_more",
    "A syllabus, or assessed work, that shows the module's outcomes the credential does not "
    "evidence: {outcomes:semicolon_list} (and {more} more).",
)
REQUEST_ASSESSMENT = message(
    "request.assessment",
    "How {title:quoted} was assessed: the assessment, its weight and pass mark, and a sample of "
    "assessed work.",
)
REQUEST_IDENTITY = message(
    "request.identity",
    "Proof that the learner's identity was checked at the assessment of {title:quoted} "
    "(proctored online or on site).",
)

# --- standing equivalency rules ----------------------------------------------------------------

EQUIVALENCY_RULE_APPLIED = message(
    "equivalency.rule_applied",
    "{title:quoted} ({awarding_body}) is recognised as {module_code} for {ects:ects} ECTS by "
    "standing equivalency rule {rule_id}, made from decision {decision_id} of {decided_on:date}.",
)
EQUIVALENCY_RULE_EXPIRED = message(
    "equivalency.rule_expired",
    "Standing equivalency rule {rule_id} for {title:quoted} ({awarding_body}) covers credentials "
    "issued from {valid_from:date} until {valid_until:date}; this one was issued on "
    "{issued:date}: the rule does not apply.",
)
EQUIVALENCY_RULE_BLOCKED = message(
    "equivalency.rule_blocked",
    "Standing equivalency rule {rule_id} covers {title:quoted} ({awarding_body}), but a "
    "substantial difference for the programme as a whole keeps anything from being recognised.",
)
EQUIVALENCY_RULE_MODULE_GONE = message(
    "equivalency.rule_module_gone",
    "Standing equivalency rule {rule_id} awards {module_code}, a module the programme no longer "
    "has: it is not proposed.",
)
EQUIVALENCY_RULE_DECIDES = message(
    "equivalency.rule_decides",
    "Not proposed: a standing equivalency rule decides the credential, and does not award this "
    "module.",
)
