"""The catalogues: every UI string translated into Georgian and Armenian, placeholders kept,
the compiled .mo in step with the .po, and the .pot in step with the templates."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from api.web.i18n import LOCALES, TEMPLATES

WEB = TEMPLATES.parent
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
TRANSLATED = ("ka", "hy")


def _catalogue(code: str):  # noqa: ANN202 - a babel Catalog
    with (LOCALES / code / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=code)


def _source_ids() -> set[str]:
    method_map = [("**.py", "python"), ("**/templates/**.html", "jinja2")]
    options = {"**/templates/**.html": {"extensions": "jinja2.ext.i18n"}}
    found = extract_from_dir(str(WEB), method_map, options_map=options)
    return {message if isinstance(message, str) else message[0] for _, _, message, _, _ in found}


def test_the_template_lists_every_string_of_the_pages() -> None:
    with (LOCALES / "messages.pot").open("rb") as handle:
        pot = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    assert _source_ids() == pot, "run `make translations` and translate what is new"


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_string_is_translated_with_its_placeholders(code: str) -> None:
    for message in _catalogue(code):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings), f"{code}: {ids[0]!r} is not translated"
        expected = set(PLACEHOLDER.findall(ids[0]))
        for string in strings:
            assert set(PLACEHOLDER.findall(string)) == expected, f"{code}: {ids[0]!r}"


@pytest.mark.parametrize("code", TRANSLATED)
def test_the_compiled_catalogue_matches_the_po(code: str) -> None:
    path: Path = LOCALES / code / "LC_MESSAGES" / "messages.mo"
    with path.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for message in _catalogue(code):
        if message.id and isinstance(message.id, str):
            assert compiled.gettext(message.id) == message.string, "run `make translations`"
