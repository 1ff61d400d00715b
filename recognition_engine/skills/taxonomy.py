"""The ESCO skills shipped with the engine: look a skill up by URI or by any of its labels."""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from pydantic import BaseModel

ESCO_VERSION = "1.1.1"
ESCO_SKILL_PREFIX = "http://data.europa.eu/esco/skill/"
LICENCE = (
    "ESCO: Commission Decision 2011/833/EU on the reuse of Commission documents; "
    "modified (a selection of labels and descriptions)"
)
ATTRIBUTION = (
    "Contains ESCO v1.1.1 (c) European Union, https://esco.ec.europa.eu/ , modified: "
    "a selection of skills' URIs, labels, alternative labels and descriptions. The European "
    "Commission is not responsible for this copy and does not endorse it."
)


@dataclass(frozen=True)
class EscoSkill:
    uri: str
    label: str
    alt_labels: tuple[str, ...]
    description: str | None
    type: str | None  # "skill/competence", "knowledge", or None where ESCO's hierarchy is mixed

    def document(self) -> str:
        """Return the text the lexical stage reads: labels, alternative labels, description."""
        return " ".join([self.label, *self.alt_labels, self.description or ""])


class TaxonomyInfo(BaseModel):
    """What `skills info` prints: the taxonomy, its version, its size and its terms of reuse."""

    taxonomy: str
    version: str
    skills: int
    licence: str
    attribution: str


# Words as labels are written: "C#", "C++", ".NET", "Node.js" keep their marks; a sentence's
# punctuation around them does not count.
_WORD_SPLIT = re.compile(r"[\s,;:()\[\]\"“”|]+")
_LONGEST_LABEL_WORDS = 6


def normalise_label(label: str) -> str:
    """Return a label as labels are compared: case-folded, whitespace collapsed."""
    return " ".join(label.casefold().split())


def _words(text: str) -> list[str]:
    words = (word.rstrip(".!?") for word in _WORD_SPLIT.split(text))
    return [word for word in words if word]


def _naming_labels(skills: list[EscoSkill]) -> dict[str, int]:
    """Return the labels a text names a skill by, its preferred and alternative ones. A label
    without a lower-case letter ("IT", "SQL") is kept as written, so that "it" is not IT; any
    other is case-folded."""
    named: dict[str, int] = {}
    for i, skill in enumerate(skills):
        for label in (skill.label, *skill.alt_labels):
            key = " ".join(label.split())
            named.setdefault(key if key == key.upper() else key.casefold(), i)
    return named


class EscoTaxonomy:
    """ESCO's skills, in a fixed order (their position is their row in every matrix)."""

    def __init__(self, skills: list[EscoSkill]) -> None:
        self.skills = skills
        self.position = {skill.uri: i for i, skill in enumerate(skills)}
        by_label: dict[str, int] = {}
        # preferred labels first, so that a label that is one skill's preferred label and
        # another's alternative one resolves to the first
        for i, skill in enumerate(skills):
            by_label.setdefault(normalise_label(skill.label), i)
        for i, skill in enumerate(skills):
            for alt in skill.alt_labels:
                by_label.setdefault(normalise_label(alt), i)
        self._by_label = by_label
        self._named = _naming_labels(skills)

    def __len__(self) -> int:
        return len(self.skills)

    def by_uri(self, uri: str) -> EscoSkill | None:
        position = self.position.get(uri)
        return None if position is None else self.skills[position]

    def by_label(self, label: str) -> EscoSkill | None:
        """Return the skill whose preferred or alternative label this is (case-insensitive)."""
        position = self._by_label.get(normalise_label(label))
        return None if position is None else self.skills[position]

    def mentioned(self, text: str) -> set[int]:
        """Return the positions of the skills one of whose labels the text names word for word
        (a run of up to six words equal to a preferred or alternative label)."""
        words = _words(text)
        folded = [word.casefold() for word in words]
        found = set()
        for size in range(1, _LONGEST_LABEL_WORDS + 1):
            for start in range(len(words) - size + 1):
                for run in (folded, words):  # a label in capitals only matches as written
                    position = self._named.get(" ".join(run[start : start + size]))
                    if position is not None:
                        found.add(position)
        return found

    def info(self) -> TaxonomyInfo:
        return TaxonomyInfo(
            taxonomy="ESCO",
            version=ESCO_VERSION,
            skills=len(self),
            licence=LICENCE,
            attribution=ATTRIBUTION,
        )

    @classmethod
    def read(cls, path: Path) -> EscoTaxonomy:
        """Read a skills file written by ``corpora/skills/build_esco.py``."""
        with gzip.open(path, "rt", encoding="utf-8") as lines:
            skills = [_skill(json.loads(line)) for line in lines if line.strip()]
        return cls(skills)


def _skill(record: dict) -> EscoSkill:
    return EscoSkill(
        uri=record["uri"],
        label=record["label"],
        alt_labels=tuple(record.get("alt_labels") or ()),
        description=record.get("description"),
        type=record.get("type"),
    )


def bundled_skills_path() -> Path:
    return Path(str(resources.files("recognition_engine") / "data" / "esco" / "skills.jsonl.gz"))


@cache
def bundled_taxonomy() -> EscoTaxonomy:
    """Return the ESCO skills shipped with the engine (read once a process)."""
    return EscoTaxonomy.read(bundled_skills_path())
