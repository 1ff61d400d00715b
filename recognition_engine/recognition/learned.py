"""The model learned from an institution's decisions: learning it, reading it back (cold when
it cannot be read), and reranking a recognition's matches with it."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence

from pydantic import BaseModel

from recognition_engine.decision import credential_ects
from recognition_engine.domain import MicroCredential, Programme
from recognition_engine.index import CatalogueIndex
from recognition_engine.learning.features import Course
from recognition_engine.learning.model import Ranked
from recognition_engine.learning.recorded import RecordedDecision, learn_from_decisions
from recognition_engine.learning.reranking import LearnedCatalogue
from recognition_engine.matching import MatchParams, ModuleMatch
from recognition_engine.models import Embedder
from recognition_engine.recognition.catalogue import Catalogue
from recognition_engine.recognition.reading import Reading

logger = logging.getLogger(__name__)


class LearnReport(BaseModel):
    """What learning from a programme's recorded decisions did."""

    programme_id: str
    decisions: int  # module decisions in the precedent memory
    credentials: int  # decided credentials learned from
    with_equivalent: int
    without_equivalent: int
    unknown_modules: dict[str, int]  # decisions on modules no longer in the catalogue: skipped
    model_id: str
    seconds: float
    card: dict[str, object]


def learn(
    catalogue: Catalogue,
    programme: Programme,
    decisions: Sequence[RecordedDecision],
    embedder: Embedder,
    params: MatchParams,
) -> LearnReport:
    """Learn the programme's ranker, precedents and confidence from recorded decisions, and
    save them beside the catalogue's index."""
    started = time.perf_counter()
    index = catalogue.index_for(programme)
    model, read = learn_from_decisions(decisions, programme, index, embedder, params)
    catalogue.save_learned(programme.id, model)
    return LearnReport(
        programme_id=programme.id,
        decisions=len(model.memory),
        credentials=read.decided,
        with_equivalent=read.with_equivalent,
        without_equivalent=read.without_equivalent,
        unknown_modules=read.unknown_modules,
        model_id=embedder.model_id,
        seconds=round(time.perf_counter() - started, 3),
        card=model.card,
    )


def learned_or_cold(
    catalogue: Catalogue, programme: Programme, index: CatalogueIndex, model_id: str
) -> tuple[LearnedCatalogue | None, ValueError | None]:
    """Return the model learned from the programme's decisions (None: untrained), and the
    error that made it unreadable: a damaged model never fails a proposal, it is made cold,
    and says so."""
    try:
        return catalogue.learned_for(programme, index, model_id), None
    except ValueError as error:
        logger.warning("learned model of %s unreadable: %s", programme.id, error)
        return None, error


def rerank(
    learned: LearnedCatalogue,
    credentials: Sequence[MicroCredential],
    reading: Reading,
    matches: list[ModuleMatch],
    embedder: Embedder,
    params: MatchParams,
    hours_per_ects: float,
) -> Ranked:
    """Rerank and calibrate the matches with the model learned from decisions."""
    title = " + ".join(c.title for c in credentials)
    workloads = [credential_ects(c, hours_per_ects) for c in credentials]
    ects = sum(w for w in workloads if w)
    key = credentials[0].id or title if len(credentials) == 1 else title
    return learned.rerank(
        Course(key, title, ects or None),
        reading.pooled,
        reading.whole_text,
        matches,
        embedder,
        params,
    )
