"""Standing equivalency rules: an evaluator's decision kept to apply to the next learner.

A rule says: a credential of this title, from this awarding body, issued within the rule's
window, is recognised toward this programme as these modules, as the decision it came from
awarded them. Rules are data here; where they are kept is the service's business.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field


class RuleModule(BaseModel):
    """A module the rule awards, with the ECTS the decision gave it."""

    module_code: str
    ects: float = Field(gt=0)


class EquivalencyRule(BaseModel):
    """A standing equivalency, as it stands now (its end, if it was ended, applied)."""

    id: str
    programme_id: str
    awarding_body: str = Field(description="The awarding body, as the decided credential gave it.")
    title: str = Field(description="The credential's title, as the decided credential gave it.")
    modules: list[RuleModule] = Field(min_length=1)
    valid_from: dt.date = Field(description="The first issue date the rule covers.")
    valid_until: dt.date | None = Field(
        None, description="The last issue date the rule covers (inclusive); None: open-ended."
    )
    decision_id: int = Field(description="The decision the rule was made from.")
    recognition_id: str = Field(description="The recognition that decision was on.")
    decided_on: dt.date = Field(description="The day of that decision.")

    def covers(self, issued: dt.date) -> bool:
        """Whether a credential issued on ``issued`` falls within the rule's window."""
        return self.valid_from <= issued and (
            self.valid_until is None or issued <= self.valid_until
        )
