"""What a provider register holds and what a look-up finds: typed, no I/O."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, Field

DEQAR_CITATION = (
    "DEQAR, the Database of External Quality Assurance Results, by EQAR "
    "(https://www.deqar.eu), licensed CC BY 4.0"
)
"""The attribution the DEQAR licence asks for, kept with every entry read from its exports."""

NEGATIVE_DECISIONS = frozenset(
    {"negative", "not accredited", "not_accredited", "withdrawn", "revoked", "refused", "suspended"}
)


class NameKind(StrEnum):
    """Which of an entry's names a look-up matched."""

    PRIMARY = "primary"
    OFFICIAL = "official"
    VERSION = "version"  # a former or other-language name (DEQAR ``name_versions``)
    ALIAS = "alias"  # a national list's alias


class MatchHow(StrEnum):
    """How a name matched, from the strictest to the loosest."""

    EXACT = "exact"
    NORMALISED = "normalised"  # the same once case, accents and punctuation are set aside
    TRANSLITERATED = "transliterated"  # the same once Georgian or Armenian script is romanised
    NEAR = "near"  # a near spelling (rapidfuzz score at or above the threshold)


class QARecord(BaseModel):
    """One external QA result: a DEQAR report, or a national authorisation or accreditation."""

    id: str
    kind: str = Field(description="'institutional' or 'programme' (DEQAR report_type as given).")
    agency: str | None = None
    decision: str | None = None
    programme: str | None = Field(None, description="The accredited programme, if any.")
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    url: str | None = None

    @property
    def positive(self) -> bool:
        return (self.decision or "").strip().casefold() not in NEGATIVE_DECISIONS

    @property
    def is_programme(self) -> bool:
        return "programme" in self.kind.casefold() or self.programme is not None

    def valid_on(self, day: dt.date) -> bool:
        """Return whether the record was in force, and positive, on ``day``."""
        started = self.valid_from is None or self.valid_from <= day
        ongoing = self.valid_until is None or day <= self.valid_until
        return self.positive and started and ongoing


class RegisterEntry(BaseModel):
    """A provider as one register lists it."""

    key: str = Field(description="'deqar:<deqar_id>' or 'national:<country>:<id>'.")
    register_name: str = Field(description="The register, as cited: DEQAR or the national list.")
    name: str
    country: str | None
    url: str | None = None
    captured: dt.date | None = Field(None, description="When the register's data was captured.")
    example: bool = Field(False, description="From an example file, not from the register.")
    records: list[QARecord] = Field(default_factory=list)

    def valid_on(self, day: dt.date) -> list[QARecord]:
        return [record for record in self.records if record.valid_on(day)]

    def accredited_programmes(self, day: dt.date) -> list[QARecord]:
        return [record for record in self.valid_on(day) if record.is_programme]


class RegistryMatch(BaseModel):
    """An entry a name was found under, and how."""

    entry: RegisterEntry
    matched_name: str
    name_kind: NameKind
    how: MatchHow
    score: float = Field(
        description="100 for every match but a near one (rapidfuzz token_sort_ratio)."
    )


class RegisterImport(BaseModel):
    """One import, as ``registry status`` lists it."""

    register_name: str
    kind: str = Field(description="'deqar-institutions', 'deqar-reports' or 'national'.")
    files: list[str]
    rows: int
    captured: dt.date | None
    imported_at: dt.datetime
    attribution: str
    example: bool = False


class RegistryStatus(BaseModel):
    """What the data folder's register holds."""

    configured: bool = Field(description="False until a first import.")
    providers: int
    records: int
    imports: list[RegisterImport]
