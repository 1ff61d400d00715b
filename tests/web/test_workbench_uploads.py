"""Workbench uploads read strictly (no browser): a file nested 10,000 deep (JSON or YAML) or
holding a lone surrogate is the page's own error (422), an upload over the limit is the 413
page, refused as it arrives; never a 500."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "api"))
from apitest_support import corpus_programme  # noqa: E402
from workbench_forms import csrf_token, serving_programme  # noqa: E402

from api.body_limit import BodyTooLarge, counted  # noqa: E402
from api.security import Role, create_key  # noqa: E402

DEEP_JSON = ("[" * 10_000 + "]" * 10_000).encode()
DEEP_YAML = ("a: " + "{b: [" * 5_000 + "]}" * 5_000).encode()  # flow style, 10,000 deep
# block style grows as the square of its depth: 300 levels are enough to pass the limit
DEEP_BLOCK_YAML = ("a:\n" + "".join("  " * level + "- \n" for level in range(1, 300))).encode()
LONE = b'{"title": "\\ud800", "learner": {"name": "Nino Beridze"}}'
UPLOAD_LIMIT = 20_000


@pytest.fixture(scope="module")
def app_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    yield from _client(tmp_path_factory.mktemp("uploads"))


@pytest.fixture(scope="module")
def small_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """Limits small enough to pass in a test: 20 kB a form, 5 kB a file."""
    yield from _client(
        tmp_path_factory.mktemp("small"),
        workbench_max_upload_bytes=UPLOAD_LIMIT,
        max_file_bytes=5_000,
    )


def _client(data_dir: Path, **limits: int) -> Iterator[TestClient]:
    yield from serving_programme(data_dir, **limits)


def _signed_in(client: TestClient, role: Role) -> tuple[TestClient, str]:
    """A client signed in to the workbench, and the CSRF token of its session."""
    fresh = TestClient(client.app)
    key, _ = create_key(client.app.state.services.database, role, f"{role.value} uploads")
    fresh.post("/login", data={"key": key, "csrf_token": csrf_token(fresh.get("/login").text)})
    return fresh, csrf_token(fresh.get("/screenings").text)


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("deep.json", DEEP_JSON, "nested deeper than 64 levels"),
        ("deep.yaml", DEEP_YAML, "nested deeper than 64 levels"),
        ("block.yml", DEEP_BLOCK_YAML, "nested deeper than 64 levels"),
        ("deep.jsonld", b'{"@context": ' + DEEP_JSON + b"}", "nested deeper than 64 levels"),
        ("lone.json", LONE, "lone UTF-16 surrogate"),
        ("latin1.yaml", "title: Ni\u00f1o".encode("latin-1"), "not UTF-8 text"),
    ],
)
@pytest.mark.parametrize("page", ["/screenings", "/cases"])
def test_a_hostile_credential_file_is_the_pages_422(
    app_client: TestClient, page: str, name: str, content: bytes, says: str
) -> None:
    client, token = _signed_in(app_client, Role.SCREENING)
    programme = corpus_programme()["id"]
    response = client.post(
        page,
        data={"csrf_token": token, "programme_ids": programme, "programme_id": programme},
        files={"credentials": (name, content)},
    )
    assert response.status_code == 422, response.text[:300]
    assert "text/html" in response.headers["content-type"]
    assert says in response.text and "Nino Beridze" not in response.text


def test_a_programme_file_nested_too_deep_is_the_pages_422(app_client: TestClient) -> None:
    client, token = _signed_in(app_client, Role.ADMIN)
    response = client.post(
        "/programmes", data={"csrf_token": token}, files={"programme": ("p.yaml", DEEP_YAML)}
    )
    assert response.status_code == 422 and "nested deeper than" in response.text


def test_an_upload_over_the_limit_is_the_413_page(small_client: TestClient) -> None:
    client, token = _signed_in(small_client, Role.SCREENING)
    files = [("credentials", (f"c{i}.yaml", b"title: x\n" + b"#" * 4_000)) for i in range(6)]
    response = client.post(
        "/screenings",
        data={"csrf_token": token, "programme_ids": corpus_programme()["id"]},
        files=files,
    )
    assert response.status_code == 413
    assert "text/html" in response.headers["content-type"]
    assert 'data-testid="too-large"' in response.text and "0.02" in response.text


def test_one_screening_file_over_the_file_limit_is_the_413_page(small_client: TestClient) -> None:
    client, token = _signed_in(small_client, Role.SCREENING)
    response = client.post(
        "/screenings",
        data={"csrf_token": token, "programme_ids": corpus_programme()["id"]},
        files={"credentials": ("big.yaml", b"title: x\n" + b"#" * 6_000)},
    )
    assert response.status_code == 413 and 'data-testid="too-large"' in response.text


def test_the_api_keeps_its_own_limit_and_problem(small_client: TestClient) -> None:
    """Only the pages stream their forms: an API body over the workbench's limit is read."""
    response = small_client.post("/v1/credentials", content=b"{" + b" " * UPLOAD_LIMIT + b"}")
    assert response.status_code == 401  # no key: refused before the body, as before


def test_a_form_sent_as_json_meets_the_limit_too(small_client: TestClient) -> None:
    """A page's body read by the JSON check (not by the page) is refused, not a 500."""
    body = b'{"csrf_token": "' + b"x" * UPLOAD_LIMIT + b'"}'
    response = small_client.post(
        "/screenings", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 413


def _run_apart(coroutine: Coroutine[object, object, None]) -> None:
    """Run a coroutine on a loop of its own, in a thread of its own: the browser tests leave
    Playwright's loop running in this thread, where ``asyncio.run`` is refused."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, coroutine).result()


def test_a_streamed_body_stops_at_the_read_that_passes_the_limit() -> None:
    """The form is never read whole: the read past the limit raises, and no read follows."""
    chunks = [b"x" * 400] * 10
    reads = 0

    async def receive() -> dict[str, object]:
        nonlocal reads
        reads += 1
        return {"type": "http.request", "body": chunks[reads - 1], "more_body": reads < 10}

    async def drain(scope: dict[str, object]) -> None:
        read = counted(scope, receive, 1_000)  # type: ignore[arg-type]
        while (await read()).get("more_body"):
            pass

    with pytest.raises(BodyTooLarge):
        _run_apart(drain({"headers": []}))
    assert reads == 3
    reads = 0
    with pytest.raises(BodyTooLarge):  # a Content-Length that says too much: nothing is read
        _run_apart(drain({"headers": [(b"content-length", b"4000")]}))
    assert reads == 0
