"""Batch screening: many credentials × programmes through one runner, for `screen` and the API.

A *ledger* says which pairs are left and records each outcome once (``ledger.py``: a JSONL
file for ``screen``; the API keeps its own, backed by its database). A *worker* holds one
engine and the programmes and screens batches (``worker.py``). The runner (``runner.py``)
feeds the ledger's batches to workers in this process, or to Ray actors when configured, and
hands their outcomes back to the ledger.
"""

from recognition_engine.screening.ledger import (
    Job,
    JsonlLedger,
    Ledger,
    Outcome,
    credential_key,
    screened_keys,
)
from recognition_engine.screening.runner import (
    Executor,
    InProcess,
    OnRay,
    run,
    screen_locally,
    screen_on_ray,
)
from recognition_engine.screening.worker import ScreeningWorker, prepared_ahead

__all__ = [
    "Executor",
    "InProcess",
    "Job",
    "JsonlLedger",
    "Ledger",
    "OnRay",
    "Outcome",
    "ScreeningWorker",
    "credential_key",
    "prepared_ahead",
    "run",
    "screen_locally",
    "screen_on_ray",
    "screened_keys",
]
