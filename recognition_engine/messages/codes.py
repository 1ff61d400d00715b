"""The registry of every message the engine can emit: a stable dotted code and its English text.

The English text is the gettext msgid and the code its context (``msgctxt``), so that two codes
with the same English never share a translation, and a code keeps its translations when another
code's wording changes. ``make translations`` extracts this file (keywords ``message:1c,2`` and
``term:1c,2``) into ``recognition_engine/locales/engine.pot``.

Placeholders are ``{name:kind}``: the kind says how the renderer writes the value in the reader's
language (``ects``, ``percent``, ``decimal2``, ``quoted``, ``quoted_list``, ``list``,
``semicolon_list``, ``date``), or, for any other kind, names a group of terms below
(``{assessment:assessment}`` renders the term ``assessment.<value>``). A plain ``{name}`` is
written as given (EQF levels, counts, module codes).
"""

from __future__ import annotations

MESSAGES: dict[str, str] = {}
"""Every sentence: code → English template."""

TERMS: dict[str, str] = {}
"""Every word a sentence may take as a parameter: group.value → English."""


def message(code: str, english: str) -> str:
    """Register a sentence; return its code."""
    if code in MESSAGES:
        raise ValueError(f"message code registered twice: {code}")
    MESSAGES[code] = english
    return code


def term(code: str, english: str) -> str:
    """Register a term (an enumerated value a sentence names); return its code."""
    TERMS[code] = english
    return code


# A stored proposal made before findings had codes: its English text, as it was written.
TEXT = message("text", "{text}")

# --- quality assurance ------------------------------------------------------------------------

QUALITY_NOT_STATED = message(
    "quality.not_stated",
    "{title:quoted} does not state its quality assurance: ask the awarding body.",
)
QUALITY_ACCREDITED = message("quality.accredited", "External, accredited QA.")
QUALITY_ACCREDITED_BY = message("quality.accredited_by", "External, accredited QA ({body}).")
QUALITY_NONE = message(
    "quality.none",
    "{title:quoted} declares no quality assurance: its outcomes cannot be trusted as certified, "
    "so nothing is recognised.",
)
QUALITY_INTERNAL = message(
    "quality.internal",
    "The provider has internal QA only, outside the accredited system: check the provider.",
)
QUALITY_INTERNAL_BY = message(
    "quality.internal_by",
    "The provider has internal QA only ({body}), outside the accredited system: check the "
    "provider.",
)
QUALITY_EXTERNAL = message(
    "quality.external",
    "The provider has external QA, outside the accredited system: check the provider.",
)
QUALITY_EXTERNAL_BY = message(
    "quality.external_by",
    "The provider has external QA ({body}), outside the accredited system: check the provider.",
)

# --- provider registers (reported with quality assurance) -------------------------------------

REGISTRY_NOT_CONFIGURED = message(
    "qa.registry.not_configured",
    "No provider register has been imported, so the awarding body {body:quoted} was not checked "
    "against DEQAR or a national list: check it by hand, or import a register.",
)
REGISTRY_REGISTERED = message(
    "qa.registry.registered",
    "{body:quoted} is in {register} as {name:quoted} ({how:registry_match} match on its "
    "{name_kind:registry_name} name); its external quality assurance ({record}, {agency}) is "
    "valid from {valid_from:date} until {valid_until:date}.",
)
REGISTRY_EXPIRED = message(
    "qa.registry.expired",
    "{body:quoted} is in {register} as {name:quoted}, but none of its external quality "
    "assurance was valid on {issued:date}, when the credential was issued (the latest, "
    "{record}, {agency}, ran until {valid_until:date}): a substantial difference for the "
    "evaluator to review.",
)
REGISTRY_NOT_FOUND = message(
    "qa.registry.not_found",
    "{body:quoted} is in none of the imported registers for {country}: its quality assurance "
    "cannot be confirmed, a substantial difference; the proposal is not made as it stands but "
    "sent to the evaluator for review.",
)

# --- national recognition policy -----------------------------------------------------------------

POLICY_ECTS_WITHIN = message(
    "national_policy.microcredential_ects.within",
    "{title:quoted} has {ects:ects} ECTS, within the national range for a micro-credential "
    "({min_ects:ects} to {max_ects:ects} ECTS; {basis:policy_basis}).",
)
POLICY_ECTS_OUTSIDE = message(
    "national_policy.microcredential_ects.outside",
    "{title:quoted} has {ects:ects} ECTS, outside the national range for a micro-credential "
    "({min_ects:ects} to {max_ects:ects} ECTS; {basis:policy_basis}): a substantial difference "
    "for the evaluator to review.",
)
POLICY_CYCLE_CAP = message(
    "national_policy.cycle_cap_ects",
    "National policy lets micro-credentials count for at most {cap:ects} ECTS toward a degree at "
    "EQF level {level} ({basis:policy_basis}); this programme's own cap is {programme_cap:ects} "
    "ECTS, and the lower of the two applies.",
)
POLICY_VOCATIONAL_ALLOWED = message(
    "national_policy.vocational_level5.allowed",
    "{title:quoted} is at EQF level 5: national policy admits level-5 vocational credentials "
    "toward a degree ({basis:policy_basis}).",
)
POLICY_VOCATIONAL_REFUSED = message(
    "national_policy.vocational_level5.refused",
    "{title:quoted} is at EQF level 5: national policy does not admit level-5 vocational "
    "credentials toward a degree ({basis:policy_basis}), so nothing is recognised.",
)
POLICY_INSTITUTION_LISTED = message(
    "national_policy.institution_field.listed",
    "{institution:quoted} is on the national list of institutions where micro-credentials at "
    "EQF levels 6 and 7 may be recognised, for the fields {fields:list} ({basis:policy_basis}).",
)
POLICY_INSTITUTION_NOT_LISTED = message(
    "national_policy.institution_field.not_listed",
    "{institution:quoted} is not on the national list of institutions where micro-credentials "
    "at EQF levels 6 and 7 may be recognised ({basis:policy_basis}): a substantial difference "
    "for the evaluator to review.",
)
POLICY_CONDITIONS_MET = message(
    "national_policy.degree_credit_conditions.met",
    "{title:quoted} meets the national conditions for credit toward a degree: "
    "{met:policy_condition} ({basis:policy_basis}).",
)
POLICY_CONDITIONS_FAILED = message(
    "national_policy.degree_credit_conditions.failed",
    "{title:quoted} does not meet the national conditions for credit toward a degree: missing "
    "{failed:policy_condition} ({basis:policy_basis}), so no ECTS are proposed.",
)

# --- authenticity (reported with quality assurance) ---------------------------------------------

AUTHENTICITY_INVALID = message(
    "authenticity.invalid",
    "The signature of {title:quoted} ({format}) is invalid: it was changed after signing, so "
    "nothing is recognised. {detail}",
)
AUTHENTICITY_EXPIRED = message(
    "authenticity.expired",
    "{title:quoted} ({format}) expired on {valid_until:date}: check whether it still counts.",
)
AUTHENTICITY_VALID = message(
    "authenticity.valid", "The signature of {title:quoted} ({format}) is valid."
)
AUTHENTICITY_UNSIGNED = message(
    "authenticity.unsigned",
    "{title:quoted} ({format}) is unsigned: its authenticity is not established.",
)
AUTHENTICITY_NOT_CHECKABLE = message(
    "authenticity.not_checkable",
    "{title:quoted} ({format}) is signed, but its signature cannot be checked offline: its "
    "authenticity is not established.",
)

# --- profile ------------------------------------------------------------------------------------

PROFILE_NOT_STATED = message(
    "profile.not_stated",
    "{title:quoted} does not state how its outcomes were assessed: ask the awarding body before "
    "accepting.",
)
PROFILE_UNASSESSED = message(
    "profile.unassessed",
    "{title:quoted} is assessed by '{assessment:assessment}': its outcomes were not assessed as "
    "a degree module's are, so nothing is recognised.",
)
PROFILE_UNVERIFIED_TESTS = message(
    "profile.unverified_tests",
    "Automated tests without verified identity: consider a supplementary check.",
)
PROFILE_ASSESSED = message(
    "profile.assessed",
    "Assessed by {assessment:assessment}, {participation:participation} participation.",
)
PROFILE_ASSESSED_PARTICIPATION_UNSTATED = message(
    "profile.assessed_participation_unstated",
    "Assessed by {assessment:assessment} (form of participation not stated).",
)

# --- level --------------------------------------------------------------------------------------

LEVEL_NOT_DECLARED = message(
    "level.not_declared",
    "No EQF/NQF level is declared: check it against EQF {required} (the programme).",
)
LEVEL_NOT_DECLARED_MODULE = message(
    "level.not_declared_module",
    "No EQF/NQF level is declared: check it against EQF {required} (module {module_code}).",
)
LEVEL_NOT_DECLARED_ESTIMATED = message(
    "level.not_declared_estimated",
    "No level is declared; its outcomes read as EQF {estimate} (estimate, confidence "
    "{confidence:decimal2}) against EQF {required} for the programme.",
)
LEVEL_NOT_DECLARED_ESTIMATED_MODULE = message(
    "level.not_declared_estimated_module",
    "No level is declared; its outcomes read as EQF {estimate} (estimate, confidence "
    "{confidence:decimal2}) against EQF {required} for module {module_code}.",
)
LEVEL_BELOW_MODULE = message(
    "level.below_module",
    "Declared EQF {declared} is below the EQF {required} of module {module_code}.",
)
LEVEL_BELOW_EVERY_MODULE = message(
    "level.below_every_module",
    "Declared EQF {declared} is below the programme's EQF {required} and below the level of "
    "every module (EQF {lowest} at least): nothing can be recognised.",
)
LEVEL_BELOW_PROGRAMME = message(
    "level.below_programme",
    "Declared EQF {declared} is below the programme's EQF {required}: only modules at EQF "
    "{declared} or below can be recognised.",
)
LEVEL_ESTIMATE_BELOW = message(
    "level.estimate_below",
    "Declared EQF {declared}, but its outcomes read as EQF {estimate} (estimate, confidence "
    "{confidence:decimal2}): the evaluator must review the declared level before accepting.",
)
LEVEL_ESTIMATE_UNCERTAIN = message(
    "level.estimate_uncertain",
    "Declared EQF {declared} meets the EQF {required} of the programme; its outcomes read as "
    "EQF {estimate} (estimate, confidence {confidence:decimal2}), too uncertain to question the "
    "declaration.",
)
LEVEL_MEETS = message(
    "level.meets", "Declared EQF {declared} meets the EQF {required} of the programme."
)
LEVEL_MEETS_MODULE = message(
    "level.meets_module",
    "Declared EQF {declared} meets the EQF {required} of module {module_code}.",
)
LEVEL_MEETS_FLOOR = message(
    "level.meets_floor", "Declared EQF {declared} meets the programme's floor of EQF {floor}."
)
LEVEL_BELOW_FLOOR = message(
    "level.below_floor",
    "The programme recognises micro-credentials from EQF {floor} only, and EQF {declared} is "
    "declared.",
)
LEVEL_BELOW_FLOOR_UNDECLARED = message(
    "level.below_floor_undeclared",
    "The programme recognises micro-credentials from EQF {floor} only, and no level is declared.",
)

# --- workload -----------------------------------------------------------------------------------

WORKLOAD_IMPLAUSIBLE = message(
    "workload.implausible",
    "The stated workload of {title:quoted} ({ects:ects} ECTS) is a full-time year or more, "
    "implausible for a micro-credential: check the workload with the awarding body before any "
    "ECTS count.",
)
WORKLOAD_NOT_STATED = message(
    "workload.not_stated",
    "No workload (ECTS or hours) is stated for {titles:quoted_list}: no ECTS can be proposed. "
    "Ask the awarding body for the workload.",
)
WORKLOAD_NOT_STATED_FOR_SOME = message(
    "workload.not_stated_for_some",
    "No workload is stated for {titles:quoted_list}: it contributes no ECTS.",
)
WORKLOAD_CAP_USED = message(
    "workload.cap_used",
    "Earlier recognitions in this application already use {awarded:ects} of the programme's "
    "{cap:ects} ECTS cap for micro-credentials: nothing is left.",
)
WORKLOAD_CAP_LEFT = message(
    "workload.cap_left",
    "Earlier recognitions in this application use {awarded:ects} of the programme's {cap:ects} "
    "ECTS cap: {left:ects} ECTS are left.",
)
WORKLOAD_NONE_STATED = message(
    "workload.none_stated", "No workload is stated: no ECTS can be proposed."
)
WORKLOAD_SUMMARY = message(
    "workload.summary",
    "Credential workload {workload:ects} ECTS; {proposed:ects} ECTS proposed; programme cap for "
    "micro-credentials {cap:ects} ECTS.",
)
WORKLOAD_SUMMARY_CAP_USED = message(
    "workload.summary_cap_used",
    "Credential workload {workload:ects} ECTS; {proposed:ects} ECTS proposed; programme cap for "
    "micro-credentials {cap:ects} ECTS; {left:ects} ECTS were left of it in this application.",
)
WORKLOAD_MODULE_BACKED = message(
    "workload.module_backed",
    "{proposed:ects} of the module's {module_ects:ects} ECTS can be backed by the workload.",
)
WORKLOAD_NOTHING_LEFT_FOR_MODULE = message(
    "workload.nothing_left_for_module",
    "Not even 0.5 ECTS are left of the credential's workload, or of the programme's cap, for "
    "this module.",
)

# --- learning outcomes --------------------------------------------------------------------------

OUTCOMES_TITLE_ONLY = message(
    "outcomes.title_only",
    "{titles:quoted_list} states no learning outcomes and no description: it was matched by its "
    "title alone. Ask the awarding body for its learning outcomes and syllabus before deciding.",
)
OUTCOMES_COVERED = message(
    "outcomes.covered", "{coverage:percent} of the module's outcomes are covered."
)
OUTCOMES_PARTLY_COVERED = message(
    "outcomes.partly_covered",
    "{coverage:percent} of the module's outcomes are covered: partial recognition only.",
)
OUTCOMES_BELOW_PARTIAL = message(
    "outcomes.below_partial",
    "Only {coverage:percent} of the module's outcomes are covered (at least {partial:percent} "
    "needed).",
)
OUTCOMES_DESCRIPTION_COVERED = message(
    "outcomes.description_covered",
    "The module states no learning outcomes; {coverage:percent} of its description's sentences "
    "are covered.",
)
OUTCOMES_DESCRIPTION_BACKED = message(
    "outcomes.description_backed",
    "The module states no learning outcomes and only {coverage:percent} of its description's "
    "sentences are covered (the outcome check asks {partial:percent}); this institution's "
    "earlier decisions give confidence {confidence:decimal2} that it is the equivalent: compare "
    "the content.",
)
OUTCOMES_SIMILARITY_LOW = message(
    "outcomes.similarity_low",
    "Overall similarity {score:decimal2} is below {minimum:decimal2}.",
)
OUTCOMES_CONFIDENCE_LOW = message(
    "outcomes.confidence_low",
    "Calibrated confidence {confidence:decimal2} that this is the right module is below "
    "{minimum:decimal2}.",
)
OUTCOMES_NONE_COVERED = message(
    "outcomes.none_covered", "No module's outcomes are covered well enough for recognition."
)
OUTCOMES_MODULES = message(
    "outcomes.modules",
    "Modules fully covered: {full:list}; partly covered: {partial:list}; below the coverage "
    "rules, proposed for review: {review:list}.",
)
OUTCOMES_MODEL_UNREADABLE = message(
    "outcomes.model_unreadable",
    "The model learned from this institution's decisions could not be read; modules are ranked "
    "as on day one, by similarity alone. Run learn again.",
)
OUTCOMES_LANGUAGE_NOT_READ = message(
    "outcomes.language_not_read",
    "{count} learning outcomes ({languages:list}) are in a language the model of this deployment "
    "does not read; they are not matched. A deployment with the multilingual model reads them.",
)

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

# --- terms --------------------------------------------------------------------------------------

term("assessment.none", "none")
term("assessment.attendance", "attendance")
term("assessment.self_assessment", "self assessment")
term("assessment.automated_test", "automated test")
term("assessment.supervised_exam", "supervised exam")
term("assessment.project", "project")
term("assessment.portfolio", "portfolio")
term("assessment.practical", "practical")
term("assessment.oral", "oral")
term("assessment.mixed", "mixed")

term("participation.online", "online")
term("participation.on_site", "on site")
term("participation.blended", "blended")

# The tiers keep the API's own names in English: a client reads them in `confidence_tier`.
term("tier.confirmed", "confirmed")
term("tier.possible", "possible")
term("tier.review", "review")
term("tier.no_equivalent", "no_equivalent")

term("basis.institution", "this institution's decisions")
term("basis.shared", "the cold-start model, fitted on other institutions' decisions")

term("eu_element.learner_identification", "identification of the learner")
term("eu_element.title", "title")
term("eu_element.country", "country of the awarding body")
term("eu_element.awarding_body", "awarding body")
term("eu_element.date_of_issue", "date of issuing")
term("eu_element.learning_outcomes", "learning outcomes")
term("eu_element.workload", "notional workload")
term("eu_element.level", "level (EQF/NQF)")
term("eu_element.assessment", "type of assessment")
term("eu_element.participation", "form of participation")
term("eu_element.quality_assurance", "type of quality assurance")

term("list.none", "none")

term("registry_match.exact", "exact")
term("registry_match.normalised", "case- and accent-insensitive")
term("registry_match.transliterated", "transliterated")
term("registry_match.near", "near-spelling")

term("registry_name.primary", "primary")
term("registry_name.official", "official")
term("registry_name.version", "other or former")
term("registry_name.alias", "alias")

term("policy_basis.example", "an example value until a law or order is cited for it")
term("policy_basis.enacted", "as the cited act sets it")

term("policy_condition.accredited_programme", "an accredited programme")
term("policy_condition.ects_awarded", "ECTS awarded for it")
term("policy_condition.programme_permits", "a degree programme that provides for it")
