"""Outcome extraction on short online courses: two-word outcomes, glued headings, skills lists,
run-together lists and topics."""

from __future__ import annotations

import pytest

from recognition_engine.domain import DescribedItem
from recognition_engine.ingestion.outcomes import outcomes_of, split_outcomes


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "1.Identify network layers;2.Configure a router;3.Explain TCP/IP",
            ["Identify network layers", "Configure a router", "Explain TCP/IP"],
        ),
        (
            "- write SQL queries\n- design schemas\n* normalise tables",
            ["Write SQL queries", "Design schemas", "Normalise tables"],
        ),
        (
            "By the end of this course you will be able to: design databases; write SQL "
            "queries; use indexes",
            ["Design databases", "Write SQL queries", "Use indexes"],
        ),
        (
            "What you'll learn• Write Python scripts▪ Use loops and functions• Debug code",
            ["Write Python scripts", "Use loops and functions", "Debug code"],
        ),
    ],
)
def test_two_word_outcomes_that_open_with_a_verb_are_kept(text: str, expected: list[str]) -> None:
    assert outcomes_of(DescribedItem(title="Course", learning_outcomes=[text])) == expected


def test_two_word_titles_and_noise_are_not_outcomes() -> None:
    text = (
        "Course overview; Test Automation; Compute Engine; Week 1; Design test plans for a web "
        "application with several user roles"
    )
    assert split_outcomes([text]) == [
        "Design test plans for a web application with several user roles"
    ]


@pytest.mark.parametrize(
    "text",
    [
        "What you'll learnWrite Python scripts• Debug code",
        "What you’ll learn• Write Python scripts• Debug code",
        "What you will learn\nWrite Python scripts\nDebug code",
        "What you'll learn: Write Python scripts; debug code",
        "Learning OutcomesWrite Python scripts; Debug code",
        "Learning outcomes:\n1. Write Python scripts\n2. Debug code",
    ],
)
def test_list_headings_glued_to_the_first_outcome_are_dropped(text: str) -> None:
    assert split_outcomes([text]) == ["Write Python scripts", "Debug code"]


@pytest.mark.parametrize(
    "text",
    [
        "Skills you'll gain: Python Programming, Data Structures, Debugging",
        "Skills you will gain\n• Python Programming\n• Data Structures\n• Debugging",
        "Skills gained: Python Programming; Data Structures; Debugging.",
        "Skills: Python Programming, Data Structures, and Debugging",
    ],
)
def test_a_skills_list_gives_one_item_per_skill_as_written(text: str) -> None:
    assert split_outcomes([text]) == ["Python Programming", "Data Structures", "Debugging"]


def test_skills_follow_the_outcomes_of_their_text() -> None:
    text = "What you'll learn• Write Python scripts• Debug codeSkills you'll gain: Python, pandas"
    assert split_outcomes([text]) == ["Write Python scripts", "Debug code", "Python", "pandas"]


def test_skills_inside_a_sentence_or_over_sentences_are_not_a_skills_list() -> None:
    assert split_outcomes(["Develop communication skills: assertiveness and empathy."]) == [
        "Develop communication skills: assertiveness and empathy"
    ]
    text = (
        "Skills: 1. Plan a software project, with milestones and risks; 2. Use Git, branches "
        "and pull requests to work in a team"
    )
    assert split_outcomes([text]) == [
        "Plan a software project, with milestones and risks",
        "Use Git, branches and pull requests to work in a team",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a capitalised word glued to a lower-case one, a bracket, or a plural acronym
        (
            "Explain how stress shapes the body and the mindPractical ways to support "
            "colleagues in distress(CBT)Cognitive techniques for everyday worries",
            [
                "Explain how stress shapes the body and the mind",
                "Practical ways to support colleagues in distress(CBT)",
                "Cognitive techniques for everyday worries",
            ],
        ),
        (
            "Compare the main kinds of GPUsMemory hierarchies in modern processors and caches",
            [
                "Compare the main kinds of GPUs",
                "Memory hierarchies in modern processors and caches",
            ],
        ),
        # a capitalised opener after a lower-case word
        (
            "The main steps of project scheduling How to build and keep a schedule for a team "
            "from start to finish The role of the critical path in a project network",
            [
                "The main steps of project scheduling",
                "How to build and keep a schedule for a team from start to finish",
                "The role of the critical path in a project network",
            ],
        ),
        # lower case throughout: the repeated opener marks the items
        (
            "how to plan a project and its budgethow to lead a team through a crisis",
            ["How to plan a project and its budget", "How to lead a team through a crisis"],
        ),
    ],
)
def test_run_together_outcomes_are_split(text: str, expected: list[str]) -> None:
    assert split_outcomes([text]) == expected


def test_topics_run_together_are_all_kept() -> None:
    outcomes = split_outcomes(["Bayesian InferenceTime Series ForecastingHierarchical Modeling"])

    assert outcomes == ["Bayesian Inference", "Time Series Forecasting", "Hierarchical Modeling"]
    assert split_outcomes(outcomes) == outcomes


@pytest.mark.parametrize(
    "text",
    [
        "Use collection classes such as ArrayList, HashMap and TreeMap in Java programs",
        "Build web apps with JavaScript, TensorFlow.js and GitHub Actions on an iPhone",
        "Appreciate the use of DevOps, YouTube analytics and PowerPoint in a small business",
    ],
)
def test_names_written_in_camel_case_do_not_split(text: str) -> None:
    assert split_outcomes([text]) == [text]


def test_a_lost_space_after_a_verb_does_not_split() -> None:
    assert split_outcomes(["1.AppreciateData analytics tasks;2.Explain query plans"]) == [
        "AppreciateData analytics tasks",
        "Explain query plans",
    ]
