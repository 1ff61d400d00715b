"""The workbench in process (no browser): the session cookie, redirects, roles, 404, CSV."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "api"))
from apitest_support import corpus_programme, make_client, make_settings  # noqa: E402

from api.security import Role, create_key, revoke_key  # noqa: E402
from api.web.screenings import results_csv  # noqa: E402


@pytest.fixture(scope="module")
def app_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    settings = make_settings(tmp_path_factory.mktemp("pages"), api_rate_limit_per_minute=100_000)
    with make_client(settings) as client:
        admin, _ = create_key(client.app.state.services.database, Role.ADMIN, "admin")
        response = client.post(
            "/v1/programmes", json=corpus_programme(), headers={"X-API-Key": admin}
        )
        assert response.status_code == 201, response.text
        yield client


def _token(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def _signed_in(client: TestClient, role: Role) -> tuple[TestClient, str]:
    fresh = TestClient(client.app)
    key, caller = create_key(client.app.state.services.database, role, f"{role.value} page")
    token = _token(fresh.get("/login").text)
    response = fresh.post("/login", data={"key": key, "csrf_token": token})
    assert response.status_code == 200 and response.url.path == "/cases"
    return fresh, caller.key_id


def test_the_session_cookie_is_httponly_and_strict(app_client: TestClient) -> None:
    fresh = TestClient(app_client.app)
    cookie = fresh.get("/login").headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "secure" not in cookie
    over_tls = TestClient(app_client.app, base_url="https://testserver")
    assert "secure" in over_tls.get("/login").headers["set-cookie"].lower()


def test_pages_need_a_sign_in_and_never_redirect_off_site(app_client: TestClient) -> None:
    fresh = TestClient(app_client.app)
    response = fresh.get("/cases/new", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login?next=/cases/new"
    client, _ = _signed_in(app_client, Role.EVALUATOR)
    response = client.get("/login?next=//evil.example/", follow_redirects=False)
    assert response.headers["location"] == "/cases"


def test_roles_are_the_apis(app_client: TestClient) -> None:
    evaluator, _ = _signed_in(app_client, Role.EVALUATOR)
    assert evaluator.get("/cases/new").status_code == 403
    assert 'data-testid="case-new"' not in evaluator.get("/cases").text
    screener, _ = _signed_in(app_client, Role.SCREENING)
    assert screener.get("/cases/new").status_code == 200
    token = _token(screener.get("/programmes").text)
    response = screener.post("/programmes", data={"csrf_token": token})
    assert response.status_code == 403


def test_a_revoked_key_ends_its_session(app_client: TestClient) -> None:
    client, key_id = _signed_in(app_client, Role.EVALUATOR)
    revoke_key(app_client.app.state.services.database, key_id)
    response = client.get("/cases", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_an_unknown_case_is_a_404_page(app_client: TestClient) -> None:
    client, _ = _signed_in(app_client, Role.EVALUATOR)
    response = client.get("/cases/" + "0" * 32)
    assert response.status_code == 404 and "text/html" in response.headers["content-type"]


def test_the_csv_keeps_formulas_as_text() -> None:
    from api.schemas import ItemState, ScreeningItemPublic, ScreeningResults

    item = ScreeningItemPublic(
        position=0, programme_id="p", credential_id=None, credential_title="=HYPERLINK(1)",
        state=ItemState.PENDING, proposal=None,
    )
    page = ScreeningResults.model_construct(items=[item])
    assert "'=HYPERLINK(1)" in results_csv([page])
