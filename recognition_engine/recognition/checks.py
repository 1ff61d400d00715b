"""The provider registers' and the national policy's findings on a recognition, assembled once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from recognition_engine.decision.policy_findings import assess_national_policy
from recognition_engine.decision.registry_findings import assess_registry
from recognition_engine.domain import Finding, MicroCredential, Programme
from recognition_engine.policy import NationalPolicy
from recognition_engine.registry import ProviderRegistry, RegistryMatch


@dataclass(frozen=True)
class Checks:
    """What the registers and the national policy found, as the decision weighs it.

    ``quality``: the registers' findings that weigh in quality assurance; ``other``: the other
    findings of the registers and the national policy; ``national_cap_ects``: the national cap
    on micro-credential ECTS if the policy sets one for the programme.
    """

    quality: list[Finding]
    other: list[Finding]
    national_cap_ects: float | None


def assess_checks(
    registry: ProviderRegistry,
    national_policy: NationalPolicy | None,
    credentials: Sequence[MicroCredential],
    programme: Programme,
    hours_per_ects: float,
) -> Checks:
    """Look the awarding bodies up and assess the national policy for this recognition.

    Before any import, the registers' finding says so, and leaves the quality-assurance
    element to what the credentials declare.
    """
    configured = registry.configured
    registered: list[list[RegistryMatch] | None] = [
        registry.lookup(c.awarding_body, c.country) if configured else None for c in credentials
    ]
    profile = (
        national_policy.for_country(programme.country) if national_policy is not None else None
    )
    policy = assess_national_policy(profile, credentials, programme, registered, hours_per_ects)
    found = [assess_registry(c, m) for c, m in zip(credentials, registered, strict=True)]
    if not configured:
        return Checks([], [*found, *policy.findings], policy.cap_ects)
    return Checks(found, policy.findings, policy.cap_ects)
