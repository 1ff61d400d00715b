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


def text_and_title_scores(
    embedder: Embedder,
    catalogue: Embedder,
    credentials: Sequence[tuple[str, str]],
    modules: Sequence[tuple[str, str]],
) -> np.ndarray:
    """Return the mean of whole-text and title cosine of each (text, title) credential against
    each module, shape (credentials, modules): the engine's cold score of a description-only
    set. ``catalogue`` embeds the modules' side (e5: passages)."""
    module_text = catalogue.embed([text for text, _ in modules], progress=True)
    module_title = catalogue.embed([title for _, title in modules])
    text = embedder.embed([text for text, _ in credentials])
    title = embedder.embed([title for _, title in credentials])
    return (text @ module_text.T + title @ module_title.T) / 2


def top_keys(scores: np.ndarray, keys: Sequence[str], depth: int = DEPTH) -> list[list[str]]:
    """Return, for each row of ``scores``, the ``depth`` keys scored highest, best first."""
    return [[keys[i] for i in row] for row in np.argsort(-scores, axis=1)[:, :depth]]


def base_ranking(
    dataset: EquivalenceSet,
    embedder: Embedder,
    catalogue: Embedder | None = None,
    depth: int = DEPTH,
) -> dict[str, list[str]]:
    """Return each credential's modules as the base model ranks them, best first
    (``text_and_title_scores``); ``catalogue`` by default ``embedder``."""
    scores = text_and_title_scores(
        embedder,
        catalogue or embedder,
        [(whole_text(c), c.title) for c in dataset.credentials],
        [(whole_text(m), m.title) for m in dataset.modules],
    )
    top = top_keys(scores, [m.id for m in dataset.modules], depth)
    return {c.id: keys for c, keys in zip(dataset.credentials, top, strict=True)}


def examples_with_negatives(
    dataset: EquivalenceSet, ranking: Mapping[str, Sequence[str]], count: int
) -> list[Pair]:
    """Return the set's accepted decisions as examples with their hard negatives
    (``examples``)."""
    accepted: dict[str, list[str]] = {}
    for qrel in dataset.qrels:
        accepted.setdefault(qrel.credential_id, []).append(qrel.module_id)
    credentials = {c.id: whole_text(c) for c in dataset.credentials}
    modules = {m.id: whole_text(m) for m in dataset.modules}
    return examples(accepted, credentials, modules, ranking, count)


def examples(
    accepted: Mapping[str, Sequence[str]],
    credential_text: Mapping[str, str],
    module_text: Mapping[str, str],
    ranking: Mapping[str, Sequence[str]],
    count: int,
) -> list[Pair]:
    """Return (credential text, accepted module text, hard negative text) per accepted module
    of each credential of ``accepted`` and each of its hard negatives, in ``accepted``'s order;
    a credential whose ranking offers fewer than ``count`` gives fewer."""
    out: list[Pair] = []
    for credential_id, keys in accepted.items():
        negatives = hard_negatives(ranking.get(credential_id, []), keys, count)
        for key in keys:
            out.extend(
                (credential_text[credential_id], module_text[key], module_text[negative])
                for negative in negatives
            )
    return out
