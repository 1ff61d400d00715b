"""Validation against the JSON schemas shipped in ``schemas/`` (MIT licence, file included).

The schema files are kept as published. The EDC one rejects its own published example in six
places, each a slip against the European Learning Model it simplifies; ``_edc_errata`` fixes
those in memory, and ``tests/ingestion/digital/test_schemas.py`` checks that both examples pass.
Errors name the JSON path and the rule, never the offending value: it may be the learner's.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from importlib import resources
from typing import Any

import jsonschema
from jsonschema.exceptions import ValidationError

from recognition_engine.errors import InvalidInput

EDC_SCHEMA = "edc-microcredential-schema.json"
OB3_SCHEMA = "ob3-microcredential-schema.json"
MAX_REPORTED = 5


def validate_edc(document: dict[str, Any], source: str) -> None:
    """Raise InvalidInput naming each path where the EDC breaks the shipped schema."""
    _check(_validator(EDC_SCHEMA), document, source, "Europass EDC")


def validate_ob3(document: dict[str, Any], source: str) -> None:
    """Raise InvalidInput naming each path where the credential breaks the OB3 schema."""
    _check(_validator(OB3_SCHEMA), document, source, "Open Badges 3.0 credential")


def load_schema(name: str) -> dict[str, Any]:
    """Return a shipped schema as published."""
    folder = resources.files(__package__).joinpath("schemas")
    text = folder.joinpath(name).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@cache
def _validator(name: str) -> jsonschema.protocols.Validator:
    schema = load_schema(name)
    if name == EDC_SCHEMA:
        schema = _edc_errata(schema)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def _edc_errata(published: dict[str, Any]) -> dict[str, Any]:
    """Return the EDC schema with the slips that reject the ELM (and its own example) fixed.

    1. ``displayParameter.individualDisplay`` (and its ``displayDetail``) and ``.language`` may
       hold one value or several (JSON-LD), like every ELM property; the schema allowed one.
    2. The ``enum`` of ECTS, EQF and mode labels was written next to ``$ref: languageMap``, so it
       compared the whole map with a string; it now constrains the English label only.
    3. An issuing organisation may carry its ``eIDASIdentifier`` (ELM 3.2 ``Organisation``).
    """
    schema = copy.deepcopy(published)
    display = schema["properties"]["displayParameter"]["properties"]
    individual = display["individualDisplay"]["properties"]
    individual["displayDetail"] = _one_or_many(individual["displayDetail"])
    for name in ("individualDisplay", "language"):
        display[name] = _one_or_many(display[name])
    specified = schema["properties"]["credentialSubject"]["properties"]["hasClaim"]["properties"][
        "specifiedBy"
    ]["properties"]
    for label in (
        specified["creditPoint"]["properties"]["framework"]["properties"]["prefLabel"],
        specified["eqfLevel"]["properties"]["prefLabel"],
        specified["mode"]["properties"]["prefLabel"],
    ):
        allowed = label.pop("enum")
        label["properties"] = {"en": {"enum": allowed}}
    organisation = schema["definitions"]["organisation"]["properties"]
    organisation["eIDASIdentifier"] = organisation["registration"]
    return schema


def _one_or_many(one: dict[str, Any]) -> dict[str, Any]:
    return {"oneOf": [one, {"type": "array", "minItems": 1, "items": one}]}


def _check(
    validator: jsonschema.protocols.Validator, document: dict[str, Any], source: str, kind: str
) -> None:
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    if not errors:
        return
    problems = [describe_schema_error(error) for error in errors[:MAX_REPORTED]]
    if len(errors) > MAX_REPORTED:
        problems.append(f"and {len(errors) - MAX_REPORTED} more")
    raise InvalidInput(f"{source}: not a valid {kind}: {'; '.join(problems)}")


def describe_schema_error(error: ValidationError) -> str:
    """Return 'path: what is wrong' for one schema error, without the offending value."""
    where = error.json_path
    rule, expected = error.validator, error.validator_value
    if rule == "required" and isinstance(error.instance, dict):
        missing = [name for name in expected if name not in error.instance]
        return f"{where}: missing {', '.join(repr(name) for name in missing)}"
    if rule == "type":
        return f"{where}: expected {_kinds(expected)}"
    if rule in {"enum", "const"}:
        return f"{where}: not an allowed value"
    if rule == "additionalProperties" and isinstance(error.instance, dict):
        allowed = set(error.schema.get("properties", {}))
        extra = sorted(str(key) for key in error.instance if key not in allowed)[:5]
        return f"{where}: unexpected propert{'y' if len(extra) == 1 else 'ies'} {extra}"
    if rule in {"oneOf", "anyOf"}:
        return f"{where}: matches none of the allowed shapes"
    if rule in {"minItems", "maxItems", "minLength", "maxLength", "minimum", "maximum"}:
        return f"{where}: breaks {rule} {expected}"
    return f"{where}: breaks the schema's {rule!r} rule"


def _kinds(expected: Any) -> str:
    return " or ".join(expected) if isinstance(expected, list) else str(expected)
