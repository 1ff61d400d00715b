"""Peak resident memory (VmHWM) of the server with the shipped programme, and of the engine with
a 1M-outcome catalogue index.

    python benchmarks/memory.py --server            # HTTP server, shipped programme
    python benchmarks/memory.py --rows 1000000      # engine process, 1M-outcome index

``--server``: starts ``recognition-engine serve`` on a fresh data folder (default settings),
registers the shipped programme, sends a recognition for each corpus credential, and reads the
server's VmHWM from /proc.

``--rows``: a process with the engine's model loaded and a catalogue index of that many outcome
vectors (``--rows`` / 3 modules of 3 outcomes; vectors drawn from 2,000 embedded real outcomes
of the shared data and perturbed, as in ``index_scale.py``), saved by ``CatalogueIndex.save``
and loaded back as the server would (memory-mapped above ``index_exact_max_rows``), then 50
credential matchings against it; prints that process's VmHWM, and the matching time with the
whole-text and title indexes against scanning every module's vectors, taking turns.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from checkout import REPO


def peak_mb(pid: int | str = "self") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM")


def server() -> None:
    import httpx
    import load_api

    with (
        tempfile.TemporaryDirectory(prefix="memory-") as folder,
        load_api.serving(Path(folder), "sentence-transformers", None, "memory benchmark") as up,
    ):
        url, key, process = up.url, up.key, up.process
        idle = peak_mb(process.pid)

        async def run() -> None:
            async with httpx.AsyncClient(
                base_url=url, headers={"X-API-Key": key}, timeout=600
            ) as http:
                programme = load_api.load_programme(load_api.PROGRAMME).model_dump(mode="json")
                (await http.post("/v1/programmes", json=programme)).raise_for_status()
                for i, credential in enumerate(load_api.corpus_credentials()):
                    created = await http.post(
                        "/v1/credentials", json=load_api.unique_copy(credential, f"m{i}")
                    )
                    created.raise_for_status()
                    body = {
                        "programme_id": programme["id"],
                        "credential_ids": [created.json()["id"]],
                    }
                    (await http.post("/v1/recognitions", json=body)).raise_for_status()

        asyncio.run(run())
        print(
            f"server: VmHWM {idle:.0f} MB after start-up, {peak_mb(process.pid):.0f} MB after "
            "indexing the shipped programme and one recognition per corpus credential"
        )


def build_catalogue(rows: int, folder: Path) -> None:
    """Save a catalogue index of ``rows`` derived outcome vectors into ``folder``/catalogue."""
    from index_scale import derived, real_outcomes

    from recognition_engine.config import Settings
    from recognition_engine.index import (
        CatalogueEntry,
        CatalogueIndex,
        build_faiss_index,
        module_indexes,
    )
    from recognition_engine.models import create_embedder

    settings = Settings(data_dir=folder, _env_file=None)
    embedder = create_embedder(settings, cached=False)
    base = embedder.embed(real_outcomes(REPO.parent / "shared" / "data", 2_000))
    modules = rows // 3
    entries = [
        CatalogueEntry(f"M{i}", f"module {i}", (f"a{i}", f"b{i}", f"c{i}"), f"module {i}")
        for i in range(modules)
    ]
    vectors = derived(base, modules * 3, 0.35, seed=1)
    index = build_faiss_index(
        vectors, exact_max_rows=settings.index_exact_max_rows, nprobe=settings.index_nprobe
    )
    texts, titles = derived(base, modules, 0.35, seed=2), derived(base, modules, 0.35, seed=3)
    catalogue = CatalogueIndex(
        entries,
        vectors,
        texts,
        titles,
        index,
        model_id=embedder.model_id,
        backend="faiss",
        modules=module_indexes(
            texts,
            titles,
            exact_max_rows=settings.index_exact_max_rows,
            nprobe=settings.index_nprobe,
        ),
    )
    catalogue.save(folder / "catalogue")
    np.save(folder / "queries.npy", derived(base, 50 * 8, 0.35, seed=4))


def engine_with_index(folder: Path) -> None:
    from recognition_engine.config import Settings
    from recognition_engine.index import CatalogueIndex
    from recognition_engine.matching import MatchParams, match_vectors
    from recognition_engine.service import RecognitionEngine

    settings = Settings(data_dir=folder, _env_file=None)
    engine = RecognitionEngine(settings)  # the model, as the server holds it
    started = time.perf_counter()
    catalogue = CatalogueIndex.load(folder / "catalogue", model_id=engine.embedder.model_id)
    loaded = time.perf_counter() - started
    queries = np.load(folder / "queries.npy").reshape(50, 8, -1)
    params = MatchParams.from_settings(settings)

    def matched() -> tuple[float, list[list[str]]]:
        """Milliseconds per credential, and each credential's ten best modules."""
        started = time.perf_counter()
        found = [match_vectors(q, q[0], q[1], catalogue, params) for q in queries]
        elapsed = (time.perf_counter() - started) / len(queries) * 1000
        return elapsed, [[match.key for match in matches[:10]] for matches in found]

    indexes = catalogue.modules
    indexed, best_indexed = matched()
    peak = peak_mb()  # before any scan maps every module vector in
    # Side by side, taking turns: candidates by the module indexes, then by scanning every
    # module's text and title vector (the path below index_exact_max_rows modules).
    timings: dict[str, list[float]] = {"indexed": [indexed], "scanned": []}
    for turn in range(3):
        catalogue.modules = None
        scanned, best_scanned = matched()
        timings["scanned"].append(scanned)
        catalogue.modules = indexes
        if turn < 2:
            timings["indexed"].append(matched()[0])
    same = np.mean([a == b for a, b in zip(best_indexed, best_scanned, strict=True)])
    print(
        json.dumps(
            {
                "outcomes": catalogue.index.size,
                "modules": len(catalogue.entries),
                "index": type(catalogue.index).__name__,
                "module_indexes": indexes is not None,
                "load_s": round(loaded, 1),
                "matching_ms_per_credential": {
                    mode: [round(ms, 1) for ms in runs] for mode, runs in timings.items()
                },
                "same_ten_best_modules_as_scanning": round(float(same), 3),
                "vmhwm_mb": round(peak),
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", action="store_true")
    parser.add_argument("--rows", type=int)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}", flush=True)
    if args.child:
        engine_with_index(args.child)
        return
    if args.server:
        server()
    if args.rows:
        with tempfile.TemporaryDirectory(prefix="memory-") as folder:
            build_catalogue(args.rows, Path(folder))
            subprocess.run([sys.executable, __file__, "--child", folder], check=True)


if __name__ == "__main__":
    main()
