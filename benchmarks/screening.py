"""Bulk screening throughput of the engine in one process, per embedding backend, side by side.

    python benchmarks/screening.py --credentials 200 --backends openvino torch [--profile]
    python benchmarks/screening.py --backends openvino --modes sequential pipelined

Each credential is a copy of a shipped corpus credential with texts no other copy shares, so
nothing comes from the cache. As the HTTP service's screening does, the texts of each batch
of ``--batch`` credentials are embedded in one call (``RecognitionEngine.prepare``), then each
credential is recognised against the shipped programme: ``pipelined`` (the default, as
``screen`` does) embeds the next batch while the current one is recognised, ``sequential``
does one after the other. Prints unique credentials/s (median of
``--repeats``, the backends taking turns), and the warm recognition latency (texts cached: the
matching, level estimate and decision alone). ``--profile`` prints where one run's time goes.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import corpora  # noqa: E402
from recognition_engine.config import Settings  # noqa: E402
from recognition_engine.distributed import prepared_ahead  # noqa: E402
from recognition_engine.domain import MicroCredential  # noqa: E402
from recognition_engine.errors import InvalidInput  # noqa: E402
from recognition_engine.ingestion.files import load_credentials, load_programme  # noqa: E402
from recognition_engine.service import RecognitionEngine  # noqa: E402


def corpus_credentials() -> list[MicroCredential]:
    found: list[MicroCredential] = []
    for path in corpora.credential_paths():
        try:
            found += load_credentials(path)
        except InvalidInput:
            continue
    return found


def unique_copies(count: int, tag: str) -> list[MicroCredential]:
    """``count`` credentials whose titles and outcomes no other copy shares."""
    base = corpus_credentials()
    copies = []
    for i in range(count):
        credential = base[i % len(base)]
        label = f"{tag}-{i}"
        copies.append(
            credential.model_copy(
                update={
                    "id": f"bench-{label}",
                    "title": f"{credential.title} ({label})",
                    "learning_outcomes": [
                        f"{text} ({label})" for text in credential.learning_outcomes
                    ],
                }
            )
        )
    return copies


def screen(  # noqa: ANN201
    engine: RecognitionEngine,
    credentials: list[MicroCredential],
    programme,  # noqa: ANN001
    batch: int,
    mode: str = "pipelined",
):
    batches: Iterable[list[MicroCredential]] = [
        credentials[start : start + batch] for start in range(0, len(credentials), batch)
    ]
    if mode == "pipelined":
        batches = prepared_ahead(batches, engine.prepare)
    for chunk in batches:
        if mode == "sequential":
            engine.prepare(chunk)
        for credential in chunk:
            engine.recognise([credential], programme)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--credentials", type=int, default=200)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--backends", nargs="+", default=["openvino", "torch"])
    parser.add_argument(
        "--modes", nargs="+", choices=["pipelined", "sequential"], default=["pipelined"]
    )
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}", flush=True)
    programme = load_programme(corpora.DEMO_PROGRAMME)
    with tempfile.TemporaryDirectory() as folder:
        engines = {}
        for backend in args.backends:
            settings = Settings(
                data_dir=Path(folder) / backend, embedding_backend=backend, _env_file=None
            )
            engines[backend] = RecognitionEngine(settings)
            engines[backend].index_programme(programme)
            screen(engines[backend], unique_copies(4, "warmup"), programme, args.batch)
        runs = [(backend, mode) for backend in engines for mode in args.modes]
        rates: dict[tuple[str, str], list[float]] = {run: [] for run in runs}
        # CPU seconds of this process per credential: less sensitive than the rate to other
        # jobs on a shared machine (2 cores fully used give about 2 CPU s per second).
        cpu: dict[tuple[str, str], list[float]] = {run: [] for run in runs}
        for repeat in range(args.repeats):
            for backend, mode in runs:
                credentials = unique_copies(args.credentials, f"{backend}-{mode}-{repeat}")
                started, cpu_started = time.perf_counter(), time.process_time()
                screen(engines[backend], credentials, programme, args.batch, mode)
                rates[backend, mode].append(len(credentials) / (time.perf_counter() - started))
                cpu[backend, mode].append((time.process_time() - cpu_started) / len(credentials))
        for backend, engine in engines.items():
            cached = unique_copies(9, f"{backend}-{args.modes[0]}-0")  # embedded in repeat 0
            latencies = []
            for _ in range(5):
                for credential in cached:
                    started = time.perf_counter()
                    engine.recognise([credential], programme)
                    latencies.append(time.perf_counter() - started)
            print(
                f"{backend}: warm recognition p50 {statistics.median(latencies) * 1000:.1f} ms, "
                f"p90 {statistics.quantiles(latencies, n=10)[-1] * 1000:.1f} ms",
                flush=True,
            )
        for backend, mode in runs:
            rate, spent = rates[backend, mode], cpu[backend, mode]
            print(
                f"{backend} {mode}: {statistics.median(rate):.1f} unique credentials/s "
                f"(runs: {', '.join(f'{r:.1f}' for r in rate)}; {args.credentials} "
                f"credentials, batches of {args.batch}; "
                f"{statistics.median(spent) * 1000:.0f} CPU ms per credential)",
                flush=True,
            )
        print(f"load average at the end {os.getloadavg()[0]:.1f}", flush=True)
        if args.profile:
            backend = args.backends[0]
            profiler = cProfile.Profile()
            profiler.enable()
            screen(
                engines[backend],
                unique_copies(args.credentials, "profile"),
                programme,
                64,
                args.modes[0],
            )
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
