"""Every word the terminal report adds around the engine's messages has its Georgian and
Armenian translation, with the same placeholders."""

from __future__ import annotations

import re

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from cli import render
from cli.i18n import DOMAIN, LOCALES, Reader


def report_strings() -> set[str]:
    found = extract_from_file("python", render.__file__, keywords={"_": None})
    return {message for _, message, _, _ in found}


@pytest.mark.parametrize("language", ["ka", "hy"])
def test_every_report_string_is_translated(language: str) -> None:
    with (LOCALES / language / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as file:
        po = read_po(file)
    strings = report_strings()
    assert len(strings) > 30
    missing = [s for s in strings if not ((entry := po.get(s)) and entry.string)]
    assert not missing, f"run `make translations`, then translate: {missing}"
    for text in strings:
        translated = str(po.get(text).string)
        assert set(re.findall(r"%\((\w+)\)s", translated)) == set(re.findall(r"%\((\w+)\)s", text))
        assert Reader(language)._(text) == translated, "the compiled .mo is stale"
