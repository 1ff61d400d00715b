"""The words a sentence may take as a parameter: group.value → English."""

from __future__ import annotations

from recognition_engine.messages.codes.registry import term

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
