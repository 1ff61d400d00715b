"""The case page shows each proposed module's ESCO skills as chips beside the evidence matrix,
shared and missing, in the reader's language; the statement lists the skills evidenced."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "api"))
from apitest_support import corpus_credentials, corpus_programme, make_settings  # noqa: E402

from api.app import create_app  # noqa: E402
from api.security import Role, create_key  # noqa: E402
from recognition_engine.models import HashingEmbedder  # noqa: E402
from recognition_engine.service import RecognitionEngine  # noqa: E402
from recognition_engine.skills.tagger import TaggingParams  # noqa: E402
from tests.conftest import FAKE_MIN_PROPOSAL_SCORE  # noqa: E402


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, str]]:
    settings = make_settings(
        tmp_path_factory.mktemp("skills"),
        api_rate_limit_per_minute=100_000,
        min_proposal_score=FAKE_MIN_PROPOSAL_SCORE,
    )
    engine = RecognitionEngine(settings, embedder=HashingEmbedder())
    engine.skills.params = TaggingParams(threshold=0.4)  # hashing vectors: a lower threshold
    with TestClient(create_app(settings, engine=engine)) as client:
        admin, _ = create_key(client.app.state.services.database, Role.ADMIN, "admin")
        headers = {"X-API-Key": admin}
        assert client.post("/v1/programmes", json=corpus_programme(), headers=headers).is_success
        credential = next(
            c
            for c in corpus_credentials()
            if c.get("id") == "ge-pilot-python-r-data-analysis-medicine"
        )
        stored = client.post("/v1/credentials", json=credential, headers=headers).json()
        body = {"programme_id": corpus_programme()["id"], "credential_ids": [stored["id"]]}
        created = client.post("/v1/recognitions", json=body, headers=headers)
        assert created.status_code == 201, created.text
        yield client, created.json()["id"]


def signed_in(client: TestClient, lang: str | None = None) -> TestClient:
    fresh = TestClient(client.app)
    key, _ = create_key(client.app.state.services.database, Role.EVALUATOR, "evaluator")
    token = re.search(r'name="csrf_token" value="([^"]+)"', fresh.get("/login").text).group(1)
    assert fresh.post("/login", data={"key": key, "csrf_token": token}).status_code == 200
    if lang:
        token = re.search(r'name="csrf_token" value="([^"]+)"', fresh.get("/cases").text).group(1)
        fresh.post("/lang", data={"lang": lang, "next": "/cases", "csrf_token": token})
    return fresh


def test_the_case_page_shows_shared_and_missing_skills_as_chips(case) -> None:  # noqa: ANN001
    client, case_id = case
    proposal = client.app.state.services.store.recognition(case_id).proposal
    module = proposal.modules[0]
    assert module.skills is not None and (module.skills.shared or module.skills.missing)
    html = signed_in(client).get(f"/cases/{case_id}").text
    assert html.index('data-testid="evidence-matrix"') < html.index('data-testid="module-skills"')
    for role in ("shared", "missing"):
        shown = re.findall(rf'data-testid="skill-{role}" href="([^"]+)"', html)
        expected = [s.uri for m in proposal.modules if m.skills for s in getattr(m.skills, role)]
        assert shown == expected


@pytest.mark.parametrize(
    ("lang", "heading"),
    [("en", "ESCO skills"), ("ka", "ESCO-ს უნარები"), ("hy", "ESCO հմտություններ")],
)
def test_the_chips_heading_is_in_the_readers_language(case, lang: str, heading: str) -> None:  # noqa: ANN001
    client, case_id = case
    html = signed_in(client, lang).get(f"/cases/{case_id}").text
    assert f'<h2 id="skills-title">{heading}</h2>' in html


def test_the_statement_lists_the_skills_evidenced(case) -> None:  # noqa: ANN001
    client, case_id = case
    proposal = client.app.state.services.store.recognition(case_id).proposal
    html = signed_in(client).get(f"/cases/{case_id}/statement").text
    assert 'data-testid="statement-skills"' in html
    for module in proposal.modules:
        for skill in module.skills.shared:
            assert skill.label in html
