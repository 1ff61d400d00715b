"""Time indexing and recognition with the real model: the figures docs/evaluation.md quotes.

    python benchmarks/engine.py [--catalogue ../shared/data/equivalence-vccs-vt/modules.jsonl]
    python benchmarks/engine.py --catalogue A/modules.jsonl --catalogue B/credentials.jsonl ...

Cold = a new data folder (every text embedded); warm = a new engine over the saved index and
the embedding cache, as after a restart. Recognition: median of --repeats runs per credential.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

import corpora
from recognition_engine.config import Settings
from recognition_engine.ingestion.equivalence import read_records
from recognition_engine.ingestion.files import load_credentials, load_programme
from recognition_engine.service import RecognitionEngine, catalogue_entry

os.environ.setdefault("HF_HUB_OFFLINE", "1")


def timed(action):  # noqa: ANN001, ANN201
    started = time.perf_counter()
    result = action()
    return result, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--catalogue",
        type=Path,
        action="append",
        help="a modules.jsonl (or credentials.jsonl) to index as well; repeated: one catalogue",
    )
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(data_dir=Path(folder), _env_file=None)
        (engine, seconds) = timed(lambda: RecognitionEngine(settings))
        print(f"model load: {seconds:.1f} s")
        programme = load_programme(corpora.DEMO_PROGRAMME)
        report, cold = timed(lambda: engine.index_programme(programme))
        warm_engine = RecognitionEngine(settings)
        _, warm = timed(lambda: warm_engine.index_programme(programme))
        print(
            f"shipped programme ({report.modules} modules, {report.outcomes} outcomes): "
            f"index cold {cold:.1f} s, warm (from disk) {warm:.2f} s"
        )
        runs = []
        for path in corpora.credential_paths():
            credentials = load_credentials(path)
            warm_engine.recognise(credentials, programme)  # first call pays lazy loading
            for _ in range(args.repeats):
                runs.append(timed(lambda c=credentials: warm_engine.recognise(c, programme))[1])
        print(
            "recognition against the shipped programme: "
            f"median {statistics.median(runs) * 1000:.0f} ms, "
            f"p90 {statistics.quantiles(runs, n=10)[-1] * 1000:.0f} ms over {len(runs)} runs"
        )
        if args.catalogue:
            records = [
                record.model_copy(update={"id": f"{path.parent.name}/{record.id}"})
                for path in args.catalogue
                for record in read_records(path)
            ]
            entries, split = timed(lambda: [catalogue_entry(r.id, r) for r in records])  # type: ignore[arg-type]
            report, cold = timed(lambda: engine.index_entries("catalogue", entries))
            _, warm = timed(lambda: RecognitionEngine(settings).index_entries("catalogue", entries))
            texts = len({text for e in entries for text in (*e.outcomes, e.text, e.title)})
            names = " + ".join(str(path) for path in args.catalogue)
            print(
                f"catalogue {names} ({report.modules} modules, {report.outcomes} outcomes, "
                f"{texts} distinct texts): outcome extraction {split:.1f} s, index cold "
                f"{cold:.1f} s ({texts / cold:.0f} texts/s), warm (from disk) {warm:.2f} s"
            )


if __name__ == "__main__":
    main()
