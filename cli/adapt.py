"""Command `adapt`: fine-tune the embedding model on an institution's accepted decisions."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cli.common import console, handles_errors, load_settings
from recognition_engine.learning.hard_negatives import HARD_NEGATIVES

if TYPE_CHECKING:
    from collections.abc import Callable

    from recognition_engine.config import Settings
    from recognition_engine.ingestion.equivalence import EquivalenceSet


def register(app: typer.Typer) -> None:
    app.command("adapt")(adapt)


@handles_errors
def adapt(
    dataset: Annotated[
        Path,
        typer.Option(
            "--dataset",
            help="An equivalence set (modules.jsonl, credentials.jsonl, qrels.tsv): every "
            "accepted pair in qrels.tsv is a training pair.",
        ),
    ],
    out: Annotated[
        Path, typer.Option("--out", help="Folder for the adapted model (RECOGNITION_MODEL_PATH).")
    ],
    epochs: Annotated[int, typer.Option(min=1, help="Passes over the pairs.")] = 3,
    batch_size: Annotated[
        int, typer.Option(min=2, help="Pairs per batch; the others' modules are the negatives.")
    ] = 32,
    seed: Annotated[int, typer.Option(help="Seed of the shuffling and initialisation.")] = 13,
    hard_negatives: Annotated[
        int,
        typer.Option(
            min=0,
            max=10,
            help="Per accepted pair, this many modules the base model ranks high for the "
            "credential that were not accepted (its department's first); 0: in-batch "
            "negatives only.",
        ),
    ] = HARD_NEGATIVES,
    multilingual: Annotated[
        bool,
        typer.Option(
            "--multilingual",
            help="Fine-tune multilingual-e5-small (RECOGNITION_MULTILINGUAL_MODEL_PATH) instead "
            "of the English model.",
        ),
    ] = False,
    freeze_embeddings: Annotated[
        bool | None,
        typer.Option(
            "--freeze-embeddings/--train-embeddings",
            help="Keep the token embedding table as it is and train the layers above it. "
            "Default: frozen with --multilingual (its table holds about a hundred languages "
            "the decisions never show, and training it ranked no better), trained for the "
            "English model.",
            show_default=False,
        ),
    ] = None,
    low_memory: Annotated[
        bool | None,
        typer.Option(
            "--low-memory/--full-memory",
            help="Recompute each layer's activations in the backward pass instead of keeping "
            "them: slower, in a fraction of the memory. Default: on with --multilingual (on a "
            "CPU, its batches of long texts filled 24 GiB), off for the English model.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Fine-tune the embedding model on accepted recognition decisions: each credential closer
    to its accepted module than to the other pairs' modules and to its hard negatives."""
    from recognition_engine.ingestion.equivalence import load_equivalence_set
    from recognition_engine.learning.hard_negatives import base_ranking, examples_with_negatives
    from recognition_engine.models import bundled_model_path, create_embedder
    from recognition_engine.models.adaptation import Pair, accepted_pairs, adapt_model
    from recognition_engine.models.factory import multilingual_folder
    from recognition_engine.multilingual import catalogue_embedder, multilingual_embedder

    settings = load_settings()
    decisions = load_equivalence_set(dataset)
    if multilingual:
        base, setting = multilingual_folder(settings), "RECOGNITION_MULTILINGUAL_MODEL_PATH"
    else:
        base, setting = settings.model_path or bundled_model_path(), "RECOGNITION_MODEL_PATH"
    start = time.perf_counter()
    examples: list[Pair] = accepted_pairs(decisions)
    what = f"{len(examples)} accepted pairs"
    if hard_negatives:
        embedder = multilingual_embedder(settings) if multilingual else create_embedder(settings)
        ranking = base_ranking(decisions, embedder, catalogue_embedder(embedder, settings))
        examples = examples_with_negatives(decisions, ranking, hard_negatives)
        what += f", {hard_negatives} hard negatives each"
    console.print(f"fine-tuning {base.name} on {what}")
    adapt_model(
        examples,
        base,
        out,
        epochs=epochs,
        batch_size=batch_size,
        seed=seed,
        freeze_embeddings=multilingual if freeze_embeddings is None else freeze_embeddings,
        checkpoint_activations=multilingual if low_memory is None else low_memory,
    )
    if not write_score_scale(decisions, settings, out, multilingual=multilingual):
        console.print(
            "too few texts to measure the adapted model's score scale: the base model's "
            "thresholds apply to it unchanged"
        )
    console.print(
        f"adapted model: {out} ({time.perf_counter() - start:.0f} s); use it with {setting}={out}"
    )


def write_score_scale(
    decisions: EquivalenceSet, settings: Settings, out: Path, *, multilingual: bool
) -> bool:
    """Measure the adapted model's score scale against its base on the decisions' texts and
    write it into ``out`` (``models.score_scale``); False where the set is too small to."""
    from recognition_engine.models import create_embedder
    from recognition_engine.models.score_scale import (
        Sides,
        measure_scale,
        read_scale,
        write_scale,
    )
    from recognition_engine.multilingual import catalogue_embedder, multilingual_embedder

    def loaded(own: Settings) -> Callable[[], Sides]:
        def load() -> Sides:
            if multilingual:
                embedder = multilingual_embedder(own)
                return embedder, catalogue_embedder(embedder, own)
            embedder = create_embedder(own)
            return embedder, embedder

        return load

    field = "multilingual_model_path" if multilingual else "model_path"
    tuned = settings.model_copy(update={field: out})
    scale = measure_scale(decisions, loaded(settings), loaded(tuned))
    if scale is not None:
        # the thresholds are set on the shipped model's scale: a base that was fine-tuned
        # before carries its own scale, and the two are composed
        write_scale(out, scale.after(read_scale(getattr(settings, field))))
    return scale is not None
