"""Pre-screening many credentials against many programmes, in one process or on Ray.

Every credential × programme pair gives one JSONL line: ``{"credential_id", "programme_id",
"status": "done" | "failed", "proposal" | "error"}``. The output is resumable: pairs already in
the file are skipped, a line torn by a crash is dropped, and the writer (the driver, alone)
writes each pair once however often a retried worker returns it. So a run killed at any
point and started again, or a worker that dies mid-batch and is restarted by Ray, ends with
every pair exactly once.

On Ray, each worker is an actor that loads the model and the programmes' indexes once, then
screens batches of pairs; Ray restarts a dead actor and retries its unfinished batches
(``max_restarts``, ``max_task_retries``). ``ray`` is imported only here and only when used:
it is the optional extra ``[ray]``.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from tqdm import tqdm

from recognition_engine.config import Settings
from recognition_engine.domain import MicroCredential, Programme
from recognition_engine.errors import RecognitionError

logger = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True)
class Pair:
    """One credential to recognise against one programme."""

    credential: MicroCredential
    programme_id: str

    @property
    def key(self) -> tuple[str, str]:
        return credential_key(self.credential), self.programme_id


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


class ScreeningWorker:
    """Holds one engine, its model and the programmes' indexes, and screens batches of pairs.

    A plain class: ``screen_on_ray`` makes it a Ray actor, ``screen_locally`` calls it in-process.
    """

    def __init__(self, settings_json: str, programmes_json: Sequence[str]) -> None:
        from recognition_engine.service import RecognitionEngine

        self.engine = RecognitionEngine(Settings.model_validate_json(settings_json))
        self.programmes = {}
        for text in programmes_json:
            programme = Programme.model_validate_json(text)
            self.engine.index_programme(programme)  # loads the saved index when up to date
            self.programmes[programme.id] = programme

    def screen(self, batch: Sequence[tuple[str, str]]) -> list[dict[str, Any]]:
        """Return one record per (credential JSON, programme id) of the batch, in its order."""
        credentials = parsed_credentials(batch)
        self.prepare(credentials)
        return self.recognise_all(credentials, batch)

    def prepare(self, credentials: Sequence[MicroCredential]) -> None:
        """Embed the batch's texts in one model call."""
        try:
            self.engine.prepare(credentials)
        except RecognitionError:
            logger.warning("batch could not be prepared; pairs run one by one")

    def recognise_all(
        self, credentials: Sequence[MicroCredential], batch: Sequence[tuple[str, str]]
    ) -> list[dict[str, Any]]:
        """Return the records of a batch whose credentials were parsed (and prepared)."""
        return [
            self._screen_one(credential, programme_id)
            for credential, (_, programme_id) in zip(credentials, batch, strict=True)
        ]

    def _screen_one(self, credential: MicroCredential, programme_id: str) -> dict[str, Any]:
        record: dict[str, Any] = {
            "credential_id": credential_key(credential),
            "programme_id": programme_id,
        }
        try:
            proposal = self.engine.recognise([credential], self.programmes[programme_id])
        except RecognitionError as error:
            return record | {"status": "failed", "error": f"{type(error).__name__}: {error}"}
        return record | {"status": "done", "proposal": proposal.model_dump(mode="json")}


def parsed_credentials(batch: Sequence[tuple[str, str]]) -> list[MicroCredential]:
    """The credentials of a batch of (credential JSON, programme id)."""
    return [MicroCredential.model_validate_json(text) for text, _ in batch]


def prepared_ahead(batches: Iterable[T], prepare: Callable[[T], object]) -> Iterator[T]:
    """Yield each batch once ``prepare`` has run on it, running it on the next one meanwhile.

    The model's forward pass releases the GIL: while the caller matches and decides one batch
    in Python, the next batch's texts are embedded, so two cores are both at work.
    """
    with ThreadPoolExecutor(max_workers=1) as pool:
        previous: tuple[T, Future[object]] | None = None
        for batch in batches:
            submitted = pool.submit(prepare, batch)
            if previous is not None:
                previous[1].result()
                yield previous[0]
            previous = (batch, submitted)
        if previous is not None:
            previous[1].result()
            yield previous[0]


def pairs_to_screen(
    credentials: Sequence[MicroCredential], programmes: Sequence[Programme], output: Path
) -> list[Pair]:
    """Every credential × programme pair not yet in ``output``, credentials first."""
    done = screened_keys(output)
    unique = {Pair(c, p.id).key: Pair(c, p.id) for c in credentials for p in programmes}
    return [pair for key, pair in unique.items() if key not in done]


def _batches(pairs: Sequence[Pair], size: int) -> Iterator[list[tuple[str, str]]]:
    for start in range(0, len(pairs), size):
        yield [
            (p.credential.model_dump_json(), p.programme_id) for p in pairs[start : start + size]
        ]


class _Writer:
    """Appends records to the output, each pair once, flushed line by line."""

    def __init__(self, output: Path, total: int, progress: bool) -> None:
        output.parent.mkdir(parents=True, exist_ok=True)
        self._written = screened_keys(output)
        self._file = output.open("a", encoding="utf-8")
        self._bar = tqdm(total=total, desc="screening", unit="pair", disable=not progress)
        self.count = 0

    def write(self, records: Iterable[dict[str, Any]]) -> None:
        for record in records:
            key = (record["credential_id"], record["programme_id"])
            if key in self._written:
                continue  # a retried batch returned it again
            self._file.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
            self._written.add(key)
            self.count += 1
            self._bar.update(1)
        self._file.flush()
        os.fsync(self._file.fileno())

    def close(self) -> None:
        self._bar.close()
        self._file.close()


def screen_locally(
    settings: Settings,
    credentials: Sequence[MicroCredential],
    programmes: Sequence[Programme],
    output: Path,
    *,
    batch_size: int = 64,
    progress: bool = False,
) -> int:
    """Screen the pairs not yet in ``output`` in this process; return how many were written."""
    pairs = pairs_to_screen(credentials, programmes, output)
    worker = ScreeningWorker(settings.model_dump_json(), [p.model_dump_json() for p in programmes])
    writer = _Writer(output, len(pairs), progress)
    try:
        parsed = ((batch, parsed_credentials(batch)) for batch in _batches(pairs, batch_size))
        for batch, batch_credentials in prepared_ahead(
            parsed, lambda item: worker.prepare(item[1])
        ):
            writer.write(worker.recognise_all(batch_credentials, batch))
    finally:
        writer.close()
    return writer.count


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
    """Screen the pairs not yet in ``output`` on Ray actors; return how many were written.

    Joins the cluster of ``RAY_ADDRESS`` when it is set (``ray.init`` reads it), else starts a
    local Ray with ``workers`` CPUs. The programmes are indexed once here first, so that the
    workers load the saved indexes instead of each building them (on one machine, or a cluster
    whose nodes share ``data_dir``).
    """
    import ray

    pairs = pairs_to_screen(credentials, programmes, output)
    if not pairs:
        return 0
    from recognition_engine.service import RecognitionEngine

    indexer = RecognitionEngine(settings)
    for programme in programmes:
        indexer.index_programme(programme)
    del indexer
    started_here = not ray.is_initialized()
    if started_here:
        if os.environ.get("RAY_ADDRESS"):
            ray.init(include_dashboard=False, log_to_driver=False)
        else:
            ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False)
    writer = _Writer(output, len(pairs), progress)
    try:
        actor = ray.remote(num_cpus=1, max_restarts=-1, max_task_retries=-1)(worker_class)
        settings_json = settings.model_dump_json()
        programmes_json = [p.model_dump_json() for p in programmes]
        actors = [actor.remote(settings_json, programmes_json) for _ in range(workers)]
        pending = [
            actors[i % workers].screen.remote(batch)
            for i, batch in enumerate(_batches(pairs, batch_size))
        ]
        while pending:
            ready, pending = ray.wait(pending, num_returns=1)
            writer.write(ray.get(ready[0]))
    finally:
        writer.close()
        if started_here:
            ray.shutdown()
    return writer.count
