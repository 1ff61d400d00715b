"""Torch fp32 against the ONNX Runtime and OpenVINO variants, side by side in one run.

    python benchmarks/embedding_backends.py --data ../shared/data [--distractors 1000]

For each variant (``Settings.embedding_backend``):
  * texts/s, uncached, for short outcomes (bloom-edm2022-dev) and long descriptions (the VT
    catalogue's); the variants take turns within each repeat, so machine load hits all alike;
    median of ``--repeats``;
  * P@1 and MRR@10 of the harness's default ranker (``EngineRanker``: the engine's own
    matching) on the VCCS → VT decisions, every credential, against a candidate pool of every
    gold module plus ``--distractors`` other modules drawn with a fixed seed (the whole
    5,005-module catalogue costs about 25k texts per variant, too many for torch on 2 cores);
  * top-1 neighbour agreement with torch: for each credential outcome, is its nearest module
    outcome in the pool the same one torch finds.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
from checkout import REPO

from evaluation.datasets import RetrievalTask, load_retrieval_task
from evaluation.metrics import ranking_metrics
from evaluation.rankers import EngineRanker
from recognition_engine.config import Settings
from recognition_engine.matching import credential_text
from recognition_engine.models import Embedder, create_embedder

VARIANTS = ("torch", "onnx", "onnx-int8", "openvino")


def reduced_task(task: RetrievalTask, distractors: int, seed: int = 13) -> RetrievalTask:
    """The task with every gold module and ``distractors`` others as the candidate pool."""
    gold_ids = {module for judged in task.gold.values() for module in judged}
    others = [m for m in task.modules if m.id not in gold_ids]
    chosen = {m.id for m in random.Random(seed).sample(others, min(distractors, len(others)))}
    modules = tuple(m for m in task.modules if m.id in gold_ids or m.id in chosen)
    return replace(task, modules=modules)


def throughput(embedders: dict[str, Embedder], texts: list[str], repeats: int) -> dict[str, float]:
    """Median texts/s of each embedder; the embedders take turns within each repeat."""
    seconds: dict[str, list[float]] = {name: [] for name in embedders}
    for embedder in embedders.values():
        embedder.embed(texts[:8])  # warm up
    for _ in range(repeats):
        for name, embedder in embedders.items():
            started = time.perf_counter()
            embedder.embed(texts)
            seconds[name].append(time.perf_counter() - started)
    return {name: len(texts) / statistics.median(values) for name, values in seconds.items()}


def credential_texts(task: RetrievalTask) -> list[str]:
    """Every text the default ranker embeds for the task's credentials."""
    texts: list[str] = []
    for credential in task.credentials:
        whole = credential_text(credential.title, credential.outcomes)
        texts += [*credential.outcomes, whole, credential.title]
    return texts


def top1_neighbours(embedder: Embedder, task: RetrievalTask) -> np.ndarray:
    queries = [o for c in task.credentials for o in c.outcomes]
    targets = [o for m in task.modules for o in m.outcomes]
    return np.argmax(embedder.embed(queries) @ embedder.embed(targets).T, axis=1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--distractors", type=int, default=1000)
    parser.add_argument("--short", type=int, default=512, help="short outcomes timed")
    parser.add_argument("--long", type=int, default=128, help="long descriptions timed")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--variants", nargs="+", default=list(VARIANTS))
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}", flush=True)

    with tempfile.TemporaryDirectory() as folder:
        embedders: dict[str, Embedder] = {}
        settings: dict[str, Settings] = {}
        for variant in args.variants:
            settings[variant] = Settings(
                data_dir=Path(folder) / variant, embedding_backend=variant, _env_file=None
            )
            started = time.perf_counter()
            embedders[variant] = create_embedder(settings[variant], cached=False)
            print(
                f"{variant}: load (with export) {time.perf_counter() - started:.1f} s", flush=True
            )

        outcomes_file = args.data / "bloom-edm2022-dev" / "outcomes.jsonl"
        with outcomes_file.open(encoding="utf-8") as lines:
            short = [json.loads(line)["text"] for line in itertools.islice(lines, args.short)]
        vt = load_retrieval_task(args.data / "equivalence-vccs-vt")
        long = [m.text for m in vt.modules if len(m.text) > 600][: args.long]
        speed_short = throughput(embedders, short, args.repeats)
        speed_long = throughput(embedders, long, args.repeats)
        print(
            f"short: {len(short)} texts, mean {statistics.mean(map(len, short)):.0f} chars; "
            f"long: {len(long)} texts, mean {statistics.mean(map(len, long)):.0f} chars",
            flush=True,
        )

        task = reduced_task(vt, args.distractors)
        print(f"VT pool: {len(task.modules)} modules, {len(task.credentials)} credentials")
        quality: dict[str, dict[str, float]] = {}
        neighbours: dict[str, np.ndarray] = {}
        for variant in embedders:
            # cached within the variant: the ranker and the agreement check share the vectors
            cached = create_embedder(settings[variant])
            started = time.perf_counter()
            cached.embed(credential_texts(task))  # in batches, as bulk screening does
            run = EngineRanker(cached, settings[variant]).rank(task)
            quality[variant] = ranking_metrics(run, task.gold)
            neighbours[variant] = top1_neighbours(cached, task)
            print(f"{variant}: VT ranking {time.perf_counter() - started:.0f} s", flush=True)

    reference = neighbours.get("torch")
    print(
        "\n| variant | short texts/s | long texts/s | P@1 | MRR@10 | top-1 agreement with torch |"
    )
    print("|---|---|---|---|---|---|")
    for variant in embedders:
        agreement = (
            f"{float(np.mean(neighbours[variant] == reference)):.3f}"
            if reference is not None
            else "n/a"
        )
        print(
            f"| {variant} | {speed_short[variant]:.0f} | {speed_long[variant]:.1f} "
            f"| {quality[variant]['P@1']:.3f} | {quality[variant]['MRR@10']:.3f} | {agreement} |"
        )


if __name__ == "__main__":
    main()
