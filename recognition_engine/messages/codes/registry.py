"""Where every message and term is registered: the code → English tables, and the two
functions that fill them (see ``recognition_engine.messages.codes``)."""


from __future__ import annotations

MESSAGES: dict[str, str] = {}
"""Every sentence: code → English template."""

TERMS: dict[str, str] = {}
"""Every word a sentence may take as a parameter: group.value → English."""


def message(code: str, english: str) -> str:
    """Register a sentence; return its code."""
    if code in MESSAGES:
        raise ValueError(f"message code registered twice: {code}")
    MESSAGES[code] = english
    return code


def term(code: str, english: str) -> str:
    """Register a term (an enumerated value a sentence names); return its code."""
    TERMS[code] = english
    return code


# A stored proposal made before findings had codes: its English text, as it was written.
TEXT = message("text", "{text}")

