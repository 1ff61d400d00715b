"""Pure: a credential's awarding body against the provider registers, as a QA finding.

A register decides what a credential only claims: an awarding body listed with external QA in
force when the credential was issued passes, whatever the credential declares; one not listed
is a substantial difference that sends the proposal to review; one whose QA had lapsed, too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from recognition_engine.decision.findings import finding
from recognition_engine.domain import (
    Element,
    Finding,
    FindingSource,
    MessageParam,
    MicroCredential,
    SourceKind,
    Verdict,
)
from recognition_engine.messages import codes
from recognition_engine.messages.render import coded
from recognition_engine.registry.models import QARecord, RegistryMatch


def assess_registry(
    credential: MicroCredential, matches: Sequence[RegistryMatch] | None
) -> Finding:
    """Return the register's finding on the credential's awarding body.

    ``matches``: the register's entries for the awarding body (``ProviderRegistry.lookup``),
    best first; None when no register has been imported.
    """
    body = credential.awarding_body
    if matches is None:
        return finding(
            Element.QUALITY_ASSURANCE,
            Verdict.WARNING,
            coded(codes.REGISTRY_NOT_CONFIGURED, body=body),
        )
    if not matches:
        return finding(
            Element.QUALITY_ASSURANCE,
            Verdict.SUBSTANTIAL_DIFFERENCE,
            coded(codes.REGISTRY_NOT_FOUND, body=body, country=credential.country),
        )
    issued = credential.date_of_issue
    in_force = [(match, record) for match in matches for record in match.entry.valid_on(issued)]
    if in_force:
        match, record = max(in_force, key=lambda pair: _institutional_first(pair[1]))
        return _registered(body, match, record)
    if all(not m.entry.records for m in matches):
        # listed, with no report imported (a DEQAR institutions export alone): the listing is
        # the register's word that it underwent external QA
        return _registered(body, matches[0], None)
    latest = max(
        (r for m in matches for r in m.entry.records),
        key=lambda r: r.valid_until or r.valid_from or issued,
    )
    return _register_finding(
        Verdict.SUBSTANTIAL_DIFFERENCE,
        codes.REGISTRY_EXPIRED,
        body,
        matches[0],
        latest,
        issued=issued.isoformat(),
        record=latest.id,
        agency=latest.agency,
        valid_until=_day(latest.valid_until),
    )


def _registered(body: str, match: RegistryMatch, record: QARecord | None) -> Finding:
    """Return the pass of an awarding body the register lists, citing the QA ``record`` in force
    at issue (None: listed with no QA report imported, the listing is the record)."""
    if record is None:
        cited = {"record": match.entry.key, "agency": None, "valid_from": None, "valid_until": None}
    else:
        cited = {
            "record": record.id,
            "agency": record.agency,
            "valid_from": _day(record.valid_from),
            "valid_until": _day(record.valid_until),
        }
    return _register_finding(
        Verdict.PASS,
        codes.REGISTRY_REGISTERED,
        body,
        match,
        record,
        how=match.how.value,
        name_kind=match.name_kind.value,
        **cited,
    )


def _register_finding(
    verdict: Verdict,
    code: str,
    body: str,
    match: RegistryMatch,
    qa_record: QARecord | None,
    /,
    **params: MessageParam,
) -> Finding:
    """Return the finding saying ``code`` of the awarding ``body`` as the register's ``match``
    names it, citing ``qa_record`` (None: the register's entry)."""
    said = coded(code, body=body, register=_register(match), name=match.matched_name, **params)
    return finding(
        Element.QUALITY_ASSURANCE,
        verdict,
        said,
        evidence=_evidence(match),
        source=_source(match, qa_record),
    )


def _institutional_first(record: QARecord) -> tuple[bool, dt.date]:
    """An institution's own QA before a programme's; then the one in force the longest."""
    return (not record.is_programme, record.valid_until or dt.date.max)


def _register(match: RegistryMatch) -> str:
    entry = match.entry
    return "DEQAR" if entry.key.startswith("deqar:") else entry.register_name


def _record(record: QARecord) -> str:
    """The record as a citation names it (English, like the register's own data)."""
    parts = [record.kind, record.id]
    if record.agency:
        parts.append(f"by {record.agency}")
    if record.programme:
        parts.append(f"programme {record.programme!r}")
    return " ".join(parts)


def _day(value: object) -> str | None:
    return None if value is None else str(value)


def _evidence(match: RegistryMatch) -> list[str]:
    entry = match.entry
    said = [
        f"Matched {match.matched_name!r} ({match.name_kind.value} name, {match.how.value}"
        + (f", score {match.score:g}" if match.how.value == "near" else "")
        + ")",
        f"Register: {entry.register_name}",
    ]
    if entry.example:
        said.append("From an example file of the format, not from the register itself.")
    return said


def _source(match: RegistryMatch, record: QARecord | None) -> FindingSource:
    entry = match.entry
    citation = f"{entry.register_name}: {entry.name}"
    if record is not None:
        citation += f", {_record(record)}"
    if entry.example:
        citation += " (example entry, not the register)"
    return FindingSource(
        kind=SourceKind.REGISTRY,
        id=record.id if record is not None else entry.key,
        citation=citation,
        url=(record.url if record is not None and record.url else entry.url),
        date=entry.captured.isoformat() if entry.captured else None,
    )
