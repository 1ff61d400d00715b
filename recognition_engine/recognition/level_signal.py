"""The credential's level as the estimator reads it, with the programme's own level scale."""

from __future__ import annotations

from collections.abc import Sequence

from recognition_engine.decision import credential_ects
from recognition_engine.domain import LevelEstimate, MicroCredential, Programme
from recognition_engine.index import CatalogueIndex
from recognition_engine.levels import LevelEstimator
from recognition_engine.levels.catalogue import CatalogueSignal, catalogue_places
from recognition_engine.levels.frameworks import credential_eqf_level
from recognition_engine.matching import ModuleMatch, module_score


def catalogue_signal(
    estimator: LevelEstimator,
    programme: Programme,
    index: CatalogueIndex,
    matches: Sequence[ModuleMatch],
    text: str,
) -> CatalogueSignal:
    """The programme's level scale (fitted once per catalogue content) and the best matches."""
    outcomes = {entry.key: entry.outcomes for entry in index.entries}
    places = catalogue_places(programme, outcomes)
    rows = [index.position[place.code] for place in places]
    scale = estimator.catalogue_levels(
        index.fingerprint, places, index.text_vectors[rows], index.title_vectors[rows]
    )
    neighbours = [(m.key, module_score(m.text_similarity, m.title_similarity)) for m in matches]
    return CatalogueSignal(scale, text, neighbours)


def estimate_level(
    estimator: LevelEstimator,
    credentials: Sequence[MicroCredential],
    outcomes: list[str],
    *,
    hours_per_ects: float,
    catalogue: CatalogueSignal | None = None,
) -> LevelEstimate:
    """Estimate the level of the credentials' learning from their outcomes, declared level,
    workload and raw text."""
    levels = [credential_eqf_level(c) for c in credentials]
    declared = [level for level in levels if level is not None]
    workloads = [credential_ects(c, hours_per_ects) for c in credentials]
    known = [ects for ects in workloads if ects is not None]
    ects = sum(known) if known else None
    # The raw text too: depth-of-study cues and prerequisites that outcome splitting drops.
    context = "\n".join(
        part for c in credentials for part in (c.title, c.description, c.prerequisites) if part
    )
    return estimator.estimate(
        outcomes,
        declared_eqf_level=min(declared) if declared else None,
        ects=ects,
        context=context,
        catalogue=catalogue,
    )
