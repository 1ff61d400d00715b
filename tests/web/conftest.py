"""A real server on 127.0.0.1 (uvicorn in a thread, the hashing embedder, a temporary SQLite
database, the shipped programme) and Debian's chromium driven by Playwright.

The browser is never downloaded: without /usr/bin/chromium (``apt-get install chromium``) these
tests are skipped, and say why.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn

from api import create_app
from api.security import Role, create_key
from recognition_engine.config import Settings
from recognition_engine.ingestion.files import load_programme
from recognition_engine.models import HashingEmbedder
from recognition_engine.service import RecognitionEngine

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("WORKBENCH_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
PROGRAMME = ROOT / "corpora" / "programmes" / "ge-computer-engineering-bsc.yaml"
GIS = ROOT / "corpora" / "credentials" / "pilot-gis-for-tourism.yaml"

os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")


@dataclass(frozen=True)
class Workbench:
    url: str
    keys: dict[Role, str]
    programme_id: str


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serve(settings: Settings, engine: RecognitionEngine) -> Iterator[Workbench]:
    """Run the app on a free port with the shipped programme stored, until the session ends."""
    app = create_app(settings, engine=engine)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:  # a readiness flag, not a guess at how long start-up takes
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("the workbench server did not start")
        time.sleep(0.05)
    url = f"http://127.0.0.1:{port}"
    database = app.state.services.database
    keys = {role: create_key(database, role, f"{role.value} tester")[0] for role in Role}
    programme = load_programme(PROGRAMME)
    response = httpx.post(
        f"{url}/v1/programmes", json=programme.model_dump(mode="json"),
        headers={"X-API-Key": keys[Role.ADMIN]}, timeout=300,
    )
    assert response.status_code == 201, response.text
    yield Workbench(url, keys, programme.id)
    server.should_exit = True
    thread.join(timeout=30)


@pytest.fixture(scope="session")
def workbench(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workbench]:
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("workbench"), embedder="fake", _env_file=None,
        api_rate_limit_per_minute=100_000,
    )
    yield from _serve(settings, RecognitionEngine(settings, embedder=HashingEmbedder()))


@pytest.fixture(scope="module")
def fresh_workbench(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Callable[[], Workbench]]:
    """Start servers like ``workbench``, each in a data folder no other test touches; all are
    stopped when the module ends."""
    running: list[Iterator[Workbench]] = []

    def start() -> Workbench:
        settings = Settings(
            data_dir=tmp_path_factory.mktemp("fresh"), embedder="fake", _env_file=None,
            api_rate_limit_per_minute=100_000,
        )
        server = _serve(settings, RecognitionEngine(settings, embedder=HashingEmbedder()))
        running.append(server)
        return next(server)

    yield start
    for server in running:
        next(server, None)  # past its yield: the server stops


@pytest.fixture(scope="session")
def real_workbench(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workbench]:
    """The same server on the real bundled model: for what depends on its judgement."""
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("workbench-real"), _env_file=None,
        api_rate_limit_per_minute=100_000,
    )
    yield from _serve(settings, RecognitionEngine(settings))


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists() or shutil.which(str(CHROMIUM)) is None:
        pytest.skip(f"no chromium at {CHROMIUM}: apt-get install -y chromium (make test does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, workbench: Workbench):  # noqa: ANN001, ANN201 - playwright types
    context = browser.new_context(base_url=workbench.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def real_page(browser, real_workbench: Workbench):  # noqa: ANN001, ANN201 - playwright types
    context = browser.new_context(base_url=real_workbench.url,
                                  viewport={"width": 1280, "height": 1400})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots go: docs/ with ``make screenshots``, else a temporary folder."""
    target = os.environ.get("WORKBENCH_SCREENSHOTS")
    return Path(target) if target else tmp_path_factory.mktemp("screenshots")
