"""Adapting the embedding model to an institution's accepted recognition decisions.

Each accepted decision is a (credential text, module text) pair. The model is fine-tuned
contrastively with MultipleNegativesRankingLoss: in a batch, each credential should be closer
to its own accepted module than to the other pairs' modules (in-batch negatives) and than to
the hard negatives the pair carries (``recognition_engine.learning.hard_negatives`` picks them).
The result is an ordinary sentence-transformers folder, usable as ``RECOGNITION_MODEL_PATH``.

The training loop is written out rather than delegated to ``SentenceTransformerTrainer`` (or
``model.fit``, which wraps it in sentence-transformers 6): the trainer needs the ``datasets`` and
``accelerate`` packages, which the product does not depend on, and a plain loop over the loss
module is all that in-batch-negative training needs.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from pathlib import Path

from recognition_engine.errors import InvalidInput, ModelUnavailable
from recognition_engine.ingestion.equivalence import EquivalenceSet, ItemRecord

Pair = tuple[str, ...]
"""(credential text, accepted module text, *hard negatives): modules not accepted for the
credential, which the loss pushes further away than the accepted one (every example of a batch
carries as many)."""


def whole_text(record: ItemRecord) -> str:
    """Return a record's whole text as the engine reads it: title, description and outcomes."""
    parts = [record.title, record.description or "", *record.learning_outcomes]
    return " ".join(" ".join(p.split()) for p in parts if p and p.strip())


def accepted_pairs(dataset: EquivalenceSet) -> list[Pair]:
    """Return one (credential text, module text) pair per accepted decision of the set."""
    credentials = {c.id: whole_text(c) for c in dataset.credentials}
    modules = {m.id: whole_text(m) for m in dataset.modules}
    return [(credentials[q.credential_id], modules[q.module_id]) for q in dataset.qrels]


def prompted(pairs: Sequence[Pair], prompts: Mapping[str, str]) -> list[Pair]:
    """Return the pairs with the model's ``query`` and ``passage`` prompts before each side.

    A model trained with prompts (e5: ``query: `` on the credential, ``passage: `` on the
    module, as the engine embeds them) is fine-tuned on the texts it will read; a model
    without them (MiniLM) is trained on the texts as they are.
    """
    query, passage = prompts.get("query", ""), prompts.get("passage", "")
    return [(query + pair[0], *(passage + module for module in pair[1:])) for pair in pairs]


def in_batch_negative_batches(
    pairs: Sequence[Pair], batch_size: int, rng: random.Random
) -> list[list[Pair]]:
    """Return the pairs shuffled into batches in which no text appears twice.

    A repeated text (two credentials accepted for the same module, say, or one pair's hard
    negative another's accepted module) would make a correct answer count as a negative of the
    other pair; such a pair waits for a later batch.
    """
    waiting = list(pairs)
    rng.shuffle(waiting)
    batches: list[list[Pair]] = []
    while waiting:
        batch: list[Pair] = []
        seen: set[str] = set()
        deferred: list[Pair] = []
        for pair in waiting:
            if len(batch) < batch_size and seen.isdisjoint(pair):
                batch.append(pair)
                seen.update(pair)
            else:
                deferred.append(pair)
        batches.append(batch)
        waiting = deferred
    return batches


def adapt_model(
    pairs: Sequence[Pair],
    base: Path,
    out: Path,
    *,
    epochs: int = 3,
    batch_size: int = 32,
    learning_rate: float = 2e-5,
    warmup_share: float = 0.1,
    max_steps: int | None = None,
    seed: int = 13,
    device: str | None = None,
    freeze_embeddings: bool = False,
    checkpoint_activations: bool = False,
) -> Path:
    """Return ``out``, holding ``base`` fine-tuned on the pairs (a sentence-transformers folder).

    ``device`` defaults to CUDA when available, else the CPU. The same pairs, seed and device
    give the same model. ``freeze_embeddings`` keeps the token embedding table as it is and
    trains the layers above it: a multilingual model's table holds every language's tokens,
    most of which the decisions never show (and it is most of the model's weights, so a step
    is cheaper). ``checkpoint_activations`` recomputes each layer's activations in the backward
    pass instead of keeping them: more compute for a fraction of the memory (on a
    CPU, 32 examples of three long texts each need more than 24 GiB without it).
    """
    pairs = [tuple(pair) for pair in pairs if all(text.strip() for text in pair)]
    if len(pairs) < 2:
        raise InvalidInput("adaptation needs at least two accepted pairs (in-batch negatives)")
    if len({len(pair) for pair in pairs}) != 1 or len(pairs[0]) < 2:
        raise InvalidInput("every pair needs a credential, a module and as many hard negatives")
    if epochs < 1 or batch_size < 2:
        raise InvalidInput("epochs must be at least 1 and batch_size at least 2")
    base = Path(base)
    if not (base / "modules.json").exists() and not (base / "config.json").exists():
        raise ModelUnavailable(f"no sentence-transformers model in {base}")
    import torch
    from sentence_transformers import SentenceTransformer

    try:
        from sentence_transformers.sentence_transformer.losses import (
            MultipleNegativesRankingLoss,
        )
    except ImportError:  # sentence-transformers before 6.2
        from sentence_transformers.losses import (  # type: ignore[no-redef]
            MultipleNegativesRankingLoss,
        )
    from transformers import get_linear_schedule_with_warmup

    rng = random.Random(seed)
    torch.manual_seed(seed)
    device = device or ("cuda" if torch.cuda.is_available() else "cpu")
    try:
        model = SentenceTransformer(str(base), device=device, local_files_only=True)
    except Exception as error:  # noqa: BLE001 - any loader failure means no model
        raise ModelUnavailable(f"cannot load the model in {base}: {error}") from error
    if freeze_embeddings:
        model[0].auto_model.get_input_embeddings().requires_grad_(False)
    if checkpoint_activations:
        transformer = model[0].auto_model
        # transformers 5 renamed gradient_checkpointing_enable, keeping the old name for a while
        enable = getattr(transformer, "activation_checkpointing_enable", None)
        (enable or transformer.gradient_checkpointing_enable)({"use_reentrant": False})
    loss = MultipleNegativesRankingLoss(model)
    pairs = prompted(pairs, model.prompts or {})

    schedule = [in_batch_negative_batches(pairs, batch_size, rng) for _ in range(epochs)]
    steps = sum(len(batches) for batches in schedule)
    if max_steps is not None:
        steps = min(steps, max_steps)
    trained = [parameter for parameter in model.parameters() if parameter.requires_grad]
    optimizer = torch.optim.AdamW(trained, lr=learning_rate, weight_decay=0.01)
    scheduler = get_linear_schedule_with_warmup(optimizer, int(warmup_share * steps), steps)

    model.train()
    step = 0
    for batches in schedule:
        for batch in batches:
            if step >= steps:
                break
            features = [
                _features(model, [pair[i] for pair in batch], device) for i in range(len(batch[0]))
            ]
            value = loss(features, torch.empty(0, device=device))
            value.backward()
            torch.nn.utils.clip_grad_norm_(trained, 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
            step += 1
    model.eval()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    model.save(str(out))
    return out


def _features(model, texts: list[str], device: str) -> dict:  # noqa: ANN001 - SentenceTransformer
    # sentence-transformers 6.2 renamed tokenize to preprocess
    prepare = getattr(model, "preprocess", None) or model.tokenize
    features = prepare(texts)
    return {k: v.to(device) if hasattr(v, "to") else v for k, v in features.items()}
