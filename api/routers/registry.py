"""The provider register: what is imported, and a provider looked up by name."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from api.problems import problem_responses
from api.security import ANY_ROLE
from api.services import ServicesDep
from recognition_engine.registry import ProviderRegistry, RegistryMatch, RegistryStatus


class RegistryLookup(BaseModel):
    """A name looked up, and the entries it was found under, best first."""

    name: str
    country: str | None
    matches: list[RegistryMatch] = Field(
        description="One per register at most: the entry, the name that matched and how. "
        "Empty: in no imported register."
    )


class RegistryView(BaseModel):
    """The register's status, and a look-up when a name was given."""

    status: RegistryStatus
    lookup: RegistryLookup | None = Field(None, description="Present when ?name= is given.")


router = APIRouter(prefix="/registry", tags=["registry"])


@router.get(
    "",
    summary="The provider register: its imports, and a provider looked up by name",
    description="Imported with `recognition-engine registry import deqar|national` (DEQAR data "
    "by EQAR, CC BY 4.0: every entry read from it cites it). With `name` (and `country`), the "
    "entries a credential's awarding body of that name would be checked against: matched on "
    "case, accents, Georgian and Armenian transliteration, known aliases and near spellings, "
    "with the name that matched and how.",
    responses=problem_responses(401, 422, 429),
    dependencies=[Depends(ANY_ROLE)],
)
def registry_view(
    svc: ServicesDep,
    name: Annotated[
        str | None,
        Query(min_length=1, max_length=500, description="A provider's name, in any script."),
    ] = None,
    country: Annotated[
        str | None,
        Query(pattern=r"^[A-Za-z]{2}$", description="ISO 3166 alpha-2 code of its country."),
    ] = None,
) -> RegistryView:
    registry = ProviderRegistry(svc.settings.data_dir)
    found = None
    if name is not None:
        found = RegistryLookup(
            name=name,
            country=country.upper() if country else None,
            matches=registry.lookup(name, country),
        )
    return RegistryView(status=registry.status(), lookup=found)
