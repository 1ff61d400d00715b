"""Hard negatives for fine-tuning on decisions: the near twins an evaluator told apart.

In-batch negatives are other credentials' modules, mostly of other subjects, which the model
already tells apart. What it gets wrong is the module next door: Spanish 201 for Hispanic
Studies 203. A credential's hard negatives are the modules the base model ranks highest for it
that were not accepted, those of an accepted module's department (subject prefix) first.
Measured out of fold in ``evaluation/experiments/adapted_negatives.py``
(docs/learning.md, "Fine-tuning with hard negatives").
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

import numpy as np

from recognition_engine.ingestion.equivalence import EquivalenceSet
from recognition_engine.learning.features import subject_of
from recognition_engine.models import Embedder
from recognition_engine.models.adaptation import Pair, whole_text

DEPTH = 30  # how far down the base ranking a hard negative is looked for
# per accepted pair: in-batch negatives alone moved the cold ranking little, three hard ones more
# (docs/learning.md, "Fine-tuning with hard negatives")
HARD_NEGATIVES = 3


def hard_negatives(
    ranked: Sequence[str], accepted: Collection[str], count: int, depth: int = DEPTH
) -> list[str]:
    """Return up to ``count`` module keys of ``ranked`` (best first) that were not accepted,
    those of an accepted module's subject first, each group in ranked order."""
    subjects = {subject_of(key) for key in accepted} - {None}
    candidates = [key for key in ranked[:depth] if key not in accepted]
    same = [key for key in candidates if subject_of(key) in subjects]
    other = [key for key in candidates if subject_of(key) not in subjects]
    return [*same, *other][:count]


def base_ranking(
    dataset: EquivalenceSet,
    embedder: Embedder,
    catalogue: Embedder | None = None,
    depth: int = DEPTH,
) -> dict[str, list[str]]:
    """Return each credential's modules as the base model ranks them, best first: the mean of
    whole-text and title cosine, as the engine's cold score reads a description-only set.

    ``catalogue`` embeds the modules' side (e5: passages); by default ``embedder``.
    """
    modules = catalogue or embedder
    module_text = modules.embed([whole_text(m) for m in dataset.modules], progress=True)
    module_title = modules.embed([m.title for m in dataset.modules])
    text = embedder.embed([whole_text(c) for c in dataset.credentials])
    title = embedder.embed([c.title for c in dataset.credentials])
    scores = (text @ module_text.T + title @ module_title.T) / 2
    keys = [m.id for m in dataset.modules]
    top = np.argsort(-scores, axis=1)[:, :depth]
    return {c.id: [keys[i] for i in row] for c, row in zip(dataset.credentials, top, strict=True)}


def examples_with_negatives(
    dataset: EquivalenceSet, ranking: Mapping[str, Sequence[str]], count: int
) -> list[Pair]:
    """Return (credential text, accepted module text, hard negative text) per accepted decision
    and hard negative; a credential with fewer hard negatives than ``count`` gives fewer."""
    credentials = {c.id: whole_text(c) for c in dataset.credentials}
    modules = {m.id: whole_text(m) for m in dataset.modules}
    accepted: dict[str, list[str]] = {}
    for qrel in dataset.qrels:
        accepted.setdefault(qrel.credential_id, []).append(qrel.module_id)
    examples: list[Pair] = []
    for credential_id, keys in accepted.items():
        negatives = hard_negatives(ranking.get(credential_id, []), keys, count)
        for key in keys:
            examples.extend(
                (credentials[credential_id], modules[key], modules[negative])
                for negative in negatives
            )
    return examples
