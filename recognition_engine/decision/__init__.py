"""Pure decision support: findings on the five elements, ECTS allocation, the proposal.

Under the Lisbon Recognition Convention: recognise unless there is a substantial difference in
level, workload, quality assurance, profile or learning outcomes; partial recognition is a
valid answer, and no proposal is better than a wrong one.

- ``findings``: each check → a typed ``Finding`` (element, scope, verdict, blocking, reason);
- ``allocation``: ECTS to the modules no finding blocks, in steps of 0.5, within the budget;
- ``proposal``: the proposal, its status derived from the findings alone.
"""

from recognition_engine.decision.allocation import Claim, allocate_ects, floor_to_step
from recognition_engine.decision.findings import (
    assess_level,
    assess_profile,
    assess_quality,
    credential_ects,
)
from recognition_engine.decision.proposal import (
    CredentialOutcomes,
    DecisionParams,
    declared_eqf_level,
    proposal_status,
    propose_recognition,
)

__all__ = [
    "Claim",
    "CredentialOutcomes",
    "DecisionParams",
    "allocate_ects",
    "assess_level",
    "assess_profile",
    "assess_quality",
    "credential_ects",
    "declared_eqf_level",
    "floor_to_step",
    "proposal_status",
    "propose_recognition",
]
