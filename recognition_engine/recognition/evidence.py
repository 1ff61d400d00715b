"""What a proposal says of how it was made: the engine's knobs, the languages it read, and the
evidence of the model that proposed (its confidence, tier and precedents)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from recognition_engine.config import Settings
from recognition_engine.decision.findings import unreadable_model_finding
from recognition_engine.domain import Message, MicroCredential, Programme, RecognitionProposal
from recognition_engine.ingestion.language import credential_language, programme_language
from recognition_engine.learning.model import Ranked
from recognition_engine.learning.reranking import (
    LearnedCatalogue,
    negative_precedents_reason,
    precedent_evidence,
)
from recognition_engine.recognition.judgement import Judgement

LEVEL_ESTIMATE_NOTE = (
    "Bloom and EQF level estimation reads English outcomes; it does not carry over "
    "to Georgian and Armenian ones (on translated outcomes the levels matched the "
    "English reading about one time in three), so its estimate here is not evidence."
)


def engine_block(
    settings: Settings,
    model_id: str,
    thresholds: Mapping[str, float],
    language_pairs: Sequence[str] = (),
) -> dict[str, str | float | int]:
    """The engine block of a proposal: the model and the knobs it was read with.

    ``language_pairs``: those whose thresholds the multilingual model applied ('ka-en').
    """
    block: dict[str, str | float | int] = {
        "model": model_id,
        "outcome_match_threshold": thresholds["outcome_match_threshold"],
        "partial_coverage": settings.partial_coverage,
        "full_coverage": settings.full_coverage,
        "min_proposal_score": thresholds["min_proposal_score"],
        "hours_per_ects": settings.hours_per_ects,
    }
    if language_pairs:
        # one comma-separated string: the engine block holds scalars only
        block["language_pairs"] = ",".join(language_pairs)
    return block


def language_report(
    settings: Settings, credentials: Sequence[MicroCredential], programme: Programme
) -> dict[str, str | float | int]:
    """Return what the engine block says about languages: the deployment and what it read."""
    report: dict[str, str | float | int] = {"multilingual": settings.multilingual}
    if settings.multilingual == "off":
        return report
    credential_languages = sorted({credential_language(c) or "?" for c in credentials})
    catalogue_language = programme_language(programme) or "?"
    # one comma-separated string: the engine block holds scalars only
    report["credential_languages"] = ",".join(credential_languages)
    report["programme_language"] = catalogue_language
    if any(code not in ("en", "?") for code in [*credential_languages, catalogue_language]):
        report["level_estimate_note"] = LEVEL_ESTIMATE_NOTE
    return report


def add_model_evidence(
    proposal: RecognitionProposal,
    *,
    judgement: Judgement | None,
    ranked: Ranked | None,
    learned: LearnedCatalogue | None,
    unreadable: ValueError | None,
    min_proposal_confidence: float,
) -> None:
    """Add to the proposal the evidence of the model that proposed: a learned model that could
    not be read, the confidence and its tier, and the institution's precedents."""
    if unreadable is not None:
        note = unreadable_model_finding(unreadable)
        proposal.findings.append(note)
        proposal.add_reason(Message(code=note.code, params=note.params, message=note.message))
    if judgement is not None:
        proposal.confidence = round(judgement.confidence, 3)
        proposal.has_equivalent = judgement.has_equivalent
        proposal.tier = judgement.tier
        proposal.confidence_tier = judgement.tier.tier if judgement.tier else None
    if ranked is not None and ranked.confidence is not None:
        if learned is not None and learned.model.tiers is None:
            proposal.engine["learned_model_note"] = "learned before tiers: run learn again"
        proposal.precedents = precedent_evidence(ranked)
        negative = negative_precedents_reason(proposal.precedents)
        if negative:
            proposal.add_reason(negative)
        proposal.engine["min_proposal_confidence"] = min_proposal_confidence
        proposal.engine["learned_model"] = "lambdarank"
