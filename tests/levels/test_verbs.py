"""Leading verbs: preambles, numbering, coordination, British spellings, the lexicon."""

from __future__ import annotations

import pytest

from recognition_engine.domain import BloomLevel
from recognition_engine.levels import analyse_outcome, extract_verbs
from recognition_engine.levels.verbs import americanise, clean_outcome, load_lexicon


@pytest.mark.parametrize(
    ("text", "verbs"),
    [
        ("Design and implement a relational database", ["design", "implement"]),
        ("Identify, describe and explain key concepts", ["identify", "describe", "explain"]),
        ("Critically analyse and evaluate research evidence", ["analyze", "evaluate"]),
        ("Compare and/or contrast theories of learning", ["compare", "contrast"]),
        ("Describe the structure and function of cells", ["describe"]),
        ("Rigorously quantify the mixing of Markov chains", ["quantify"]),
    ],
)
def test_leading_and_coordinated_verbs(text: str, verbs: list[str]) -> None:
    assert extract_verbs(text).verbs == verbs


@pytest.mark.parametrize(
    ("british", "american"),
    [
        ("analyse", "analyze"),
        ("organise", "organize"),
        ("summarise", "summarize"),
        ("synthesise", "synthesize"),
        ("practise", "practice"),
        ("evaluate", "evaluate"),
    ],
)
def test_british_spellings_are_normalised(british: str, american: str) -> None:
    assert americanise(british) == american


def test_irregular_forms_come_from_the_lookup_table() -> None:
    assert extract_verbs("Built and wrote small programs").verbs == ["build", "write"]


def test_inflected_british_verbs_are_found() -> None:
    analysis = extract_verbs("Organised, analysed and summarised survey data")
    assert analysis.verbs == ["organize", "analyze", "summarize"]
    assert analysis.bloom == [BloomLevel.UNDERSTAND, BloomLevel.ANALYZE]


@pytest.mark.parametrize(
    "text",
    [
        "By the end of this course, students will be able to: analyse market data",
        "1. Analyse market data;",
        "(a) analyse market data",
        "On successful completion of this unit you should be able to analyse market data",
        "Students will analyse market data",
    ],
)
def test_preambles_and_numbering_are_skipped(text: str) -> None:
    assert clean_outcome(text).lower().startswith("analyse")
    assert extract_verbs(text).verbs == ["analyze"]


def test_object_changes_the_level_of_a_verb() -> None:
    assert extract_verbs("Demonstrate an understanding of ethics").bloom == [BloomLevel.UNDERSTAND]
    assert extract_verbs("Demonstrate the ability to code in Python").bloom == [BloomLevel.APPLY]


def test_verb_after_to_when_the_outcome_does_not_open_with_one() -> None:
    analysis = extract_verbs("The knowledge and skills needed to evaluate software designs")
    assert analysis.verbs == ["evaluate"]
    assert not analysis.leading


def test_lexicon_fallback_gives_every_outcome_a_level() -> None:
    known = analyse_outcome("Design and critically evaluate a marketing plan")
    assert known.method == "lexicon"
    assert known.bloom == [BloomLevel.EVALUATE, BloomLevel.CREATE]
    assert known.verbs == ["design", "evaluate"]
    unknown = analyse_outcome("Xyzzy")
    assert unknown.bloom and unknown.confidence < known.confidence


def test_lexicon_gives_each_verb_one_level_at_every_bloom_level() -> None:
    lexicon = load_lexicon()
    assert set(lexicon.level_of.values()) == set(BloomLevel)
    assert lexicon.level_of["analyze"] is BloomLevel.ANALYZE
    assert all(verb.isalpha() and verb == verb.lower() for verb in lexicon.level_of)


def test_verbs_ending_in_ly_are_not_taken_for_adverbs() -> None:
    assert extract_verbs("Apply and critically evaluate the rules").verbs == ["apply", "evaluate"]
    assert extract_verbs("Comply with safety regulations").verbs == ["comply"]
