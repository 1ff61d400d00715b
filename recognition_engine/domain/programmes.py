"""Programmes, their modules and their recognition policy."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Self

from pydantic import Field, StringConstraints, model_validator

from recognition_engine.domain.base import (
    CountryCode,
    EQFLevel,
    NonEmptyStr,
    Strict,
)
from recognition_engine.domain.credentials import (
    DescribedItem,
    FrameworkId,
)

# --- programmes ---------------------------------------------------------------------------


class Cycle(StrEnum):
    SHORT = "short"
    FIRST = "first"
    SECOND = "second"
    THIRD = "third"


class Module(DescribedItem):
    code: NonEmptyStr = Field(max_length=100)
    ects: float = Field(gt=0, le=120)
    nqf_level: int | None = Field(
        None, ge=1, le=12, description="In the module's framework (default: the programme's)."
    )
    framework: FrameworkId | None = Field(
        None, description="Framework of nqf_level when it differs from the programme's."
    )
    semester: int | None = Field(None, ge=1, le=16)
    compulsory: bool = True


class RecognitionPolicy(Strict):
    """How much of the programme the institution lets micro-credentials cover."""

    max_microcredential_ects: float | None = Field(None, ge=0)
    max_microcredential_share: float | None = Field(None, ge=0, le=1)
    min_eqf_level: EQFLevel | None = Field(
        None,
        description="Credentials below this EQF level are not recognised toward the programme.",
    )

    def cap_ects(self, total_ects: float) -> float:
        """The most ECTS that micro-credentials may earn in a programme of total_ects."""
        caps = [total_ects]
        if self.max_microcredential_ects is not None:
            caps.append(self.max_microcredential_ects)
        if self.max_microcredential_share is not None:
            caps.append(self.max_microcredential_share * total_ects)
        return min(caps)


class Programme(Strict):
    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9._-]{0,99}$")]
    institution: NonEmptyStr
    country: CountryCode
    title: NonEmptyStr
    cycle: Cycle
    framework: FrameworkId | None = Field(
        None,
        description="Framework of nqf_level, e.g. GE-NQF, AM-NQF, IE-NFQ, EQF "
        "(default: the NQF of the programme's country).",
    )
    nqf_level: int = Field(ge=1, le=12)
    eqf_level: EQFLevel
    total_ects: float = Field(gt=0, le=600)
    recognition_policy: RecognitionPolicy = Field(default_factory=RecognitionPolicy)
    language: str | None = Field(
        None, description="ISO 639-1 language of the catalogue's texts; detected when absent."
    )
    modules: list[Module] = Field(min_length=1, max_length=2000)

    @model_validator(mode="after")
    def _unique_codes(self) -> Self:
        seen: set[str] = set()
        for module in self.modules:
            if module.code in seen:
                raise ValueError(f"module code {module.code!r} appears twice")
            seen.add(module.code)
        return self

    def module(self, code: str) -> Module:
        for module in self.modules:
            if module.code == code:
                return module
        raise KeyError(code)
