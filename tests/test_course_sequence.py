"""A course's place in a sequence: from its title, or from the same-titled modules beside it."""

from __future__ import annotations

from recognition_engine.course_sequence import (
    agreement,
    catalogue_places,
    course_code,
    sequence_markers,
)


def test_a_title_names_its_place() -> None:
    assert sequence_markers("Principles Of Accounting Ii") == {"2"}
    assert sequence_markers("General Chemistry I") == {"1"}
    assert sequence_markers("Databases") == frozenset()
    # a numeral inside the title, not only at its end
    assert sequence_markers("Organic Chemistry II for Life Sciences") == {"2"}
    assert sequence_markers("Organic Chemistry I Laboratory") == {"1"}
    assert sequence_markers("Principles Of Accounting I + Principles Of Accounting Ii") == {
        "1", "2"}
    assert sequence_markers("Spanish 2") == {"2"} and sequence_markers("Calculus B") == {"2"}
    # a letter or a figure inside a title is not a place in a sequence
    assert sequence_markers("A Survey of 3 Centuries") == frozenset()
    assert sequence_markers("Physics 3D Modelling") == frozenset()


def test_agreement_of_two_places() -> None:
    one, two = frozenset({"1"}), frozenset({"2"})
    assert agreement(one, one) == 1.0
    assert agreement(one, two) == -1.0
    assert agreement(one | two, two) == 0.0  # a combined "I + II" overlaps both
    assert agreement(frozenset(), two) == 0.0


def test_same_titled_modules_close_in_number_are_a_sequence_in_number_order() -> None:
    places = catalogue_places([
        ("CHEM 2536", "Organic Chemistry"),
        ("CHEM 2535", "Organic Chemistry"),
        ("CHEM 2514", "Survey of Organic Chemistry"),
    ])
    assert places["CHEM 2535"] == {"1"} and places["CHEM 2536"] == {"2"}
    assert places["CHEM 2514"] == frozenset()


def test_same_titles_are_no_sequence_across_subjects_levels_or_many_modules() -> None:
    places = catalogue_places([
        ("ENGL 2984", "Special Study"), ("ENGL 4984", "Special Study"),  # far apart in number
        ("HIST 2104", "Seminar"), ("PHIL 2105", "Seminar"),  # two subjects
        *[(f"MUS 13{i}", "Ensemble") for i in range(5)],  # more than a short sequence
    ])
    assert all(p == frozenset() for p in places.values())


def test_a_title_that_names_its_place_keeps_it() -> None:
    places = catalogue_places([("SPAN 201", "Spanish III"), ("SPAN 202", "Spanish III")])
    assert places == {"SPAN 201": {"3"}, "SPAN 202": {"3"}}


def test_a_course_code_is_read_once_for_subject_number_and_what_follows() -> None:
    assert course_code("ACIS 2115") == ("ACIS", "2115", "")
    assert course_code("chem-2535L") == ("CHEM", "2535", "L")
    assert course_code("Databases") is None


def test_a_laboratory_code_is_no_place_in_its_lectures_sequence() -> None:
    places = catalogue_places(
        [("CHEM 2535", "Organic Chemistry"), ("CHEM 2536", "Organic Chemistry"),
         ("CHEM 2535L", "Organic Chemistry")]
    )
    assert places["CHEM 2535"] == {"1"} and places["CHEM 2536"] == {"2"}
    assert places["CHEM 2535L"] == frozenset()
