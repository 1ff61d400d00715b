"""National recognition policy: profiles of the rules a country sets (``load_policy``)."""

from recognition_engine.policy.profiles import (
    CycleCapEcts,
    DegreeCreditConditions,
    InstitutionField,
    MicrocredentialEcts,
    NationalPolicy,
    PolicyProfile,
    VocationalLevel5,
    load_policy,
)

__all__ = [
    "CycleCapEcts",
    "DegreeCreditConditions",
    "InstitutionField",
    "MicrocredentialEcts",
    "NationalPolicy",
    "PolicyProfile",
    "VocationalLevel5",
    "load_policy",
]
