"""The depth of study a text announces: introductory and advanced cues, prerequisites.

Course descriptions say where they sit in a programme more often than their outcomes use Bloom
verbs: "Introduction to …", "Overview of …", "Senior capstone …", "Pre: MATH 2114". The cues are
a data file (``data/study_depth_cues.yaml``) written a priori from catalogue conventions and the
QF-EHEA cycle descriptors, not fitted to any labelled set. They are read from the raw text
(title, description, prerequisites), since the outcome splitter cuts "Pre: …" tails away.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from recognition_engine.levels.frameworks import _data_path

_NONE_REQUIRED = re.compile(r"^\s*(?:none|no\b|n/a\b|not applicable)", re.IGNORECASE)
_CLAUSE_END = re.compile(r"(?<=[a-z0-9)])\.(?:\s|$)|;|\n")


@dataclass(frozen=True)
class DepthCues:
    """The cue lists and the shift they give, as read from the data file."""

    introductory: re.Pattern[str]
    advanced: re.Pattern[str]
    prerequisite: re.Pattern[str]
    course_code: re.Pattern[str]
    step: float
    max_cues: int
    prerequisite_shift: float


@dataclass(frozen=True)
class StudyDepth:
    """The cues found in one text and the EQF-scale shift they give (negative: introductory)."""

    introductory: tuple[str, ...]
    advanced: tuple[str, ...]
    prerequisites: tuple[str, ...]
    shift: float

    def describe(self) -> str:
        """Return one evidence line naming the cues found."""
        if not (self.introductory or self.advanced or self.prerequisites):
            return "Depth of study: no introductory, advanced or prerequisite cue in the text."
        parts = [
            f"{name} cues {', '.join(repr(cue) for cue in cues)}"
            for name, cues in (("introductory", self.introductory), ("advanced", self.advanced))
            if cues
        ]
        if self.prerequisites:
            parts.append(f"prerequisites {'; '.join(repr(p) for p in self.prerequisites)}")
        return f"Depth of study: {'; '.join(parts)} → shift {self.shift:+.1f} EQF."


NO_DEPTH = StudyDepth((), (), (), 0.0)


@functools.lru_cache(maxsize=2)
def load_depth_cues(path: Path | None = None) -> DepthCues:
    """Return the compiled cue lists of ``study_depth_cues.yaml``."""
    raw = yaml.safe_load((path or _data_path("study_depth_cues.yaml")).read_text("utf-8"))
    return DepthCues(
        introductory=_phrases(raw["introductory"]),
        advanced=_phrases(raw["advanced"]),
        prerequisite=_phrases(raw["prerequisite_labels"]),
        course_code=re.compile(raw["course_code"]),
        step=float(raw["step"]),
        max_cues=int(raw["max_cues"]),
        prerequisite_shift=float(raw["prerequisite_shift"]),
    )


def study_depth(text: str, cues: DepthCues | None = None) -> StudyDepth:
    """Return the introductory and advanced cues and prerequisites found in a text."""
    cues = cues or load_depth_cues()
    introductory, advanced = _found(cues.introductory, text), _found(cues.advanced, text)
    prerequisites = _prerequisites(text, cues)
    shift = cues.step * (
        min(len(advanced), cues.max_cues) - min(len(introductory), cues.max_cues)
    ) + (cues.prerequisite_shift if prerequisites else 0.0)
    return StudyDepth(introductory, advanced, prerequisites, shift)


def _phrases(phrases: list[str]) -> re.Pattern[str]:
    # Longest first, so that the alternation prefers "graduate standing" to "graduate".
    words = sorted({tuple(re.split(r"[\s-]+", p.strip().lower())) for p in phrases}, key=len)
    alternatives = [r"[\s-]+".join(re.escape(w) for w in phrase) for phrase in reversed(words)]
    return re.compile(rf"(?<![\w-])(?:{'|'.join(alternatives)})(?![\w-])", re.IGNORECASE)


def _found(pattern: re.Pattern[str], text: str) -> tuple[str, ...]:
    found = (" ".join(re.split(r"[\s-]+", m.group().lower())) for m in pattern.finditer(text))
    return tuple(dict.fromkeys(found))


def _prerequisites(text: str, cues: DepthCues) -> tuple[str, ...]:
    """Return each prerequisite clause that requires something (not "none")."""
    clauses = []
    for label in cues.prerequisite.finditer(text):
        rest = text[label.end() :]
        end = _CLAUSE_END.search(rest)
        required = rest[: end.start() if end else len(rest)].strip(" :")
        if required and not _NONE_REQUIRED.match(required):
            codes = cues.course_code.findall(required)
            clauses.append(", ".join(dict.fromkeys(codes)) if codes else required[:60])
    return tuple(clauses)
