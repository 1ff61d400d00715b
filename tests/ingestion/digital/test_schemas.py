"""Validation against the shipped schemas: both examples pass, errors name the path."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest

from recognition_engine.errors import InvalidInput
from recognition_engine.ingestion.digital.schemas import (
    EDC_SCHEMA,
    load_schema,
    validate_edc,
    validate_ob3,
)


def test_both_examples_are_valid(edc: dict[str, Any], ob3: dict[str, Any]) -> None:
    validate_edc(edc, "edc")
    validate_ob3(ob3, "ob3")


def test_the_published_edc_schema_rejects_its_example_hence_the_errata(
    edc: dict[str, Any],
) -> None:
    published = load_schema(EDC_SCHEMA)
    errors = list(jsonschema.Draft202012Validator(published).iter_errors(edc))
    assert len(errors) == 6  # the six slips _edc_errata fixes, and no more


def test_a_missing_element_is_named_by_its_path(edc: dict[str, Any]) -> None:
    del edc["credentialSubject"]["hasClaim"]["title"]
    with pytest.raises(InvalidInput, match=r"\$\.credentialSubject\.hasClaim: missing 'title'"):
        validate_edc(edc, "edc")


def test_a_wrong_type_is_named_by_its_path(ob3: dict[str, Any]) -> None:
    ob3["credentialSubject"]["achievement"]["criteria"] = "just a string"
    with pytest.raises(InvalidInput, match=r"\$\.credentialSubject\.achievement\.criteria"):
        validate_ob3(ob3, "ob3")


def test_schema_errors_never_echo_the_value(edc: dict[str, Any]) -> None:
    edc["credentialSubject"]["fullName"] = "Joe Doe written as a plain string"
    edc["credentialSubject"]["contactPoint"]["type"] = "joe.doe@example.com"
    with pytest.raises(InvalidInput) as raised:
        validate_edc(edc, "edc")
    assert "$.credentialSubject.fullName" in str(raised.value)
    assert "Joe Doe" not in str(raised.value) and "joe.doe" not in str(raised.value)
