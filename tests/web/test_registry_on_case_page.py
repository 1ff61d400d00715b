"""The workbench's case page shows the registers' and the national policy's findings, each with
the source it cites, in a fresh data folder: not configured before an import, registered with
DEQAR's attribution after one, and the Georgian profile's maximum marking a 12-ECTS credential."""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "api"))
from apitest_support import make_client, make_settings  # noqa: E402
from workbench_forms import csrf_token  # noqa: E402

from api.security import Role, create_key  # noqa: E402
from recognition_engine.registry import ProviderRegistry, read_export  # noqa: E402
from tests.conftest import FAKE_MIN_PROPOSAL_SCORE, make_credential, make_programme  # noqa: E402
from tests.registry.deqar_rows import write_institutions, write_reports  # noqa: E402

POLICY = Path(__file__).resolve().parents[2] / "corpora" / "policies" / "ge-am.example.yaml"
LISTED = "Kutaisi Polytechnic Institute (invented)"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    settings = make_settings(
        tmp_path_factory.mktemp("registry-web"),
        min_proposal_score=FAKE_MIN_PROPOSAL_SCORE,
        national_policy_file=POLICY,
    )
    with make_client(settings) as client:
        admin, _ = create_key(client.app.state.services.database, Role.ADMIN, "admin")
        programme = make_programme().model_dump(mode="json")
        created = client.post("/v1/programmes", json=programme, headers={"X-API-Key": admin})
        assert created.status_code == 201, created.text
        yield client


def case_page(app: TestClient, awarding_body: str, ects: float) -> str:
    browser = TestClient(app.app)
    key, _ = create_key(app.app.state.services.database, Role.SCREENING, "intake")
    browser.post("/login", data={"key": key, "csrf_token": csrf_token(browser.get("/login").text)})
    credential = make_credential(id=None, awarding_body=awarding_body, workload={"ects": ects})
    document = json.dumps(credential.model_dump(mode="json")).encode()
    created = browser.post(
        "/cases",
        data={"programme_id": "test-cs", "csrf_token": csrf_token(browser.get("/cases/new").text)},
        files=[("credentials", ("credential.json", document, "application/json"))],
        follow_redirects=False,
    )
    assert created.status_code == 303, created.text
    page = browser.get(created.headers["location"])
    assert page.status_code == 200
    return page.text


def section(html: str) -> str:
    found = re.search(r'<ul data-testid="registers-and-policy">(.*?)</ul>', html, re.S)
    assert found, "the page shows no registers and national policy"
    return found.group(1)


def test_the_case_page_shows_registers_and_policy_with_sources(
    app: TestClient, tmp_path: Path
) -> None:
    before = section(case_page(app, LISTED, 12))
    assert 'data-code="qa.registry.not_configured"' in before
    assert 'data-code="national_policy.microcredential_ects.outside"' in before
    assert "Micro-GEAR D1.2, Georgia roadmap" in before  # the rule's source, cited

    exports = [read_export(write_institutions(tmp_path)), read_export(write_reports(tmp_path))]
    ProviderRegistry(app.app.state.services.settings.data_dir).import_deqar(
        exports, dt.date(2026, 11, 30)
    )
    after = section(case_page(app, LISTED, 6))
    assert 'data-code="qa.registry.registered"' in after
    assert 'href="https://www.deqar.eu/reports/77001"' in after
    assert "CC BY 4.0" in after and "(2026-11-30)" in after
    assert 'data-code="national_policy.microcredential_ects.within"' in after
