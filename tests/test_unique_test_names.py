"""pytest imports test files by basename (rootdir import mode): two files of one name in two
folders break collection of the whole suite, so a fresh `make test` would be red."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def test_test_file_names_are_unique() -> None:
    names = Counter(path.name for path in TESTS.rglob("test_*.py"))
    assert [name for name, count in names.items() if count > 1] == []
