"""GET /v1/registry and the registers in API recognitions, on an app of its own (a fresh data
folder): before an import the QA finding says no register was checked; after one, a listed
provider is registered citing its source and an unlisted one is sent to review."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from apitest_support import assert_problem, key_headers, make_client, make_settings
from fastapi.testclient import TestClient

from api.security import Role
from recognition_engine.registry import ProviderRegistry, read_export
from tests.conftest import FAKE_MIN_PROPOSAL_SCORE, make_credential, make_programme
from tests.registry.deqar_rows import write_institutions, write_reports

LISTED = "Kutaisi Polytechnic Institute (invented)"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    folder = tmp_path_factory.mktemp("registry-api")
    settings = make_settings(folder, min_proposal_score=FAKE_MIN_PROPOSAL_SCORE)
    with make_client(settings) as client:
        admin = key_headers(client, Role.ADMIN)
        programme = make_programme().model_dump(mode="json")
        assert client.post("/v1/programmes", json=programme, headers=admin).status_code == 201
        yield client


@pytest.fixture(scope="module")
def screener(app: TestClient) -> dict[str, str]:
    return key_headers(app, Role.SCREENING)


def recognise(app: TestClient, screener: dict[str, str], awarding_body: str) -> dict[str, Any]:
    credential = make_credential(id=None, awarding_body=awarding_body).model_dump(mode="json")
    stored = app.post("/v1/credentials", json=credential, headers=screener)
    assert stored.status_code == 201, stored.text
    made = app.post(
        "/v1/recognitions",
        headers=screener,
        json={"programme_id": "test-cs", "credential_ids": [stored.json()["id"]]},
    )
    assert made.status_code == 201, made.text
    return made.json()["proposal"]


def registry_finding(proposal: dict[str, Any]) -> dict[str, Any]:
    [found] = [f for f in proposal["findings"] if f["code"].startswith("qa.registry.")]
    return found


def test_before_and_after_an_import(
    app: TestClient, screener: dict[str, str], tmp_path: Path
) -> None:
    view = app.get("/v1/registry", headers=screener)
    assert view.status_code == 200
    assert view.json()["status"]["configured"] is False and view.json()["lookup"] is None
    before = recognise(app, screener, LISTED)
    assert registry_finding(before)["code"] == "qa.registry.not_configured"

    data_dir = app.app.state.services.settings.data_dir
    exports = [read_export(write_institutions(tmp_path)), read_export(write_reports(tmp_path))]
    ProviderRegistry(data_dir).import_deqar(exports, dt.date(2026, 11, 30))

    listed = recognise(app, screener, LISTED)
    found = registry_finding(listed)
    assert found["code"] == "qa.registry.registered"
    assert found["source"] == {
        "kind": "registry",
        "id": "77001",
        "url": "https://www.deqar.eu/reports/77001",
        "date": "2026-11-30",
        "citation": found["source"]["citation"],
    }
    assert "CC BY 4.0" in found["source"]["citation"]
    assert listed["status"] == "recognition_proposed"

    unlisted = recognise(app, screener, "Test College")
    assert registry_finding(unlisted)["code"] == "qa.registry.not_found"
    assert unlisted["status"] == "review_required"

    looked_up = app.get(
        "/v1/registry",
        params={"name": "kutaisis politeknikuri instituti", "country": "ge"},
        headers=screener,
    ).json()
    assert looked_up["status"]["configured"] and looked_up["status"]["providers"] == 2
    [match] = looked_up["lookup"]["matches"]
    assert looked_up["lookup"]["country"] == "GE"
    assert (match["name_kind"], match["how"]) == ("official", "transliterated")
    assert match["entry"]["key"] == "deqar:DEQARINST9001"


def test_a_bad_country_is_a_problem(app: TestClient, screener: dict[str, str]) -> None:
    response = app.get("/v1/registry", params={"name": "x", "country": "Georgia"}, headers=screener)
    body = assert_problem(response, 422)
    assert body["errors"][0]["loc"] == ["query", "country"]


def test_the_registry_needs_a_key(app: TestClient) -> None:
    assert_problem(app.get("/v1/registry"), 401)
