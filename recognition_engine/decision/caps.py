"""Pure: the programme's cap on micro-credential credit, what is left of it across an
application, and what a decision on a proposal may award within it.

The API's store, the workbench, the CLI and ``screen`` apply the same rules through these
functions; they only load and save what the rules read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from recognition_engine.domain import Programme, RecognitionProposal
from recognition_engine.errors import AwardRefused

Action = Literal["accept", "modify", "reject"]
_SLACK = 1e-9  # sums of halves and tenths of ECTS are compared without float noise


@dataclass(frozen=True)
class Award:
    """The ECTS a decision awards for one module."""

    module_code: str
    ects: float


def programme_cap(programme: Programme, national_cap_ects: float | None = None) -> float:
    """The programme's cap on micro-credential ECTS, lowered to the national cap if lower."""
    cap = programme.recognition_policy.cap_ects(programme.total_ects)
    return cap if national_cap_ects is None else min(cap, national_cap_ects)


def cap_left(cap: float, awarded: float) -> float:
    """What is left of ``cap`` once earlier recognitions hold ``awarded`` of it."""
    return max(0.0, cap - awarded)


def decision_awards(
    action: Action,
    proposal: RecognitionProposal,
    chosen: Sequence[Award] | None,
    catalogue: Programme | None,
) -> list[Award]:
    """What a decision awards: the proposal's modules (accept), the evaluator's (modify), or
    nothing (reject); AwardRefused when the evaluator's awards break the programme's rules.

    ``catalogue`` is the programme version the proposal was made against (for 'modify').
    """
    if action == "reject":
        return []
    if action == "accept":
        return [
            Award(module.module_code, module.proposed_ects)
            for module in proposal.modules
            if module.proposed_ects > 0
        ]
    if catalogue is None:
        raise ValueError("a modified decision is checked against the programme version")
    awards = list(chosen or [])
    codes = [award.module_code for award in awards]
    if len(set(codes)) != len(codes):
        raise AwardRefused("a module is awarded twice: name each module once")
    ects_of = {module.code: module.ects for module in catalogue.modules}
    for award in awards:
        if award.module_code not in ects_of:
            raise AwardRefused(
                f"{catalogue.id} has no module {award.module_code!r} in the version the "
                "proposal was made against"
            )
        if award.ects > ects_of[award.module_code]:
            raise AwardRefused(
                f"{award.ects:g} ECTS awarded for {award.module_code}, "
                f"a module of {ects_of[award.module_code]:g} ECTS"
            )
    total = sum(award.ects for award in awards)
    if total > proposal.ects_cap + _SLACK:
        raise AwardRefused(
            f"{total:g} ECTS awarded exceeds the cap of {proposal.ects_cap:g} ECTS "
            "for micro-credentials in this programme"
        )
    return awards


def check_cap_left(total: float, cap: float, others: float, application_id: str) -> None:
    """Refuse awarding ``total`` ECTS in an application whose other recognitions hold
    ``others`` of the programme's ``cap``."""
    left = round(cap_left(cap, others), 2)
    if total > left + _SLACK:
        raise AwardRefused(
            f"{total:g} ECTS awarded exceeds the {left:g} ECTS left of the programme's cap of "
            f"{cap:g} ECTS in application {application_id!r}: its other recognitions hold "
            f"{others:g} ECTS"
        )
