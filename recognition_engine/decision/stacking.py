"""Stacking: which sets of credentials may be combined toward one decision."""

from __future__ import annotations

from collections.abc import Sequence

from recognition_engine.domain import MicroCredential
from recognition_engine.errors import InvalidInput, StackingRefused

MAX_STACKED_CREDENTIALS = 10


def check_stacking(credentials: Sequence[MicroCredential]) -> None:
    """Refuse a set of credentials that cannot be combined toward one decision."""
    if not credentials:
        raise InvalidInput("no credential given")
    if len(credentials) == 1:
        return
    if len(credentials) > MAX_STACKED_CREDENTIALS:
        raise StackingRefused(
            f"{len(credentials)} credentials: at most {MAX_STACKED_CREDENTIALS} can be stacked"
        )
    refused = [c.title for c in credentials if c.stackable is False]
    if refused:
        raise StackingRefused(
            "declared not stackable by the awarding body: " + ", ".join(repr(t) for t in refused)
        )
    ids = [c.id for c in credentials if c.id]
    if len(set(ids)) != len(ids):
        raise StackingRefused("the same credential is given twice")
    # Two copies without ids, or under two ids, certify the same learning once.
    fingerprints = [c.content_fingerprint() for c in credentials]
    if len(set(fingerprints)) != len(fingerprints):
        raise StackingRefused(
            "the same credential is given twice (same content under another id, or no id)"
        )
