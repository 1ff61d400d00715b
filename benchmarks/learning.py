"""Time learning from decisions and a warm recognition with the learned model.

    python benchmarks/learning.py ../shared/data/equivalence-vccs-vt [--decisions 1000]

Builds the equivalence set's candidate pool once (the embedding cache makes this fast when
warm; its time is printed apart), then times ``train_model`` — precedents, the LambdaRank
ranker with its inner folds, the calibration, the has-an-equivalent model, the tiers and the
model card — on the set's own decided credentials (those judged to have no equivalent too)
and on ``--decisions`` decided credentials drawn from them with replacement (each draw a
distinct credential id, so the memory and the inner folds see as many decisions as a customer
with that many would give; the texts repeat, which it says). Then the median time
to rank one credential with the learned model (candidates, features, ranker, confidence).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from dataclasses import replace
from pathlib import Path

from evaluation.datasets import load_retrieval_task
from evaluation.protocols import CandidatePool
from recognition_engine.config import Settings
from recognition_engine.learning.features import Course
from recognition_engine.learning.model import train_model
from recognition_engine.models import create_embedder

os.environ.setdefault("HF_HUB_OFFLINE", "1")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("dataset", type=Path)
    parser.add_argument("--decisions", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    settings = Settings()
    task = load_retrieval_task(args.dataset)
    started = time.perf_counter()
    pool = CandidatePool(task, create_embedder(settings), settings)
    elapsed = time.perf_counter() - started
    print(f"candidate pool (index + every credential matched): {elapsed:.0f} s")
    decided = [pool.gold_decided(c.id) for c in task.credentials]
    draw = random.Random(3)
    resampled = []
    for n in range(args.decisions):
        item = draw.choice(decided)
        resampled.append(replace(item, course=Course(f"{item.course.key}#{n}", item.course.title)))
    for label, items in (("the set's own", decided), ("resampled", resampled)):
        times = []
        for _ in range(args.repeats):
            started = time.perf_counter()
            model = train_model(items, pool.courses, pool.lexical)
            times.append(time.perf_counter() - started)
        decisions = len(model.memory)
        print(f"learn, {label} {len(items)} credentials ({decisions} decisions): "
              f"median {statistics.median(times):.1f} s of {args.repeats}")
    queries = [pool.decided(cid, {}) for cid in task.credentials_with_match[:100]]
    times = []
    for query in queries:
        started = time.perf_counter()
        model.rank(query, pool.courses, pool.lexical)
        times.append(time.perf_counter() - started)
    print(f"rank one credential with the learned model (after matching): "
          f"p50 {1000 * statistics.median(times):.1f} ms over {len(times)}")


if __name__ == "__main__":
    main()
