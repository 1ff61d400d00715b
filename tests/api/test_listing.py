"""Lists page by cursor (``after`` = the last id seen), oldest first, and filter by creation
time and status; ``GET /v1/recognitions?status=awaiting_decision`` is the evaluators' queue."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from apitest_support import assert_problem, key_headers, make_client, make_settings

from api.security import Role


def all_pages(client: Any, path: str, headers: dict, **params: Any) -> list[dict]:
    items, after = [], None
    while True:
        query = {**params, **({"after": after} if after else {})}
        page = client.get(path, params=query, headers=headers)
        assert page.status_code == 200, page.text
        body = page.json()
        items += body["items"]
        after = body["next_after"]
        if after is None:
            return items


def test_pages_filters_and_the_decision_queue(
    tmp_path: Path, programme: dict, credentials: list[dict]
) -> None:
    with make_client(make_settings(tmp_path, api_rate_limit_per_minute=100_000)) as client:
        admin = key_headers(client, Role.ADMIN)
        assert client.post("/v1/programmes", json=programme, headers=admin).status_code == 201
        stored = [
            client.post("/v1/credentials", json=c, headers=admin).json() for c in credentials[:5]
        ]
        recognitions = [
            client.post(
                "/v1/recognitions",
                json={"programme_id": programme["id"], "credential_ids": [c["id"]]},
                headers=admin,
            ).json()
            for c in stored
        ]
        decided = recognitions[1]["id"]
        client.post(f"/v1/recognitions/{decided}/decisions",
                    json={"action": "reject", "reason": "x"}, headers=admin)

        listed = all_pages(client, "/v1/credentials", admin, limit=2)
        assert [c["id"] for c in listed] == [c["id"] for c in stored]  # each once, in order

        queue = all_pages(client, "/v1/recognitions", admin, status="awaiting_decision", limit=2)
        assert [r["id"] for r in queue] == [r["id"] for r in recognitions if r["id"] != decided]
        done = all_pages(client, "/v1/recognitions", admin, status="decided")
        assert [r["id"] for r in done] == [decided]

        later = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)).isoformat()
        assert all_pages(client, "/v1/credentials", admin, created_from=later) == []
        assert len(all_pages(client, "/v1/credentials", admin, created_before=later)) == 5
        assert [p["id"] for p in all_pages(client, "/v1/programmes", admin)] == [programme["id"]]
        assert all_pages(client, "/v1/screenings", admin, status="running") == []

        assert_problem(client.get("/v1/credentials", params={"after": "nope"}, headers=admin), 404)
        assert_problem(client.get("/v1/recognitions", params={"status": "x"}, headers=admin), 422)
