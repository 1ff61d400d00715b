"""A toy equivalence set written to a temporary folder: the hashing embedder can tell it apart."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

MODULES = [
    {
        "id": "M-DB",
        "title": "Database Systems",
        "description": (
            "Relational databases, SQL queries and normalisation. Design "
            "relational schemas for business data."
        ),
        "learning_outcomes": [],
    },
    {
        "id": "M-NET",
        "title": "Computer Networks",
        "description": None,
        "learning_outcomes": [
            "Configure routers and switches in a local area network.",
            "Explain the TCP/IP protocol stack and routing.",
        ],
    },
    {
        "id": "M-ACC1",
        "title": "Principles of Accounting I",
        "description": (
            "Financial accounting principles, journal entries, balance sheets and "
            "financial statements."
        ),
        "learning_outcomes": [],
    },
    {
        "id": "M-ACC2",
        "title": "Principles of Accounting II",
        "description": (
            "Managerial accounting: product costing, budgets and performance evaluation."
        ),
        "learning_outcomes": [],
    },
    {
        "id": "M-BIO",
        "title": "General Biology",
        "description": "Cells, genetics, evolution and ecology of living organisms.",
        "learning_outcomes": [],
    },
    {
        "id": "M-ART",
        "title": "Drawing Fundamentals",
        "description": "Drawing from observation: line, value, perspective and composition.",
        "learning_outcomes": [],
    },
]
CREDENTIALS = [
    {
        "id": "C-SQL",
        "title": "Databases and SQL",
        "description": (
            "Write SQL queries against relational databases and design normalised "
            "relational schemas."
        ),
        "learning_outcomes": [],
        "issuer": "X",
        "extra_key": 1,
    },
    {
        "id": "C-NET",
        "title": "Networking Basics",
        "description": None,
        "learning_outcomes": [
            "Configure switches and routers for a small local area network.",
            "Describe TCP/IP routing.",
        ],
        "workload_hours": 20,
    },
    {
        "id": "C-ACC",
        "title": "Financial Accounting",
        "description": (
            "Prepare journal entries, balance sheets and financial statements "
            "using accounting principles."
        ),
        "learning_outcomes": [],
    },
    {
        "id": "C-COST",
        "title": "Managerial Accounting",
        "description": (
            "Product costing, budgets and performance evaluation in managerial accounting."
        ),
        "learning_outcomes": [],
    },
    {
        "id": "C-COOK",
        "title": "Italian Cooking",
        "description": "Prepare pasta, risotto and regional Italian sauces in a home kitchen.",
        "learning_outcomes": [],
    },
]
QRELS = [("C-SQL", "M-DB"), ("C-NET", "M-NET"), ("C-ACC", "M-ACC1"), ("C-COST", "M-ACC2")]


def write_set(folder: Path, modules=MODULES, credentials=CREDENTIALS, qrels=QRELS) -> Path:  # noqa: ANN001
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "modules.jsonl").write_text("\n".join(json.dumps(m) for m in modules) + "\n")
    (folder / "credentials.jsonl").write_text("\n".join(json.dumps(c) for c in credentials) + "\n")
    rows = ["credential_id\tmodule_id\trelevance", *(f"{c}\t{m}\t1" for c, m in qrels)]
    (folder / "qrels.tsv").write_text("\n".join(rows) + "\n")
    return folder


@pytest.fixture
def toy_set(tmp_path: Path) -> Path:
    return write_set(tmp_path / "toy-set")


@pytest.fixture
def set_writer():  # noqa: ANN201 - the write_set function, for tests that vary the set
    return write_set
