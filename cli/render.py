"""A recognition proposal as a report a credential evaluator can read in a terminal."""

from __future__ import annotations

from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from recognition_engine.domain import (
    CredentialSummary,
    Finding,
    ProposalStatus,
    RecognitionProposal,
    SignatureStatus,
    Verdict,
)
from recognition_engine.ingestion.elements import describe_missing

VERDICT_STYLE = {
    Verdict.PASS: ("pass", "green"),
    Verdict.WARNING: ("warning", "yellow"),
    Verdict.SUBSTANTIAL_DIFFERENCE: ("substantial difference", "red"),
}

HEADLINES = {
    ProposalStatus.PROPOSED: "[green]Recognition proposed: {ects:g} ECTS[/green]",
    ProposalStatus.REVIEW: "[yellow]Recognition proposed, review required: {ects:g} ECTS[/yellow]",
    ProposalStatus.NONE: "[red]No recognition proposed[/red]",
}


def elements_table(elements: list[Finding]) -> Table:
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold", no_wrap=True)
    table.add_column(no_wrap=True)
    table.add_column()
    for item in elements:
        label, style = VERDICT_STYLE[item.verdict]
        if item.verdict is Verdict.SUBSTANTIAL_DIFFERENCE:
            label += " (blocks)" if item.blocking else " (review)"
        table.add_row(item.element.value.replace("_", " "), Text(label, style=style), item.reason)
    return table


def render_proposal(proposal: RecognitionProposal, console: Console, *, evidence: int = 4) -> None:
    """Print the proposal: the verdict, the five elements, each module with its evidence."""
    titles = " + ".join(
        f"{c.title} ({c.awarding_body}, "
        + ("workload not stated" if c.ects is None else f"{c.ects:g} ECTS")
        + ")"
        for c in proposal.credentials
    )
    headline = HEADLINES[proposal.status].format(ects=proposal.total_proposed_ects)
    console.print(
        Panel(
            Group(
                Text.from_markup(headline),
                Text(f"{titles}\n→ {proposal.programme_title} [{proposal.programme_id}]"),
                Text(
                    f"credential workload {proposal.credential_ects:g} ECTS · "
                    f"programme cap for micro-credentials {proposal.ects_cap:g} ECTS"
                    + (
                        f" ({proposal.ects_cap_remaining:g} left in this application)"
                        if proposal.ects_cap_remaining < proposal.ects_cap
                        else ""
                    )
                ),
            ),
            title="Recognition proposal (decision support: the evaluator decides)",
            expand=False,
        )
    )
    render_credential_checks(proposal.credentials, console)
    console.print(elements_table(proposal.elements))
    for reason in proposal.reasons:
        console.print(f"• {reason}")
    if proposal.level_estimate is not None:
        estimate = proposal.level_estimate
        console.print(
            f"Level estimate: EQF {estimate.eqf_level} (Georgian NQF "
            f"{estimate.georgian_nqf_level}, Armenian NQF {estimate.armenian_nqf_level}, "
            f"{estimate.qf_ehea_cycle or 'no QF-EHEA cycle'}), confidence {estimate.confidence:.2f}"
        )
    render_confidence(proposal, console)
    for module in proposal.modules:
        console.rule(
            f"{module.module_code} {module.module_title}: {module.recognition.value} recognition, "
            f"{module.proposed_ects:g} of {module.module_ects:g} ECTS"
        )
        for reason in module.reasons:
            console.print(f"  {reason}")
        table = Table("sim", "credential outcome", "module outcome", show_lines=False)
        for pair in module.evidence[:evidence]:
            table.add_row(f"{pair.similarity:.2f}", pair.credential_outcome, pair.module_outcome)
        if module.evidence:
            console.print(table)
        if module.uncovered_outcomes:
            console.print("  [dim]Not covered:[/dim] " + " | ".join(module.uncovered_outcomes))
    if proposal.considered:
        console.rule("Considered, not proposed")
        for item in proposal.considered[:5]:
            console.print(
                f"  {item.module_code} {item.module_title} (coverage {item.coverage:.0%}, "
                f"score {item.score:.2f}): {' '.join(item.reasons)}"
            )


def render_confidence(proposal: RecognitionProposal, console: Console) -> None:
    """Print the confidence, its tier with the tier's record, and the nearest precedents."""
    if proposal.confidence is None:
        return
    line = f"Confidence that the first module is right: {proposal.confidence:.0%}"
    if proposal.has_equivalent is not None:
        line += f" (that the catalogue has an equivalent at all: {proposal.has_equivalent:.0%})"
    console.print(line)
    tier = proposal.tier
    if tier is not None:
        where = ("this institution's" if tier.basis == "institution"
                 else "other institutions' (cold-start model)")
        record = ("no credential fell in it" if tier.precision is None else
                  f"right {tier.precision:.0%} of the time on {tier.support} credentials")
        console.print(
            f"Tier: [bold]{tier.tier.value.replace('_', ' ')}[/bold] — in cross-validation on "
            f"{tier.decisions} of {where} decided credentials, {record}."
        )
    for p in proposal.precedents[:5]:
        what = ("no equivalent" if p.module_code is None
                else f"{'recognised' if p.accepted else 'refused'} for {p.module_code}")
        console.print(f"  precedent ({p.similarity:.2f}): {p.credential_title} — {what}")


# --- where each credential came from: format, signature, validity, missing elements --------

SIGNATURE_STYLE = {
    SignatureStatus.VERIFIED: "green",
    SignatureStatus.INVALID: "red",
    SignatureStatus.NOT_VERIFIABLE_OFFLINE: "yellow",
    SignatureStatus.UNSIGNED: "yellow",
}


def render_credential_checks(credentials: list[CredentialSummary], console: Console) -> None:
    """Print each credential's signature check, validity and missing EU 2022 elements."""
    for credential in credentials:
        provenance = credential.provenance
        if provenance is None and not credential.missing_elements:
            continue
        console.print(Text(credential.title, style="bold"))
        if provenance is not None:
            signature = Text(
                provenance.signature.value.replace("_", " "),
                style=SIGNATURE_STYLE[provenance.signature],
            )
            console.print(
                Text("  ").append(provenance.format.value).append(", signature ").append(signature)
                .append(f": {provenance.signature_detail}")
            )
            if provenance.valid_until is not None:
                state = "expired" if provenance.expired else "not expired"
                console.print(f"  Valid until {provenance.valid_until:%Y-%m-%d} ({state}).")
            console.print(f"  Revocation: {provenance.revocation}.", highlight=False)
            for note in provenance.notes:
                console.print(f"  [dim]{escape(note)}[/dim]", highlight=False)
        if credential.missing_elements:
            console.print(
                Text(f"  warning: {describe_missing(credential.missing_elements)}", style="yellow")
            )
