"""The report's own words (headings, labels) in the reader's language: the `cli` gettext domain.

The findings and reasons are the engine's coded messages, rendered by
``recognition_engine.messages``; this catalogue holds only what the terminal report adds around
them. ``make translations`` extracts it from ``cli/render.py`` (keyword ``_``) into
``cli/locales/cli.pot``.
"""

from __future__ import annotations

import gettext
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel import Locale
from babel.numbers import format_decimal, format_percent
from babel.support import Translations

from recognition_engine.domain import Message
from recognition_engine.messages import DEFAULT_LANGUAGE, LANGUAGES, render
from recognition_engine.messages.render import render_term

LOCALES = Path(__file__).resolve().parent / "locales"
DOMAIN = "cli"


@cache
def _catalogue(language: str) -> gettext.NullTranslations:
    if language == DEFAULT_LANGUAGE:
        return gettext.NullTranslations()
    return Translations.load(str(LOCALES), [language], DOMAIN)


@dataclass(frozen=True)
class Reader:
    """Writes the report for one language: its words, its numbers, the engine's messages."""

    language: str = DEFAULT_LANGUAGE

    def __post_init__(self) -> None:
        if self.language not in LANGUAGES:
            raise ValueError(f"no catalogue for language {self.language!r}")

    def _(self, text: str, **params: object) -> str:
        """Return ``text`` translated, with its ``%(name)s`` placeholders filled."""
        translated = _catalogue(self.language).gettext(text)
        return translated % params if params else translated

    def ects(self, value: float) -> str:
        return format_decimal(value, "#,##0.##", locale=Locale.parse(self.language))

    def decimal(self, value: float) -> str:
        return format_decimal(value, "#,##0.00", locale=Locale.parse(self.language))

    def percent(self, value: float) -> str:
        return format_percent(value, "#,##0%", locale=Locale.parse(self.language))

    def say(self, message: Message) -> str:
        """An engine message (a finding, a reason) in this language."""
        return render(message.code, message.params, self.language)

    def term(self, group: str, value: str) -> str:
        """A term of the engine's catalogue (an EU 2022 element, a confidence tier)."""
        return render_term(group, value, self.language)
