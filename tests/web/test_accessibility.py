"""axe-core on every page of the workbench: no serious or critical violation."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from conftest import GIS, Workbench
from playwright.sync_api import Page, expect
from webtest_support import new_case, sign_in

from api.security import Role

pytestmark = pytest.mark.browser
BLOCKING = {"serious", "critical"}


def assert_accessible(page: Page) -> None:
    results = Axe().run(page)
    found = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in BLOCKING
    ]
    assert not found, f"{page.url}:\n" + "\n".join(found)


def test_every_page_passes_axe(page: Page, workbench: Workbench) -> None:
    page.goto("/login")
    assert_accessible(page)
    sign_in(page, workbench.keys[Role.ADMIN])
    case = new_case(page, workbench.programme_id, GIS)
    pages = [
        "/cases", "/cases/new", case, f"{case}/statement", "/programmes",
        f"/programmes/{workbench.programme_id}", "/screenings", "/patterns",
    ]
    for path in pages:
        page.goto(path)
        expect(page.locator("main")).to_be_visible()
        assert_accessible(page)
    page.goto("/screenings")
    page.get_by_test_id("screening-upload").set_input_files(str(GIS))
    page.get_by_test_id("screening-submit").click()
    expect(page.get_by_test_id("screening-progress")).to_have_attribute("data-status", "completed")
    assert_accessible(page)
