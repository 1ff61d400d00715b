"""A learned model bound to one catalogue index: what the engine calls to rerank candidates."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from recognition_engine.domain import Message, PrecedentEvidence
from recognition_engine.index import CatalogueIndex
from recognition_engine.learning.features import Course, catalogue_courses
from recognition_engine.learning.lexical import LexicalIndex
from recognition_engine.learning.model import DecidedCredential, LearnedModel, Ranked
from recognition_engine.matching import MatchParams, ModuleMatch, score_positions
from recognition_engine.messages import codes
from recognition_engine.messages.render import coded
from recognition_engine.models import Embedder

MODEL_FILE = "model.json"


def model_folder(data_dir: Path, catalogue_id: str) -> Path:
    """Return where the model learned for a catalogue is saved: beside its index."""
    return data_dir / "learned" / catalogue_id


def has_model(folder: Path) -> bool:
    return (folder / MODEL_FILE).is_file()


def read_card(folder: Path) -> dict[str, object]:
    """Return the model card saved in ``folder``; ValueError if it cannot be read."""
    try:
        meta = json.loads((folder / MODEL_FILE).read_text())
    except (OSError, json.JSONDecodeError) as error:
        raise ValueError(f"the learned model in {folder} cannot be read: {error}") from error
    card = meta.get("card") if isinstance(meta, dict) else None
    return dict(card) if isinstance(card, dict) else {"decisions": meta.get("decisions")}


class LearnedCatalogue:
    """A model with the catalogue it ranks: the index, module courses, the lexical index."""

    def __init__(self, model: LearnedModel, index: CatalogueIndex,
                 ects: dict[str, float] | None = None) -> None:
        self.model = model
        self.index = index
        self.position = {entry.key: i for i, entry in enumerate(index.entries)}
        self.courses = catalogue_courses(index, ects)
        self.lexical = LexicalIndex([e.key for e in index.entries], [e.text for e in index.entries])

    def rerank(
        self,
        credential: Course,
        outcomes: Sequence[str],
        whole_text: str,
        matches: Sequence[ModuleMatch],
        embedder: Embedder,
        params: MatchParams,
    ) -> Ranked:
        """Return the candidates ranked by the model, with their calibrated confidence."""
        query = embedder.embed(list(outcomes))
        text_vector, title_vector = embedder.embed([whole_text, credential.title])

        def score_missing(keys: Sequence[str]) -> list[ModuleMatch]:
            positions = [self.position[k] for k in keys if k in self.position]
            return score_positions(query, text_vector, title_vector, self.index, positions, params)

        decided = DecidedCredential(
            course=credential,
            text=whole_text,
            text_vector=np.asarray(text_vector),
            title_vector=np.asarray(title_vector),
            matches=list(matches),
            decisions={},
            score_missing=score_missing,
        )
        return self.model.rank(decided, self.courses, self.lexical)


def precedent_evidence(ranked: Ranked, limit: int = 10) -> list[PrecedentEvidence]:
    """Return the earlier decisions that voted, nearest first, for the proposal."""
    return [
        PrecedentEvidence(
            record_id=n.precedent.record_id,
            credential_id=n.precedent.credential_key,
            credential_title=n.precedent.credential_title,
            module_code=None if n.precedent.no_equivalent else n.precedent.module_key,
            accepted=n.precedent.accepted,
            decided_on=n.precedent.decided_on,
            similarity=round(n.similarity, 3),
        )
        for n in ranked.neighbours[:limit]
    ]


def negative_precedents_reason(precedents: Sequence[PrecedentEvidence]) -> Message | None:
    """Return the reason citing the similar earlier credentials judged to have no
    equivalent in the catalogue, None if there are none among ``precedents``."""
    none = list(dict.fromkeys(p.credential_title for p in precedents if p.module_code is None))
    if not none:
        return None
    credentials = len({p.credential_id for p in precedents})
    listed = none[:3] + (["…"] if len(none) > 3 else [])
    return coded(codes.REASON_NO_EQUIVALENT_PRECEDENTS, count=len(none), total=credentials,
                 titles=listed)
