"""The layers of STYLE.md: each package imports only the layers below it, not even by name."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.import_scan import imported_packages

REPO = Path(__file__).resolve().parents[1]
# package -> the top-level packages it must never name
FORBIDDEN = {
    "recognition_engine": {"api", "evaluation", "cli"},
    "api": {"evaluation", "cli"},
    "evaluation": {"api", "cli"},
}


def _named_packages(tree: ast.AST) -> set[str]:
    """Top-level packages named by imports or by dotted strings such as 'api.commands'."""
    names = imported_packages(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            head = node.value.split(".")[0]
            if "." in node.value and " " not in node.value and head.isidentifier():
                names.add(head)
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_never_names_the_layers_above_it(package: str) -> None:
    offenders = []
    for path in sorted((REPO / package).rglob("*.py")):
        named = _named_packages(ast.parse(path.read_text(encoding="utf-8")))
        for above in sorted(named & FORBIDDEN[package]):
            offenders.append(f"{path.relative_to(REPO)} names {above}")
    assert offenders == []
