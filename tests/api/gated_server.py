"""The service as `recognition-engine serve` runs it, with its screenings held after their first
committed batch: a test can then kill it mid-screening whatever the machine's speed.

    python tests/api/gated_server.py PORT

Settings come from the environment, as for `serve`. A held screening lane waits for the
runner's stop (a SIGTERM still shuts the server down cleanly); SIGKILL leaves it mid-screening.
"""

from __future__ import annotations

import sys

import uvicorn

from api.app import create_app
from api.screening import ScreeningRunner
from recognition_engine.config import Settings


def hold_after_first_batch() -> None:
    """Make each screening lane stop, once its first batch is committed, until shutdown."""
    save = ScreeningRunner._save

    def save_then_hold(self: ScreeningRunner, screening_id: str, outcomes: list) -> None:
        save(self, screening_id, outcomes)
        self._stopping.wait()

    ScreeningRunner._save = save_then_hold  # type: ignore[method-assign]


def main(port: int) -> None:
    hold_after_first_batch()
    uvicorn.run(create_app(Settings()), host="127.0.0.1", port=port, log_level="warning")


if __name__ == "__main__":
    main(int(sys.argv[1]))
