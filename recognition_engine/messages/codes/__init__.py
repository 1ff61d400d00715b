"""The registry of every message the engine can emit: a stable dotted code and its English text.

The English text is the gettext msgid and the code its context (``msgctxt``), so that two codes
with the same English never share a translation, and a code keeps its translations when another
code's wording changes. ``make translations`` extracts this package (keywords ``message:1c,2`` and
``term:1c,2``) into ``recognition_engine/locales/engine.pot``.

Placeholders are ``{name:kind}``: the kind says how the renderer writes the value in the reader's
language (``ects``, ``percent``, ``decimal2``, ``quoted``, ``quoted_list``, ``list``,
``semicolon_list``, ``date``), or, for any other kind, names a group of terms below
(``{assessment:assessment}`` renders the term ``assessment.<value>``). A plain ``{name}`` is
written as given (EQF levels, counts, module codes).

The registry is split by what the sentences speak of; every code is importable from here
(``codes.QUALITY_NOT_STATED``), in the order it was registered.
"""

from __future__ import annotations

from recognition_engine.messages.codes.checks import *  # noqa: F403
from recognition_engine.messages.codes.elements import *  # noqa: F403
from recognition_engine.messages.codes.reasons import *  # noqa: F403
from recognition_engine.messages.codes.registry import MESSAGES, TERMS, TEXT, message, term
from recognition_engine.messages.codes.terms import *  # noqa: F403

__all__ = ["MESSAGES", "TERMS", "TEXT", "message", "term"]
