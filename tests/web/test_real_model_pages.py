"""The workbench's main pages on the real bundled model: what an evaluator sees, and the
screenshots in the documentation (``make screenshots``), so their figures are the product's."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import GIS, Workbench
from playwright.sync_api import Page, expect
from webtest_support import new_case, screenshot, sign_in

from api.security import Role

pytestmark = [pytest.mark.browser, pytest.mark.real_model]


def test_a_gis_course_gets_its_gis_module_with_the_matched_outcomes(
    real_page: Page, real_workbench: Workbench, screenshots: Path
) -> None:
    sign_in(real_page, real_workbench.keys[Role.ADMIN])
    new_case(real_page, real_workbench.programme_id, GIS)
    module = real_page.get_by_test_id("module-proposal").first
    expect(module).to_contain_text("CE3301")
    matrix = real_page.get_by_test_id("evidence-matrix")
    # the credential's outcomes are its rows; a module outcome it covers is marked "matched"
    expect(matrix).to_contain_text("Create and edit point, line and polygon layers in QGIS")
    expect(matrix).to_contain_text("matched")
    screenshot(real_page, screenshots, "proposal")
    matrix.scroll_into_view_if_needed()
    screenshot(real_page, screenshots, "evidence-matrix")

    real_page.get_by_test_id("decision-accept").check()
    real_page.get_by_test_id("decision-reason").fill(
        "The GIS outcomes match CE3301 in part; the rest by a supplementary assessment."
    )
    real_page.get_by_test_id("decision-submit").click()
    trail = real_page.get_by_test_id("audit-trail")
    expect(trail.get_by_test_id("audit-entry")).to_have_count(1)
    expect(trail).to_contain_text("accepted")
    trail.scroll_into_view_if_needed()
    screenshot(real_page, screenshots, "decision")
    real_page.goto(real_page.url + "/statement")
    expect(real_page.get_by_test_id("statement")).to_contain_text("CE3301")
    screenshot(real_page, screenshots, "statement")
