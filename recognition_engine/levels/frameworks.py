"""The EQF level descriptors, the EQF ↔ Georgian NQF ↔ Armenian NQF ↔ QF-EHEA table, and the
frameworks in which levels may be declared, each with its conversion to the EQF.

All are data files in ``recognition_engine/data`` with their sources; this module only reads
and validates them, and converts levels so that every comparison happens in EQF.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml

from recognition_engine.domain import MicroCredential, Module, NQFLevel, Programme
from recognition_engine.errors import InvalidInput, UnknownFramework

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


@dataclass(frozen=True)
class Framework:
    """A qualifications framework and the EQF level of each of its levels."""

    id: str
    name: str
    country: str | None
    to_eqf: dict[int, int]
    source: str

    def eqf(self, level: int) -> int:
        """Return the EQF level of ``level`` in this framework."""
        if level not in self.to_eqf:
            known = f"{min(self.to_eqf)}-{max(self.to_eqf)}"
            raise InvalidInput(f"{self.id} has no level {level} (its levels are {known})")
        return self.to_eqf[level]


@functools.lru_cache(maxsize=2)
def load_frameworks(path: Path | None = None) -> dict[str, Framework]:
    """Return every known framework, by its id and by each of its aliases."""
    raw = yaml.safe_load((path or _data_path("frameworks.yaml")).read_text(encoding="utf-8"))
    known: dict[str, Framework] = {}
    for framework_id, row in raw["frameworks"].items():
        table = {int(level): int(eqf) for level, eqf in row["to_eqf"].items()}
        if not set(table.values()) <= set(range(1, 9)):
            raise ValueError(f"frameworks.yaml: {framework_id} maps outside EQF 1-8")
        framework = Framework(framework_id, row["name"], row["country"], table, row["source"])
        for name in (framework_id, *row.get("aliases", [])):
            if name in known:
                raise ValueError(f"frameworks.yaml: {name} is named twice")
            known[name] = framework
    return known


def framework(name: str) -> Framework:
    """Return the framework called ``name`` (an id such as IE-NFQ, or an alias such as GE)."""
    found = load_frameworks().get(name.strip().upper())
    if found is None:
        ids = ", ".join(sorted({f.id for f in load_frameworks().values()}))
        raise UnknownFramework(f"unknown qualifications framework {name!r}; known: {ids}")
    return found


def to_eqf(framework_name: str, level: int) -> int:
    """Return the EQF level of ``level`` declared in the framework ``framework_name``."""
    return framework(framework_name).eqf(level)


def programme_framework(programme: Programme) -> Framework:
    """The framework of a programme's levels: the declared one, else its country's NQF."""
    if programme.framework is not None:
        return framework(programme.framework)
    for candidate in load_frameworks().values():
        if candidate.country == programme.country:
            return candidate
    raise UnknownFramework(
        f"programme {programme.id}: no framework is declared and none is known for country "
        f"{programme.country}; declare one (e.g. framework: EQF)"
    )


def check_programme_levels(programme: Programme) -> None:
    """Refuse a programme whose levels cannot be converted or contradict its EQF level."""
    own = programme_framework(programme)
    if own.eqf(programme.nqf_level) != programme.eqf_level:
        raise InvalidInput(
            f"programme {programme.id}: {own.id} level {programme.nqf_level} is EQF "
            f"{own.eqf(programme.nqf_level)}, but the programme declares EQF {programme.eqf_level}"
        )
    for module in programme.modules:
        module_eqf_level(module, programme)


def module_eqf_level(module: Module, programme: Programme) -> int:
    """Return the EQF level a credential must reach for ``module`` (the programme's if unset)."""
    if module.nqf_level is None:
        return programme.eqf_level
    own = framework(module.framework) if module.framework else programme_framework(programme)
    try:
        return own.eqf(module.nqf_level)
    except InvalidInput as error:
        raise InvalidInput(f"module {module.code}: {error}") from error


def credential_eqf_level(credential: MicroCredential) -> int | None:
    """Return the credential's declared EQF level, or its NQF level converted to the EQF."""
    if credential.eqf_level is not None:
        return credential.eqf_level
    if credential.nqf_level is not None:
        return nqf_to_eqf(credential.nqf_level)
    return None


def nqf_to_eqf(level: NQFLevel) -> int:
    return to_eqf(level.framework, level.level)
