"""The catalogues one model reads: their indexes, their lexical indexes and their learned models.

A ``Catalogue`` owns, for each catalogue id, the index on disk and in memory, the lexical index
the cold-start model compares texts with, and the model learned from the institution's decisions.
Thread-safe: the HTTP service indexes and recognises from its request and screening threads.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel

from recognition_engine.config import Settings
from recognition_engine.domain import DescribedItem, Programme
from recognition_engine.errors import IndexUnavailable
from recognition_engine.index import (
    CatalogueEntry,
    CatalogueIndex,
    catalogue_fingerprint,
    entry_text,
)
from recognition_engine.ingestion.outcomes import outcomes_of
from recognition_engine.learning.cold_start import weights_fingerprint
from recognition_engine.learning.lexical import LexicalIndex
from recognition_engine.learning.model import LearnedModel
from recognition_engine.learning.reranking import LearnedCatalogue, has_model, model_folder
from recognition_engine.levels.frameworks import check_programme_levels
from recognition_engine.models import CachedEmbedder, Embedder
from recognition_engine.skills.engine import EngineSkills

logger = logging.getLogger(__name__)


class IndexReport(BaseModel):
    """What indexing a catalogue did."""

    programme_id: str
    model_id: str
    modules: int
    outcomes: int
    embedded: int  # texts sent to the model; the rest came from the cache
    reused: int
    rebuilt: bool  # False when the saved index was already up to date
    seconds: float


def catalogue_entries(programme: Programme) -> list[CatalogueEntry]:
    """Return the programme's modules as index entries, with their outcomes extracted."""
    return list(_entries_of(programme.model_dump_json(exclude={"recognition_policy"})))


@functools.lru_cache(maxsize=64)
def _entries_of(programme_json: str) -> tuple[CatalogueEntry, ...]:
    # Keyed by the programme's content, so that recognising against an unchanged programme
    # does not split its outcomes again.
    programme = Programme.model_validate_json(programme_json)
    return tuple(catalogue_entry(module.code, module) for module in programme.modules)


def catalogue_entry(key: str, item: DescribedItem) -> CatalogueEntry:
    """Return one module or catalogue course as the index sees it."""
    outcomes = tuple(outcomes_of(item))
    return CatalogueEntry(
        key, item.title, outcomes, entry_text(item.title, item.description, outcomes)
    )


class Catalogue:
    """The indexes one model builds of the catalogues, and what is learned beside them.

    ``embedder`` reads the catalogue's side (e5's passages on the multilingual model);
    ``namespace`` keeps the indexes of another model apart under the same data folder.
    """

    def __init__(
        self,
        settings: Settings,
        embedder: Embedder,
        skills: EngineSkills,
        *,
        namespace: str | None = None,
    ) -> None:
        self.settings = settings
        self.embedder = embedder
        self.skills = skills
        self.namespace = namespace
        self._indexes: dict[str, CatalogueIndex] = {}
        self._learned: dict[str, tuple[tuple[int, str], LearnedCatalogue]] = {}
        self._lexical: dict[str, LexicalIndex] = {}  # by catalogue fingerprint
        self._lock = threading.RLock()

    def folder(self, catalogue_id: str) -> Path:
        """Where the catalogue's index is saved."""
        if self.namespace:
            return self.settings.index_dir / self.namespace / catalogue_id
        return self.settings.index_dir / catalogue_id

    # --- indexes ------------------------------------------------------------------------------

    def index_programme(self, programme: Programme, *, progress: bool = False) -> IndexReport:
        """Build the programme's index, or load it when the saved one is up to date.

        A programme whose levels cannot be read in EQF is refused here, before anything is
        indexed or stored.
        """
        check_programme_levels(programme)
        entries = catalogue_entries(programme)
        return self.index_entries(programme.id, entries, progress=progress)

    def index_entries(
        self, catalogue_id: str, entries: Sequence[CatalogueEntry], *, progress: bool = False
    ) -> IndexReport:
        """Index any catalogue (a programme's modules, or a course catalogue) under an id."""
        started = time.perf_counter()
        fingerprint = catalogue_fingerprint(self.embedder.model_id, entries)
        with self._lock:
            current = self._current_index(catalogue_id, fingerprint)
            misses_before = self._misses()
            rebuilt, embedded = current is None, 0
            if current is None:
                current = CatalogueIndex.build(
                    entries,
                    self.embedder,
                    self.settings.index_backend,
                    progress=progress,
                    exact_max_rows=self.settings.index_exact_max_rows,
                    nprobe=self.settings.index_nprobe,
                )
                embedded = self._misses() - misses_before
                self.skills.tag_modules(current)  # ESCO's labels: not the catalogue's texts
                current.save(self.folder(catalogue_id))
            self._indexes[catalogue_id] = current
        outcomes = sum(len(entry.outcomes) for entry in entries)
        texts = outcomes + len(entries)
        report = IndexReport(
            programme_id=catalogue_id,
            model_id=self.embedder.model_id,
            modules=len(entries),
            outcomes=outcomes,
            embedded=embedded if rebuilt else 0,
            reused=texts - embedded if rebuilt else texts,
            rebuilt=rebuilt,
            seconds=round(time.perf_counter() - started, 3),
        )
        logger.info("indexed %s: %s", catalogue_id, report.model_dump())
        return report

    def has_index(self, programme: Programme) -> bool:
        """Whether the programme's index, as its modules now read, is built."""
        fingerprint = catalogue_fingerprint(self.embedder.model_id, catalogue_entries(programme))
        with self._lock:
            return self._current_index(programme.id, fingerprint) is not None

    def index_for(self, programme: Programme) -> CatalogueIndex:
        """Return the programme's index as its modules now read, building it if need be."""
        fingerprint = catalogue_fingerprint(self.embedder.model_id, catalogue_entries(programme))
        with self._lock:
            current = self._indexes.get(programme.id)
            if current is not None and current.fingerprint == fingerprint:
                return current
        self.index_programme(programme)
        return self._indexes[programme.id]

    def _current_index(self, catalogue_id: str, fingerprint: str) -> CatalogueIndex | None:
        """Return the index in memory or on disk if it matches ``fingerprint``."""
        loaded = self._indexes.get(catalogue_id)
        if loaded is not None and loaded.fingerprint == fingerprint:
            return loaded  # as it was indexed, module skills and all
        try:
            saved = CatalogueIndex.load(self.folder(catalogue_id), model_id=self.embedder.model_id)
        except IndexUnavailable:
            return None
        # an index saved without the module skills this engine tags is rebuilt (from the cache)
        current = saved.fingerprint == fingerprint and not self.skills.wanted(saved)
        return saved if current else None

    def _misses(self) -> int:
        """Texts the catalogue's embedder has sent to its model so far."""
        embedder = self.embedder
        return embedder.misses if isinstance(embedder, CachedEmbedder) else 0

    # --- beside the index: the lexical index and the learned model ----------------------------

    def lexical_for(self, index: CatalogueIndex) -> LexicalIndex:
        """Return the lexical index of the catalogue's texts (kept for the latest catalogue)."""
        with self._lock:
            lexical = self._lexical.get(index.fingerprint)
            if lexical is None:
                lexical = LexicalIndex(
                    [e.key for e in index.entries], [e.text for e in index.entries]
                )
                self._lexical = {index.fingerprint: lexical}  # the latest catalogue only
            return lexical

    def learned_for(
        self, programme: Programme, index: CatalogueIndex, model_id: str
    ) -> LearnedCatalogue | None:
        """Return the model learned for this catalogue bound to its index, None if untrained;
        ValueError if it cannot be read or was learned with another embedding model than
        ``model_id``."""
        folder = model_folder(self.settings.data_dir, programme.id)
        if not has_model(folder):
            return None
        stamp = (folder / "model.json").stat().st_mtime_ns, index.fingerprint
        with self._lock:
            cached = self._learned.get(programme.id)
            if cached is None or cached[0] != stamp:
                ects = {m.code: m.ects for m in programme.modules}
                cached = (stamp, LearnedCatalogue(LearnedModel.load(folder), index, ects))
                self._learned[programme.id] = cached
        learned_with = cached[1].model.model_id
        if learned_with and weights_fingerprint(learned_with) != weights_fingerprint(model_id):
            # Its precedents are vectors of another model: compared with this model's vectors
            # they mean nothing (the two may even have the same dimension).
            raise ValueError(
                f"it was learned with the embedding model {learned_with}, and this recognition "
                f"is read with {model_id}"
            )
        return cached[1]

    def save_learned(self, programme_id: str, model: LearnedModel) -> None:
        """Save a newly learned model beside the index; the next recognition loads it."""
        with self._lock:
            model.save(model_folder(self.settings.data_dir, programme_id))
            self._learned.pop(programme_id, None)
