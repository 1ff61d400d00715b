"""Pure: which modules get how many ECTS out of a budget.

Kept apart from the findings so that its invariants can be stated and tested on their own:
every module allocated gets more than 0 ECTS, at most what it asked, in steps of 0.5; the total
never exceeds the budget; no module appears twice.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

ECTS_STEP = 0.5
_EPSILON = 1e-9  # 2.9999999 ECTS from float arithmetic is 3 ECTS, not 2.5


def floor_to_step(value: float) -> float:
    """Return ``value`` rounded down to a multiple of 0.5 ECTS (never below 0)."""
    if value <= 0:
        return 0.0
    return math.floor(value / ECTS_STEP + _EPSILON) * ECTS_STEP


@dataclass(frozen=True)
class Claim:
    """A module that may be recognised, and the ECTS its coverage would justify."""

    module_code: str
    wanted_ects: float


def allocate_ects(claims: Sequence[Claim], budget: float, max_modules: int) -> dict[str, float]:
    """Return {module code: ECTS} for the claims served in order until the budget is spent.

    ``claims`` come in priority order; a claim that cannot get at least one step of 0.5 ECTS
    gets nothing (it is left out of the answer rather than proposed at 0 ECTS).
    """
    allocated: dict[str, float] = {}
    seen: set[str] = set()  # a module's first claim is its only one
    remaining = floor_to_step(budget)
    for claim in claims:
        if len(allocated) >= max_modules or claim.module_code in seen:
            continue
        seen.add(claim.module_code)
        granted = floor_to_step(min(claim.wanted_ects, remaining))
        if granted <= 0:
            continue
        allocated[claim.module_code] = granted
        remaining = floor_to_step(remaining - granted)
    return allocated
