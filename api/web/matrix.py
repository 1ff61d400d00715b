"""The evidence matrix: every credential outcome against every outcome of the proposed modules,
each cell the cosine similarity of the two, the pairs the engine matched marked."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from recognition_engine.domain import Programme, RecognitionProposal
from recognition_engine.ingestion.outcomes import outcomes_of

SHADES = 10  # CSS classes s0 … s9


@dataclass(frozen=True)
class Cell:
    similarity: float
    shade: int
    matched: bool


@dataclass(frozen=True)
class ModuleColumns:
    code: str
    title: str
    outcomes: list[str]


@dataclass(frozen=True)
class EvidenceMatrix:
    rows: list[str]  # credential outcomes
    modules: list[ModuleColumns]
    cells: list[list[Cell]]  # one list per row, the modules' outcomes in order

    @property
    def columns(self) -> int:
        return sum(len(module.outcomes) for module in self.modules)


def evidence_matrix(
    proposal: RecognitionProposal, programme: Programme, embedder: object, max_modules: int = 6
) -> EvidenceMatrix | None:
    """Return the matrix over the proposed modules (the best considered ones if none is
    proposed), or None when there is nothing to show."""
    codes = [module.module_code for module in proposal.modules]
    if not codes:
        codes = [module.module_code for module in proposal.considered[:3]]
    known = {module.code: module for module in programme.modules}
    modules = [
        ModuleColumns(code, known[code].title, outcomes_of(known[code]))
        for code in codes[:max_modules]
        if code in known
    ]
    rows = [outcome for credential in proposal.credentials for outcome in credential.outcomes]
    if not rows or not modules:
        return None
    columns = [outcome for module in modules for outcome in module.outcomes]
    vectors = embedder.embed(rows + columns)  # type: ignore[attr-defined]
    similarity = _cosine(vectors[: len(rows)], vectors[len(rows):])
    matched = {
        (pair.credential_outcome, module.module_code, pair.module_outcome)
        for module in proposal.modules
        for pair in module.evidence
    }
    owners = [module.code for module in modules for _ in module.outcomes]
    cells = [
        [
            Cell(
                similarity=float(similarity[i, j]),
                shade=_shade(float(similarity[i, j])),
                matched=(row, owners[j], columns[j]) in matched,
            )
            for j in range(len(columns))
        ]
        for i, row in enumerate(rows)
    ]
    return EvidenceMatrix(rows=rows, modules=modules, cells=cells)


def _cosine(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    left = left / np.maximum(np.linalg.norm(left, axis=1, keepdims=True), 1e-12)
    right = right / np.maximum(np.linalg.norm(right, axis=1, keepdims=True), 1e-12)
    return left @ right.T


def _shade(similarity: float) -> int:
    return min(SHADES - 1, max(0, int(similarity * SHADES)))
