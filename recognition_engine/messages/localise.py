"""A proposal with every coded message rendered in the reader's language."""

from __future__ import annotations

from collections.abc import Iterable

from recognition_engine.domain import Finding, Message, RecognitionProposal
from recognition_engine.messages.render import DEFAULT_LANGUAGE, render


def localise_proposal(
    proposal: RecognitionProposal, language: str = DEFAULT_LANGUAGE
) -> RecognitionProposal:
    """Return a copy of ``proposal`` whose findings, reasons and evidence requests read in
    ``language``; codes and parameters are unchanged. The original is left as it is."""
    copy = proposal.model_copy(deep=True)
    _render_all(_findings(copy), language)
    _render_all(copy.reason_codes, language)
    copy.reasons = [m.message for m in copy.reason_codes]
    for module in copy.modules:
        _render_all([*module.reason_codes, *module.evidence_request_codes], language)
        module.reasons = [m.message for m in module.reason_codes]
        module.evidence_requests = [m.message for m in module.evidence_request_codes]
    for considered in copy.considered:
        _render_all(considered.reason_codes, language)
        considered.reasons = [m.message for m in considered.reason_codes]
    return copy


def _findings(proposal: RecognitionProposal) -> list[Finding]:
    return [
        *proposal.elements,
        *proposal.findings,
        *[f for module in proposal.modules for f in module.elements],
        *[f for considered in proposal.considered for f in considered.findings],
    ]


def _render_all(messages: Iterable[Message], language: str) -> None:
    for item in messages:
        item.message = render(item.code, item.params, language)
        if isinstance(item, Finding):
            item.reason = item.message
