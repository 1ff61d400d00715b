"""Pure: standing equivalency rules applied to a proposal.

A rule applies to a credential of the same programme, awarding body and title, issued within the
rule's window: the modules the rule's decision awarded are proposed, each with an
``equivalency.rule_applied`` finding that cites the decision, and the engine's own candidates for
that credential give way to it. A credential the rule names but issued outside the window gets
``equivalency.rule_expired``, and the engine's proposal stands. The rules come in as data: where
they are kept is no concern of this module.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from recognition_engine.decision.findings import finding
from recognition_engine.decision.proposal import proposal_status
from recognition_engine.domain import (
    ConsideredModule,
    Element,
    Finding,
    FindingSource,
    Message,
    MicroCredential,
    ModuleProposal,
    Programme,
    ProposalStatus,
    RecognitionKind,
    RecognitionProposal,
    Scope,
    SourceKind,
    Verdict,
)
from recognition_engine.domain.equivalency import EquivalencyRule
from recognition_engine.messages import codes
from recognition_engine.messages.render import coded

# What the engine said of the proposal as a whole that still holds once a rule has decided.
STILL_TRUE = (codes.REASON_MISSING_ELEMENTS, codes.REASON_NO_EQUIVALENT_PRECEDENTS)
WORKLOAD_SUMMARIES = (codes.WORKLOAD_SUMMARY, codes.WORKLOAD_SUMMARY_CAP_USED)


def same_name(text: str) -> str:
    """Return ``text`` as rules compare it: Unicode-normalised, case-folded, spaces collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def rule_key(awarding_body: str, title: str) -> str:
    """Return the SHA-256 of an awarding body and title as rules compare them: what a store
    can index to find the rules that may name a credential without reading them all."""
    compared = f"{same_name(awarding_body)}\x1f{same_name(title)}"
    return hashlib.sha256(compared.encode()).hexdigest()


@dataclass(frozen=True)
class RuleMatch:
    """A rule that names a credential; ``applies``: the credential was issued in its window."""

    rule: EquivalencyRule
    credential: MicroCredential
    applies: bool


def match_rules(
    credentials: Sequence[MicroCredential], programme_id: str, rules: Sequence[EquivalencyRule]
) -> list[RuleMatch]:
    """Return, for each credential a rule names, the rule that applies to it (the latest made,
    if several do), else the latest that names it but not its issue date."""
    matches = []
    for credential in credentials:
        named = [
            rule
            for rule in rules
            if rule.programme_id == programme_id
            and same_name(rule.awarding_body) == same_name(credential.awarding_body)
            and same_name(rule.title) == same_name(credential.title)
        ]
        if not named:
            continue
        # the latest decision is the evaluator's latest word
        named.sort(key=lambda rule: (rule.decided_on, rule.decision_id), reverse=True)
        covering = [rule for rule in named if rule.covers(credential.date_of_issue)]
        matches.append(RuleMatch(covering[0] if covering else named[0], credential, bool(covering)))
    return matches


def apply_equivalency_rules(
    proposal: RecognitionProposal,
    credentials: Sequence[MicroCredential],
    programme: Programme,
    rules: Sequence[EquivalencyRule],
) -> RecognitionProposal:
    """Return ``proposal`` with the standing rules that name its credentials applied.

    ``programme`` is the version the proposal was made against. A rule's modules take what is
    left of the cap first (``ects_cap_remaining``); the engine's other modules keep what is left
    after them, unless every credential is decided by a rule. A substantial difference that
    blocks the programme as a whole blocks the rule too.
    """
    matches = match_rules(credentials, programme.id, rules)
    if not matches:
        return proposal
    proposal = proposal.model_copy(deep=True)
    expired = [_expired(match) for match in matches if not match.applies]
    applying = [match for match in matches if match.applies]
    if any(_blocks_the_programme(f) for f in proposal.findings):
        blocked = [_blocked(match) for match in applying]
        return _with_notes(proposal, [*expired, *blocked])
    awards, notes = _awards(applying, programme, proposal.ects_cap_remaining)
    notes = [*expired, *notes]
    if not awards:
        return _with_notes(proposal, notes)
    every_credential_decided = len(applying) == len(credentials)
    return _decided(proposal, awards, notes, every_credential_decided)


@dataclass(frozen=True)
class _Award:
    rule: EquivalencyRule
    credential: MicroCredential
    module_code: str
    module_title: str
    module_ects: float
    ects: float


def _awards(
    applying: Sequence[RuleMatch], programme: Programme, cap_left: float
) -> tuple[list[_Award], list[Finding]]:
    """The modules the rules award, within the cap left; findings for modules gone."""
    known = {module.code: module for module in programme.modules}
    awards: list[_Award] = []
    notes: list[Finding] = []
    left = cap_left
    for match in applying:
        for awarded in match.rule.modules:
            module = known.get(awarded.module_code)
            if module is None:
                notes.append(_module_gone(match.rule, awarded.module_code))
                continue
            if any(a.module_code == module.code for a in awards):
                continue  # two credentials' rules award the same module: it is recognised once
            ects = round(min(awarded.ects, module.ects, left), 2)
            if ects <= 0:
                notes.append(_nothing_left(match.rule, module.code))
                continue
            left -= ects
            awards.append(
                _Award(match.rule, match.credential, module.code, module.title, module.ects, ects)
            )
    return awards, notes


def _decided(
    proposal: RecognitionProposal,
    awards: Sequence[_Award],
    notes: Sequence[Finding],
    every_credential_decided: bool,
) -> RecognitionProposal:
    """The proposal with the rules' modules first, and the engine's others kept or set aside."""
    applied = [_applied(award) for award in awards]
    decided = {award.module_code for award in awards}
    engine_modules = {m.module_code: m for m in proposal.modules}
    engine_considered = {m.module_code: m for m in proposal.considered}
    modules = [
        _rule_module(
            award,
            finding,
            engine_modules.get(award.module_code) or engine_considered.get(award.module_code),
        )
        for award, finding in zip(awards, applied, strict=True)
    ]
    left = proposal.ects_cap_remaining - sum(m.proposed_ects for m in modules)
    set_aside: list[ConsideredModule] = []
    for module in proposal.modules:
        if module.module_code in decided:
            continue
        if every_credential_decided or left <= 0:
            set_aside.append(_set_aside(module))
            continue
        kept = min(module.proposed_ects, round(left, 2))
        left -= kept
        kind = module.recognition
        if kind is RecognitionKind.FULL and kept < module.module_ects:
            kind = RecognitionKind.PARTIAL
        modules.append(module.model_copy(update={"proposed_ects": kept, "recognition": kind}))
    total = round(sum(m.proposed_ects for m in modules), 2)
    considered = [*set_aside, *[m for m in proposal.considered if m.module_code not in decided]]
    outcomes = _programme_finding(applied[0])
    elements = [
        outcomes if f.element is Element.LEARNING_OUTCOMES else _proposed_now(f, total)
        for f in proposal.elements
    ]
    findings = [
        *[
            outcomes
            if f.element is Element.LEARNING_OUTCOMES and f.scope is Scope.PROGRAMME
            else _proposed_now(f, total)
            for f in proposal.findings
        ],
        *applied,
        *notes,
    ]
    # a module-scoped doubt about a module the rule decides is settled by the rule
    weighed = [f for f in findings if f.module_code not in decided or _from_rule(f)]
    status = proposal_status(weighed, modules)
    reasons = [
        coded(codes.REASON_PROPOSED, count=len(modules), ects=total),
        *[_said(f) for f in [*applied, *notes]],
        *_still_true(proposal, status),
    ]
    return proposal.model_copy(
        update={
            "status": status,
            "modules": modules,
            "considered": considered,
            "total_proposed_ects": total,
            "elements": elements,
            "findings": findings,
            "reasons": [r.message for r in reasons],
            "reason_codes": reasons,
        }
    )


def _still_true(proposal: RecognitionProposal, status: ProposalStatus) -> list[Message]:
    """The engine's reasons that still hold: all but its count if the status is the same, else
    only those about the credentials themselves."""
    old = proposal.reason_codes
    if status == proposal.status and old and old[0].code == codes.REASON_PROPOSED:
        return old[1:]
    return [reason for reason in old if reason.code in STILL_TRUE]


def _with_notes(proposal: RecognitionProposal, notes: Sequence[Finding]) -> RecognitionProposal:
    """The engine's proposal as it stands, with what the rules say of it."""
    for note in notes:
        proposal.findings.append(note)
        proposal.add_reason(_said(note))
    return proposal


# --- findings ---------------------------------------------------------------------------------


def _source(rule: EquivalencyRule) -> FindingSource:
    return FindingSource(
        kind=SourceKind.EQUIVALENCY_RULE,
        id=rule.id,
        citation=f"decision {rule.decision_id} on recognition {rule.recognition_id} "
        f"({rule.decided_on.isoformat()})",
        url=f"/v1/equivalency-rules/{rule.id}",
        date=rule.valid_from.isoformat(),
    )


def _rule_finding(
    rule: EquivalencyRule, verdict: Verdict, said: Message, module_code: str | None = None
) -> Finding:
    return finding(
        Element.LEARNING_OUTCOMES, verdict, said, module_code=module_code, source=_source(rule)
    )


def _applied(award: _Award) -> Finding:
    rule = award.rule
    said = coded(
        codes.EQUIVALENCY_RULE_APPLIED,
        title=award.credential.title,
        awarding_body=award.credential.awarding_body,
        module_code=award.module_code,
        ects=award.ects,
        rule_id=rule.id,
        decision_id=rule.decision_id,
        decided_on=rule.decided_on.isoformat(),
    )
    return _rule_finding(rule, Verdict.PASS, said, award.module_code)


def _programme_finding(applied: Finding) -> Finding:
    """The learning-outcomes element of the proposal as a whole: the rule decided it."""
    return applied.model_copy(update={"scope": Scope.PROGRAMME, "module_code": None})


def _expired(match: RuleMatch) -> Finding:
    rule = match.rule
    said = coded(
        codes.EQUIVALENCY_RULE_EXPIRED,
        rule_id=rule.id,
        title=match.credential.title,
        awarding_body=match.credential.awarding_body,
        valid_from=rule.valid_from.isoformat(),
        valid_until=rule.valid_until.isoformat() if rule.valid_until else None,
        issued=match.credential.date_of_issue.isoformat(),
    )
    return _rule_finding(rule, Verdict.WARNING, said)


def _blocked(match: RuleMatch) -> Finding:
    said = coded(
        codes.EQUIVALENCY_RULE_BLOCKED,
        rule_id=match.rule.id,
        title=match.credential.title,
        awarding_body=match.credential.awarding_body,
    )
    return _rule_finding(match.rule, Verdict.WARNING, said)


def _nothing_left(rule: EquivalencyRule, module_code: str) -> Finding:
    """The cap is spent before the rule's module: it is not proposed, and the finding says why."""
    said = coded(codes.WORKLOAD_NOTHING_LEFT_FOR_MODULE)
    return finding(
        Element.WORKLOAD, Verdict.WARNING, said, module_code=module_code, source=_source(rule)
    )


def _module_gone(rule: EquivalencyRule, module_code: str) -> Finding:
    said = coded(codes.EQUIVALENCY_RULE_MODULE_GONE, rule_id=rule.id, module_code=module_code)
    return _rule_finding(rule, Verdict.WARNING, said)


def _proposed_now(item: Finding, total: float) -> Finding:
    """The workload summary, saying what is proposed now; any other finding as it is."""
    if item.code not in WORKLOAD_SUMMARIES:
        return item
    said = coded(item.code, **{**item.params, "proposed": total})
    return item.model_copy(
        update={"params": said.params, "message": said.message, "reason": said.message}
    )


def _blocks_the_programme(item: Finding) -> bool:
    """A cause that keeps anything from being recognised ("no module covered" is an effect:
    it is what a rule answers)."""
    return (
        item.blocking
        and item.scope is Scope.PROGRAMME
        and item.element is not Element.LEARNING_OUTCOMES
    )


def _from_rule(item: Finding) -> bool:
    return item.source is not None and item.source.kind is SourceKind.EQUIVALENCY_RULE


def _said(item: Finding) -> Message:
    return Message(code=item.code, params=item.params, message=item.message)


# --- modules ----------------------------------------------------------------------------------


def _rule_module(
    award: _Award, applied: Finding, engine: ModuleProposal | ConsideredModule | None
) -> ModuleProposal:
    """The module as the rule proposes it, with what the engine saw of it, if anything."""
    kind = RecognitionKind.FULL if award.ects >= award.module_ects else RecognitionKind.PARTIAL
    matched = engine if isinstance(engine, ModuleProposal) else None
    return ModuleProposal(
        module_code=award.module_code,
        module_title=award.module_title,
        module_ects=award.module_ects,
        recognition=kind,
        proposed_ects=award.ects,
        coverage=engine.coverage if engine else 0.0,
        strength=matched.strength if matched else 0.0,
        score=engine.score if engine else 0.0,
        confidence=matched.confidence if matched else None,
        evidence=matched.evidence if matched else [],
        uncovered_outcomes=matched.uncovered_outcomes if matched else [],
        elements=[
            applied,
            *(f for f in matched.elements if f.element is not Element.LEARNING_OUTCOMES),
        ]
        if matched
        else [applied],
        reasons=[applied.message],
        reason_codes=[_said(applied)],
        rule_id=award.rule.id,
        skills=matched.skills if matched else None,
    )


def _set_aside(module: ModuleProposal) -> ConsideredModule:
    reason = coded(codes.EQUIVALENCY_RULE_DECIDES)
    return ConsideredModule(
        module_code=module.module_code,
        module_title=module.module_title,
        coverage=module.coverage,
        score=module.score,
        reasons=[reason.message],
        reason_codes=[reason],
    )
