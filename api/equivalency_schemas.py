"""Request and public models of standing equivalency rules (stored ones: ``api/tables.py``)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Self

from pydantic import BaseModel, Field, StringConstraints, model_validator

from api.schemas import KeyRef, ModuleAward, Request

Note = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000, pattern=r"\S")
]


class RuleRequest(Request):
    """Make a decision a standing rule, from ``valid_from`` until ``valid_until`` (inclusive)."""

    decision_id: int = Field(
        ge=1, le=2**31 - 1, description="An accept or modify decision (its `id`)."
    )
    valid_from: dt.date = Field(description="The first issue date the rule covers.")
    valid_until: dt.date | None = Field(
        None, description="The last issue date the rule covers; null: until it is ended."
    )
    note: Note = Field(description="Why the rule stands: kept with it, shown with every use.")

    @model_validator(mode="after")
    def _window(self) -> Self:
        if self.valid_until is not None and self.valid_until < self.valid_from:
            raise ValueError("valid_until is before valid_from")
        return self


class RuleEndRequest(Request):
    """End a rule: credentials issued after ``ends_on`` are no longer covered."""

    ends_on: dt.date | None = Field(
        None, description="The last issue date the rule covers; by default today (UTC)."
    )
    note: Note | None = Field(None, description="Why the rule ends.")


class RuleEnd(BaseModel):
    """One end put to a rule, as it was recorded."""

    ends_on: dt.date
    note: str | None
    ended_by: KeyRef
    ended_at: dt.datetime


class EquivalencyRulePublic(BaseModel):
    id: str
    decision_id: int
    recognition_id: str
    programme_id: str
    awarding_body: str = Field(description="As the decided credential gave it.")
    title: str = Field(description="The credential's title, as the decided credential gave it.")
    modules: list[ModuleAward] = Field(
        description="What the decision awarded, and the rule awards."
    )
    valid_from: dt.date
    valid_until: dt.date | None = Field(
        description="The last issue date the rule covers now, its ends applied; null: open."
    )
    valid_until_as_made: dt.date | None = Field(description="`valid_until` as the rule was made.")
    note: str
    made_by: KeyRef
    made_at: dt.datetime
    ends: list[RuleEnd] = Field(
        description="The rule's history: every end put to it, oldest first."
    )


RULE_EXAMPLES = {
    "open": {
        "summary": "From a decision, until it is ended",
        "value": {
            "decision_id": 1,
            "valid_from": "2026-01-01",
            "valid_until": None,
            "note": "Reviewed by the faculty board: the course stands for CE3301.",
        },
    },
    "window": {
        "summary": "For one academic year",
        "value": {
            "decision_id": 1,
            "valid_from": "2026-09-01",
            "valid_until": "2027-08-31",
            "note": "Agreed for the pilot year of the partnership.",
        },
    },
}

END_EXAMPLES = {
    "today": {"summary": "End it today", "value": {}},
    "dated": {
        "summary": "End it on a date, saying why",
        "value": {"ends_on": "2027-08-31", "note": "The provider changed the course."},
    },
}
