"""Does fine-tuning the multilingual model on English decisions carry to Georgian and Armenian?

``python -m evaluation.experiments.multilingual_transfer ../shared/data/equivalence-vccs-vt
tests/fixtures/equivalence-vt-translated [--negatives 1] [--epochs 2] [--batch-size 16]
[--freeze-embeddings] [--fine-tune e5,minilm] [--backend openvino] [--out FOLDER]``

The translated credentials are Georgian and Armenian translations of some of the set's English
credentials (their ``source_id``). multilingual-e5-small is fine-tuned as
``recognition-engine adapt --multilingual`` fine-tunes it, on the accepted decisions of every
other credential of the set (the sources and their translations are held out), each with hard
negatives from the base model's ranking. The held-out credentials, in English, Georgian and
Armenian, are then ranked against the whole English catalogue by the engine's cold score (the
mean of whole-text and title cosine, ``query: `` credential, ``passage: `` module) with the
base and with the fine-tuned model, and P@1 and MRR@10 printed side by side, with the English
model (MiniLM) on the English originals for reference: the deployment reads English pairs with
it; with ``--fine-tune minilm``, MiniLM is fine-tuned on the same decisions too, as an
institution that fine-tunes both would read its English credentials. Every figure comes from
the same held-out credentials.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from evaluation.datasets import ItemText, Qrels, item_text
from evaluation.metrics import ranking_metrics
from evaluation.rankers import DEPTH
from recognition_engine.config import Settings
from recognition_engine.ingestion.equivalence import (
    load_equivalence_set,
    read_qrels,
    read_records,
)
from recognition_engine.learning.hard_negatives import (
    HARD_NEGATIVES,
    examples,
    text_and_title_scores,
    top_keys,
)
from recognition_engine.models import Embedder, create_embedder, create_multilingual_embedder
from recognition_engine.models.adaptation import adapt_model
from recognition_engine.models.factory import multilingual_folder
from recognition_engine.models.torch_backend import bundled_model_path


def figures(scores: np.ndarray, rows: Sequence[ItemText], keys: Sequence[str], gold: Qrels) -> dict:
    """Return P@1 and MRR@10 of ``scores`` (rows: credentials, columns: ``keys``)."""
    run = {}
    for row, item in enumerate(rows):
        top = np.argsort(-scores[row], kind="stable")[:DEPTH]
        run[item.id] = {keys[j]: float(scores[row, j]) for j in top}
    means = ranking_metrics(run, {item.id: gold[item.id] for item in rows})
    return {"P@1": round(means["P@1"], 3), "MRR@10": round(means["MRR@10"], 3)}


def scored(
    query: Embedder, passage: Embedder, credentials: Sequence[ItemText], modules: Sequence[ItemText]
) -> np.ndarray:
    return text_and_title_scores(
        query,
        passage,
        [(c.text, c.title) for c in credentials],
        [(m.text, m.title) for m in modules],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dataset", type=Path)
    parser.add_argument("translations", type=Path)
    parser.add_argument("--negatives", type=int, default=HARD_NEGATIVES)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--freeze-embeddings", action="store_true")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--backend", default="openvino", help="what embeds, both models alike")
    parser.add_argument("--out", type=Path, help="keep the fine-tuned models in this folder")
    parser.add_argument(
        "--fine-tune",
        default="e5",
        help="comma-separated, what is fine-tuned: e5 (the multilingual model), minilm (the "
        "English one, for the English reference)",
    )
    args = parser.parse_args()

    dataset = load_equivalence_set(args.dataset)
    modules = [item_text(m) for m in dataset.modules]
    keys = [m.id for m in modules]
    gold: Qrels = dataset.gold()
    translated = read_records(args.translations / "credentials.jsonl")
    for qrel in read_qrels(args.translations / "qrels.tsv"):
        gold.setdefault(qrel.credential_id, {})[qrel.module_id] = qrel.relevance
    sources = {str(r.model_extra.get("source_id")) for r in translated if r.model_extra}
    english = [item_text(c) for c in dataset.credentials]
    groups: dict[str, list[ItemText]] = {"en": [c for c in english if c.id in sources]}
    for record in translated:
        groups.setdefault(record.language or "?", []).append(item_text(record))
    training = [c for c in english if c.id not in sources and gold.get(c.id)]

    settings = Settings(
        embedding_backend=args.backend, multilingual_model="e5-small", _env_file=None
    )
    rows: dict[str, dict[str, dict]] = {}

    def measure(name: str, query: Embedder, passage: Embedder, read: Sequence[str]) -> np.ndarray:
        """Score every credential with the pair of embedders, print the groups in ``read``,
        return the training credentials' scores (their hard negatives)."""
        started = time.perf_counter()
        credentials = [*training, *(c for group in read for c in groups[group])]
        row_of = {c.id: row for row, c in enumerate(credentials)}
        scores = scored(query, passage, credentials, modules)
        rows[name] = {
            group: figures(scores[[row_of[c.id] for c in groups[group]]], groups[group], keys, gold)
            for group in read
        }
        print(json.dumps({name: rows[name]}), f"{time.perf_counter() - started:.0f} s", flush=True)
        return scores[: len(training)]

    def fine_tune(base: Path, base_scores: np.ndarray, out: Path) -> Path:
        """``base`` fine-tuned on the training credentials' decisions, as ``adapt`` does."""
        ranking = dict(zip((c.id for c in training), top_keys(base_scores, keys), strict=True))
        accepted = {c.id: [m for m, rel in sorted(gold[c.id].items()) if rel > 0] for c in training}
        module_text = {m.id: m.text for m in modules}
        credential_text = {c.id: c.text for c in training}
        if args.negatives:
            pairs = examples(accepted, credential_text, module_text, ranking, args.negatives)
        else:  # in-batch negatives alone
            pairs = [
                (credential_text[c], module_text[m]) for c, ids in accepted.items() for m in ids
            ]
        started = time.perf_counter()
        adapt_model(
            pairs,
            base,
            out,
            epochs=args.epochs,
            batch_size=args.batch_size,
            freeze_embeddings=args.freeze_embeddings,
            checkpoint_activations=True,  # on a CPU the activations of long texts fill the memory
        )
        print(
            f"{base.name} fine-tuned on {len(pairs)} examples: "
            f"{time.perf_counter() - started:.0f} s",
            flush=True,
        )
        return out

    english_only = ["en"]
    with tempfile.TemporaryDirectory(prefix="transfer-") as scratch:
        out = args.out or Path(scratch)
        minilm = create_embedder(settings)
        base_scores = measure("MiniLM (the English model)", minilm, minilm, english_only)
        tuned_models = set(args.fine_tune.split(","))
        if "minilm" in tuned_models:
            folder = fine_tune(bundled_model_path(), base_scores, out / "minilm")
            adapted = create_embedder(settings.model_copy(update={"model_path": folder}))
            measure("MiniLM fine-tuned", adapted, adapted, english_only)
        base = [create_multilingual_embedder(settings, role) for role in ("query", "passage")]
        base_scores = measure("multilingual-e5-small", *base, list(groups))
        if "e5" in tuned_models:
            folder = fine_tune(multilingual_folder(settings), base_scores, out / "e5")
            tuned = settings.model_copy(update={"multilingual_model_path": folder})
            adapted = [create_multilingual_embedder(tuned, role) for role in ("query", "passage")]
            measure("multilingual-e5-small fine-tuned", *adapted, list(groups))
    setup = (
        f"{len(training)} credentials trained on, {args.negatives} hard negatives, "
        f"{args.epochs} epochs of batches of {args.batch_size}, token embeddings "
        f"{'frozen' if args.freeze_embeddings else 'trained'}, read on {args.backend}"
    )
    print(setup)
    for name, row in rows.items():
        print(
            f"{name:>36}: "
            + "  ".join(f"{group} {v['P@1']:.3f} / {v['MRR@10']:.3f}" for group, v in row.items())
        )


if __name__ == "__main__":
    main()
