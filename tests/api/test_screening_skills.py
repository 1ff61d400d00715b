"""A screening's ESCO skills through the API: counted, and its results filtered by one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from apitest_support import key_headers, make_settings, wait_for
from fastapi.testclient import TestClient

from api.app import create_app
from api.security import Role
from recognition_engine.models import HashingEmbedder
from recognition_engine.service import RecognitionEngine
from recognition_engine.skills.tagger import TaggingParams
from tests.conftest import FAKE_MIN_PROPOSAL_SCORE


@pytest.fixture
def client(tmp_path: Path, programme: dict) -> Iterator[TestClient]:
    """A service of its own whose tagger's threshold suits the fake embedder (hashing vectors
    are less alike than a model's)."""
    settings = make_settings(
        tmp_path, api_rate_limit_per_minute=100_000, min_proposal_score=FAKE_MIN_PROPOSAL_SCORE
    )
    engine = RecognitionEngine(settings, embedder=HashingEmbedder())
    engine.skills.params = TaggingParams(threshold=0.4)
    with TestClient(create_app(settings, engine=engine)) as test_client:
        admin = key_headers(test_client, Role.ADMIN)
        assert test_client.post("/v1/programmes", json=programme, headers=admin).status_code == 201
        yield test_client


def test_skills_are_counted_and_results_filtered_by_skill(
    client: TestClient, programme: dict, credentials: list[dict[str, Any]]
) -> None:
    screener = key_headers(client, Role.SCREENING)
    english = [c for c in credentials if c.get("language") in ("en", "English")]
    body = {"programme_ids": [programme["id"]], "credentials": english}
    screening_id = client.post("/v1/screenings", json=body, headers=screener).json()["id"]
    ended = wait_for(
        client, screening_id, lambda s: s["status"] in ("completed", "failed"), headers=screener
    )
    assert ended["status"] == "completed", ended
    base = f"/v1/screenings/{screening_id}"

    counts = client.get(f"{base}/skills", headers=screener).json()
    assert counts, "the proposed modules have ESCO skills"
    assert all(c["uri"].startswith("http://data.europa.eu/esco/skill/") for c in counts)
    assert all(c["shared"] + c["missing"] >= 1 for c in counts)
    ranked = [(-c["shared"], -c["missing"]) for c in counts]
    assert ranked == sorted(ranked)

    every = client.get(f"{base}/results?limit=200", headers=screener).json()["items"]
    skill = counts[0]["uri"]
    for role, counted in (("shared", counts[0]["shared"]), ("missing", counts[0]["missing"])):
        kept = client.get(
            f"{base}/results",
            params={"skill": skill, "skill_role": role, "limit": 200},
            headers=screener,
        ).json()["items"]
        assert len(kept) == counted
        for item in kept:
            assert any(
                skill in {s["uri"] for s in module["skills"][role]}
                for module in item["proposal"]["modules"]
            )
    either = client.get(
        f"{base}/results", params={"skill": skill, "limit": 200}, headers=screener
    ).json()["items"]
    assert 1 <= len(either) <= len(every)
    nothing = client.get(
        f"{base}/results", params={"skill": "http://example.org/none"}, headers=screener
    ).json()
    assert nothing["items"] == []
    bad = client.get(
        f"{base}/results", params={"skill": "x", "skill_role": "sometimes"}, headers=screener
    )
    assert bad.status_code == 422
