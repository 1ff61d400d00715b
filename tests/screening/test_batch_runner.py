"""Screening credentials × programmes: resumable output, Ray equal to one process, crash-safe."""

from __future__ import annotations

import json
import os
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from recognition_engine.config import Settings
from recognition_engine.screening import (
    ScreeningWorker,
    prepared_ahead,
    screen_locally,
    screen_on_ray,
)
from tests.conftest import make_credential, make_programme

CRASH_MARKER = "RECOGNITION_TEST_CRASH_MARKER"


def credentials() -> list:
    base = make_credential()
    other = make_credential(
        id="mc-db",
        title="SQL for analysts",
        learning_outcomes=["Write SQL queries with joins", "Design relational database schemas"],
    )
    empty = make_credential(
        id="mc-history",
        title="Georgian history",
        learning_outcomes=["Describe the medieval kingdoms of Georgia"],
    )
    return [base, other, empty]


def programmes() -> list:
    return [make_programme(), make_programme(id="test-cs-2", title="Computer Science (two)")]


def lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def by_pair(path: Path) -> dict[tuple[str, str], dict]:
    records = lines(path)
    keyed = {(r["credential_id"], r["programme_id"]): r for r in records}
    assert len(keyed) == len(records)  # no pair twice
    return keyed


def test_local_screening_writes_every_pair_once_and_resumes(
    settings: Settings, tmp_path: Path
) -> None:
    output = tmp_path / "out.jsonl"
    assert screen_locally(settings, credentials(), programmes(), output, batch_size=2) == 6
    assert {r["status"] for r in lines(output)} == {"done"}
    assert screen_locally(settings, credentials(), programmes(), output) == 0  # nothing left
    whole = output.read_bytes()
    # a crash mid-line and one pair never written: the torn line goes, both are redone
    records = whole.splitlines(keepends=True)
    output.write_bytes(b"".join(records[:4]) + records[4][:20])
    assert screen_locally(settings, credentials(), programmes(), output) == 2
    assert by_pair(output) == {
        (r["credential_id"], r["programme_id"]): r for r in map(json.loads, whole.splitlines())
    }


def test_each_batch_is_prepared_before_it_is_yielded_and_the_next_one_meanwhile() -> None:
    prepared: list[str] = []
    next_one_started = threading.Event()

    def prepare(batch: str) -> None:
        prepared.append(batch)
        if batch == "b":
            next_one_started.set()

    used = []
    for batch in prepared_ahead(["a", "b", "c"], prepare):
        assert batch in prepared
        if batch == "a":  # b is prepared while a is in use, not after
            assert next_one_started.wait(timeout=30)
        used.append(batch)
    assert used == ["a", "b", "c"]


def test_a_failed_preparation_is_raised_to_the_caller() -> None:
    def prepare(batch: str) -> None:
        if batch == "b":
            raise ValueError(batch)

    with pytest.raises(ValueError, match="b"):
        list(prepared_ahead(["a", "b"], prepare))


@pytest.mark.real_model
def test_texts_embedded_across_credentials_give_the_one_by_one_results(tmp_path: Path) -> None:
    # The real model: padding a text in a batch with other credentials' texts must not move
    # any proposal. Separate data folders, so that neither run reads the other's vectors.
    def screened(batch_size: int) -> dict[tuple[str, str], dict]:
        settings = Settings(data_dir=tmp_path / str(batch_size), _env_file=None)
        output = tmp_path / f"batch-{batch_size}.jsonl"
        screen_locally(settings, credentials(), programmes(), output, batch_size=batch_size)
        return by_pair(output)

    assert screened(6) == screened(1)


ray = pytest.importorskip("ray")


class CrashOnceWorker(ScreeningWorker):
    """Dies, as a killed process does, the first time it meets the credential 'mc-db'."""

    def screen(self, batch):  # noqa: ANN001, ANN201
        marker = Path(os.environ[CRASH_MARKER])
        if not marker.exists() and any(job.credential.get("id") == "mc-db" for job in batch):
            marker.write_text("crashed", encoding="utf-8")
            os._exit(1)
        return super().screen(batch)


@pytest.fixture(scope="module")
def local_ray(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    marker = tmp_path_factory.mktemp("ray") / "crashed"
    os.environ.pop("RAY_ADDRESS", None)
    os.environ[CRASH_MARKER] = str(marker)  # before Ray starts: its workers inherit it
    ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield marker
    ray.shutdown()


def screened_locally_and_on_ray(
    settings: Settings, folder: Path, **ray_options: Any
) -> tuple[dict[tuple[str, str], dict], dict[tuple[str, str], dict], int]:
    """Return the local and the Ray screening by pair, and how many lines Ray wrote."""
    local, distributed = folder / "local.jsonl", folder / "ray.jsonl"
    screen_locally(settings, credentials(), programmes(), local)
    written = screen_on_ray(
        settings, credentials(), programmes(), distributed, workers=2, **ray_options
    )
    return by_pair(local), by_pair(distributed), written


def test_ray_gives_the_single_process_results(
    settings: Settings, tmp_path: Path, local_ray: Path
) -> None:
    local, distributed, written = screened_locally_and_on_ray(settings, tmp_path, batch_size=1)
    assert written == 6
    assert distributed == local


def test_a_worker_killed_mid_run_loses_and_duplicates_nothing(
    settings: Settings, tmp_path: Path, local_ray: Path
) -> None:
    local, distributed, written = screened_locally_and_on_ray(
        settings, tmp_path, batch_size=2, worker_class=CrashOnceWorker
    )
    assert local_ray.exists()  # a worker did die
    assert written == 6
    assert distributed == local
