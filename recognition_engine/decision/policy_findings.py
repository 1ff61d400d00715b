"""Pure: a national recognition policy profile's rules, checked against a recognition.

The profile is the recognising programme's country's. Each rule gives ``national_policy.<kind>``
findings citing it; a figure the profile marks as an example says so in every finding.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from recognition_engine.decision.findings import credential_ects, finding
from recognition_engine.domain import (
    Element,
    Finding,
    FindingSource,
    MessageParam,
    MicroCredential,
    Programme,
    SourceKind,
    Verdict,
)
from recognition_engine.levels.frameworks import credential_eqf_level
from recognition_engine.messages import codes
from recognition_engine.messages.render import coded
from recognition_engine.policy.profiles import (
    CycleCapEcts,
    DegreeCreditConditions,
    InstitutionField,
    MicrocredentialEcts,
    PolicyProfile,
    Rule,
    VocationalLevel5,
)
from recognition_engine.registry.models import RegistryMatch
from recognition_engine.registry.names import best_match

Matches = Sequence[RegistryMatch] | None
"""A credential's awarding body in the registers (None: no register imported)."""


@dataclass(frozen=True)
class PolicyOutcome:
    """The profile's findings, and the national cap on micro-credential ECTS, if one applies."""

    findings: list[Finding]
    cap_ects: float | None = None


def assess_national_policy(
    profile: PolicyProfile | None,
    credentials: Sequence[MicroCredential],
    programme: Programme,
    registered: Sequence[Matches],
    hours_per_ects: float,
) -> PolicyOutcome:
    """Return the findings of every rule of ``profile`` (None: no national policy, none).

    ``registered[i]``: the register's entries for credential i's awarding body.
    """
    if profile is None:
        return PolicyOutcome([])
    found: list[Finding] = []
    cap = None
    for rule in profile.rules:
        context = _Context(profile, rule)
        if isinstance(rule, MicrocredentialEcts):
            found += [
                _ects(context, rule, c, hours_per_ects)
                for c in credentials
                if credential_ects(c, hours_per_ects) is not None
            ]
        elif isinstance(rule, CycleCapEcts):
            if programme.eqf_level in rule.caps:
                cap = (
                    rule.caps[programme.eqf_level]
                    if cap is None
                    else min(cap, rule.caps[programme.eqf_level])
                )
                found.append(_cycle_cap(context, rule, programme))
        elif isinstance(rule, VocationalLevel5):
            found += [
                _vocational(context, rule, c) for c in credentials if credential_eqf_level(c) == 5
            ]
        elif isinstance(rule, InstitutionField):
            if programme.eqf_level in (6, 7):
                found.append(_institution(context, rule, programme))
        else:
            found += [
                _conditions(context, rule, c, programme, matches)
                for c, matches in zip(credentials, registered, strict=True)
            ]
    return PolicyOutcome(found, cap)


@dataclass(frozen=True)
class _Context:
    profile: PolicyProfile
    rule: Rule

    @property
    def basis(self) -> str:
        return "example" if self.profile.is_example(self.rule) else "enacted"

    @property
    def source(self) -> FindingSource:
        citation = f"{self.profile.name}: {self.rule.source.citation}"
        if self.profile.is_example(self.rule):
            citation += " (figures are example values until a law or order is cited)"
        return FindingSource(
            kind=SourceKind.NATIONAL_POLICY,
            id=f"{self.profile.country}:{self.rule.id}",
            citation=citation,
            url=self.rule.source.url,
            date=self.profile.captured.isoformat() if self.profile.captured else None,
        )


def _policy_finding(
    context: _Context,
    element: Element,
    verdict: Verdict,
    code: str,
    *,
    blocking: bool = False,
    evidence: Sequence[str] = (),
    **params: MessageParam,
) -> Finding:
    """Return the rule's finding saying ``code``: it cites the rule and names its basis."""
    return finding(
        element,
        verdict,
        coded(code, **params, basis=context.basis),
        blocking=blocking,
        evidence=evidence,
        source=context.source,
    )


def _policy_refusal(
    context: _Context,
    element: Element,
    code: str,
    *,
    evidence: Sequence[str] = (),
    **params: MessageParam,
) -> Finding:
    """Return the rule's substantial difference that blocks recognition, saying ``code``."""
    return _policy_finding(
        context, element, Verdict.SUBSTANTIAL_DIFFERENCE, code, blocking=True, evidence=evidence,
        **params,
    )


def _ects(
    context: _Context, rule: MicrocredentialEcts, credential: MicroCredential, hours_per_ects: float
) -> Finding:
    ects = credential_ects(credential, hours_per_ects)
    assert ects is not None  # the caller keeps credentials with a workload
    within = (rule.min_ects is None or ects >= rule.min_ects) and (
        rule.max_ects is None or ects <= rule.max_ects
    )
    return _policy_finding(
        context,
        Element.WORKLOAD,
        Verdict.PASS if within else Verdict.SUBSTANTIAL_DIFFERENCE,
        codes.POLICY_ECTS_WITHIN if within else codes.POLICY_ECTS_OUTSIDE,
        title=credential.title,
        ects=round(ects, 2),
        min_ects=rule.min_ects,
        max_ects=rule.max_ects,
    )


def _cycle_cap(context: _Context, rule: CycleCapEcts, programme: Programme) -> Finding:
    own = programme.recognition_policy.cap_ects(programme.total_ects)
    cap = rule.caps[programme.eqf_level]
    return _policy_finding(
        context,
        Element.WORKLOAD,
        Verdict.WARNING if cap < own else Verdict.PASS,
        codes.POLICY_CYCLE_CAP,
        cap=cap,
        level=programme.eqf_level,
        programme_cap=own,
    )


def _vocational(context: _Context, rule: VocationalLevel5, credential: MicroCredential) -> Finding:
    if rule.allowed:
        return _policy_finding(
            context,
            Element.LEVEL,
            Verdict.PASS,
            codes.POLICY_VOCATIONAL_ALLOWED,
            title=credential.title,
        )
    return _policy_refusal(
        context, Element.LEVEL, codes.POLICY_VOCATIONAL_REFUSED, title=credential.title
    )


def _institution(context: _Context, rule: InstitutionField, programme: Programme) -> Finding:
    found = best_match(programme.institution, [e.institution for e in rule.entries])
    if found is None:
        return _policy_finding(
            context,
            Element.QUALITY_ASSURANCE,
            Verdict.SUBSTANTIAL_DIFFERENCE,
            codes.POLICY_INSTITUTION_NOT_LISTED,
            institution=programme.institution,
        )
    return _policy_finding(
        context,
        Element.QUALITY_ASSURANCE,
        Verdict.PASS,
        codes.POLICY_INSTITUTION_LISTED,
        institution=programme.institution,
        fields=rule.entries[found.position].fields,
    )


def _conditions(
    context: _Context,
    rule: DegreeCreditConditions,
    credential: MicroCredential,
    programme: Programme,
    matches: Matches,
) -> Finding:
    met = {
        "accredited_programme": _accredited_programme(credential, matches),
        "ects_awarded": credential.workload is not None and credential.workload.ects is not None,
        "programme_permits": _programme_permits(programme),
    }
    failed: list[str] = [condition for condition in rule.require if not met[condition]]
    evidence = _accredited_evidence(credential, matches)
    if failed:
        return _policy_refusal(
            context,
            Element.QUALITY_ASSURANCE,
            codes.POLICY_CONDITIONS_FAILED,
            evidence=evidence,
            title=credential.title,
            failed=failed,
        )
    return _policy_finding(
        context,
        Element.QUALITY_ASSURANCE,
        Verdict.PASS,
        codes.POLICY_CONDITIONS_MET,
        evidence=evidence,
        title=credential.title,
        met=[str(condition) for condition in rule.require],
    )


def _accredited_programme(credential: MicroCredential, matches: Matches) -> bool:
    """A register lists an accredited programme of the awarding body, in force at issue."""
    issued = credential.date_of_issue
    return any(m.entry.accredited_programmes(issued) for m in matches or [])


def _accredited_evidence(credential: MicroCredential, matches: Matches) -> list[str]:
    if matches is None:
        return ["No provider register imported: an accredited programme cannot be shown."]
    issued = credential.date_of_issue
    return [
        f"Accredited programme: {record.programme or record.id} ({m.entry.register_name})"
        for m in matches
        for record in m.entry.accredited_programmes(issued)
    ]


def _programme_permits(programme: Programme) -> bool:
    """The degree programme provides for micro-credential credit: its policy sets a cap above
    nothing (a programme silent on it does not provide for it)."""
    policy = programme.recognition_policy
    stated = [
        cap
        for cap in (policy.max_microcredential_ects, policy.max_microcredential_share)
        if cap is not None
    ]
    return bool(stated) and all(cap > 0 for cap in stated)
