"""Level estimates: Bloom levels of outcomes, EQF/NQF levels of a credential."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field

# --- levels -------------------------------------------------------------------------------


class BloomLevel(StrEnum):
    """Bloom's revised taxonomy, cognitive process dimension (Anderson & Krathwohl, 2001)."""

    REMEMBER = "Remember"
    UNDERSTAND = "Understand"
    APPLY = "Apply"
    ANALYZE = "Analyze"
    EVALUATE = "Evaluate"
    CREATE = "Create"


class OutcomeLevel(BaseModel):
    """The action verbs and Bloom level(s) of one learning outcome."""

    text: str
    verbs: list[str]
    bloom: list[BloomLevel]
    confidence: float
    method: str = Field(description="'classifier' or 'lexicon'.")


class LevelEstimate(BaseModel):
    """A proposed EQF level with its correspondences and the evidence behind it."""

    eqf_level: int
    georgian_nqf_level: int
    armenian_nqf_level: int
    qf_ehea_cycle: str | None
    confidence: float
    declared_eqf_level: int | None
    bloom_profile: dict[str, float]
    descriptor_similarity: dict[str, float]
    evidence: list[str]
    outcomes: list[OutcomeLevel]
    basis: str = Field(
        "generic",
        description="'catalogue' when read on the programme's own level scale, else 'generic'.",
    )
    level_probabilities: dict[str, float] = Field(
        default_factory=dict,
        description="Calibrated probability of each EQF level of the catalogue's scale.",
    )
