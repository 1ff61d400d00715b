"""Day one: a confidence and tiers before an institution has recorded any decision.

A has-an-equivalent model and a P(the first module is right | it has one) model over what the
matching alone says (``equivalence.COLD_FEATURES``), with tiers, fitted on public decision sets
of other institutions by ``python -m evaluation.experiments.cold_start`` and shipped as a handful
of numbers in ``data/cold_start.json``, for the model whose vectors they were fitted on. A
proposal made with it says so (``TierRecord.basis == "shared"``). No weights fitted on that data
ship: fine-tuning runs at the user's site, on the user's decisions.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from recognition_engine.learning.equivalence import COLD_FEATURES, LogisticModel, cold_row, columns
from recognition_engine.learning.tiers import Tiers
from recognition_engine.matching import ModuleMatch
from recognition_engine.models.factory import unmarked

COLD_START_FILE = Path(__file__).parents[1] / "data" / "cold_start.json"
RIGHT_FEATURES: tuple[str, ...] = ("top_score", "score_margin", "top_title", "top_text")
"""P(the first module is right | the credential has an equivalent) reads these."""


@dataclass(frozen=True)
class ColdAssessment:
    has_equivalent: float
    confidence: float  # P(has) × P(the first module is right | it has one)


@dataclass(frozen=True)
class ColdStart:
    """The shipped cold-start model, for one embedding model's vectors."""

    model: str  # the fingerprint of the embedding model's weights it was fitted on
    equivalence: LogisticModel  # over COLD_FEATURES
    right: LogisticModel  # over RIGHT_FEATURES
    tiers: Tiers
    source: str  # the decision sets it was fitted on

    def assess(self, matches: Sequence[ModuleMatch], tfidf: Sequence[float] = ()) -> ColdAssessment:
        """Return P(has an equivalent) and the confidence in the engine's first candidate."""
        row = cold_row(matches, tfidf)
        has = float(self.equivalence(row[columns(self.equivalence.names, COLD_FEATURES)]))
        right = float(self.right(row[columns(self.right.names, COLD_FEATURES)]))
        return ColdAssessment(has, has * right)

    def to_json(self) -> dict[str, object]:
        return {"model": self.model, "source": self.source,
                "equivalence": self.equivalence.to_json(), "right": self.right.to_json(),
                "tiers": self.tiers.to_json()}

    @classmethod
    def from_json(cls, data: dict[str, object]) -> ColdStart:
        return cls(str(data["model"]), LogisticModel.from_json(data["equivalence"]),  # type: ignore[arg-type]
                   LogisticModel.from_json(data["right"]), Tiers.from_json(data["tiers"]),  # type: ignore[arg-type]
                   str(data["source"]))


def weights_fingerprint(model_id: str) -> str:
    """Return the part of a model id that names its weights ("st:name:HASH[:backend[:prompt]]",
    marked multilingual or not → HASH): the backends (torch, ONNX, OpenVINO) run the same
    weights to the same vectors, and a multilingual model's two prompts share its weights."""
    parts = unmarked(model_id).split(":")
    return parts[2] if len(parts) >= 3 and parts[0] == "st" else model_id


def load_cold_start(model_id: str, path: Path = COLD_START_FILE) -> ColdStart | None:
    """Return the cold-start model fitted for this embedding model, None if there is none."""
    if not path.is_file():
        return None
    return _read(model_id, path, path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=8)
def _read(model_id: str, path: Path, _mtime: int) -> ColdStart | None:
    # read once per file version: every cold proposal asks
    data = json.loads(path.read_text())
    for entry in data.get("models", []):
        if entry.get("model") == weights_fingerprint(model_id):
            return ColdStart.from_json(entry)
    return None


def save_cold_start(models: Sequence[ColdStart], path: Path = COLD_START_FILE) -> None:
    payload = {
        "about": "Cold-start has-an-equivalent model and tiers, fitted by "
        "python -m evaluation.experiments.cold_start; see that script for the figures.",
        "models": [m.to_json() for m in models],
    }
    path.write_text(json.dumps(payload, indent=1) + "\n")


def fit_cold_start(
    model: str, rows: np.ndarray, has: Sequence[bool], correct: Sequence[bool],
    confidence_out_of_fold: np.ndarray, source: str,
) -> ColdStart:
    """Return the cold-start model fitted on ``rows`` (n, len(COLD_FEATURES)), with tiers chosen
    on the out-of-fold confidences the caller computed the same way."""
    had = np.asarray(has, dtype=bool)
    ok = np.asarray(correct, dtype=bool)
    equivalence = LogisticModel.fit(COLD_FEATURES, rows, had)
    right = LogisticModel.fit(RIGHT_FEATURES, rows[had][:, columns(RIGHT_FEATURES, COLD_FEATURES)],
                              ok[had])
    return ColdStart(model, equivalence, right, Tiers.fit(confidence_out_of_fold, ok, had), source)
