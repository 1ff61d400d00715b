"""A small synthetic equivalence set the hashing embedder can learn from: subjects, sequences,
credentials that reuse their module's words, and some with no equivalent."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from evaluation.datasets import load_retrieval_task
from evaluation.protocols import CandidatePool
from recognition_engine.config import Settings
from recognition_engine.models import create_embedder
from tests.evaluation.conftest import write_set

SUBJECTS = {
    "ACC": ("ACIS", ["ledger", "journal", "balance", "costing", "audit", "budget", "equity"]),
    "BIO": ("BIOL", ["cell", "genetics", "enzyme", "ecology", "organism", "membrane", "protein"]),
    "CSC": ("CS", ["program", "algorithm", "compiler", "database", "network", "recursion", "loop"]),
    "HIS": ("HIST", ["empire", "revolution", "colonial", "treaty", "dynasty", "archive", "war"]),
    "MTH": ("MATH", ["integral", "matrix", "derivative", "vector", "proof", "series", "limit"]),
}
SHARED = ["introduction", "principles", "students", "study", "methods", "topics", "course"]


def synthetic_set(seed: int = 3, credentials_per_module: int = 3) -> tuple[list, list, list]:
    """Return (modules, credentials, qrels) of a synthetic equivalence set."""
    rng = random.Random(seed)
    modules, credentials, qrels = [], [], []
    for c_subject, (m_subject, words) in SUBJECTS.items():
        for n in range(4):
            key = f"{m_subject} {1000 + 100 * (n % 2) + n}"
            marker = ["I", "II"][n % 2]
            topic = rng.sample(words, 4)
            modules.append(
                {
                    "id": key,
                    "title": f"{topic[0].title()} {topic[1].title()} {marker}",
                    "description": " ".join(topic + rng.sample(SHARED, 3)) + ".",
                    "learning_outcomes": [],
                }
            )
            for k in range(credentials_per_module):
                cid = f"{c_subject} {100 + 10 * n + k} #{k}"
                # half the words of the module, the rest of the subject: similar, not the same
                text = topic[:2] + rng.sample(words, 3) + rng.sample(SHARED, 2)
                credentials.append(
                    {
                        "id": cid,
                        "title": f"{topic[0].title()} {rng.choice(words).title()} {marker}",
                        "description": " ".join(text) + ".",
                        "learning_outcomes": [],
                    }
                )
                qrels.append((cid, key))
    for k in range(6):
        credentials.append(
            {
                "id": f"ART {200 + k}",
                "title": f"Painting Studio {k}",
                "description": "canvas pigment brush studio portrait colour light.",
                "learning_outcomes": [],
            }
        )
    return modules, credentials, qrels


def write_synthetic(folder: Path, seed: int = 3) -> Path:
    modules, credentials, qrels = synthetic_set(seed)
    return write_set(folder, modules, credentials, qrels)


@pytest.fixture
def synthetic_folder(tmp_path: Path) -> Path:
    return write_synthetic(tmp_path / "synthetic-set")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(embedder="fake", data_dir=tmp_path / "var", index_backend="numpy")


@pytest.fixture
def pool(synthetic_folder: Path, settings: Settings) -> CandidatePool:
    """The synthetic set's candidates, embedded by the fake embedder."""
    return CandidatePool(load_retrieval_task(synthetic_folder), create_embedder(settings), settings)
