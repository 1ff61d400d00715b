"""The sentences of the checks on who issued a credential and how: quality assurance, the
provider registers, national recognition policy, authenticity, profile."""

from __future__ import annotations

from recognition_engine.messages.codes.registry import message

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
