"""The shipped corpus: one degree programme and a set of micro-credentials to recognise toward it.

Everything here is illustrative and was written for this product: the institutions are
fictitious, and the modules and learning outcomes were written for the corpus rather than copied
from any real catalogue. The programme is a Georgian first-cycle Computer Engineering degree; the
credentials include the four micro-credentials planned for pilots in Georgia, one that deserves
only partial recognition, two meant to be stacked, and two that should not be recognised.
``credentials/expected.yaml`` records an evaluator's judgement of each, for tests and evaluation.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

CORPORA_DIR = Path(__file__).parent
PROGRAMMES_DIR = CORPORA_DIR / "programmes"
CREDENTIALS_DIR = CORPORA_DIR / "credentials"
DEMO_PROGRAMME = PROGRAMMES_DIR / "ge-computer-engineering-bsc.yaml"
EXPECTED_JUDGEMENTS = CREDENTIALS_DIR / "expected.yaml"


def credential_paths() -> list[Path]:
    """Return the micro-credential files, sorted by name (the judgements file is not one)."""
    return sorted(p for p in CREDENTIALS_DIR.glob("*.yaml") if p != EXPECTED_JUDGEMENTS)


def programme_paths() -> list[Path]:
    """Return the programme catalogue files, sorted by name."""
    return sorted(PROGRAMMES_DIR.glob("*.yaml"))


def judgements() -> list[dict[str, Any]]:
    """Return expected.yaml's judgements of single credentials, then of stacks."""
    data = yaml.safe_load(EXPECTED_JUDGEMENTS.read_text(encoding="utf-8"))
    return [*data["credentials"], *data["stacks"]]


def judged_programme(judgement: dict[str, Any]) -> Path:
    """Return the catalogue a judgement is made against (default: the demo programme)."""
    return PROGRAMMES_DIR / judgement["programme"] if "programme" in judgement else DEMO_PROGRAMME


def stacks() -> list[list[Path]]:
    """Return each group of credentials that expected.yaml says should be recognised together."""
    judgements = yaml.safe_load(EXPECTED_JUDGEMENTS.read_text(encoding="utf-8"))
    return [[CREDENTIALS_DIR / name for name in stack["files"]] for stack in judgements["stacks"]]
