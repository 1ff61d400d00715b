"""What a module imports, read from its source without running it, for the tests that keep
packages apart."""

from __future__ import annotations

import ast


def imported_packages(tree: ast.AST) -> set[str]:
    """Return the top-level packages that the absolute imports of ``tree`` name, wherever the
    import stands (inside a function too)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names
