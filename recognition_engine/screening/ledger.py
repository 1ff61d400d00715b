"""What a screening has left to do and what it has done: the ledger the runner reads and writes.

The runner asks a ledger for batches of jobs not yet recorded and gives it their outcomes; a
ledger records each job once however often an outcome comes back for it (a retried Ray batch,
two processes resuming the same screening), so a run stopped at any point and started again
ends with every job exactly once. ``JsonlLedger`` is `screen`'s: one JSON line per
credential × programme pair, fsynced, a line torn by a crash dropped at the next start.
"""

from __future__ import annotations

import json
import os
from collections.abc import Hashable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, cast

from tqdm import tqdm

from recognition_engine.domain import MicroCredential, Programme, RecognitionProposal
from recognition_engine.errors import RecognitionError


@dataclass(frozen=True)
class Job:
    """One credential (its JSON payload, as stored) to recognise against one programme."""

    key: Hashable  # the ledger's own name for the job
    credential: dict[str, Any]
    programme_id: str


@dataclass(frozen=True)
class Outcome:
    """What screening a job gave: a proposal, or the error that stopped it."""

    job: Job
    credential: MicroCredential | None  # None: the payload is not a valid credential
    proposal: RecognitionProposal | None = None
    error: Exception | None = None


class Ledger(Protocol):
    def batches(self, size: int) -> Iterator[list[Job]]:
        """The jobs not yet recorded, in batches of ``size``, each job once."""
        ...

    def record(self, outcomes: Sequence[Outcome]) -> int:
        """Record the outcomes of jobs not recorded yet; return how many were new."""
        ...


def credential_key(credential: MicroCredential) -> str:
    """The credential's id, or its content fingerprint when it has none."""
    return credential.id or f"sha256:{credential.content_fingerprint()}"


def screened_keys(output: Path) -> set[tuple[str, str]]:
    """Return the pairs already in ``output``; drop a last line left incomplete by a crash."""
    if not output.exists():
        return set()
    data = output.read_bytes()
    complete = data[: data.rfind(b"\n") + 1]
    if len(complete) != len(data):
        with output.open("r+b") as file:
            file.truncate(len(complete))
    keys = set()
    for line in complete.decode("utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            keys.add((record["credential_id"], record["programme_id"]))
    return keys


class JsonlLedger:
    """`screen`'s ledger: every credential × programme pair not yet in a JSONL file.

    Each line: ``{"credential_id", "programme_id", "status": "done" | "failed",
    "proposal" | "error"}``, appended and fsynced batch by batch.
    """

    def __init__(
        self,
        output: Path,
        credentials: Sequence[MicroCredential],
        programmes: Sequence[Programme],
        *,
        progress: bool = False,
    ) -> None:
        output.parent.mkdir(parents=True, exist_ok=True)
        self._written = screened_keys(output)
        unique: dict[tuple[str, str], Job] = {}
        for credential in credentials:
            payload = credential.model_dump(mode="json")
            for programme in programmes:
                key = (credential_key(credential), programme.id)
                unique.setdefault(key, Job(key, payload, programme.id))
        self.jobs = [job for key, job in unique.items() if key not in self._written]
        self._file = output.open("a", encoding="utf-8")
        self._bar = tqdm(total=len(self.jobs), desc="screening", unit="pair", disable=not progress)
        self.count = 0

    def batches(self, size: int) -> Iterator[list[Job]]:
        for start in range(0, len(self.jobs), size):
            yield self.jobs[start : start + size]

    def record(self, outcomes: Sequence[Outcome]) -> int:
        new = 0
        for outcome in outcomes:
            if outcome.job.key in self._written:
                continue  # a retried batch returned it again
            self._file.write(json.dumps(_line(outcome), ensure_ascii=False, sort_keys=True) + "\n")
            self._written.add(outcome.job.key)  # type: ignore[arg-type]
            new += 1
        self._file.flush()
        os.fsync(self._file.fileno())
        self.count += new
        self._bar.update(new)
        return new

    def close(self) -> None:
        self._bar.close()
        self._file.close()


def _line(outcome: Outcome) -> dict[str, Any]:
    credential_id, programme_id = cast(tuple[str, str], outcome.job.key)
    record: dict[str, Any] = {"credential_id": credential_id, "programme_id": programme_id}
    if outcome.proposal is not None:
        return record | {"status": "done", "proposal": outcome.proposal.model_dump(mode="json")}
    error = outcome.error
    if isinstance(error, RecognitionError):
        return record | {"status": "failed", "error": f"{type(error).__name__}: {error}"}
    # an unexpected error's message may quote the credential: its type alone
    return record | {"status": "failed", "error": type(error).__name__}
