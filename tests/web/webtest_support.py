"""Steps the browser tests share."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect


def sign_in(page: Page, key: str) -> None:
    page.goto("/login")
    page.get_by_test_id("login-key").fill(key)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_role("heading", name="Cases", level=1)).to_be_visible()


def new_case(page: Page, programme_id: str, *files: Path) -> str:
    """Create a case from files and return the proposal page's path."""
    page.goto("/cases")
    page.get_by_test_id("case-new").click()
    page.get_by_test_id("programme-select").select_option(programme_id)
    page.get_by_test_id("credential-upload").set_input_files([str(f) for f in files])
    page.get_by_test_id("case-submit").click()
    expect(page.get_by_test_id("proposal")).to_be_visible()
    return page.url.removeprefix(page.url.split("/cases/")[0])


def screenshot(page: Page, folder: Path, name: str) -> None:
    page.screenshot(path=str(folder / f"workbench-{name}.png"))
