"""A screening's lane through the engine's batch runner: each item saved once."""

from __future__ import annotations

from typing import Any

from apitest_support import wait_for
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from api.screening_ledger import ScreeningLane
from api.tables import ScreeningItemRecord


def test_an_item_saved_again_is_neither_rewritten_nor_counted_twice(
    client: TestClient, screener: dict, programme_id: str, english: list[dict[str, Any]]
) -> None:
    body = {"programme_ids": [programme_id], "credentials": english[:2]}
    screening_id = client.post("/v1/screenings", json=body, headers=screener).json()["id"]
    first = wait_for(client, screening_id, headers=screener)
    runner = client.app.state.services.screenings
    database = client.app.state.services.database
    with database.session() as session:
        items = session.scalars(
            select(ScreeningItemRecord).where(ScreeningItemRecord.screening_id == screening_id)
        ).all()
        saved = {item.id: (item.state, item.proposal) for item in items}
    # a retried batch, or a second process resuming the screening, returns the items again
    again = [(item_id, "failed", None, {"title": "late"}) for item_id in saved]
    assert runner._save(screening_id, again) == 0
    status = client.get(f"/v1/screenings/{screening_id}", headers=screener).json()
    assert (status["completed"], status["failed"]) == (first["completed"], first["failed"])
    with database.session() as session:
        for item_id, kept in saved.items():
            item = session.get(ScreeningItemRecord, item_id)
            assert (item.state, item.proposal) == kept


def test_lanes_hand_out_their_own_pending_items_once_in_id_order(
    client: TestClient, screener: dict, programme_id: str, english: list[dict[str, Any]]
) -> None:
    database = client.app.state.services.database
    body = {"programme_ids": [programme_id], "credentials": english[:3]}
    screening_id = client.post("/v1/screenings", json=body, headers=screener).json()["id"]
    wait_for(client, screening_id, headers=screener)
    with database.session() as session:  # as if the screening were left unfinished
        session.execute(
            update(ScreeningItemRecord)
            .where(ScreeningItemRecord.screening_id == screening_id)
            .values(state="pending")
        )
        ids = sorted(
            session.scalars(
                select(ScreeningItemRecord.id).where(
                    ScreeningItemRecord.screening_id == screening_id
                )
            ).all()
        )

    def handed(lane: int) -> list[int]:
        ledger = ScreeningLane(database, screening_id, lane, 2, {}, lambda *_: 0)
        return [job.key for batch in ledger.batches(1) for job in batch]  # type: ignore[misc]

    assert handed(0) == [i for i in ids if i % 2 == 0]
    assert handed(1) == [i for i in ids if i % 2 == 1]
