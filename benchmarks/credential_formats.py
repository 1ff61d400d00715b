"""Time reading the example digital credentials from file to MicroCredential.

    python benchmarks/credential_formats.py [--formats ../shared/data/credential-formats]

Each figure is the median of --repeats reads of the whole file (read, detect, check the
signature, validate against the schema, map, report the elements); the first read of each
format, which also loads and compiles the schema, is shown apart as "first".
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

from recognition_engine.ingestion.files import load_credentials

FILES = (
    "edc-microcredential-example.json",
    "edc-microcredential-signed.jsonld",
    "ob3-microcredential-example.json",
)


def main() -> None:
    parser = argparse.ArgumentParser()
    default = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "credential-formats"
    parser.add_argument("--formats", type=Path, default=default)
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    for name in FILES:
        path = args.formats / name
        if not path.is_file():
            print(f"{name}: not found in {args.formats}")
            continue
        timings = []
        for _ in range(args.repeats + 1):
            started = time.perf_counter()
            [credential] = load_credentials(path)
            timings.append(time.perf_counter() - started)
        assert credential.provenance is not None
        print(
            f"{name} ({path.stat().st_size / 1000:.0f} kB, {credential.provenance.format.value}, "
            f"signature {credential.provenance.signature.value}): median "
            f"{statistics.median(timings[1:]) * 1000:.1f} ms over {args.repeats} reads, "
            f"first {timings[0] * 1000:.1f} ms"
        )


if __name__ == "__main__":
    main()
