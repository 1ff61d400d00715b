"""A national list of authorised providers and accredited programmes, as a YAML file.

Georgia's NCEQE and Armenia's ANQA publish their registers as web pages, not as a
machine-readable export: the recognition office keeps its copy in this format and imports it
(``registry import national FILE.yaml``). The format is documented in docs/registry-and-policy.md.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from recognition_engine.errors import InvalidInput
from recognition_engine.ingestion.validation import first_problem
from recognition_engine.registry.models import NameKind, QARecord, RegisterEntry


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class NationalProgramme(_Strict):
    name: str = Field(min_length=1)
    status: str = Field("accredited", description="'accredited', or e.g. 'withdrawn'.")
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    ects: float | None = Field(None, gt=0)


class NationalProvider(_Strict):
    id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9._-]+$")
    name: str = Field(min_length=1)
    name_official: str | None = Field(None, description="The name in the national script.")
    aliases: list[str] = Field(default_factory=list)
    status: str = Field("authorised", description="'authorised', or e.g. 'withdrawn'.")
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    url: str | None = None
    programmes: list[NationalProgramme] = Field(default_factory=list)


class NationalList(_Strict):
    """The file: a register, where it was read, when, and its providers."""

    register_name: str = Field(
        min_length=1, alias="register", description="The register as cited, e.g. NCEQE."
    )
    country: str = Field(pattern=r"^[A-Z]{2}$")
    source_url: str | None = None
    captured: dt.date | None = Field(
        None, description="When the list was copied from the register; None: not stated."
    )
    example: bool = Field(False, description="An example of the format, not the register.")
    providers: list[NationalProvider] = Field(min_length=1)

    def entries(self) -> list[tuple[RegisterEntry, list[tuple[str, NameKind]]]]:
        """Return each provider as a register entry, with the names it may be found by."""
        found = []
        for provider in self.providers:
            records = [self._record(provider, "authorisation", "institutional", provider)]
            records += [
                self._record(provider, f"programme:{number}", "programme", programme)
                for number, programme in enumerate(provider.programmes, start=1)
            ]
            entry = RegisterEntry(
                key=f"national:{self.country}:{provider.id}",
                register_name=self.register_name,
                name=provider.name,
                country=self.country,
                url=provider.url or self.source_url,
                captured=self.captured,
                example=self.example,
                records=records,
            )
            names = [(provider.name, NameKind.PRIMARY)]
            if provider.name_official:
                names.append((provider.name_official, NameKind.OFFICIAL))
            names += [(alias, NameKind.ALIAS) for alias in provider.aliases]
            found.append((entry, names))
        return found

    def _record(
        self,
        provider: NationalProvider,
        suffix: str,
        kind: str,
        decided: NationalProvider | NationalProgramme,
    ) -> QARecord:
        """Return the QA record of the provider's authorisation, or of one of its programmes."""
        return QARecord(
            id=f"{provider.id}:{suffix}",
            kind=kind,
            agency=self.register_name,
            decision=decided.status,
            programme=decided.name if isinstance(decided, NationalProgramme) else None,
            valid_from=decided.valid_from,
            valid_until=decided.valid_until,
            url=provider.url or self.source_url,
        )


def read_national_list(path: Path) -> NationalList:
    """Return the national list in ``path``; InvalidInput naming what is wrong."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise InvalidInput(f"{path}: cannot be read as a YAML national list ({error})") from None
    try:
        national = NationalList.model_validate(data)
    except ValidationError as error:
        raise InvalidInput(f"{path}: {first_problem(error, 'the file')}") from None
    ids = [provider.id for provider in national.providers]
    if len(set(ids)) != len(ids):
        raise InvalidInput(f"{path}: a provider id appears twice")
    return national
