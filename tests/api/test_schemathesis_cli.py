"""The schemathesis CLI, as an integrator would run it, against a real server: every check
(`--checks all`), every phase (examples, coverage, fuzzing, and the stateful phase that follows
the OpenAPI links from created ids), with an admin key, a raised rate limit and the shipped
programme loaded. Zero failures. Bounded by ``MAX_EXAMPLES`` so that it takes a minute or two.

    SCHEMATHESIS_HOOKS=schemathesis_hooks PYTHONPATH=tests/api \\
    st run http://127.0.0.1:PORT/openapi.json --checks all -H "X-API-Key: $KEY" \\
        --max-examples 10 --seed 1 --workers 1

The hooks give each generated request a fresh ``Idempotency-Key``, as a client does; left to
itself schemathesis sends one UUID with many bodies, which the service refuses (422) by design.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import httpx
from test_server import create_key, server

MAX_EXAMPLES = 10
SEED = 1  # the same cases each run: a failure here is reproducible with `st run ... --seed 1`


def schemathesis(url: str, key: str, report: Path) -> subprocess.CompletedProcess[str]:
    command = [
        sys.executable, "-m", "schemathesis.cli",
        # what the schema cannot say (schemathesis.toml says why)
        "--config-file", str(Path(__file__).with_name("schemathesis.toml")),
        "run", f"{url}/openapi.json",
        "--checks", "all",
        "-H", f"X-API-Key: {key}",
        "--max-examples", str(MAX_EXAMPLES),
        "--seed", str(SEED),
        # one worker: with two, schemathesis 4.32 on CPython 3.11 can fail inside its own code
        # (an AST recursion-depth SystemError while compiling schemas in parallel)
        "--workers", "1",
        "--report", "junit", "--report-junit-path", str(report),
        "--no-color",
    ]
    # a fresh Idempotency-Key for each call, as a client makes one (see schemathesis_hooks.py)
    env = os.environ | {
        "SCHEMATHESIS_HOOKS": "schemathesis_hooks",
        "PYTHONPATH": os.pathsep.join(
            [str(Path(__file__).parent), os.environ.get("PYTHONPATH", "")]
        ),
    }
    return subprocess.run(command, capture_output=True, text=True, timeout=540, env=env)


def test_schemathesis_finds_nothing(tmp_path: Path, programme: dict[str, Any]) -> None:
    data_dir = tmp_path / "var"
    key, _ = create_key(data_dir, "admin")
    with server(data_dir, api_rate_limit_per_minute=1_000_000) as (url, _):
        loaded = httpx.post(
            f"{url}/v1/programmes", json=programme, headers={"X-API-Key": key}, timeout=300
        )
        assert loaded.status_code == 201, loaded.text
        result = schemathesis(url, key, tmp_path / "schemathesis.xml")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-12_000:]
    for phase in ("Examples", "Coverage", "Fuzzing", "Stateful"):
        assert f"✅ {phase}" in output, output[-4_000:]
    suites = ElementTree.parse(tmp_path / "schemathesis.xml").getroot()
    assert int(suites.get("failures", 0)) == int(suites.get("errors", 0)) == 0
    assert int(suites.get("tests", 0)) >= 20  # every operation was run
