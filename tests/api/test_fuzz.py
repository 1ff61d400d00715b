"""Property-based fuzzing of every operation in the OpenAPI document: no input gives a 5xx.

Schemathesis generates valid (positive) and invalid (negative) requests from the schema, plus
the documented examples; each is sent with an admin key to an app of its own. Bounded to
``MAX_EXAMPLES`` per operation and mode so that it runs in CI in well under a few minutes.
(The pytest plugin of schemathesis, ``from_fixture``, does not run on pytest 9, hence the loop.)
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from apitest_support import key_headers, make_client, make_settings
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from api.security import Role

MAX_EXAMPLES = 25


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """An app of its own, so that fuzzed screenings do not queue behind other tests."""
    data_dir: Path = tmp_path_factory.mktemp("fuzz")
    with make_client(make_settings(data_dir, api_rate_limit_per_minute=1_000_000)) as client:
        yield client


def operations(client: TestClient) -> list:
    schema = schemathesis.openapi.from_asgi("/openapi.json", client.app)
    return [result.ok() for result in schema.get_all_operations()]


def server_errors(
    operation, strategy, headers: dict[str, str], examples: int, seen: set[int]  # noqa: ANN001
) -> list[str]:
    """Send ``examples`` cases drawn from ``strategy``; return a line for each 5xx answer."""
    found: list[str] = []

    @given(case=strategy)
    @settings(
        max_examples=examples, deadline=None, database=None,
        suppress_health_check=list(HealthCheck),
    )
    def send(case) -> None:  # noqa: ANN001
        response = case.call(headers=headers)
        seen.add(response.status_code)
        if response.status_code >= 500:
            found.append(f"{operation.label}: {response.status_code} for {case.body!r:.300}")

    with contextlib.suppress(Unsatisfiable):  # nothing to vary, e.g. no invalid parameter
        send()
    return found


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_server_errors(fuzzed: TestClient, mode: GenerationMode) -> None:
    headers = key_headers(fuzzed, Role.ADMIN, "fuzzer")
    failures: list[str] = []
    statuses: set[int] = set()
    for operation in operations(fuzzed):
        strategy = operation.as_strategy(generation_mode=mode)
        failures += server_errors(operation, strategy, headers, MAX_EXAMPLES, statuses)
    assert not failures, "\n".join(failures)
    assert 422 in statuses and 404 in statuses  # the requests did reach the routes
    if mode is GenerationMode.POSITIVE:
        assert statuses & {200, 201, 202}


def test_documented_examples_are_accepted(fuzzed: TestClient) -> None:
    headers = key_headers(fuzzed, Role.ADMIN, "examples")
    failures: list[str] = []
    statuses: set[int] = set()
    for operation in operations(fuzzed):
        strategies = operation.get_strategies_from_examples()
        if strategies:
            failures += server_errors(operation, st.one_of(strategies), headers, 10, statuses)
    assert not failures, "\n".join(failures)
    assert 201 in statuses
