"""Every JSON request body is strict JSON text before a route sees it: a lone surrogate or
bytes that are not UTF-8 are a 400 malformed-json, nesting past the limit a 400
nested-too-deep, on every route that takes JSON; never a 500, never the body echoed."""

from __future__ import annotations

import json
from typing import Any

import pytest
from apitest_support import assert_problem
from fastapi.testclient import TestClient

from api.examples import CREDENTIAL
from api.problems import ApiProblem
from api.routers.credentials import read_submission

NAME = "Nino Beridze"
LONE = json.dumps(CREDENTIAL | {"title": "\ud800", "learner": {"name": NAME}})
NOT_UTF8 = b'{"title": "\xed\xa0\x80", "learner": {"name": "' + NAME.encode() + b'"}}'
DEEP = '{"title": ' + "[" * 10_000 + "]" * 10_000 + "}"


def _post(
    client: TestClient,
    path: str,
    body: bytes | str,
    headers: dict[str, str],
    media_type: str = "application/json",
) -> Any:
    return client.post(path, content=body, headers=headers | {"content-type": media_type})


@pytest.mark.parametrize(
    ("path", "body", "why"),
    [
        *[
            (path, LONE, "surrogate")
            for path in ("/v1/credentials", "/v1/programmes", "/v1/screenings", "/v1/recognitions")
        ],
        *[(path, NOT_UTF8, "not UTF-8") for path in ("/v1/credentials", "/v1/programmes")],
    ],
)
def test_text_that_is_not_json_text_is_malformed_json(
    client: TestClient, admin: dict[str, str], path: str, body: bytes | str, why: str
) -> None:
    assert "\\ud800" in LONE  # the surrogate travels escaped, as json.dumps writes it
    problem = assert_problem(_post(client, path, body, admin), 400, "malformed-json")
    assert why in problem["detail"] and NAME not in json.dumps(problem)


@pytest.mark.parametrize("media_type", ["application/json", "application/ld+json", ""])
def test_every_json_media_type_is_checked(
    client: TestClient, admin: dict[str, str], media_type: str
) -> None:
    response = _post(client, "/v1/credentials", LONE, admin, media_type)
    assert_problem(response, 400, "malformed-json")


@pytest.mark.parametrize("path", ["/v1/credentials", "/v1/programmes", "/v1/screenings"])
def test_nesting_past_the_limit_is_refused(
    client: TestClient, admin: dict[str, str], path: str
) -> None:
    body = assert_problem(_post(client, path, DEEP, admin), 400, "nested-too-deep")
    assert "64" in body["detail"]


def test_the_depth_limit_is_a_setting(tmp_path: Any) -> None:
    from apitest_support import key_headers, make_client, make_settings

    from api.security import Role

    def nested(levels: int) -> Any:
        value: Any = 1
        for _ in range(levels):
            value = [value]
        return value

    with make_client(make_settings(tmp_path, max_nesting_depth=16)) as client:
        headers = key_headers(client, Role.SCREENING)
        over = CREDENTIAL | {"extra": nested(16)}  # 17 with the credential's object
        assert_problem(
            client.post("/v1/credentials", json=over, headers=headers), 400, "nested-too-deep"
        )
        at = CREDENTIAL | {"extra": nested(15)}  # 16: read, and answered for what it says
        response = client.post("/v1/credentials", json=at, headers=headers)
        assert response.status_code != 400, response.text


def test_a_valid_body_with_a_surrogate_pair_is_read(
    client: TestClient, screener: dict[str, str]
) -> None:
    sent = CREDENTIAL | {"id": "pair-1", "title": "Data literacy \N{BAR CHART}"}
    response = _post(client, "/v1/credentials", json.dumps(sent), screener)  # \ud83d\udcca
    assert response.status_code == 201, response.text
    stored = client.get(response.headers["location"], headers=screener).json()
    assert stored["credential"]["title"] == sent["title"]


def test_read_submission_is_strict_on_its_own() -> None:
    """The route's reader does not count on the middleware being there."""
    for raw, slug in ((LONE.encode(), "malformed-json"), (DEEP.encode(), "nested-too-deep")):
        with pytest.raises(ApiProblem) as raised:
            read_submission("application/json", raw, None, 5_000_000, 64)
        assert raised.value.status == 400 and raised.value.slug == slug
