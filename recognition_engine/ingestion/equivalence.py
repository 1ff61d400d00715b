"""Equivalence sets: a catalogue of modules, the credentials to recognise, and human decisions.

The format follows IR test collections (corpus / queries / qrels):

- ``modules.jsonl`` and ``credentials.jsonl``: one JSON object a line;
- ``qrels.tsv``: header ``credential_id  module_id  relevance``, one row per module a human
  judged equivalent. A credential without a row has no equivalent in the catalogue.

Records tolerate extra keys (the sets come from many sources); the set as a whole is validated:
unique ids, qrels that name known credentials and modules.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from recognition_engine.errors import InvalidInput
from recognition_engine.ingestion.files import read_jsonl
from recognition_engine.ingestion.validation import first_problem

MODULES_FILE = "modules.jsonl"
CREDENTIALS_FILE = "credentials.jsonl"
QRELS_FILE = "qrels.tsv"
QRELS_HEADER = ("credential_id", "module_id", "relevance")


class ItemRecord(BaseModel):
    """One module or credential as published: outcomes may be empty, then the description is all."""

    model_config = ConfigDict(extra="allow", str_strip_whitespace=True)

    id: str = Field(min_length=1)
    title: str = ""
    description: str | None = None
    learning_outcomes: list[str] = Field(default_factory=list)
    ects: float | None = None
    level: dict[str, Any] | str | int | None = None
    institution: str | None = None
    issuer: str | None = None
    workload_hours: float | None = None
    declared_level: str | None = None
    skills: list[str] = Field(default_factory=list)
    language: str | None = Field(None, description="ISO 639-1 (en, ka, hy …); detected if absent.")

    def has_content(self) -> bool:
        """Whether there is any text to match."""
        return bool(
            self.title.strip()
            or (self.description and self.description.strip())
            or any(o.strip() for o in self.learning_outcomes)
        )


class Qrel(BaseModel):
    """One human decision: this module is equivalent to this credential."""

    model_config = ConfigDict(extra="forbid")

    credential_id: str = Field(min_length=1)
    module_id: str = Field(min_length=1)
    relevance: int = Field(ge=1)


class EquivalenceSet(BaseModel):
    """A whole equivalence set, validated."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    modules: list[ItemRecord]
    credentials: list[ItemRecord]
    qrels: list[Qrel]

    def gold(self) -> dict[str, dict[str, int]]:
        """Return ``{credential_id: {module_id: relevance}}``; unmatched credentials are absent."""
        gold: dict[str, dict[str, int]] = {}
        for qrel in self.qrels:
            gold.setdefault(qrel.credential_id, {})[qrel.module_id] = qrel.relevance
        return gold

    def credentials_without_match(self) -> list[str]:
        """The ids of credentials that humans found no equivalent for."""
        matched = {q.credential_id for q in self.qrels}
        return [c.id for c in self.credentials if c.id not in matched]


def is_equivalence_set(folder: Path) -> bool:
    """Whether the folder has the three files of an equivalence set."""
    return all((folder / name).is_file() for name in (MODULES_FILE, CREDENTIALS_FILE, QRELS_FILE))


def read_records(path: Path) -> list[ItemRecord]:
    """Return the records of a JSON-lines file; errors name the file and the line."""
    records: list[ItemRecord] = []
    seen: set[str] = set()
    for number, data in read_jsonl(path):
        try:
            record = ItemRecord.model_validate(data)
        except ValidationError as error:
            raise InvalidInput(f"{path}:{number}: {first_problem(error)}") from error
        if record.id in seen:
            raise InvalidInput(f"{path}:{number}: id {record.id!r} appears twice")
        if not record.has_content():
            raise InvalidInput(f"{path}:{number}: {record.id!r} has no text to match")
        seen.add(record.id)
        records.append(record)
    if not records:
        raise InvalidInput(f"{path}: no records")
    return records


def read_qrels(path: Path) -> list[Qrel]:
    """Return the rows of a qrels.tsv file (header required)."""
    if not path.is_file():
        raise InvalidInput(f"{path}: no such file")
    qrels: list[Qrel] = []
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.reader(handle, delimiter="\t")
        header = next(rows, None)
        if header is None or tuple(h.strip() for h in header) != QRELS_HEADER:
            expected = "\t".join(QRELS_HEADER)
            raise InvalidInput(f"{path}:1: expected the header {expected!r}")
        for number, row in enumerate(rows, start=2):
            if not row or not any(cell.strip() for cell in row):
                continue
            if len(row) != 3:
                raise InvalidInput(f"{path}:{number}: expected 3 tab-separated fields")
            try:
                relevance = int(row[2])
                qrels.append(
                    Qrel(
                        credential_id=row[0].strip(), module_id=row[1].strip(), relevance=relevance
                    )
                )
            except (ValueError, ValidationError) as error:
                raise InvalidInput(f"{path}:{number}: bad row {row!r}") from error
    return qrels


def load_equivalence_set(folder: Path) -> EquivalenceSet:
    """Return the validated equivalence set in ``folder``."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InvalidInput(f"{folder}: not a folder")
    modules = read_records(folder / MODULES_FILE)
    credentials = read_records(folder / CREDENTIALS_FILE)
    qrels = read_qrels(folder / QRELS_FILE)
    module_ids = {m.id for m in modules}
    credential_ids = {c.id for c in credentials}
    for qrel in qrels:
        if qrel.credential_id not in credential_ids:
            raise InvalidInput(f"{folder / QRELS_FILE}: unknown credential {qrel.credential_id!r}")
        if qrel.module_id not in module_ids:
            raise InvalidInput(f"{folder / QRELS_FILE}: unknown module {qrel.module_id!r}")
    return EquivalenceSet(name=folder.name, modules=modules, credentials=credentials, qrels=qrels)

