"""The workbench in a real browser: sign-in, a case, decisions, CSRF, languages, escaping."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import GIS, Workbench
from playwright.sync_api import Page, expect
from webtest_support import new_case, screenshot, sign_in

from api.security import Role

pytestmark = pytest.mark.browser


def test_sign_in_and_out(page: Page, workbench: Workbench, screenshots: Path) -> None:
    page.goto("/cases")
    expect(page).to_have_url(f"{workbench.url}/login?next=/cases")
    screenshot(page, screenshots, "sign-in")
    sign_in(page, workbench.keys[Role.EVALUATOR])
    expect(page.get_by_text("evaluator tester")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_test_id("login-key")).to_be_visible()
    page.goto("/cases")
    expect(page.get_by_test_id("login-key")).to_be_visible()


def test_wrong_key_is_refused(page: Page) -> None:
    page.goto("/login")
    page.get_by_test_id("login-key").fill("re_" + "x" * 43)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("login-error")).to_contain_text("No key matches")
    expect(page.get_by_test_id("login-key")).to_be_visible()


def test_gis_pilot_case_shows_the_evidence_matrix(page: Page, workbench: Workbench) -> None:
    sign_in(page, workbench.keys[Role.ADMIN])
    new_case(page, workbench.programme_id, GIS)
    expect(page.get_by_test_id("proposal-status")).to_be_visible()
    for element in ("level", "workload", "quality-assurance", "profile", "learning-outcomes"):
        expect(page.get_by_test_id(f"element-{element}")).to_be_visible()
    matrix = page.get_by_test_id("evidence-matrix")
    expect(matrix).to_be_visible()
    expect(matrix).to_contain_text("Choose a suitable coordinate reference system")


def test_modified_decision_appears_in_the_audit_trail(page: Page, workbench: Workbench) -> None:
    sign_in(page, workbench.keys[Role.ADMIN])
    new_case(page, workbench.programme_id, GIS)
    page.get_by_test_id("decision-modify").check()
    page.get_by_test_id("ects-CE1101").fill("2")
    page.get_by_test_id("decision-reason").fill("Only the GIS half matches CE1101 in part.")
    page.get_by_test_id("decision-submit").click()
    trail = page.get_by_test_id("audit-trail")
    expect(trail.get_by_test_id("audit-entry")).to_have_count(1)
    expect(trail).to_contain_text("modified")
    expect(trail).to_contain_text("CE1101 (2)")
    expect(trail).to_contain_text("Only the GIS half matches CE1101 in part.")
    expect(trail).to_contain_text("admin tester")
    expect(trail).to_contain_text("version 1")
    page.goto(page.url + "/statement")
    expect(page.get_by_test_id("statement")).to_contain_text("CE1101")


def test_rejection_without_a_reason_is_refused(page: Page, workbench: Workbench) -> None:
    sign_in(page, workbench.keys[Role.ADMIN])
    new_case(page, workbench.programme_id, GIS)
    page.get_by_test_id("decision-reject").check()
    page.get_by_test_id("decision-submit").click()
    expect(page.get_by_test_id("decision-error")).to_contain_text("A reason is required")
    expect(page.get_by_test_id("audit-trail").get_by_test_id("audit-entry")).to_have_count(0)


def test_a_post_without_the_csrf_token_gets_403(page: Page, workbench: Workbench) -> None:
    sign_in(page, workbench.keys[Role.ADMIN])
    case = new_case(page, workbench.programme_id, GIS)
    response = page.request.post(
        f"{case}/decisions", form={"action": "reject", "reason": "forged"}
    )
    assert response.status == 403
    assert 'data-testid="csrf-error"' in response.text()
    page.reload()
    expect(page.get_by_test_id("audit-trail").get_by_test_id("audit-entry")).to_have_count(0)


def test_switching_to_georgian(page: Page, workbench: Workbench) -> None:
    sign_in(page, workbench.keys[Role.EVALUATOR])
    page.get_by_test_id("lang-switch").select_option("ka")
    page.get_by_role("button", name="Change").click()
    expect(page.locator("html")).to_have_attribute("lang", "ka")
    expect(page.get_by_role("heading", level=1)).to_have_text("საქმეები")
    page.get_by_test_id("lang-switch").select_option("en")
    page.get_by_role("button", name="შეცვლა").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cases")


def test_markup_in_an_outcome_renders_as_text(
    page: Page, workbench: Workbench, tmp_path: Path
) -> None:
    credential = yaml.safe_load(GIS.read_text(encoding="utf-8"))
    credential["id"] = "hostile-outcome"
    credential["learning_outcomes"][0] = (
        "Distinguish vector and raster data <script>alert(1)</script> in QGIS projects."
    )
    hostile = tmp_path / "hostile.yaml"
    hostile.write_text(yaml.safe_dump(credential, allow_unicode=True), encoding="utf-8")
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sign_in(page, workbench.keys[Role.ADMIN])
    new_case(page, workbench.programme_id, hostile)
    expect(page.get_by_test_id("evidence-matrix")).to_contain_text("<script>alert(1)</script>")
    assert page.locator("script", has_text="alert(1)").count() == 0
    assert dialogs == []
