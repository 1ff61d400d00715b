"""The decision's knobs, and a credential with the outcomes read from it."""

from __future__ import annotations

from dataclasses import dataclass

from recognition_engine.config import Settings
from recognition_engine.domain import MicroCredential


@dataclass(frozen=True)
class DecisionParams:
    hours_per_ects: float
    outcome_match_threshold: float
    partial_coverage: float
    full_coverage: float
    min_proposal_score: float
    min_proposal_confidence: float
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
