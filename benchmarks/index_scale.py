"""The outcome index at national scale: recall@10 against exact search, build time, peak memory,
query latency, at 100k, 1M and 3M vectors derived from real embeddings.

    python benchmarks/index_scale.py --real 100000 --sizes 100000 1000000 3000000

1. Embeds ``--real`` real learning outcomes from the shared data (Bloom EDM 2022, CS2013 and the
   VT catalogue's outcomes, in that order) with the default embedding backend.
2. For each size, in a fresh process (so that its peak RSS is its own): draws that many rows
   from the real vectors with replacement and perturbs each with Gaussian noise (norm about
   ``--noise``), renormalised: near duplicates around real outcomes, as a national catalogue
   of similar programmes has. Written to a memory-mapped file, as an index folder keeps them.
3. Builds the index the engine builds for that many rows (``build_faiss_index`` with the
   default settings: exact up to 200k rows, IVF-SQ8 rescored above), saves it, loads it back
   memory-mapped, and times single-outcome queries (k = 50, ``neighbours_per_outcome``) on 200
   other perturbed real vectors; recall@10 against exact brute-force search over the same rows.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from checkout import REPO

QUERIES = 200


def real_outcomes(data: Path, count: int) -> list[str]:
    def texts() -> itertools.chain[str]:
        files = [data / "bloom-edm2022-dev" / "outcomes.jsonl", data / "cs2013" / "outcomes.jsonl"]
        lines = (json.loads(line)["text"] for f in files for line in f.open(encoding="utf-8"))
        modules = data / "equivalence-vccs-vt" / "modules.jsonl"
        vt = (
            text
            for line in modules.open(encoding="utf-8")
            for text in json.loads(line).get("learning_outcomes") or []
        )
        return itertools.chain(lines, vt)

    unique = dict.fromkeys(t.strip() for t in texts() if t.strip())
    return list(itertools.islice(unique, count))


def derived(base: np.ndarray, rows: int, noise: float, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    picked = base[rng.integers(0, len(base), rows)]
    jitter = rng.normal(scale=noise / np.sqrt(base.shape[1]), size=picked.shape)
    vectors = (picked + jitter).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def child(base_file: Path, rows: int, noise: float, folder: Path) -> None:
    from recognition_engine.index import (
        DEFAULT_EXACT_MAX_ROWS,
        DEFAULT_NPROBE,
        FaissIndex,
        RescoredIndex,
        build_faiss_index,
    )

    base = np.load(base_file)
    path = folder / f"vectors-{rows}.npy"
    vectors = np.lib.format.open_memmap(path, mode="w+", dtype=np.float32, shape=(rows, 384))
    for start in range(0, rows, 200_000):
        stop = min(rows, start + 200_000)
        vectors[start:stop] = derived(base, stop - start, noise, seed=start)
    vectors.flush()
    vectors = np.load(path, mmap_mode="r")
    queries = derived(base, QUERIES, noise, seed=-1 % 2**32)

    started = time.perf_counter()
    index = build_faiss_index(vectors, exact_max_rows=DEFAULT_EXACT_MAX_ROWS, nprobe=DEFAULT_NPROBE)
    build = time.perf_counter() - started
    index.save(folder / f"index-{rows}.faiss")
    approximate = isinstance(index, RescoredIndex)
    del index
    loaded = FaissIndex.load(folder / f"index-{rows}.faiss", mmap=approximate)
    searched = RescoredIndex(loaded, vectors) if approximate else loaded

    latencies = []
    found = []
    for query in queries:
        begun = time.perf_counter()
        _, ids = searched.search(query[None, :], 50)
        latencies.append(time.perf_counter() - begun)
        found.append(ids[0, :10])
    exact = np.zeros((QUERIES, 10), dtype=np.int64)
    best = np.full((QUERIES, 10), -np.inf, dtype=np.float32)
    for start in range(0, rows, 200_000):
        scores = queries @ np.asarray(vectors[start : start + 200_000]).T
        merged_scores = np.hstack([best, scores])
        merged_ids = np.hstack(
            [exact, np.arange(start, start + scores.shape[1])[None, :].repeat(QUERIES, 0)]
        )
        top = np.argsort(-merged_scores, axis=1)[:, :10]
        best = np.take_along_axis(merged_scores, top, axis=1)
        exact = np.take_along_axis(merged_ids, top, axis=1)
    recall = float(np.mean([len(set(a) & set(b)) / 10 for a, b in zip(exact, found, strict=True)]))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "rows": rows,
                "index": "IVF-SQ8 rescored, mmap" if approximate else "exact flat",
                "recall@10": round(recall, 4),
                "build_s": round(build, 1),
                "peak_rss_mb": round(peak_mb),
                "query_p50_ms": round(float(np.percentile(latencies, 50)) * 1000, 2),
                "query_p99_ms": round(float(np.percentile(latencies, 99)) * 1000, 2),
                "index_mb": round((folder / f"index-{rows}.faiss").stat().st_size / 2**20),
            }
        ),
        flush=True,
    )
    for name in (f"vectors-{rows}.npy", f"index-{rows}.faiss"):
        (folder / name).unlink()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--real", type=int, default=100_000)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000, 3_000_000])
    parser.add_argument("--noise", type=float, default=0.35)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(Path(args.child[0]), int(args.child[1]), args.noise, Path(args.child[2]))
        return
    from recognition_engine.config import Settings
    from recognition_engine.models import create_embedder

    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}", flush=True)
    with tempfile.TemporaryDirectory() as folder:
        texts = real_outcomes(args.data, args.real)
        embedder = create_embedder(Settings(data_dir=Path(folder), _env_file=None), cached=False)
        started = time.perf_counter()
        base = embedder.embed(texts)
        seconds = time.perf_counter() - started
        print(
            f"embedded {len(texts)} real outcomes with {embedder.model_id} in {seconds:.0f} s "
            f"({len(texts) / seconds:.0f} texts/s)",
            flush=True,
        )
        np.save(Path(folder) / "base.npy", base)
        for rows in args.sizes:
            command = [sys.executable, __file__, "--noise", str(args.noise), "--child"]
            command += [str(Path(folder) / "base.npy"), str(rows), folder]
            subprocess.run(command, check=True)


if __name__ == "__main__":
    main()
