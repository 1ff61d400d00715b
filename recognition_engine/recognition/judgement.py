"""The confidence in the best-ranked module and its tier, from the model that ranked it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from recognition_engine.decision.review import ReviewLine
from recognition_engine.domain import TierRecord
from recognition_engine.learning.cold_start import load_cold_start
from recognition_engine.learning.lexical import LexicalIndex
from recognition_engine.learning.model import Ranked
from recognition_engine.learning.reranking import LearnedCatalogue
from recognition_engine.matching import ModuleMatch


@dataclass(frozen=True)
class Judgement:
    """The confidence in the best-ranked module, and its tier with the tier's record."""

    module_code: str
    confidence: float
    has_equivalent: float | None
    tier: TierRecord | None

    def review_line(self) -> ReviewLine | None:
        if self.tier is None:
            return None
        return ReviewLine(self.module_code, self.confidence, self.tier.tier, self.tier.basis)


def judge(
    ranked: Ranked | None,
    learned: LearnedCatalogue | None,
    matches: Sequence[ModuleMatch],
    whole_text: str,
    *,
    model_id: str,
    lexical: Callable[[], LexicalIndex],
) -> Judgement | None:
    """Return the confidence in the best-ranked module and its tier: from the model learned
    on the institution's decisions, else from the cold-start model of ``model_id`` (None:
    neither). ``lexical`` gives the catalogue's lexical index, read by the cold-start model."""
    if not matches:
        return None
    if ranked is not None and learned is not None:
        if ranked.confidence is None:
            return None
        tiers = learned.model.tiers
        return Judgement(
            matches[0].key,
            ranked.confidence,
            None if ranked.has_equivalent is None else round(ranked.has_equivalent, 3),
            None if tiers is None else tiers.record(ranked.confidence, basis="institution"),
        )
    cold = load_cold_start(model_id)
    if cold is None:
        return None
    best = matches[0]  # the engine's order (matching.match_vectors)
    similarity = lexical().similarity(whole_text, [m.key for m in matches])
    assessment = cold.assess(matches, similarity)
    return Judgement(
        best.key,
        assessment.confidence,
        round(assessment.has_equivalent, 3),
        cold.tiers.record(assessment.confidence, basis="shared"),
    )
