"""Outcome extraction on texts quoted from the catalogues, edge cases and a property test."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recognition_engine.domain import DescribedItem
from recognition_engine.ingestion.outcomes import outcomes_of, split_outcomes

# --- real texts, quoted as published -------------------------------------------------------

GLASGOW_COMPSCI1016 = (
    "By the end of this course students will be able to:1.Identify core characteristics of "
    "computational systems;2.Describe the purpose and operation of a range of individual "
    "computational concepts, as exemplified in more than one programming language;3.Explain the "
    "purpose and operation of partial and complete computations expressed in a range of notations "
    "at various levels of abstraction;4.Apply computational understanding to solve programming "
    "problems involving textual, numerical and graphical contexts;5.Amend computations to adjust "
    "their functionality;6.Identify and correct errors in computations expressed in a range of "
    "notations;7.Identify the application and emergence of computational concepts in artificial "
    "and natural systems, respectively."
)


SPLITS = [
    pytest.param(
        "By the end of this course, students will be able to:1.Apply standard algorithmic design "
        "methods and basic principles of algorithm analysis.2.Describe fundamental graph and "
        "string algorithms and be able to apply this knowledge in a program.3.Describe the basic "
        "principles and practical implications of the theory of NP-completeness.",
        [
            "Apply standard algorithmic design methods and basic principles of algorithm analysis",
            "Describe fundamental graph and string algorithms and be able to apply this knowledge "
            "in a program",
            "Describe the basic principles and practical implications of the theory of "
            "NP-completeness",
        ],
        id="glasgow: numbers glued to the previous sentence",
    ),
    pytest.param(
        "On completion of the CS1P (Half)course, the student should:Knowledge - know about:"
        "techniques for solving problems;basic computational concepts and elementary data "
        "structures.Skills - be able to:hand-execute simple programs, showing how input data is "
        "processed;amend existing programs to adjust or correct their functionality",
        [
            "Techniques for solving problems",
            "Basic computational concepts and elementary data structures",
            "hand-execute simple programs, showing how input data is processed",
            "Amend existing programs to adjust or correct their functionality",
        ],
        id="glasgow: headings inside the text are dropped",
    ),
    pytest.param(
        "Describe what makes a good or bad visualizationUnderstand best practices for creating "
        "basic chartsIdentify the functions that are best for particular problemsCreate a "
        "visualization using matplotlb",
        [
            "Describe what makes a good or bad visualization",
            "Understand best practices for creating basic charts",
            "Identify the functions that are best for particular problems",
            "Create a visualization using matplotlb",
        ],
        id="coursera: outcomes glued without punctuation",
    ),
    pytest.param(
        "Analyze style and factor exposures of portfolios Implement robust estimates",
        ["Analyze style and factor exposures of portfolios", "Implement robust estimates"],
        id="coursera: outcomes glued with a space",
    ),
    pytest.param(
        "Students who complete this course should be able to\n"
        "- analyse survey data with\n  regression models\n- write reports"
        " for non-specialist readers",
        ["Analyse survey data with regression models", "Write reports for non-specialist readers"],
        id="preamble without a colon, wrapped lines",
    ),
]
"""One published or typical text each, and the outcomes it splits into."""


@pytest.mark.parametrize(("text", "expected"), SPLITS)
def test_published_texts_split_into_their_outcomes(text: str, expected: list[str]) -> None:
    assert split_outcomes([text]) == expected


def test_glasgow_numbered_list_without_spaces() -> None:
    outcomes = split_outcomes([GLASGOW_COMPSCI1016])

    assert len(outcomes) == 7
    assert outcomes[0] == "Identify core characteristics of computational systems"
    assert outcomes[4] == "Amend computations to adjust their functionality"
    assert outcomes[-1].endswith("in artificial and natural systems, respectively")
    assert not any("able to" in outcome for outcome in outcomes)


def test_glasgow_colon_numbering_and_unnumbered_run_together_sentences() -> None:
    colons = split_outcomes(
        [
            "By the end of the course students will be able to:1: Discuss the concepts of "
            "algorithms and algorithm complexity;2: Use an abstract data type (ADT);3: Identify "
            "commonly used to represent the above ADTs (arrays,linked lists,search trees,"
            "hash tables)"
        ]
    )
    assert colons[:2] == [
        "Discuss the concepts of algorithms and algorithm complexity",
        "Use an abstract data type (ADT)",
    ]
    lowercase = split_outcomes(
        [
            "By the end of this course students will be able to:describe different deployment "
            "concerns for a specific context.design security policy to address perceived concerns "
            "for a specific context.argue appropriate approaches to business continuity and "
            "resilience."
        ]
    )
    assert lowercase == [
        "Describe different deployment concerns for a specific context",
        "Design security policy to address perceived concerns for a specific context",
        "Argue appropriate approaches to business continuity and resilience",
    ]


def test_glasgow_list_split_at_commas_by_the_scraper_is_glued_back() -> None:
    texts = [
        "By the end of the course students will be able to:1.Use an abstract data type (ADT) and "
        "its role in program design;2.Explain the use of basic data structures",
        "such as arrays",
        "linked lists",
        "and hash tables;3.Implement basic data structures in Java.",
    ]
    assert split_outcomes(texts) == [
        "Use an abstract data type (ADT) and its role in program design",
        "Explain the use of basic data structures, such as arrays, linked lists, and hash tables",
        "Implement basic data structures in Java",
    ]


def test_deakin_outcomes_one_per_text_are_kept_whole() -> None:
    texts = [
        "Assess the suitability of different programming paradigms for a range of problem types "
        "to facilitate effective language selection and program design.",
        "Design and implement programs in languages encompassing different programming paradigms "
        "to demonstrate effective and efficient computational problem solving.",
    ]
    assert split_outcomes(texts) == [text.removesuffix(".") for text in texts]


def test_coursera_colon_style_keeps_the_heading_and_splits_sentences() -> None:
    outcomes = split_outcomes(
        [
            "Understand .NET framework: Master ASP.NET for dynamic web apps, emphasizing web "
            "forms, server controls, and data-driven techniques.",
            "Advanced C# concepts: Master object-oriented principles like inheritance, "
            "polymorphism. Delve into advanced exception handling techniques, create custom "
            "exceptions, and seamlessly implement asynchronous C# code.",
        ]
    )
    assert outcomes == [
        "Understand .NET framework: Master ASP.NET for dynamic web apps, emphasizing web forms, "
        "server controls, and data-driven techniques",
        "Advanced C# concepts: Master object-oriented principles like inheritance, polymorphism",
        "Delve into advanced exception handling techniques, create custom exceptions, and "
        "seamlessly implement asynchronous C# code",
    ]


def test_coursera_you_will_preambles() -> None:
    outcomes = split_outcomes(
        [
            "By successfully completing this course, you will be able to distinguish between "
            "Agile and predictive approaches.",
            "You will identify key innate immunity cells, molecules, and direct defence "
            "mechanisms.",
        ]
    )
    assert outcomes == [
        "Distinguish between Agile and predictive approaches",
        "Identify key innate immunity cells, molecules, and direct defence mechanisms",
    ]


def test_vccs_description_only_item_contributes_its_sentences() -> None:
    item = DescribedItem(
        title="Principles Of Accounting I",
        description=(
            "Introduces accounting principles with respect to financial reporting. Demonstrates "
            "how decision makers use accounting information for reporting purposes. Focuses on "
            "the preparation of accounting information and its use in the operation of "
            "organizations, as well as methods of analysis and interpretation of accounting "
            "information."
        ),
    )
    outcomes = outcomes_of(item)

    assert len(outcomes) == 3
    assert outcomes[1] == (
        "Demonstrates how decision makers use accounting information for reporting purposes"
    )


def test_vt_prerequisite_notes_are_not_outcomes() -> None:
    item = DescribedItem(
        title="Health Economics",
        description=(
            "Cost-benefit and cost-effectiveness analysis of health interventions. "
            "Pre: Senior Standing required; 3234 or permission of the instructor. (3H,3C)"
        ),
    )
    assert outcomes_of(item) == [
        "Cost-benefit and cost-effectiveness analysis of health interventions"
    ]


# --- outcomes_of --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("outcomes", "description", "expected"),
    [
        (
            ["Explain the layers of the TCP/IP model"],
            "A course about networks. It has labs every week.",
            ["Explain the layers of the TCP/IP model"],
        ),
        (
            ["Students will be able to:"],
            "Configure routers and switches in a campus network.",
            ["Configure routers and switches in a campus network"],
        ),
    ],
    ids=["outcomes-given", "outcomes-only-a-preamble"],
)
def test_the_description_is_read_only_when_the_outcomes_yield_none(
    outcomes: list[str], description: str, expected: list[str]
) -> None:
    item = DescribedItem(title="Networks", learning_outcomes=outcomes, description=description)
    assert outcomes_of(item) == expected


def test_a_description_too_short_to_split_is_kept_whole() -> None:
    assert outcomes_of(DescribedItem(title="Special Study", description="Special Study.")) == [
        "Special Study"
    ]


# --- edge cases ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Compare SQL vs. NoSQL stores, e.g. MongoDB, i.e. document stores, etc. in production.",
        "Configure IPv4 and IPv6 addressing in Python 3 within 1.5 hours.",
        "Apply ISO 9001 requirements described in Section 2.3 of the standard.",
        "Use Python 3.10 and Node.js.",
    ],
)
def test_abbreviations_and_numbers_in_content_do_not_split(text: str) -> None:
    assert split_outcomes([text]) == [text.removesuffix(".")]


def test_final_abbreviation_keeps_its_period() -> None:
    assert split_outcomes(["Work with lists, sets, maps etc."]) == [
        "Work with lists, sets, maps etc."
    ]


@pytest.mark.parametrize(
    "text",
    [
        "• Design IPv4 networks • Explain routing protocols • Secure a small network",
        "- design IPv4 networks\n- explain routing protocols\n- secure a small network",
        "* Design IPv4 networks\n* Explain routing protocols\n* Secure a small network",
        "o Design IPv4 networks\no Explain routing protocols\no Secure a small network",
        "(a) Design IPv4 networks (b) Explain routing protocols (c) Secure a small network",
        "i) Design IPv4 networks ii) Explain routing protocols iii) Secure a small network",
        "1) Design IPv4 networks 2) Explain routing protocols 3) Secure a small network",
        "1. Design IPv4 networks\n2. Explain routing protocols\n3. Secure a small network",
        "Design IPv4 networks; explain routing protocols; secure a small network.",
        "1.1 Design IPv4 networks 1.2 Explain routing protocols 2.1 Secure a small network",
    ],
)
def test_bullets_and_enumerations(text: str) -> None:
    assert split_outcomes([text]) == [
        "Design IPv4 networks",
        "Explain routing protocols",
        "Secure a small network",
    ]


@pytest.mark.parametrize(
    "texts",
    [
        [],
        [""],
        ["   \n\t "],
        ["Students will be able to:"],
        ["Knowledge and understanding:"],
        ["1.", "•", ";;;"],
        ["Use Git"],
    ],
)
def test_nothing_left_gives_an_empty_list(texts: list[str]) -> None:
    assert split_outcomes(texts) == []


def test_whitespace_is_normalised_and_repeats_removed() -> None:
    texts = ["  Explain   the\u00a0OSI model. ", "explain the OSI model;", "Explain the OSI model"]
    assert split_outcomes(texts) == ["Explain the OSI model"]


# --- properties ---------------------------------------------------------------------------

_PIECES = st.sampled_from(
    [
        "1.",
        "2.",
        "3)",
        "(a)",
        "(b)",
        "ii)",
        "1.1",
        "1.2",
        "•",
        "- ",
        "\n",
        "; ",
        ". ",
        ":",
        "Students will be able to:",
        "By the end of this course you will",
        "and ",
        "e.g.",
        "etc.",
        "IPv4",
        "Python 3.10",
        "Describe",
        "explain",
        "the OSI model",
        "Knowledge",
        "useRead",
        "(",
        ")",
        " ",
        "Section 2.3",
        "x",
        "U.S.",
        "To design",
    ]
)
_TEXTS = st.lists(
    st.one_of(st.text(max_size=60), st.lists(_PIECES, max_size=25).map("".join)), max_size=4
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXTS)
def test_any_text_gives_clean_outcomes_and_splitting_is_idempotent(texts: list[str]) -> None:
    outcomes = split_outcomes(texts)

    assert all(isinstance(outcome, str) and outcome == outcome.strip() for outcome in outcomes)
    assert all(outcome for outcome in outcomes)
    assert split_outcomes(outcomes) == outcomes
