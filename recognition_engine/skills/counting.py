"""Skills across many proposals (a screening): count them, or keep the proposals with one."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel, Field

from recognition_engine.domain import RecognitionProposal

SkillRole = Literal["shared", "missing", "any"]


class SkillCount(BaseModel):
    """How many proposals have a skill among a proposed module's shared or missing skills."""

    uri: str
    label: str
    shared: int = Field(description="Proposals in which a proposed module shares the skill.")
    missing: int = Field(description="Proposals in which a proposed module lacks it.")


def involves_skill(proposal: RecognitionProposal, uri: str, role: SkillRole = "any") -> bool:
    """Whether a proposed module of ``proposal`` has the skill as shared, missing, or either."""
    for module in proposal.modules:
        if module.skills is None:
            continue
        shared = any(s.uri == uri for s in module.skills.shared)
        missing = any(s.uri == uri for s in module.skills.missing)
        if (role == "shared" and shared) or (role == "missing" and missing):
            return True
        if role == "any" and (shared or missing):
            return True
    return False


def count_skills(proposals: Iterable[RecognitionProposal]) -> list[SkillCount]:
    """Return each skill's count over the proposals, most shared first (a proposal counts
    once a skill and role, however many of its modules have it)."""
    counts: dict[str, SkillCount] = {}
    for proposal in proposals:
        seen: set[tuple[str, str]] = set()
        for module in proposal.modules:
            if module.skills is None:
                continue
            for role, refs in (
                ("shared", module.skills.shared),
                ("missing", module.skills.missing),
            ):
                for ref in refs:
                    if ref.uri is None or (ref.uri, role) in seen:
                        continue
                    seen.add((ref.uri, role))
                    count = counts.setdefault(
                        ref.uri, SkillCount(uri=ref.uri, label=ref.label, shared=0, missing=0)
                    )
                    setattr(count, role, getattr(count, role) + 1)
    return sorted(counts.values(), key=lambda c: (-c.shared, -c.missing, c.label))
