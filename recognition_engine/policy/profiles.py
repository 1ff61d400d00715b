"""National recognition policy profiles: the rules a country sets over a programme's own.

A profile file (setting ``national_policy_file``) is a YAML list of profiles
``{country, name, captured, example, rules: [{id, kind, source, ...}]}``; each rule's ``kind``
picks its fields (a discriminated union). A file with an unknown kind, a rule without a source
or any other mistake is refused when the program starts, naming the line.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, model_validator

from recognition_engine.errors import InvalidInput


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RuleSource(_Strict):
    """What the rule rests on: the item of the roadmap, law or order to cite."""

    citation: str = Field(min_length=1)
    url: str | None = None


class _Rule(_Strict):
    id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9._-]+$")
    source: RuleSource
    example: bool | None = Field(
        None,
        description="Its figures are example values until a law or order is cited for them "
        "(None: as its profile says).",
    )


class MicrocredentialEcts(_Rule):
    kind: Literal["microcredential_ects"]
    min_ects: float | None = Field(None, ge=0)
    max_ects: float | None = Field(None, gt=0)

    @model_validator(mode="after")
    def _a_range(self) -> MicrocredentialEcts:
        if self.min_ects is None and self.max_ects is None:
            raise ValueError("give min_ects, max_ects or both")
        if (
            self.min_ects is not None
            and self.max_ects is not None
            and (self.min_ects > self.max_ects)
        ):
            raise ValueError("min_ects exceeds max_ects")
        return self


class CycleCapEcts(_Rule):
    kind: Literal["cycle_cap_ects"]
    caps: dict[Annotated[int, Field(ge=1, le=8)], Annotated[float, Field(ge=0)]] = Field(
        min_length=1, description="EQF level of the degree → most ECTS micro-credentials count."
    )


class VocationalLevel5(_Rule):
    kind: Literal["vocational_level5"]
    allowed: bool


class InstitutionEntry(_Strict):
    institution: str = Field(min_length=1)
    fields: list[str] = Field(default_factory=list)


class InstitutionField(_Rule):
    kind: Literal["institution_field"]
    entries: list[InstitutionEntry] = Field(min_length=1)


Condition = Literal["accredited_programme", "ects_awarded", "programme_permits"]


class DegreeCreditConditions(_Rule):
    kind: Literal["degree_credit_conditions"]
    require: list[Condition] = Field(min_length=1)


Rule = Annotated[
    MicrocredentialEcts
    | CycleCapEcts
    | VocationalLevel5
    | InstitutionField
    | DegreeCreditConditions,
    Field(discriminator="kind"),
]


class PolicyProfile(_Strict):
    country: str = Field(pattern=r"^[A-Z]{2}$")
    name: str = Field(min_length=1)
    captured: dt.date | None = Field(None, description="When the sources were read.")
    example: bool = Field(
        False, description="Its figures are example values, not yet set by a law or order."
    )
    rules: list[Rule] = Field(min_length=1)

    def is_example(self, rule: _Rule) -> bool:
        return self.example if rule.example is None else rule.example


_KINDS = (
    "microcredential_ects",
    "cycle_cap_ects",
    "vocational_level5",
    "institution_field",
    "degree_credit_conditions",
)
_PROFILES: TypeAdapter[list[PolicyProfile]] = TypeAdapter(list[PolicyProfile])


class NationalPolicy:
    """The profiles of a file, by country."""

    def __init__(self, profiles: list[PolicyProfile]) -> None:
        self.profiles = profiles
        self._by_country = {profile.country: profile for profile in profiles}

    def for_country(self, country: str | None) -> PolicyProfile | None:
        return self._by_country.get((country or "").upper())


def load_policy(path: Path | None) -> NationalPolicy | None:
    """Return the profiles in ``path`` (None: no file set, no national policy).

    InvalidInput names the file, the line and what is wrong.
    """
    if path is None:
        return None
    try:
        text = path.read_text(encoding="utf-8")
        tree = yaml.compose(text)
        data = yaml.safe_load(text)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise InvalidInput(f"national policy file {path}: cannot be read ({error})") from None
    try:
        profiles = _PROFILES.validate_python(data)
    except ValidationError as error:
        first = error.errors()[0]
        loc = _file_location(first["loc"])
        if first["type"] == "union_tag_invalid":
            loc.append("kind")  # the line of the kind that is not known
        line = _line_of(tree, loc)
        where = ".".join(str(part) for part in loc) or "the file"
        raise InvalidInput(
            f"national policy file {path}, line {line}: {where}: {first['msg']}"
        ) from None
    countries = [profile.country for profile in profiles]
    if len(set(countries)) != len(countries):
        raise InvalidInput(f"national policy file {path}: two profiles for one country")
    return NationalPolicy(profiles)


def _file_location(loc: tuple[int | str, ...]) -> list[int | str]:
    """Return an error's location as keys of the file.

    Pydantic puts the discriminator's value (the rule's kind) after the rule's index: it is no
    key of the file, unless it is the last part (a key of that name the rule may not have).
    """
    kinds = set(_KINDS)
    return [
        part
        for at, part in enumerate(loc)
        if not (part in kinds and at < len(loc) - 1 and isinstance(loc[at - 1], int))
    ]


def _line_of(node: yaml.Node | None, loc: list[Any]) -> int:
    """Return the 1-based line of the deepest node of ``loc`` the file has."""
    line = 1 if node is None else node.start_mark.line + 1
    for part in loc:
        child = None
        if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            child = node.value[part]
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if str(key.value) == str(part):
                    child = value
                    break
        if child is None:
            break
        node = child
        line = node.start_mark.line + 1
    return line
