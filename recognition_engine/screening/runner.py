"""The batch runner: a ledger's jobs through screening workers, in this process or on Ray.

``run`` reads batches from a ledger, has an executor screen them and gives each list of
outcomes back to the ledger, which records every job once. ``InProcess`` screens with the
engine this process holds, embedding the next batch while the current one is recognised;
``OnRay`` sends batches to Ray actors that each load the model and the programmes' indexes
once, and that Ray restarts (and retries their batches) when one dies. ``ray`` is imported
only when used: it is the optional extra ``[ray]``.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import closing
from pathlib import Path
from typing import Any, Protocol

from recognition_engine.config import Settings
from recognition_engine.domain import MicroCredential, Programme
from recognition_engine.screening.ledger import Job, JsonlLedger, Ledger, Outcome
from recognition_engine.screening.worker import ScreeningWorker, prepared_ahead


class Executor(Protocol):
    def screen(self, batches: Iterator[list[Job]]) -> Generator[list[Outcome], None, None]:
        """The outcomes of the batches' jobs, list by list, as they are screened."""
        ...


class InProcess:
    """Screens with a worker in this process; yields outcomes ``commit_every`` at a time."""

    def __init__(self, worker: ScreeningWorker, commit_every: int | None = None) -> None:
        self.worker = worker
        self.commit_every = commit_every

    def screen(self, batches: Iterator[list[Job]]) -> Generator[list[Outcome], None, None]:
        worker = self.worker
        parsed = ((jobs, worker.parse(jobs)) for jobs in batches)
        for jobs, credentials in prepared_ahead(parsed, lambda item: worker.prepare(item[1])):
            step = self.commit_every or len(jobs)
            for start in range(0, len(jobs), step):
                chunk = zip(
                    jobs[start : start + step], credentials[start : start + step], strict=True
                )
                yield [worker.recognise(job, credential) for job, credential in chunk]


class OnRay:
    """Screens on Ray actors: ``RAY_ADDRESS``'s cluster when set, else a local Ray of
    ``workers`` CPUs. The programmes are indexed once here first, so that the actors load the
    saved indexes instead of each building them (on one machine, or nodes sharing data_dir)."""

    def __init__(
        self,
        settings: Settings,
        programmes: Sequence[Programme],
        workers: int = 2,
        worker_class: Callable[..., Any] = ScreeningWorker,
        *,
        indexed: bool = False,
    ) -> None:
        """``indexed``: the programmes' indexes are saved in data_dir already."""
        self.settings = settings
        self.indexed = indexed
        self.programmes = list(programmes)
        self.workers = workers
        self.worker_class = worker_class

    def screen(self, batches: Iterator[list[Job]]) -> Generator[list[Outcome], None, None]:
        import ray

        pending_batches = list(batches)
        if not pending_batches:
            return
        if not self.indexed:
            from recognition_engine.service import RecognitionEngine

            indexer = RecognitionEngine(self.settings)
            for programme in self.programmes:
                indexer.index_programme(programme)
            del indexer
        started_here = not ray.is_initialized()
        if started_here:
            if os.environ.get("RAY_ADDRESS"):
                ray.init(include_dashboard=False, log_to_driver=False)
            else:
                ray.init(num_cpus=self.workers, include_dashboard=False, log_to_driver=False)
        try:
            actor = ray.remote(num_cpus=1, max_restarts=-1, max_task_retries=-1)(self.worker_class)
            settings_json = self.settings.model_dump_json()
            programmes_json = [p.model_dump_json() for p in self.programmes]
            actors = [actor.remote(settings_json, programmes_json) for _ in range(self.workers)]
            pending = [
                actors[i % self.workers].screen.remote(jobs)
                for i, jobs in enumerate(pending_batches)
            ]
            while pending:
                ready, pending = ray.wait(pending, num_returns=1)
                yield ray.get(ready[0])
        finally:
            if started_here:
                ray.shutdown()


def run(
    ledger: Ledger,
    executor: Executor,
    *,
    batch_size: int = 64,
    stopping: threading.Event | None = None,
) -> int:
    """Screen the ledger's jobs not yet recorded; return how many outcomes it recorded.

    With ``stopping``, returns once it is set, after the outcomes in hand are recorded: the
    jobs left are the ledger's at the next run.
    """
    written = 0
    with closing(executor.screen(ledger.batches(batch_size))) as screened:
        for outcomes in screened:
            written += ledger.record(outcomes)
            if stopping is not None and stopping.is_set():
                break
    return written


def screen_locally(
    settings: Settings,
    credentials: Sequence[MicroCredential],
    programmes: Sequence[Programme],
    output: Path,
    *,
    batch_size: int = 64,
    progress: bool = False,
) -> int:
    """Screen into ``output`` the pairs not yet there, in this process; return how many."""
    ledger = JsonlLedger(output, credentials, programmes, progress=progress)
    try:
        if not ledger.jobs:
            return 0
        worker = ScreeningWorker(
            settings.model_dump_json(), [p.model_dump_json() for p in programmes]
        )
        return run(ledger, InProcess(worker), batch_size=batch_size)
    finally:
        ledger.close()


def screen_on_ray(
    settings: Settings,
    credentials: Sequence[MicroCredential],
    programmes: Sequence[Programme],
    output: Path,
    *,
    workers: int = 2,
    batch_size: int = 64,
    progress: bool = False,
    worker_class: Callable[..., Any] = ScreeningWorker,
) -> int:
    """Screen into ``output`` the pairs not yet there, on Ray actors; return how many."""
    ledger = JsonlLedger(output, credentials, programmes, progress=progress)
    try:
        executor = OnRay(settings, programmes, workers, worker_class)
        return run(ledger, executor, batch_size=batch_size)
    finally:
        ledger.close()
