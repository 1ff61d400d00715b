"""Names matched on case, accents, Georgian and Armenian script, and near spellings."""

from __future__ import annotations

import pytest

from recognition_engine.registry import MatchHow
from recognition_engine.registry.names import best_match


@pytest.mark.parametrize(
    ("query", "names", "how"),
    [
        ("Ilia State University", ["Ilia State University"], MatchHow.EXACT),
        ("ILIA STATE UNIVERSITY", ["Ilia State University"], MatchHow.EXACT),
        ("Universite Paris-Saclay", ["Université Paris Saclay"], MatchHow.NORMALISED),
        (
            "Kutaisis Politeknikuri Instituti",
            ["ქუთაისის პოლიტექნიკური ინსტიტუტი"],
            MatchHow.TRANSLITERATED,
        ),
        ("Erevani Petakan Hamalsaran", ["Երևանի պետական համալսարան"], MatchHow.TRANSLITERATED),
        ("Yerevan State Universty", ["Yerevan State University"], MatchHow.NEAR),
    ],
)
def test_a_name_is_found_and_how(query: str, names: list[str], how: MatchHow) -> None:
    found = best_match(query, ["Unrelated Academy", *names])
    assert found is not None and found.position == 1
    assert found.how is how


def test_a_longer_name_that_contains_the_query_is_another_institution() -> None:
    assert best_match("Tbilisi State University", ["Tbilisi State Medical University"]) is None
