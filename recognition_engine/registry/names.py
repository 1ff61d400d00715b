"""Names as a register and a credential write them: normalised, transliterated, near-matched.

Georgian and Armenian names are romanised with ``anyascii`` (ISC licence), so that
"თბილისის სახელმწიფო უნივერსიტეტი" and "Tbilisis Sakhelmts'ipo Universit'et'i" meet; near
spellings are scored with ``rapidfuzz`` (MIT licence).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from anyascii import anyascii
from rapidfuzz import fuzz, process

from recognition_engine.registry.models import MatchHow

NEAR_MATCH_SCORE = 92.0
"""rapidfuzz token_sort_ratio (word order set aside) from which two romanised names count as
one name misspelt: "Yerevan State Universty" meets its register's name, and "Tbilisi State
University" does not meet "Tbilisi State Medical University"."""

_NOT_WORD = re.compile(r"[^0-9a-z]+")


def fold(name: str) -> str:
    """Return ``name`` without case, accents, punctuation or extra spaces (its script kept)."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[\W_]+", " ", bare).split())


def romanise(name: str) -> str:
    """Return ``name`` in plain ASCII letters and digits, lower case, words single-spaced."""
    # apostrophes mark ejectives in Georgian romanisation: dropped, so that "ts'" meets "ts"
    return " ".join(_NOT_WORD.sub(" ", anyascii(name).replace("'", "").casefold()).split())


@dataclass(frozen=True)
class Found:
    """The index of the candidate name that matched, how, and the score."""

    position: int
    how: MatchHow
    score: float


@dataclass(frozen=True)
class NameKeys:
    """A name with the keys it is compared by, computed once (a register stores them)."""

    name: str
    folded: str
    romanised: str

    @classmethod
    def of(cls, name: str) -> NameKeys:
        return cls(name, fold(name), romanise(name))


def best_match(query: str, names: Sequence[str | NameKeys]) -> Found | None:
    """Return the best match of ``query`` among ``names``, strictest first; None if none."""
    keyed = [NameKeys.of(name) if isinstance(name, str) else name for name in names]
    exact = query.strip().casefold()
    for position, item in enumerate(keyed):
        if item.name.strip().casefold() == exact:
            return Found(position, MatchHow.EXACT, 100.0)
    folded = fold(query)
    for position, item in enumerate(keyed):
        if item.folded == folded:
            return Found(position, MatchHow.NORMALISED, 100.0)
    romanised = romanise(query)
    if not romanised:
        return None
    for position, item in enumerate(keyed):
        if item.romanised == romanised:
            return Found(position, MatchHow.TRANSLITERATED, 100.0)
    near = process.extractOne(
        romanised,
        [item.romanised for item in keyed],
        scorer=fuzz.token_sort_ratio,
        score_cutoff=NEAR_MATCH_SCORE,
    )
    if near is None:
        return None
    return Found(near[2], MatchHow.NEAR, round(float(near[1]), 1))
