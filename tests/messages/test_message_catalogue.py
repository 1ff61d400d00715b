"""Every code the engine can emit has its Georgian and Armenian sentence, with the same
placeholders as the English, and renders in every language."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from recognition_engine.domain import AssessmentType, ConfidenceTier, EUElement, ParticipationForm
from recognition_engine.messages import LANGUAGES, coded, negotiate_language, render
from recognition_engine.messages.codes import MESSAGES, TERMS
from recognition_engine.messages.render import DOMAIN, LOCALES, translate
from recognition_engine.registry import MatchHow, NameKind

TRANSLATED = [language for language in LANGUAGES if language != "en"]
REGISTRY = {**MESSAGES, **TERMS}
SAMPLE = {
    "ects": 2.5, "decimal2": 0.8123, "percent": 0.75, "date": "2020-01-01", "quoted": "Data",
    "quoted_list": ["Data", "Web"], "list": ["NET101"], "semicolon_list": ["one", "two"],
    "assessment": "automated_test", "participation": "on_site", "tier": "review",
    "basis": "shared", "eu_element": ["workload", "level"], "": 6,
    "registry_match": "transliterated", "registry_name": "official", "policy_basis": "example",
    "policy_condition": ["accredited_programme", "ects_awarded"],
}


def placeholders(template: str) -> set[tuple[str, str]]:
    return {(name, spec or "") for _, name, spec, _ in string.Formatter().parse(template) if name}


def catalogue(language: str) -> Catalog:
    with (LOCALES / language / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as file:
        return read_po(file)


def test_the_languages_are_english_georgian_and_armenian() -> None:
    assert LANGUAGES == ("en", "ka", "hy")


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_code_and_term_has_a_translation(language: str) -> None:
    po = catalogue(language)
    missing = []
    for code, english in REGISTRY.items():
        entry = po.get(english, context=code)
        if entry is None or not entry.string or entry.fuzzy:
            missing.append(code)
        elif translate(code, english, language) != entry.string:
            missing.append(f"{code} (the compiled .mo is stale: pybabel compile)")
    assert not missing, f"untranslated in {language}: {missing}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_a_translation_keeps_the_placeholders_of_the_english(language: str) -> None:
    po = catalogue(language)
    wrong = [code for code, english in MESSAGES.items()
             if (entry := po.get(english, context=code)) is not None
             and placeholders(str(entry.string)) != placeholders(english)]
    assert not wrong


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_code_renders_in_every_language(language: str) -> None:
    for code, english in MESSAGES.items():
        params = {name: SAMPLE[spec] for name, spec in placeholders(english)}
        text = render(code, params, language)
        assert text and "{" not in text.replace("{text}", ""), (code, text)
        if language != "en" and code != "text":
            assert text != render(code, params, "en"), code


def test_every_value_a_sentence_names_has_a_term() -> None:
    named = {
        "assessment": AssessmentType, "participation": ParticipationForm,
        "tier": ConfidenceTier, "eu_element": EUElement,
        "registry_match": MatchHow, "registry_name": NameKind,
    }
    missing = [f"{group}.{value.value}" for group, enum in named.items() for value in enum
               if f"{group}.{value.value}" not in TERMS]
    assert not missing


def test_numbers_are_written_for_the_locale() -> None:
    params = {"workload": 12.5, "proposed": 5.0, "cap": 30.0}
    assert "12.5 ECTS" in render("workload.summary", params, "en")
    assert "12,5 ECTS" in render("workload.summary", params, "ka")
    assert "12,5 ECTS" in render("workload.summary", params, "hy")
    assert "0,81" in render("outcomes.similarity_low", {"score": 0.812, "minimum": 0.5}, "ka")


def test_titles_are_quoted_as_each_language_quotes() -> None:
    said = {"title": "Data Basics"}
    assert "'Data Basics'" in render("quality.not_stated", said, "en")
    assert "„Data Basics“" in render("quality.not_stated", said, "ka")
    assert "«Data Basics»" in render("quality.not_stated", said, "hy")


def test_only_a_registered_code_can_be_emitted() -> None:
    with pytest.raises(ValueError, match="unregistered"):
        coded("level.made_up", declared=4)


def test_a_stored_sentence_without_a_code_renders_as_itself_in_every_language() -> None:
    assert {render("text", {"text": "As stored."}, lang) for lang in LANGUAGES} == {"As stored."}


@pytest.mark.parametrize(
    ("header", "language"),
    [(None, "en"), ("", "en"), ("ka", "ka"), ("hy-AM,en;q=0.5", "hy"), ("de, fr", "en"),
     ("en;q=0.4, ka;q=0.9", "ka"), ("ka;q=0, hy", "hy"), ("*", "en"), ("ka-GE", "ka")],
)
def test_the_reader_language_is_negotiated(header: str | None, language: str) -> None:
    assert negotiate_language(header) == language


def test_the_catalogues_ship_compiled() -> None:
    for language in TRANSLATED:
        assert Path(LOCALES / language / "LC_MESSAGES" / f"{DOMAIN}.mo").is_file()
