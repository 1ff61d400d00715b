"""Vector indexes of module outcomes: the contract, a FAISS index, an exact NumPy reference.

A ``CatalogueIndex`` keeps, beside the vector index, what each row is (which module, which
outcome) and the model that made the vectors, and saves all of it to one folder on disk
(``index_storage``: atomic, checksummed, locked against other processes).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Literal, Protocol

import numpy as np

from recognition_engine import index_storage
from recognition_engine.course_sequence import catalogue_places
from recognition_engine.errors import IndexUnavailable
from recognition_engine.models import Embedder

Backend = Literal["faiss", "numpy"]
# Settings.index_exact_max_rows and index_nprobe; the defaults for callers without settings
DEFAULT_EXACT_MAX_ROWS = 200_000
DEFAULT_NPROBE = 32
# 3: files in a checksummed generation folder (see index_storage)
FORMAT_VERSION = 3


class VectorIndex(Protocol):
    """Inner-product search over unit vectors."""

    @property
    def size(self) -> int: ...

    def add(self, vectors: np.ndarray) -> None:
        """Append rows of shape (n, dimension); their ids continue from ``size``."""
        ...

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Return (scores, ids), each of shape (len(queries), k); missing hits have id -1."""
        ...

    def save(self, path: Path) -> None: ...


class NumpyIndex:
    """Exact search by matrix product: the reference the FAISS index is tested against."""

    def __init__(self, dimension: int, vectors: np.ndarray | None = None) -> None:
        self._vectors = (
            vectors.astype(np.float32)
            if vectors is not None
            else np.zeros((0, dimension), dtype=np.float32)
        )

    @property
    def size(self) -> int:
        return len(self._vectors)

    def add(self, vectors: np.ndarray) -> None:
        self._vectors = np.vstack([self._vectors, vectors.astype(np.float32)])

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        n = len(queries)
        scores = np.full((n, k), -np.inf, dtype=np.float32)
        ids = np.full((n, k), -1, dtype=np.int64)
        if self.size == 0 or n == 0:
            return scores, ids
        similarity = queries.astype(np.float32) @ self._vectors.T
        take = min(k, self.size)
        top = np.argpartition(-similarity, take - 1, axis=1)[:, :take]
        top_scores = np.take_along_axis(similarity, top, axis=1)
        order = np.argsort(-top_scores, axis=1, kind="stable")
        ids[:, :take] = np.take_along_axis(top, order, axis=1)
        scores[:, :take] = np.take_along_axis(top_scores, order, axis=1)
        return scores, ids

    def save(self, path: Path) -> None:
        np.save(path, self._vectors)

    @classmethod
    def load(cls, path: Path) -> NumpyIndex:
        vectors = np.load(path)
        return cls(vectors.shape[1], vectors)


class FaissIndex:
    """An exact inner-product FAISS index (IndexFlatIP).

    A programme catalogue holds thousands of outcomes, not millions: exact search is fast
    enough (see docs/performance.md) and has no recall loss to explain to an evaluator.
    """

    def __init__(self, dimension: int, index: object | None = None) -> None:
        import faiss

        # One credential's queries are a few dozen vectors: OpenMP threads cost more than they
        # save (40 ms against 1 ms on a busy 2-core machine), and a server parallelises across
        # requests instead.
        faiss.omp_set_num_threads(1)
        self._faiss = faiss
        self._index = index if index is not None else faiss.IndexFlatIP(dimension)

    @property
    def size(self) -> int:
        return int(self._index.ntotal)

    def add(self, vectors: np.ndarray) -> None:
        self._index.add(np.ascontiguousarray(vectors, dtype=np.float32))

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        if len(queries) == 0:
            return np.zeros((0, k), np.float32), np.zeros((0, k), np.int64)
        scores, ids = self._index.search(np.ascontiguousarray(queries, dtype=np.float32), k)
        scores[ids < 0] = -np.inf
        return scores, ids

    def save(self, path: Path) -> None:
        self._faiss.write_index(self._index, str(path))

    @classmethod
    def load(cls, path: Path, *, mmap: bool = False) -> FaissIndex:
        """Read a saved index; ``mmap``: map it from disk read-only instead of reading it in."""
        import faiss

        flags = faiss.IO_FLAG_MMAP | faiss.IO_FLAG_READ_ONLY if mmap else 0
        index = faiss.read_index(str(path), flags)
        return cls(index.d, index)


class RescoredIndex:
    """An approximate FAISS index (IVF, 8-bit scalar quantised) whose hits are rescored exactly.

    For catalogues above ``Settings.index_exact_max_rows`` outcomes: the IVF lists are probed
    for ``rescore`` times ``k`` candidates, whose exact cosines come from the float vectors kept
    beside the index (memory-mapped when loaded), so the quantisation costs no ranking order.
    """

    def __init__(self, index: FaissIndex, vectors: np.ndarray, rescore: int = 4) -> None:
        self._index = index
        self._vectors = vectors
        self._rescore = rescore

    @property
    def size(self) -> int:
        return self._index.size

    @property
    def nprobe(self) -> int:
        return int(self._index._index.nprobe)

    @nprobe.setter
    def nprobe(self, value: int) -> None:
        self._index._index.nprobe = value

    def add(self, vectors: np.ndarray) -> None:
        self._index.add(vectors)
        self._vectors = np.vstack([self._vectors, vectors.astype(np.float32)])

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        wide = min(self.size, k * self._rescore)
        _, ids = self._index.search(queries, wide)
        scores = np.full((len(queries), k), -np.inf, dtype=np.float32)
        best = np.full((len(queries), k), -1, dtype=np.int64)
        for row, (query, found) in enumerate(zip(queries, ids, strict=True)):
            found = found[found >= 0]
            exact = self._vectors[np.sort(found)] @ query.astype(np.float32)
            order = np.argsort(-exact, kind="stable")[:k]
            best[row, : len(order)] = np.sort(found)[order]
            scores[row, : len(order)] = exact[order]
        return scores, best

    def save(self, path: Path) -> None:
        self._index.save(path)


def build_faiss_index(vectors: np.ndarray, *, exact_max_rows: int, nprobe: int) -> VectorIndex:
    """Return an exact index up to ``exact_max_rows`` rows, an IVF-SQ8 one above, filled."""
    import faiss

    rows, dimension = vectors.shape
    if rows <= exact_max_rows:
        index = FaissIndex(dimension)
        index.add(vectors)
        return index
    lists = int(min(65536, max(64, np.sqrt(rows))))
    ivf = faiss.IndexIVFScalarQuantizer(
        faiss.IndexFlatIP(dimension),
        dimension,
        lists,
        faiss.ScalarQuantizer.QT_8bit,
        faiss.METRIC_INNER_PRODUCT,
    )
    sample = np.random.default_rng(0).choice(rows, size=min(rows, 64 * lists), replace=False)
    ivf.train(np.ascontiguousarray(vectors[np.sort(sample)], dtype=np.float32))
    ivf.nprobe = nprobe
    index = FaissIndex(dimension, ivf)
    for start in range(0, rows, 100_000):  # bounded copies of a memory-mapped array
        index.add(vectors[start : start + 100_000])
    return RescoredIndex(index, vectors)


def create_vector_index(backend: Backend, dimension: int) -> VectorIndex:
    return FaissIndex(dimension) if backend == "faiss" else NumpyIndex(dimension)


_VECTOR_FILES = {"faiss": "outcomes.faiss", "numpy": "outcomes.npy"}
# In the order CatalogueIndex takes them.
_ARRAY_FILES = ("outcome_vectors.npy", "text_vectors.npy", "title_vectors.npy")
# Whole-text and title indexes of a catalogue with more modules than exact_max_rows.
_MODULE_FILES = ("texts.faiss", "titles.faiss")
ModuleVectors = Literal["text", "title"]


def module_indexes(
    text_vectors: np.ndarray, title_vectors: np.ndarray, *, exact_max_rows: int, nprobe: int
) -> tuple[VectorIndex, VectorIndex] | None:
    """Approximate indexes of the whole-text and title vectors, or None for a small catalogue.

    Up to ``exact_max_rows`` modules both matrices are scanned, exactly; above, each credential
    would read every module's vector twice (at 333k modules, 95 ms against 48 ms with these
    indexes: docs/performance.md, Memory), so they get IVF-SQ8 indexes rescored exactly, as
    outcomes do.
    """
    if len(text_vectors) <= exact_max_rows:
        return None
    return (
        build_faiss_index(text_vectors, exact_max_rows=exact_max_rows, nprobe=nprobe),
        build_faiss_index(title_vectors, exact_max_rows=exact_max_rows, nprobe=nprobe),
    )


@dataclass(frozen=True)
class CatalogueEntry:
    """One module (or catalogue course) as the index sees it."""

    key: str
    title: str
    outcomes: tuple[str, ...]
    text: str  # the whole text, for whole-text similarity


def entry_text(title: str, description: str | None, outcomes: Sequence[str]) -> str:
    """Return the whole text of a module as the index embeds it."""
    return " ".join([title, description or "", *outcomes]).strip()


def catalogue_fingerprint(model_id: str, entries: Sequence[CatalogueEntry]) -> str:
    """A hash that changes when the model or any entry's text changes."""
    digest = hashlib.sha256(model_id.encode())
    for entry in entries:
        payload = json.dumps([entry.key, entry.title, list(entry.outcomes), entry.text])
        digest.update(payload.encode())
    return digest.hexdigest()


class CatalogueIndex:
    """Module outcomes in a vector index, with what each row is and the model that made it."""

    def __init__(
        self,
        entries: Sequence[CatalogueEntry],
        outcome_vectors: np.ndarray,
        text_vectors: np.ndarray,
        title_vectors: np.ndarray,
        index: VectorIndex,
        *,
        model_id: str,
        backend: Backend,
        modules: tuple[VectorIndex, VectorIndex] | None = None,
    ) -> None:
        """``modules``: indexes of the text and title vectors (``module_indexes``), or None."""
        self.entries = list(entries)
        self.outcome_vectors = outcome_vectors
        self.text_vectors = text_vectors
        self.title_vectors = title_vectors
        self.index = index
        self.modules = modules
        self.model_id = model_id
        self.backend = backend
        self.fingerprint = catalogue_fingerprint(model_id, self.entries)
        # each entry's ESCO skills (URIs, best first), tagged when the catalogue is indexed;
        # None: not tagged (recognition_engine.skills)
        self.module_skills: list[list[str]] | None = None
        self.module_skills_version: str | None = None  # the taxonomy and tagger that made them
        self.position = {entry.key: i for i, entry in enumerate(self.entries)}
        counts = [len(entry.outcomes) for entry in self.entries]
        self.row_entry = np.repeat(np.arange(len(self.entries)), counts)
        self.entry_start = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)

    @cached_property
    def places(self) -> dict[str, frozenset[str]]:
        """Each module's places in a course sequence, by key (``catalogue_places``)."""
        return catalogue_places((e.key, e.title) for e in self.entries)

    @classmethod
    def build(
        cls,
        entries: Sequence[CatalogueEntry],
        embedder: Embedder,
        backend: Backend = "faiss",
        *,
        progress: bool = False,
        exact_max_rows: int = DEFAULT_EXACT_MAX_ROWS,
        nprobe: int = DEFAULT_NPROBE,
    ) -> CatalogueIndex:
        """Embed every outcome, whole text and title of the entries and index the outcomes.

        FAISS: exact search up to ``exact_max_rows`` outcomes, IVF-SQ8 rescored above.
        """
        if not entries:
            raise IndexUnavailable("the catalogue has no modules to index")
        keys = [entry.key for entry in entries]
        if len(set(keys)) != len(keys):
            raise IndexUnavailable("the catalogue has duplicate module keys")
        outcome_texts = [text for entry in entries for text in entry.outcomes]
        outcome_vectors = embedder.embed(outcome_texts, progress=progress)
        text_vectors = embedder.embed([entry.text for entry in entries], progress=progress)
        title_vectors = embedder.embed([entry.title for entry in entries], progress=progress)
        index: VectorIndex
        modules = None
        if backend == "faiss":
            index = build_faiss_index(outcome_vectors, exact_max_rows=exact_max_rows, nprobe=nprobe)
            modules = module_indexes(
                text_vectors, title_vectors, exact_max_rows=exact_max_rows, nprobe=nprobe
            )
        else:
            index = create_vector_index(backend, embedder.dimension)
            index.add(outcome_vectors)
        return cls(
            entries,
            outcome_vectors,
            text_vectors,
            title_vectors,
            index,
            model_id=embedder.model_id,
            backend=backend,
            modules=modules,
        )

    def module_vectors(self, position: int) -> np.ndarray:
        """Return the outcome vectors of the entry at ``position``, shape (outcomes, dimension)."""
        return self.outcome_vectors[self.entry_start[position] : self.entry_start[position + 1]]

    def nearest_modules(self, vector: np.ndarray, by: ModuleVectors, k: int) -> list[int]:
        """Positions of the ``k`` modules whose whole text (or title) is nearest to ``vector``."""
        k = min(k, len(self.entries))
        if k <= 0:
            return []
        if self.modules is not None:
            found = self.modules[0 if by == "text" else 1].search(vector[None, :], k)[1][0]
            return found[found >= 0].tolist()
        matrix = self.text_vectors if by == "text" else self.title_vectors
        return np.argpartition(-(matrix @ vector), k - 1)[:k].tolist()

    def save(self, folder: Path) -> None:
        """Write the index to ``folder`` atomically: readers see the old index or this one."""

        def write_files(generation: Path) -> None:
            self.index.save(generation / _VECTOR_FILES[self.backend])
            np.save(generation / "outcome_vectors.npy", self.outcome_vectors)
            np.save(generation / "text_vectors.npy", self.text_vectors)
            np.save(generation / "title_vectors.npy", self.title_vectors)
            for name, index in zip(_MODULE_FILES, self.modules or (), strict=False):
                index.save(generation / name)

        manifest = {
            "format": FORMAT_VERSION,
            "model_id": self.model_id,
            "backend": self.backend,
            "approximate": isinstance(self.index, RescoredIndex),
            "approximate_modules": self.modules is not None,
            "fingerprint": self.fingerprint,
            "entries": [
                {"key": e.key, "title": e.title, "outcomes": list(e.outcomes), "text": e.text}
                for e in self.entries
            ],
            "module_skills": self.module_skills,
            "module_skills_version": self.module_skills_version,
        }
        index_storage.publish(folder, write_files, manifest)

    @classmethod
    def load(cls, folder: Path, *, model_id: str) -> CatalogueIndex:
        """Read an index saved by ``save``; refuse one made by another model or format.

        Raises IndexUnavailable, so that the caller rebuilds, when the index is missing, old,
        made by another model, or its files do not match the checksums saved with it.
        """
        if not (folder / index_storage.MANIFEST).is_file():
            raise IndexUnavailable(f"no index in {folder}")
        with index_storage.folder_lock(folder):
            meta = index_storage.read_manifest(folder)
            if meta.get("format") != FORMAT_VERSION:
                raise IndexUnavailable(f"the index in {folder} has an old format: rebuild it")
            if meta.get("model_id") != model_id:
                raise IndexUnavailable(
                    f"the index in {folder} was built with {meta.get('model_id')}, "
                    f"not {model_id}: rebuild it"
                )
            backend = meta.get("backend")
            if backend not in ("faiss", "numpy"):
                raise IndexUnavailable(f"the index metadata in {folder} is corrupt")
            required = {_VECTOR_FILES[backend], *_ARRAY_FILES}
            if meta.get("approximate_modules"):
                required.update(_MODULE_FILES)
            generation = index_storage.verified_generation(folder, meta, required)
            try:
                return cls._from_files(generation, meta, model_id=model_id)
            except (OSError, ValueError, RuntimeError, KeyError, TypeError) as error:
                # Checksums passed, so this is a save from a broken writer, not a torn file.
                raise IndexUnavailable(f"the index in {folder} is unreadable: {error}") from error

    @classmethod
    def _from_files(cls, generation: Path, meta: dict, *, model_id: str) -> CatalogueIndex:
        backend: Backend = meta["backend"]
        vector_path = generation / _VECTOR_FILES[backend]
        # Large catalogues stay on disk: the pages a search touches are read, the rest are not.
        # A later save removes this generation's files; the mapping keeps them readable.
        approximate = bool(meta.get("approximate"))
        mapped = approximate or bool(meta.get("approximate_modules"))
        index: VectorIndex = (
            FaissIndex.load(vector_path, mmap=approximate)
            if backend == "faiss"
            else NumpyIndex.load(vector_path)
        )
        entries = [
            CatalogueEntry(e["key"], e["title"], tuple(e["outcomes"]), e["text"])
            for e in meta["entries"]
        ]
        outcome_vectors, text_vectors, title_vectors = (
            np.load(generation / name, allow_pickle=False, mmap_mode="r" if mapped else None)
            for name in _ARRAY_FILES
        )
        if approximate:
            assert isinstance(index, FaissIndex)
            index = RescoredIndex(index, outcome_vectors)
        modules = None
        if meta.get("approximate_modules"):
            text_index, title_index = (
                FaissIndex.load(generation / name, mmap=True) for name in _MODULE_FILES
            )
            modules = (
                RescoredIndex(text_index, text_vectors),
                RescoredIndex(title_index, title_vectors),
            )
        loaded = cls(
            entries,
            outcome_vectors,
            text_vectors,
            title_vectors,
            index,
            model_id=model_id,
            backend=backend,
            modules=modules,
        )
        skills = meta.get("module_skills")
        if skills is not None and len(skills) == len(entries):
            loaded.module_skills = [[str(uri) for uri in uris] for uris in skills]
            loaded.module_skills_version = meta.get("module_skills_version")
        rows = int(loaded.entry_start[-1])
        if not (
            loaded.index.size == len(loaded.outcome_vectors) == rows
            and len(loaded.text_vectors) == len(loaded.title_vectors) == len(entries)
        ):
            raise ValueError("the vectors do not match the entries")
        return loaded
