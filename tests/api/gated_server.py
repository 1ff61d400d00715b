"""The service as `recognition-engine serve` runs it, with its screenings held after their first
committed batch: a test can then kill it mid-screening whatever the machine's speed.

    python tests/api/gated_server.py PORT [--hold-credentials MARKER]

``--hold-credentials``: every request that stores a credential is held just before it writes,
once it has written MARKER (a file the test waits for): a test can then kill the server with
the request in progress.

Settings come from the environment, as for `serve`. A held screening lane waits for the
runner's stop (a SIGTERM still shuts the server down cleanly); SIGKILL leaves it mid-screening.
"""

from __future__ import annotations

import argparse
import threading
from pathlib import Path

import uvicorn

from api.app import create_app
from api.screening import ScreeningRunner
from api.store import Store
from recognition_engine.config import Settings


def hold_after_first_batch() -> None:
    """Make each screening lane stop, once its first batch is committed, until shutdown."""
    save = ScreeningRunner._save

    def save_then_hold(self: ScreeningRunner, screening_id: str, outcomes: list) -> int:
        saved = save(self, screening_id, outcomes)
        self._stopping.wait()
        return saved

    ScreeningRunner._save = save_then_hold  # type: ignore[method-assign]


def hold_credentials(marker: Path) -> None:
    """Make each request that stores a credential say so in ``marker`` and wait, before it
    writes, until the process is killed."""

    def held(self: Store, *args: object, **kwargs: object) -> None:
        marker.write_text("held", encoding="ascii")
        threading.Event().wait()

    Store.add_credential = held  # type: ignore[method-assign,assignment]


def main() -> None:
    arguments = argparse.ArgumentParser()
    arguments.add_argument("port", type=int)
    arguments.add_argument("--hold-credentials", type=Path, default=None)
    given = arguments.parse_args()
    hold_after_first_batch()
    if given.hold_credentials is not None:
        hold_credentials(given.hold_credentials)
    uvicorn.run(create_app(Settings()), host="127.0.0.1", port=given.port, log_level="warning")


if __name__ == "__main__":
    main()
