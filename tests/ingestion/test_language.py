"""Language detection on texts written for these tests: per text, per outcome, declared first."""

from __future__ import annotations

import pytest

from recognition_engine.ingestion.language import (
    declared_code,
    detect_language,
    language_of,
    normalise_language,
    outcome_languages,
    script_of,
)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Configure VLANs, static routes and OSPF on enterprise switches.", "en"),
        ("ლოკალური ქსელის კონფიგურირება და მარშრუტიზაციის პრობლემების აღმოფხვრა.", "ka"),
        ("Կազմաձևել տեղական ցանցը և վերացնել երթուղավորման խնդիրները։", "hy"),
        ("Настраивать локальную сеть и устранять неполадки маршрутизации.", "ru"),
        ("Lokale Netzwerke konfigurieren und Routingprobleme beheben.", "de"),
    ],
)
def test_each_text_is_read_in_its_language(text: str, code: str) -> None:
    assert detect_language(text) == code


def test_a_text_without_letters_has_no_language() -> None:
    assert detect_language("1.2 — 42 %") is None
    assert language_of([]) is None


def test_a_declared_language_wins_over_detection() -> None:
    english = ["Design relational databases and write SQL queries."]
    assert language_of(english) == "en"
    assert language_of(english, declared="de-AT") == "de"
    georgian = ["მონაცემთა ბაზების დაპროექტება", "SQL and NoSQL"]
    assert language_of(georgian, declared="ka-GE") == "ka"
    assert outcome_languages(georgian, declared="ka") == ["ka", "ka"]
    assert outcome_languages(["Ցանցեր", "SQL"], declared="HY") == ["hy", "hy"]


def test_a_declaration_may_name_the_language() -> None:
    codes = {"Georgian": "ka", "english": "en", "hy-AM": "hy", "kat": "ka", "Klingonese": None}
    assert {declared: declared_code(declared) for declared in codes} == codes


def test_a_declaration_in_another_script_than_the_texts_is_not_their_language() -> None:
    # the English description of a course taught in Georgian
    english = ["Design relational databases and write SQL queries."]
    assert language_of(english, declared="Georgian") == "en"
    assert language_of(english, declared="ka") == "en"
    assert outcome_languages(english, declared="ka") == ["en"]


def test_each_outcome_has_its_own_language() -> None:
    outcomes = [
        "მონაცემთა ბაზების დაპროექტება და SQL მოთხოვნების წერა.",
        "Design relational databases and write SQL queries.",
        "Նախագծել տվյալների բազաներ և գրել SQL հարցումներ։",
    ]
    assert outcome_languages(outcomes) == ["ka", "en", "hy"]


def test_a_short_outcome_takes_its_items_language_in_the_same_script() -> None:
    outcomes = [
        "Python-ის გამოყენება მონაცემთა ანალიზისთვის და ვიზუალიზაციისთვის.",
        "pandas და NumPy",
        "სტატისტიკური ჰიპოთეზების შემოწმება და შედეგების ინტერპრეტაცია.",
    ]
    assert outcome_languages(outcomes)[0] == "ka"
    english = ["Use version control in a team project with pull requests.", "Git und GitHub"]
    assert outcome_languages(english) == ["en", "en"]


def test_scripts() -> None:
    scripts = {"ქსელი": "Geor", "Ցանց": "Armn", "сеть": "Cyrl", "network": "Latn", "42": None}
    assert {text: script_of(text) for text in scripts} == scripts


def test_normalise_language() -> None:
    assert normalise_language("ka-GE") == "ka"
    assert normalise_language("hy_AM") == "hy"
    assert normalise_language(" ") is None
