"""Command `adapt`: fine-tune the embedding model on an institution's accepted decisions."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from cli.common import console, handles_errors, load_settings


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
    multilingual: Annotated[
        bool,
        typer.Option(
            "--multilingual",
            help="Fine-tune multilingual-e5-small (RECOGNITION_MULTILINGUAL_MODEL_PATH) instead "
            "of the English model.",
        ),
    ] = False,
) -> None:
    """Fine-tune the embedding model on accepted recognition decisions (in-batch negatives)."""
    from recognition_engine.ingestion.equivalence import load_equivalence_set
    from recognition_engine.models import bundled_model_path
    from recognition_engine.models.adaptation import accepted_pairs, adapt_model
    from recognition_engine.models.factory import multilingual_folder

    settings = load_settings()
    pairs = accepted_pairs(load_equivalence_set(dataset))
    if multilingual:
        base, setting = multilingual_folder(settings), "RECOGNITION_MULTILINGUAL_MODEL_PATH"
    else:
        base, setting = settings.model_path or bundled_model_path(), "RECOGNITION_MODEL_PATH"
    start = time.perf_counter()
    console.print(f"fine-tuning {base.name} on {len(pairs)} accepted pairs")
    adapt_model(pairs, base, out, epochs=epochs, batch_size=batch_size, seed=seed)
    console.print(
        f"adapted model: {out} ({time.perf_counter() - start:.0f} s); use it with {setting}={out}"
    )
