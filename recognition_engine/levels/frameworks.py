"""The EQF level descriptors and the EQF ↔ Georgian NQF ↔ Armenian NQF ↔ QF-EHEA table.

Both are data files in ``recognition_engine/data`` with their sources; this module only reads
and validates them.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml

DESCRIPTOR_DOMAINS = ("knowledge", "skills", "responsibility_and_autonomy")


@dataclass(frozen=True)
class LevelCorrespondence:
    """One EQF level and the levels and cycle that correspond to it."""

    eqf: int
    georgia: int
    armenia: int
    qf_ehea: str | None


def _data_path(name: str) -> Path:
    return Path(str(resources.files("recognition_engine") / "data" / name))


@functools.lru_cache(maxsize=2)
def load_correspondence(path: Path | None = None) -> dict[int, LevelCorrespondence]:
    """Return the correspondence table keyed by EQF level (1-8)."""
    raw = yaml.safe_load((path or _data_path("frameworks.yaml")).read_text(encoding="utf-8"))
    table = {
        int(row["eqf"]): LevelCorrespondence(
            eqf=int(row["eqf"]),
            georgia=int(row["georgia"]),
            armenia=int(row["armenia"]),
            qf_ehea=row.get("qf_ehea"),
        )
        for row in raw["levels"]
    }
    if sorted(table) != list(range(1, 9)):
        raise ValueError("frameworks.yaml must list EQF levels 1 to 8 once each")
    return table


@functools.lru_cache(maxsize=2)
def load_eqf_descriptors(path: Path | None = None) -> dict[int, dict[str, str]]:
    """Return the EQF descriptors: {level: {domain: text}} for the three domains."""
    raw = yaml.safe_load((path or _data_path("eqf_descriptors.yaml")).read_text(encoding="utf-8"))
    descriptors = {
        int(level): {domain: " ".join(str(texts[domain]).split()) for domain in DESCRIPTOR_DOMAINS}
        for level, texts in raw["levels"].items()
    }
    if sorted(descriptors) != list(range(1, 9)):
        raise ValueError("eqf_descriptors.yaml must describe EQF levels 1 to 8")
    return descriptors
