"""Reading a digital credential end to end: no learner data out, clear errors, no crash."""

from __future__ import annotations

import contextlib
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recognition_engine.errors import InvalidInput
from recognition_engine.ingestion.digital import read_digital_credential
from tests.ingestion.digital.conftest import LEARNER_DATA


def test_no_learner_data_comes_out(
    edc: dict[str, Any], signed_edc: dict[str, Any], ob3: dict[str, Any]
) -> None:
    for document in (edc, signed_edc, ob3):
        credential = read_digital_credential(document, "x")
        dumped = json.dumps(credential.model_dump(mode="json"))
        assert credential.learner is None
        for value in LEARNER_DATA:
            assert value not in dumped, value


def test_a_signed_payload_that_is_not_a_credential_is_refused(signed_edc: dict[str, Any]) -> None:
    signed_edc["payload"] = "not json at all"
    with pytest.raises(InvalidInput, match="not JSON"):
        read_digital_credential(signed_edc, "signed")


def test_a_deeply_nested_payload_is_a_clear_error(signed_edc: dict[str, Any]) -> None:
    signed_edc["payload"] = "[" * 100_000 + "]" * 100_000
    with pytest.raises(InvalidInput, match="nested too deeply|not a JSON object"):
        read_digital_credential(signed_edc, "signed")


def test_a_document_of_the_engines_own_format_is_not_read_here() -> None:
    with pytest.raises(InvalidInput, match="not a digital credential"):
        read_digital_credential({"title": "ours"}, "x")


def test_an_edc_missing_its_awarding_body_is_a_schema_error(edc: dict[str, Any]) -> None:
    del edc["credentialSubject"]["hasClaim"]["awardedBy"]
    with pytest.raises(InvalidInput, match=r"\$\.credentialSubject\.hasClaim: missing 'awardedBy'"):
        read_digital_credential(edc, "x")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=10,
)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    path=st.sampled_from(["hasClaim", "specifiedBy", "provenBy", "awardedBy", "title"]),
    value=json_values,
)
def test_any_shape_in_any_place_is_read_or_refused_never_crashes(
    _edc: dict[str, Any], path: str, value: Any
) -> None:
    document = json.loads(json.dumps(_edc))
    claim = document["credentialSubject"]["hasClaim"]
    if path == "hasClaim":
        document["credentialSubject"]["hasClaim"] = value
    else:
        claim[path] = value
    with contextlib.suppress(InvalidInput):
        read_digital_credential(document, "fuzz")
