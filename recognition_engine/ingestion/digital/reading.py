"""What a format reader hands back: the micro-credential's fields and what it noticed."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from recognition_engine.errors import InvalidInput

DEFAULT_LANGUAGE = "en"


@dataclass
class Reading:
    """The fields of a MicroCredential read from one credential, plus the facts around them."""

    fields: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    learner_identified: bool = False  # whether the credential names its learner (never kept)
    issuer: str | None = None
    valid_from: dt.datetime | None = None
    valid_until: dt.datetime | None = None
    status_listed: bool = False  # whether it names a revocation/suspension status list
    proof: str | None = None  # an embedded proof that cannot be checked offline


def not_an_achievement(source: str, found: str, readable: str = "") -> InvalidInput:
    """Return the refusal of a credential that holds ``found``, no learning achievement;
    ``readable`` names the kinds its format may hold instead."""
    return InvalidInput(
        f"{source}: unsupported credential type: {found}; the engine reads micro-credentials "
        f"and other learning achievements{readable}"
    )


def language_order(preferred: str | None, primary: str | None) -> list[str]:
    """Return the languages to pick texts in: the evaluator's, the credential's, then English."""
    order = [lang.lower() for lang in (preferred, primary, DEFAULT_LANGUAGE) if lang]
    return list(dict.fromkeys(order))


def instant(value: Any) -> dt.datetime | None:
    """Return an ISO 8601 date-time (or date) as an aware datetime, or None if it is not one."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip().replace("Z", "+00:00").replace("z", "+00:00")
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


_DURATION = re.compile(
    r"P(?:(?P<days>\d+(?:[.,]\d+)?)D)?"
    r"(?:T(?:(?P<hours>\d+(?:[.,]\d+)?)H)?(?:(?P<minutes>\d+(?:[.,]\d+)?)M)?"
    r"(?:(?P<seconds>\d+(?:[.,]\d+)?)S)?)?"
)


def duration_hours(value: str) -> float | None:
    """Return an ISO 8601 duration in hours (``PT45H`` → 45), or None if it is not in hours.

    Days, weeks, months and years of study are not a number of hours, so they give None.
    """
    match = _DURATION.fullmatch(value.strip().upper())
    if not match or not any(match.groupdict().values()):
        return None
    parts = {k: float(v.replace(",", ".")) for k, v in match.groupdict().items() if v}
    if parts.get("days"):
        return None
    hours = parts.get("hours", 0) + parts.get("minutes", 0) / 60 + parts.get("seconds", 0) / 3600
    return hours or None


def number(value: Any) -> float | None:
    """Return a number written as a JSON number or a string ('5', '7,5'), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip().replace(",", "."))
        except ValueError:
            return None
    return None


def first_match(labels: Sequence[str], rules: Sequence[tuple[tuple[str, ...], Any]]) -> Any:
    """Return the value of the first rule one of whose words occurs in one of the labels."""
    lowered = [label.lower() for label in labels]
    for words, value in rules:
        if any(word in label for word in words for label in lowered):
            return value
    return None
