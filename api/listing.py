"""Lists page by cursor: ``after`` is the id of the last item of the previous page, and each
page says the ``next_after`` to ask for (null on the last page). Items come oldest first, by
(time, id), so a page never repeats nor skips an item that was there when the list was read,
however many are added meanwhile. An unknown ``after`` is a 404: it names no item."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Query
from pydantic import BeforeValidator
from sqlalchemy import Select, and_, or_
from sqlalchemy.orm import Session

from api.problems import not_found


def as_utc(moment: dt.datetime | None) -> dt.datetime | None:
    """A time without an offset is read as UTC."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment


@dataclass(frozen=True)
class Window:
    """Which page of a list to read: the items after ``after``, ``limit`` of them, created at or
    after ``since`` and before ``until`` (None: no bound)."""

    after: str | None
    limit: int
    since: dt.datetime | None = None
    until: dt.datetime | None = None


def keyset_page(
    session: Session, statement: Select[Any], model: Any, window: Window
) -> tuple[list[Any], str | None]:
    """Return a page of the rows of ``statement``, by the ``created_at`` of ``model``, and the
    id to ask the next one after."""
    time_column = model.created_at
    if window.after is not None:
        anchor = session.get(model, window.after)
        if anchor is None:
            raise not_found("item to list after", window.after)
        anchor_time = anchor.created_at
        statement = statement.where(
            or_(
                time_column > anchor_time,
                and_(time_column == anchor_time, model.id > window.after),
            )
        )
    if window.since is not None:
        statement = statement.where(time_column >= as_utc(window.since))
    if window.until is not None:
        statement = statement.where(time_column < as_utc(window.until))
    limit = window.limit
    rows = session.execute(statement.order_by(time_column, model.id).limit(limit + 1)).all()
    page = rows[:limit]
    more = len(rows) > limit
    return page, (_id_of(page[-1]) if more and page else None)


def _id_of(row: Any) -> str:
    first = row[0]
    return first if isinstance(first, str) else first.id


After = Annotated[
    str | None,
    Query(max_length=100, description="The `next_after` of the previous page (an item's id)."),
]
Limit = Annotated[int, Query(ge=1, le=200, description="Items per page.")]


def _iso_only(value: Any) -> Any:
    # lax datetimes would take "0.5" as a Unix time; the schema says an ISO 8601 date-time
    if isinstance(value, str) and not re.match(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("an ISO 8601 date-time, e.g. 2025-11-24T09:00:00Z")
    return value


IsoTime = Annotated[dt.datetime, BeforeValidator(_iso_only)]
CreatedFrom = Annotated[
    IsoTime | None, Query(description="Only items created at or after this time (UTC).")
]
CreatedBefore = Annotated[
    IsoTime | None, Query(description="Only items created before this time (UTC).")
]


def window_query(default_limit: int = 50) -> Any:
    """A route parameter's dependency that reads the ``Window`` of a list of created items from
    the query: ``after``, ``limit``, ``created_from`` and ``created_before``."""

    def window(
        after: After = None,
        limit: Limit = default_limit,
        created_from: CreatedFrom = None,
        created_before: CreatedBefore = None,
    ) -> Window:
        return Window(after, limit, created_from, created_before)

    return Depends(window)


CreatedWindow = Annotated[Window, window_query()]
