"""Languages of the workbench: gettext catalogues (Babel) and localised dates and numbers.

One Jinja environment per language, each with its own translations installed, so that a request
never changes what another request's templates translate to (no shared mutable state).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal, format_percent
from babel.support import Translations
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape

from recognition_engine.domain import Message
from recognition_engine.messages import render

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
LOCALES = HERE / "locales"
DOMAIN = "messages"


@dataclass(frozen=True)
class Language:
    code: str
    name: str  # in the language itself, as the switcher shows it


LANGUAGES = (
    Language("en", "English"),
    Language("ka", "ქართული"),
    Language("hy", "Հայերեն"),
)
CODES = frozenset(language.code for language in LANGUAGES)
DEFAULT = "en"


def pick_language(requested: str | None, accept_language: str | None = None) -> str:
    """Return a supported language: the one asked for, else the browser's first, else English."""
    if requested in CODES:
        return requested  # type: ignore[return-value]
    for part in (accept_language or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in CODES:
            return code
    return DEFAULT


def load_translations(code: str) -> Translations:
    """Return the compiled catalogue of ``code`` (English needs none: the msgids are English)."""
    return Translations.load(str(LOCALES), [code], DOMAIN)


def build_templates(code: str) -> Jinja2Templates:
    """Return the templates of one language, with its gettext and its number and date filters."""
    locale = Locale.parse(code)
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "xml"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(load_translations(code), newstyle=True)  # type: ignore[attr-defined]
    env.globals["LANGUAGES"] = LANGUAGES
    env.globals["lang"] = code
    env.filters["number"] = lambda value, digits=1: _number(value, locale, digits)
    env.filters["percent"] = lambda value: format_percent(value or 0, "#,##0%", locale=locale)
    env.filters["date"] = lambda value: _date(value, locale)
    env.filters["datetime"] = lambda value: _datetime(value, locale)
    env.filters["say"] = lambda message: _say(message, code)
    return Jinja2Templates(env=env)


def _number(value: float | None, locale: Locale, digits: int) -> str:
    if value is None:
        return "–"
    pattern = "#,##0" + ("." + "#" * digits if digits else "")
    return format_decimal(value, pattern, locale=locale)


def _say(message: Message, code: str) -> str:
    """A finding's or reason's code and parameters as a sentence in the page's language."""
    return render(message.code, message.params, code)


def _date(value: dt.date | None, locale: Locale) -> str:
    return format_date(value, "medium", locale=locale) if value else "–"


def _datetime(value: dt.datetime | None, locale: Locale) -> str:
    return format_datetime(value, "medium", locale=locale) if value else "–"


class TemplateSet:
    """The templates of every language, built once per app."""

    def __init__(self) -> None:
        self._by_code = {language.code: build_templates(language.code) for language in LANGUAGES}

    def __getitem__(self, code: str) -> Jinja2Templates:
        return self._by_code[code]
