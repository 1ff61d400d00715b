"""A fine-tuned model's cosine scale, tied to the scale of the model it was fine-tuned from.

Fine-tuning moves a model's cosines: multilingual-e5-small fine-tuned on VT's decisions scores
the best module of a Georgian credential about 0.05 lower than before, so at the thresholds set
for the base model it proposes almost nothing (docs/models.md, "Fine-tuning"). The thresholds
the engine applies (``outcome_match_threshold``, ``min_proposal_score`` and the multilingual
model's, per language pair) are set on the base model's scale, each as a rate of unrelated pairs
let through. ``adapt`` therefore writes ``score_scale.json`` into the folder it fine-tunes into:
the quantiles of the cosines of unrelated pairs of the decisions' own texts under the base model
and under the fine-tuned one, for outcome pairs and for module scores apart. A threshold is
carried over by quantile: one that leaves share q of the base model's unrelated pairs below it
becomes the fine-tuned model's q-quantile, as the multilingual model's thresholds were carried
over from MiniLM's (docs/evaluation.md, "Thresholds of their own").
"""

from __future__ import annotations

import functools
import json
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from recognition_engine.errors import ModelUnavailable
from recognition_engine.ingestion.equivalence import EquivalenceSet, ItemRecord
from recognition_engine.ingestion.outcomes import split_outcomes
from recognition_engine.models.adaptation import whole_text
from recognition_engine.models.encoder import Embedder
from recognition_engine.models.identity import SCALE_FILE

# the thresholds sit in the upper tail (about the 99.7th percentile of unrelated pairs): finer there
QUANTILES = np.unique(np.concatenate([np.linspace(0.0, 0.98, 50), np.linspace(0.98, 1.0, 101)]))
SAMPLE = 300  # modules (one outcome each) and credentials read: tens of thousands of pairs
LEAST_PAIRS = 1000  # of each kind: fewer, and the tail the thresholds sit in is not measured


@dataclass(frozen=True)
class Quantiles:
    """The cosines of unrelated pairs at ``QUANTILES``, under the base model and the tuned one."""

    base: tuple[float, ...]
    tuned: tuple[float, ...]

    def after(self, earlier: Quantiles) -> Quantiles:
        """Return these quantiles with the base side read back through ``earlier``'s: the
        scale of a model fine-tuned from a model that was itself fine-tuned, from the first."""
        first = np.interp(self.base, earlier.tuned, earlier.base)
        return Quantiles(tuple(round(float(v), 4) for v in first), self.tuned)

    def carry(self, threshold: float) -> float:
        """Return the tuned model's threshold that lets as many unrelated pairs through (past
        the highest or lowest pair measured, the same distance from the tuned model's)."""
        if threshold > self.base[-1]:
            carried = self.tuned[-1] + threshold - self.base[-1]
        elif threshold < self.base[0]:
            carried = self.tuned[0] + threshold - self.base[0]
        else:
            carried = float(np.interp(threshold, self.base, self.tuned))
        return round(carried, 4)


@dataclass(frozen=True)
class ScoreScale:
    """How to carry the base model's thresholds over to a model fine-tuned from it."""

    outcome: Quantiles  # outcome against outcome: outcome_match_threshold
    module: Quantiles  # a credential's module score (whole text and title): min_proposal_score

    def after(self, earlier: ScoreScale | None) -> ScoreScale:
        """Return the scale from the model ``earlier`` was measured from (None: this one)."""
        if earlier is None:
            return self
        return ScoreScale(self.outcome.after(earlier.outcome), self.module.after(earlier.module))

    def to_json(self) -> dict[str, object]:
        return {
            "about": "quantiles of unrelated pairs' cosines under the base and the fine-tuned "
            "model; thresholds set on the base are carried over by quantile",
            "quantiles": [round(float(q), 4) for q in QUANTILES],
            **{
                kind: {"base": list(q.base), "tuned": list(q.tuned)}
                for kind, q in (("outcome", self.outcome), ("module", self.module))
            },
        }

    @classmethod
    def from_json(cls, data: dict) -> ScoreScale:
        def quantiles(kind: str) -> Quantiles:
            base, tuned = (tuple(float(v) for v in data[kind][side]) for side in ("base", "tuned"))
            if len(base) != len(tuned) or len(base) < 2 or list(base) != sorted(base):
                raise ValueError(f"{kind}: quantiles of unequal length or out of order")
            return Quantiles(base, tuned)

        return cls(quantiles("outcome"), quantiles("module"))


def write_scale(folder: Path, scale: ScoreScale) -> Path:
    path = Path(folder) / SCALE_FILE
    path.write_text(json.dumps(scale.to_json(), indent=1) + "\n", encoding="utf-8")
    return path


def read_scale(folder: Path | None) -> ScoreScale | None:
    """Return the scale a fine-tuned model's folder carries; None for a model without one."""
    if folder is None:
        return None
    path = Path(folder) / SCALE_FILE
    if not path.is_file():
        return None
    return _read(path, path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=8)
def _read(path: Path, _mtime: int) -> ScoreScale:
    # read once per file version: every recognition asks for its thresholds
    try:
        return ScoreScale.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ModelUnavailable(f"{path}: not a score scale ({error})") from error


Sides = tuple[Embedder, Embedder]
"""(credential side, catalogue side): e5 reads a credential as a query, a module as a passage."""


def measure_scale(
    decisions: EquivalenceSet,
    base: Callable[[], Sides],
    tuned: Callable[[], Sides],
    sample: int = SAMPLE,
    seed: int = 13,
) -> ScoreScale | None:
    """Return the scale of ``tuned`` against ``base`` on unrelated pairs of the set's texts:
    one outcome of each of up to ``sample`` modules against the others' (different modules),
    and up to ``sample`` credentials against those modules, their accepted pairs left out.
    None where either kind has fewer than ``LEAST_PAIRS`` pairs (a set too small to tell);
    the models are loaded only where the set is large enough."""
    rng = random.Random(seed)
    modules = rng.sample(list(decisions.modules), min(sample, len(decisions.modules)))
    credentials = rng.sample(list(decisions.credentials), min(sample, len(decisions.credentials)))
    accepted = {(q.credential_id, q.module_id) for q in decisions.qrels}
    outcomes = [_one_outcome(m, rng) for m in modules]
    unrelated = np.array([[(c.id, m.id) not in accepted for m in modules] for c in credentials])
    rows, columns = np.triu_indices(len(outcomes), k=1)
    if min(len(rows), int(unrelated.sum())) < LEAST_PAIRS:
        return None

    def distributions(load: Callable[[], Sides]) -> tuple[np.ndarray, np.ndarray]:
        query, passage = load()
        outcome = query.embed(outcomes) @ passage.embed(outcomes).T
        text = (
            query.embed([whole_text(c) for c in credentials])
            @ passage.embed([whole_text(m) for m in modules]).T
        )
        title = (
            query.embed([c.title for c in credentials])
            @ passage.embed([m.title for m in modules]).T
        )
        return outcome[rows, columns], ((text + title) / 2)[unrelated]

    (base_outcome, base_module), (tuned_outcome, tuned_module) = map(distributions, (base, tuned))
    return ScoreScale(
        _quantiles(base_outcome, tuned_outcome), _quantiles(base_module, tuned_module)
    )


def _quantiles(base: np.ndarray, tuned: np.ndarray) -> Quantiles:
    def of(scores: np.ndarray) -> tuple[float, ...]:
        return tuple(
            round(float(v), 4) for v in np.maximum.accumulate(np.quantile(scores, QUANTILES))
        )

    return Quantiles(of(base), of(tuned))


def _one_outcome(module: ItemRecord, rng: random.Random) -> str:
    outcomes: Sequence[str] = module.learning_outcomes or split_outcomes(
        [module.description or module.title]
    )
    return rng.choice(list(outcomes)) if outcomes else module.title
