"""A course's place in a numbered sequence, read from its title ("Accounting II" → 2).

Matching and learning both read it: a candidate that names another place in a sequence than
the credential ("General Chemistry I" for "General Chemistry II") is not its equivalent. None of
the 336 accepted pairs of the two development sets names two different places; the 8 that name
a place on both sides name the same one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# a Roman numeral anywhere as a word ("Organic Chemistry II for Life Sciences", "Organic
# Chemistry I Laboratory"); a digit or a letter only at the end ("Spanish 2", "Calculus B"),
# where it cannot be an article or a figure of the title
_ROMAN_WORD = re.compile(r"(?<![\w'’.-])(I{1,3}|IV)(?![\w'’-])", re.IGNORECASE)
_FINAL_MARK = re.compile(r"(?:\s|-)([A-C]|[1-4])\s*$", re.IGNORECASE)
_ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4", "a": "1", "b": "2", "c": "3"}


def sequence_markers(title: str) -> frozenset[str]:
    """Return the places in a course sequence a title names ("Accounting II" → {"2"};
    "Accounting I + Accounting II" → {"1", "2"}); empty when it names none."""
    marks = [m.group(1) for m in _ROMAN_WORD.finditer(title)]
    final = _FINAL_MARK.search(title)
    if final:
        marks.append(final.group(1))
    return frozenset(_ROMAN.get(mark.lower(), mark) for mark in marks)


def agreement(a: frozenset[str], b: frozenset[str]) -> float:
    """+1 where both titles name the same places in a sequence, -1 where they share none,
    0 where either names none or they overlap in part (a combined "I + II")."""
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    return -1.0 if a.isdisjoint(b) else 0.0


_CODE = re.compile(r"^\s*([A-Za-z]{2,6})[\s_-]*(\d{2,5})")
_TWINS = 4  # at most this many same-titled modules read as one sequence
_SPAN = 10  # whose numbers lie within this span ("Organic Chemistry" CHEM 2535, CHEM 2536)


def course_code(key: str) -> tuple[str, str, str] | None:
    """Return a course code's subject, number and what follows ("ACIS 2115H" → ("ACIS",
    "2115", "H")), None for a key that does not begin as a course code."""
    found = _CODE.match(key)
    if found is None:
        return None
    return found.group(1).upper(), found.group(2), key[found.end() :].strip()


def catalogue_places(modules: Iterable[tuple[str, str]]) -> dict[str, frozenset[str]]:
    """Return each module's places in a course sequence, by key, from its ``(key, title)``.

    A title that names its place says it. Modules of one subject that share a title and whose
    numbers lie close together ("Principles of Accounting": ACIS 2115 and ACIS 2116) are a
    sequence in the order of their numbers: the first is place 1, the next place 2. Same-titled
    modules far apart in number ("Special Topics" 2984 and 4984) or too many of them are not.
    """
    modules = list(modules)
    places = {key: sequence_markers(title) for key, title in modules}
    twins: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for key, title in modules:
        code = course_code(key)
        if code and not code[2] and not places[key]:  # a plain code: no "L" of a laboratory
            name = " ".join(re.findall(r"\w+", title.casefold()))
            twins.setdefault((code[0], name), []).append((int(code[1]), key))
    for group in twins.values():
        numbers = sorted(group)
        if 2 <= len(numbers) <= _TWINS and numbers[-1][0] - numbers[0][0] < _SPAN:
            for place, (_, key) in enumerate(numbers, start=1):
                places[key] = frozenset({str(place)})
    return places
