"""A module put up for review, in the workbench, on the real bundled model."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT, Workbench
from playwright.sync_api import Page, expect
from webtest_support import new_case, screenshot, sign_in

from api.security import Role

pytestmark = [pytest.mark.browser, pytest.mark.real_model]

HALF = ROOT / "corpora" / "credentials" / "network-security-essentials-1.yaml"


def test_a_half_course_shows_its_module_for_review_with_what_to_ask(
    real_page: Page, real_workbench: Workbench, screenshots: Path
) -> None:
    sign_in(real_page, real_workbench.keys[Role.ADMIN])
    new_case(real_page, real_workbench.programme_id, HALF)
    expect(real_page.get_by_test_id("proposal-status")).to_contain_text("review required")
    module = real_page.get_by_test_id("module-proposal").first
    expect(module).to_contain_text("CE3201")
    expect(module).to_contain_text("proposed for review")
    expect(real_page.get_by_test_id("evidence-requests").first).to_contain_text("syllabus")
    expect(real_page.get_by_test_id("tier-record")).to_contain_text("other institutions")
    screenshot(real_page, screenshots, "review")
    real_page.get_by_test_id("evidence-requests").first.scroll_into_view_if_needed()
    screenshot(real_page, screenshots, "review-requests")
    real_page.get_by_role("link", name="Recognition statement").click()
    expect(real_page.get_by_test_id("statement-tier")).to_contain_text("cold-start model")
    expect(real_page.get_by_test_id("statement")).to_contain_text("(for review)")
