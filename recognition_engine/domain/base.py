"""What every domain model shares: the strict base of input models and the constrained
string types."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

# The pattern says in the JSON Schema what the strip says here: not only whitespace.
NonEmptyStr = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, pattern=r"\S")]
CountryCode = Annotated[
    str, StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^[A-Za-z]{2}$")
]
EQFLevel = Annotated[int, Field(ge=1, le=8)]

MAX_OUTCOMES_PER_ITEM = 200
MAX_TEXT_CHARS = 20_000


class Strict(BaseModel):
    """Base for input models: unknown fields are refused, strings are stripped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
