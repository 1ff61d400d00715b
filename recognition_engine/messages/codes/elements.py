"""The sentences of the level, workload and learning-outcome checks."""

from __future__ import annotations

from recognition_engine.messages.codes.registry import message

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
