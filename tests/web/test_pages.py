"""The workbench in process (no browser): the session cookie, redirects, roles, 404, CSV."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "api"))

from workbench_forms import csrf_token, serving_programme, signed_in  # noqa: E402

from api.security import Role, revoke_key  # noqa: E402
from api.web.screenings import results_csv  # noqa: E402


@pytest.fixture(scope="module")
def app_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    yield from serving_programme(tmp_path_factory.mktemp("pages"))


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
    client, _ = signed_in(app_client, Role.EVALUATOR)
    response = client.get("/login?next=//evil.example/", follow_redirects=False)
    assert response.headers["location"] == "/cases"


def test_roles_are_the_apis(app_client: TestClient) -> None:
    evaluator, _ = signed_in(app_client, Role.EVALUATOR)
    assert evaluator.get("/cases/new").status_code == 403
    assert 'data-testid="case-new"' not in evaluator.get("/cases").text
    screener, _ = signed_in(app_client, Role.SCREENING)
    assert screener.get("/cases/new").status_code == 200
    token = csrf_token(screener.get("/programmes").text)
    response = screener.post("/programmes", data={"csrf_token": token})
    assert response.status_code == 403


def test_a_revoked_key_ends_its_session(app_client: TestClient) -> None:
    client, key_id = signed_in(app_client, Role.EVALUATOR)
    revoke_key(app_client.app.state.services.database, key_id)
    response = client.get("/cases", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_an_unknown_case_is_a_404_page(app_client: TestClient) -> None:
    client, _ = signed_in(app_client, Role.EVALUATOR)
    response = client.get("/cases/" + "0" * 32)
    assert response.status_code == 404 and "text/html" in response.headers["content-type"]


def test_the_csv_keeps_formulas_as_text() -> None:
    from api.schemas import ItemState, ScreeningItemPublic, ScreeningResults

    item = ScreeningItemPublic(
        position=0,
        programme_id="p",
        credential_id=None,
        credential_title="=HYPERLINK(1)",
        state=ItemState.PENDING,
        proposal=None,
    )
    page = ScreeningResults.model_construct(items=[item])
    assert "'=HYPERLINK(1)" in results_csv([page])
