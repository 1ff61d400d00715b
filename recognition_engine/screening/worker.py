"""A screening worker: one engine, its model and the programmes' indexes, screening batches.

In this process the worker wraps the engine already loaded (``ScreeningWorker.around``); on Ray
each actor builds its own from the settings and programmes as JSON (the constructor).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, TypeVar

from recognition_engine.config import Settings
from recognition_engine.domain import MicroCredential, Programme
from recognition_engine.errors import RecognitionError
from recognition_engine.screening.ledger import Job, Outcome

if TYPE_CHECKING:
    from recognition_engine.service import RecognitionEngine

logger = logging.getLogger(__name__)

T = TypeVar("T")


class ScreeningWorker:
    """Screens batches of jobs with one engine, the model and indexes loaded once."""

    engine: RecognitionEngine
    programmes: dict[str, Programme]

    def __init__(self, settings_json: str, programmes_json: Sequence[str]) -> None:
        from recognition_engine.service import RecognitionEngine

        self.engine = RecognitionEngine(Settings.model_validate_json(settings_json))
        self.programmes = {}
        for text in programmes_json:
            programme = Programme.model_validate_json(text)
            self.engine.index_programme(programme)  # loads the saved index when up to date
            self.programmes[programme.id] = programme

    @classmethod
    def around(cls, engine: RecognitionEngine, programmes: Iterable[Programme]) -> ScreeningWorker:
        """A worker on an engine this process has already loaded, the programmes indexed."""
        worker = cls.__new__(cls)
        worker.engine = engine
        worker.programmes = {programme.id: programme for programme in programmes}
        return worker

    def screen(self, jobs: Sequence[Job]) -> list[Outcome]:
        """The outcome of each job of a batch, in its order, its texts embedded in one call."""
        credentials = self.parse(jobs)
        self.prepare(credentials)
        return [self.recognise(job, c) for job, c in zip(jobs, credentials, strict=True)]

    def parse(self, jobs: Sequence[Job]) -> list[MicroCredential | None]:
        """The jobs' credentials; None for a payload that is not one (it fails on its own)."""
        parsed: list[MicroCredential | None] = []
        for job in jobs:
            try:
                parsed.append(MicroCredential.model_validate(job.credential))
            except ValueError:
                parsed.append(None)
        return parsed

    def prepare(self, credentials: Sequence[MicroCredential | None]) -> None:
        """Embed every text the batch's recognitions will need in one model call."""
        try:
            self.engine.prepare([c for c in credentials if c is not None])
        except RecognitionError:
            logger.warning("screening batch could not be prepared; items run one by one")

    def recognise(self, job: Job, credential: MicroCredential | None) -> Outcome:
        """Recognise one job; an error is its outcome, it does not stop the batch."""
        try:
            if credential is None:
                credential = MicroCredential.model_validate(job.credential)
            proposal = self.engine.recognise([credential], self.programmes[job.programme_id])
        except Exception as error:  # noqa: BLE001 - one bad item must not stop the batch
            return Outcome(job, credential, error=error)
        return Outcome(job, credential, proposal=proposal)


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
