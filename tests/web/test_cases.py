"""A workbench case is stored only once every check has passed, in one transaction: a case the
stacking check (or anything else) refuses leaves no credential behind."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.exc import IntegrityError

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "api"))
from apitest_support import (  # noqa: E402
    corpus_credentials,
    corpus_programme,
)
from workbench_forms import csrf_token, serving_programme  # noqa: E402

import api.store  # noqa: E402
from api.security import Role, create_key  # noqa: E402
from api.tables import CredentialRecord, RecognitionRecord  # noqa: E402
from recognition_engine.domain import MicroCredential  # noqa: E402


@pytest.fixture(scope="module")
def app_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    yield from serving_programme(tmp_path_factory.mktemp("cases"))


def _count(client: TestClient, table: type) -> int:
    return client.app.state.services.store.count(table)


def _new_case(client: TestClient, *documents: dict[str, Any]) -> Any:
    browser = TestClient(client.app)
    key, _ = create_key(client.app.state.services.database, Role.SCREENING, "cases")
    browser.post("/login", data={"key": key, "csrf_token": csrf_token(browser.get("/login").text)})
    return browser.post(
        "/cases",
        data={
            "programme_id": corpus_programme()["id"],
            "csrf_token": csrf_token(browser.get("/cases/new").text),
        },
        files=[
            ("credentials", (f"c{i}.json", json.dumps(doc).encode(), "application/json"))
            for i, doc in enumerate(documents)
        ],
        follow_redirects=False,
    )


@pytest.mark.parametrize("refusal", ["the same one twice", "one not stackable"])
def test_a_refused_case_leaves_nothing_behind(app_client: TestClient, refusal: str) -> None:
    first, second = corpus_credentials()[:2]
    documents = {
        "the same one twice": (first, first),
        "one not stackable": (first, second | {"stackable": False}),
    }[refusal]
    before = (_count(app_client, CredentialRecord), _count(app_client, RecognitionRecord))
    refused = _new_case(app_client, *documents)
    assert refused.status_code == 422, refused.text
    assert "stackable" in refused.text or "twice" in refused.text
    after = (_count(app_client, CredentialRecord), _count(app_client, RecognitionRecord))
    assert after == before


def test_a_case_that_passes_stores_its_credentials_with_its_proposal(
    app_client: TestClient,
) -> None:
    first, second = corpus_credentials()[:2]
    before = _count(app_client, CredentialRecord)
    created = _new_case(app_client, first, second)
    assert created.status_code == 303, created.text
    case_id = created.headers["location"].removeprefix("/cases/")
    recognition = app_client.app.state.services.store.recognition(case_id)
    assert len(recognition.credential_ids) == 2
    assert _count(app_client, CredentialRecord) == before + 2


def test_a_write_that_fails_midway_stores_nothing(
    app_client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The credentials and the recognition are one transaction: when the recognition cannot be
    written, the credentials written before it in the same case are rolled back."""
    services = app_client.app.state.services
    caller = create_key(services.database, Role.SCREENING, "midway")[1]
    credential = MicroCredential.model_validate(corpus_credentials()[0])
    case = services.store.new_case([credential], corpus_programme()["id"], caller)
    proposal = services.engine.recognise(list(case.basis.credentials), case.basis.programme)
    taken = services.store.add_case(
        services.store.new_case([credential], corpus_programme()["id"], caller), proposal, caller
    ).id
    write = api.store._recognition_record

    def clashing(*args: Any) -> RecognitionRecord:
        record = write(*args)
        record.id = taken  # an id that is taken: the insert fails after the credentials'
        return record

    monkeypatch.setattr(api.store, "_recognition_record", clashing)
    before = _count(app_client, CredentialRecord)
    with pytest.raises(IntegrityError):
        services.store.add_case(case, proposal, caller)
    assert _count(app_client, CredentialRecord) == before


def test_a_credential_typed_into_the_form_is_read_by_the_engines_reader(
    app_client: TestClient,
) -> None:
    browser = TestClient(app_client.app)
    key, _ = create_key(app_client.app.state.services.database, Role.SCREENING, "form")
    browser.post("/login", data={"key": key, "csrf_token": csrf_token(browser.get("/login").text)})
    made = browser.post(
        "/cases",
        data={
            "programme_id": corpus_programme()["id"],
            "csrf_token": csrf_token(browser.get("/cases/new").text),
            "title": "Typed into the form",
            "awarding_body": "Invented Institute",
            "country": "ge",
            "date_of_issue": "2025-01-31",
            "learning_outcomes": "Design a relational schema.\nWrite SQL queries with joins.",
            "ects": "5",
        },
        follow_redirects=False,
    )
    assert made.status_code == 303, made.text[:500]
    case_id = made.headers["location"].rsplit("/", 1)[-1]
    [typed] = app_client.app.state.services.store.recognition(case_id).proposal.credentials
    assert typed.provenance is not None
    assert (typed.provenance.format, typed.provenance.signature) == ("form", "unsigned")
    assert typed.country == "GE"
    assert typed.missing_elements == ["level", "assessment", "participation", "quality_assurance"]
