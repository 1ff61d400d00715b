"""A recognition proposal as a report a credential evaluator can read in a terminal, in English,
Georgian or Armenian (``--lang``): the engine's findings and reasons rendered from their codes,
the report's own words from the ``cli`` catalogue (``cli.i18n``)."""

from __future__ import annotations

from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from cli.i18n import Reader
from recognition_engine.domain import (
    CredentialSummary,
    Finding,
    ProposalStatus,
    RecognitionProposal,
    SignatureStatus,
    Verdict,
)
from recognition_engine.ingestion.elements import describe_missing

ENGLISH = Reader()
VERDICT_STYLE = {Verdict.PASS: "green", Verdict.WARNING: "yellow",
                 Verdict.SUBSTANTIAL_DIFFERENCE: "red"}
HEADLINE_STYLE = {ProposalStatus.PROPOSED: "green", ProposalStatus.REVIEW: "yellow",
                  ProposalStatus.NONE: "red"}


def _verdict(item: Finding, t: Reader) -> str:
    if item.verdict is Verdict.PASS:
        return t._("pass")
    if item.verdict is Verdict.WARNING:
        return t._("warning")
    if item.blocking:
        return t._("substantial difference (blocks)")
    return t._("substantial difference (review)")


def _element(item: Finding, t: Reader) -> str:
    names = {
        "level": t._("level"), "workload": t._("workload"),
        "quality_assurance": t._("quality assurance"), "profile": t._("profile"),
        "learning_outcomes": t._("learning outcomes"),
    }
    return names[item.element.value]


def _headline(proposal: RecognitionProposal, t: Reader) -> str:
    ects = t.ects(proposal.total_proposed_ects)
    if proposal.status is ProposalStatus.PROPOSED:
        return t._("Recognition proposed: %(ects)s ECTS", ects=ects)
    if proposal.status is ProposalStatus.REVIEW:
        return t._("Recognition proposed, review required: %(ects)s ECTS", ects=ects)
    return t._("No recognition proposed")


def elements_table(elements: list[Finding], t: Reader = ENGLISH) -> Table:
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold", no_wrap=True)
    table.add_column(no_wrap=True)
    table.add_column()
    for item in elements:
        table.add_row(_element(item, t), Text(_verdict(item, t), style=VERDICT_STYLE[item.verdict]),
                      t.say(item))
    return table


def render_registers_and_policy(
    proposal: RecognitionProposal, console: Console, t: Reader = ENGLISH
) -> None:
    """Print the provider registers' and the national policy's findings, each with its source."""
    checked = [f for f in proposal.findings
               if f.code.startswith(("qa.registry.", "national_policy."))]
    if not checked:
        return
    console.print(t._("Registers and national policy:"), style="bold")
    for item in checked:
        verdict = Text(_verdict(item, t), style=VERDICT_STYLE[item.verdict])
        console.print(Text("• ").append(verdict).append(f" {t.say(item)}"))
        if item.source is not None:
            cited = item.source.citation + (f" ({item.source.date})" if item.source.date else "")
            console.print(f"  [dim]{escape(t._('Source:'))} {escape(cited)}[/dim]",
                          highlight=False)


def render_proposal(
    proposal: RecognitionProposal, console: Console, *, evidence: int = 4, t: Reader = ENGLISH
) -> None:
    """Print the proposal: the verdict, the five elements, each module with its evidence."""
    titles = " + ".join(
        f"{c.title} ({c.awarding_body}, "
        + (t._("workload not stated") if c.ects is None
           else t._("%(ects)s ECTS", ects=t.ects(c.ects)))
        + ")"
        for c in proposal.credentials
    )
    workload = t._(
        "credential workload %(workload)s ECTS · programme cap for micro-credentials %(cap)s ECTS",
        workload=t.ects(proposal.credential_ects), cap=t.ects(proposal.ects_cap),
    )
    if proposal.ects_cap_remaining < proposal.ects_cap:
        workload += " " + t._("(%(left)s left in this application)",
                              left=t.ects(proposal.ects_cap_remaining))
    console.print(
        Panel(
            Group(
                Text(_headline(proposal, t), style=HEADLINE_STYLE[proposal.status]),
                Text(f"{titles}\n→ {proposal.programme_title} [{proposal.programme_id}]"),
                Text(workload),
            ),
            title=t._("Recognition proposal (decision support: the evaluator decides)"),
            expand=False,
        )
    )
    render_credential_checks(proposal.credentials, console, t)
    console.print(elements_table(proposal.elements, t))
    render_registers_and_policy(proposal, console, t)
    for reason in proposal.reason_codes:
        console.print(f"• {escape(t.say(reason))}", highlight=False)
    if proposal.level_estimate is not None:
        estimate = proposal.level_estimate
        console.print(t._(
            "Level estimate: EQF %(eqf)s (Georgian NQF %(ge)s, Armenian NQF %(am)s, %(cycle)s), "
            "confidence %(confidence)s",
            eqf=estimate.eqf_level, ge=estimate.georgian_nqf_level,
            am=estimate.armenian_nqf_level,
            cycle=estimate.qf_ehea_cycle or t._("no QF-EHEA cycle"),
            confidence=t.decimal(estimate.confidence),
        ), highlight=False)
    render_confidence(proposal, console, t)
    for module in proposal.modules:
        kinds = {"full": t._("full recognition"), "partial": t._("partial recognition"),
                 "review": t._("review recognition")}
        console.rule(t._(
            "%(code)s %(title)s: %(kind)s, %(ects)s of %(module_ects)s ECTS",
            code=module.module_code, title=module.module_title,
            kind=kinds[module.recognition.value], ects=t.ects(module.proposed_ects),
            module_ects=t.ects(module.module_ects),
        ))
        for reason in module.reason_codes:
            console.print(f"  {escape(t.say(reason))}", highlight=False)
        table = Table(t._("sim"), t._("credential outcome"), t._("module outcome"),
                      show_lines=False)
        for pair in module.evidence[:evidence]:
            table.add_row(t.decimal(pair.similarity), pair.credential_outcome, pair.module_outcome)
        if module.evidence:
            console.print(table)
        if module.uncovered_outcomes:
            console.print(f"  [dim]{escape(t._('Not covered:'))}[/dim] "
                          + escape(" | ".join(module.uncovered_outcomes)))
        if module.skills is not None:  # ESCO's labels are English in every report language
            for heading, refs in ((t._("ESCO skills evidenced:"), module.skills.shared),
                                  (t._("ESCO skills to ask the provider for:"),
                                   module.skills.missing)):
                if refs:
                    console.print(f"  [dim]{escape(heading)}[/dim] "
                                  + escape(", ".join(ref.label for ref in refs)),
                                  highlight=False)
    if proposal.considered:
        console.rule(t._("Considered, not proposed"))
        for item in proposal.considered[:5]:
            console.print("  " + escape(t._(
                "%(code)s %(title)s (coverage %(coverage)s, score %(score)s): %(why)s",
                code=item.module_code, title=item.module_title,
                coverage=t.percent(item.coverage), score=t.decimal(item.score),
                why=" ".join(t.say(reason) for reason in item.reason_codes),
            )), highlight=False)


def render_confidence(
    proposal: RecognitionProposal, console: Console, t: Reader = ENGLISH
) -> None:
    """Print the confidence, its tier with the tier's record, and the nearest precedents."""
    if proposal.confidence is None:
        return
    line = t._("Confidence that the first module is right: %(c)s",
               c=t.percent(proposal.confidence))
    if proposal.has_equivalent is not None:
        line += " " + t._("(that the catalogue has an equivalent at all: %(p)s)",
                          p=t.percent(proposal.has_equivalent))
    console.print(line, highlight=False)
    tier = proposal.tier
    if tier is not None:
        name = t.term("tier", tier.tier.value).replace("_", " ")
        if tier.precision is None and tier.basis == "institution":
            record = t._("Tier: %(tier)s — in cross-validation on %(n)s of this institution's "
                         "decided credentials, no credential fell in it.", tier=name,
                         n=tier.decisions)
        elif tier.precision is None:
            record = t._("Tier: %(tier)s — in cross-validation on %(n)s of other institutions' "
                         "(cold-start model) decided credentials, no credential fell in it.",
                         tier=name, n=tier.decisions)
        elif tier.basis == "institution":
            record = t._("Tier: %(tier)s — in cross-validation on %(n)s of this institution's "
                         "decided credentials, right %(p)s of the time on %(k)s credentials.",
                         tier=name, n=tier.decisions, p=t.percent(tier.precision),
                         k=tier.support)
        else:
            record = t._("Tier: %(tier)s — in cross-validation on %(n)s of other institutions' "
                         "(cold-start model) decided credentials, right %(p)s of the time on "
                         "%(k)s credentials.", tier=name, n=tier.decisions,
                         p=t.percent(tier.precision), k=tier.support)
        console.print(escape(record), highlight=False)
    for p in proposal.precedents[:5]:
        if p.module_code is None:
            what = t._("no equivalent")
        elif p.accepted:
            what = t._("recognised for %(module)s", module=p.module_code)
        else:
            what = t._("refused for %(module)s", module=p.module_code)
        console.print("  " + escape(t._("precedent (%(similarity)s): %(title)s — %(what)s",
                                        similarity=t.decimal(p.similarity),
                                        title=p.credential_title, what=what)),
                      highlight=False)


# --- where each credential came from: format, signature, validity, missing elements --------

SIGNATURE_STYLE = {
    SignatureStatus.VERIFIED: "green",
    SignatureStatus.INVALID: "red",
    SignatureStatus.NOT_VERIFIABLE_OFFLINE: "yellow",
    SignatureStatus.UNSIGNED: "yellow",
}


def _signature(status: SignatureStatus, t: Reader) -> str:
    names = {
        SignatureStatus.VERIFIED: t._("verified"), SignatureStatus.INVALID: t._("invalid"),
        SignatureStatus.NOT_VERIFIABLE_OFFLINE: t._("not verifiable offline"),
        SignatureStatus.UNSIGNED: t._("unsigned"),
    }
    return names[status]


def render_credential_checks(
    credentials: list[CredentialSummary], console: Console, t: Reader = ENGLISH
) -> None:
    """Print each credential's signature check, validity and missing EU 2022 elements.

    The signature check's own detail and notes are the reader's text, as it gave it (English).
    """
    for credential in credentials:
        provenance = credential.provenance
        if provenance is None and not credential.missing_elements:
            continue
        console.print(Text(credential.title, style="bold"))
        if provenance is not None:
            signature = Text(_signature(provenance.signature, t),
                             style=SIGNATURE_STYLE[provenance.signature])
            console.print(
                Text("  ").append(provenance.format.value).append(", " + t._("signature") + " ")
                .append(signature).append(f": {provenance.signature_detail}")
            )
            if provenance.valid_until is not None:
                state = t._("expired") if provenance.expired else t._("not expired")
                console.print("  " + t._("Valid until %(date)s (%(state)s).",
                                         date=f"{provenance.valid_until:%Y-%m-%d}", state=state),
                              highlight=False)
            console.print("  " + t._("Revocation: %(state)s.", state=provenance.revocation),
                          highlight=False)
            for note in provenance.notes:
                console.print(f"  [dim]{escape(note)}[/dim]", highlight=False)
        if credential.missing_elements:
            if t.language == ENGLISH.language:
                missing = describe_missing(credential.missing_elements)
            else:
                names = ", ".join(t.term("eu_element", e.value)
                                  for e in credential.missing_elements)
                missing = t._("The credential does not state these EU 2022 mandatory elements: "
                              "%(names)s.", names=names)
            console.print(Text("  " + t._("warning") + ": " + missing, style="yellow"))
