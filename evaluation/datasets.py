"""Datasets for evaluation: what kind of folder it is, and the text views the rankers read.

A ranker sees a :class:`RetrievalTask`: the catalogue's modules and the credentials as
:class:`ItemText` (an id, a title, the whole text, the outcome sentences) and the gold decisions
in the one data shape of the harness, ``{credential_id: {module_id: relevance}}``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from recognition_engine.errors import InvalidInput
from recognition_engine.ingestion.equivalence import (
    EquivalenceSet,
    ItemRecord,
    is_equivalence_set,
    load_equivalence_set,
)
from recognition_engine.ingestion.language import normalise_language

Run = dict[str, dict[str, float]]
"""``{credential_id: {module_id: score}}``: higher is better."""
Qrels = dict[str, dict[str, int]]
"""``{credential_id: {module_id: relevance}}``: only credentials with a match appear."""


class Task(StrEnum):
    EQUIVALENCE = "equivalence"
    BLOOM = "bloom"
    STAGE = "stage"
    CS2013 = "cs2013"
    SKILLS = "skills"  # credentials with human skill tags, no catalogue (evaluation.skills)


def detect_task(folder: Path) -> Task:
    """Return the kind of evaluation a dataset folder holds, from its files."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InvalidInput(f"{folder}: not a folder")
    if is_equivalence_set(folder):
        return Task.EQUIVALENCE
    if (folder / "items.jsonl").is_file():
        return Task.STAGE
    from evaluation.skills import is_skill_set

    if is_skill_set(folder):
        return Task.SKILLS
    outcomes = folder / "outcomes.jsonl"
    if outcomes.is_file():
        first = _first_record(outcomes)
        if "labels" in first:
            return Task.BLOOM
        if "mastery" in first:
            return Task.CS2013
    raise InvalidInput(
        f"{folder}: not a dataset this harness knows (expected modules.jsonl + credentials.jsonl "
        "+ qrels.tsv, items.jsonl with 'stage', outcomes.jsonl with 'labels' or 'mastery', or "
        "credentials.jsonl with 'skills')"
    )


def _first_record(path: Path) -> dict:
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as error:
                    raise InvalidInput(f"{path}:{number}: not JSON ({error.msg})") from error
                return record if isinstance(record, dict) else {}
    raise InvalidInput(f"{path}: empty")


@dataclass(frozen=True)
class ItemText:
    """The text views of one module or credential."""

    id: str
    title: str
    text: str  # title, description and outcomes, whitespace normalised
    outcomes: tuple[str, ...]  # as the engine extracts them: the description's if none given
    description: str = ""
    outcomes_stated: bool = False  # the record lists learning outcomes (not a description only)
    language: str | None = None  # as the record declares it (ISO 639-1); None: to be detected


@dataclass(frozen=True)
class RetrievalTask:
    """Credentials to rank the catalogue's modules for, with the human decisions."""

    name: str
    modules: tuple[ItemText, ...]
    credentials: tuple[ItemText, ...]
    gold: Qrels
    synthetic: bool = False
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def credentials_with_match(self) -> list[str]:
        return [c.id for c in self.credentials if self.gold.get(c.id)]

    @property
    def credentials_without_match(self) -> list[str]:
        return [c.id for c in self.credentials if not self.gold.get(c.id)]


def item_text(record: ItemRecord) -> ItemText:
    """Return the text views of a record; its outcomes extracted as the engine extracts them."""
    outcomes = [o for o in record.learning_outcomes if o.strip()]
    sentences = extract_outcomes(record.title, outcomes, record.description)
    if not sentences:
        sentences = [record.title]
    parts = [record.title, record.description or "", *outcomes]
    text = " ".join(" ".join(p.split()) for p in parts if p and p.strip())
    return ItemText(
        id=record.id,
        title=record.title,
        text=text,
        outcomes=tuple(sentences),
        description=record.description or "",
        outcomes_stated=bool(outcomes),
        language=normalise_language(record.language),
    )


def retrieval_task(dataset: EquivalenceSet) -> RetrievalTask:
    """Return the task of ranking the set's modules for each of its credentials."""
    return RetrievalTask(
        name=dataset.name,
        modules=tuple(item_text(m) for m in dataset.modules),
        credentials=tuple(item_text(c) for c in dataset.credentials),
        gold=dataset.gold(),
    )


def load_retrieval_task(folder: Path) -> RetrievalTask:
    return retrieval_task(load_equivalence_set(folder))


def holdout_task(task: RetrievalTask, share: float = 0.3, seed: int = 13) -> RetrievalTask:
    """Return a synthetic abstention check: for a share of the credentials, their gold modules are
    removed from the catalogue, so that the right answer becomes "no match".

    Only credentials whose gold modules no kept credential shares are held out, so every other
    credential keeps its answer. Labelled synthetic in reports.
    """
    import random

    rng = random.Random(seed)
    matched = task.credentials_with_match
    rng.shuffle(matched)
    wanted = round(share * len(matched))
    removed: set[str] = set()
    held: set[str] = set()
    for credential_id in matched:
        if len(held) >= wanted:
            break
        modules = set(task.gold[credential_id])
        held.add(credential_id)
        removed |= modules
    # a kept credential whose gold module was removed loses it too: drop it from the check
    kept_gold = {
        cid: rels
        for cid, rels in task.gold.items()
        if cid not in held and not (set(rels) & removed)
    }
    dropped = {cid for cid in task.gold if cid not in held and cid not in kept_gold}
    return RetrievalTask(
        name=f"{task.name} (synthetic hold-out)",
        modules=tuple(m for m in task.modules if m.id not in removed),
        credentials=tuple(c for c in task.credentials if c.id not in dropped),
        gold=kept_gold,
        synthetic=True,
        notes=(
            f"synthetic: the gold modules of {len(held)} credentials ({share:.0%}, seed {seed}) "
            f"removed from the catalogue; {len(dropped)} credentials sharing them left out",
        ),
    )


# --- outcome splitting --------------------------------------------------------------------

_BULLET = re.compile(r"(?:^|\s|;)(?:\d{1,2}[.)]|[•\-\u2022\u25aa*])\s*(?=[A-Za-z])")
_SENTENCE = re.compile(r"(?<=[.;!?])\s+(?=[A-Z(])")


def extract_outcomes(title: str, outcomes: Sequence[str], description: str | None) -> list[str]:
    """Return the outcomes of an item as the engine extracts them (``outcomes_of``)."""
    from pydantic import ValidationError

    from recognition_engine.domain import DescribedItem
    from recognition_engine.ingestion.outcomes import outcomes_of

    try:
        item = DescribedItem(
            title=title or "untitled", learning_outcomes=list(outcomes), description=description
        )
    except ValidationError:  # over the engine's input limits: split what there is simply
        return _split_simply(list(outcomes) or [description or ""])
    return outcomes_of(item)


def _split_simply(texts: Sequence[str]) -> list[str]:
    sentences: list[str] = []
    for text in texts:
        for part in _BULLET.split(text or ""):
            for sentence in _SENTENCE.split(part):
                sentence = " ".join(sentence.split()).strip(" ;.")
                if len(sentence) > 2:
                    sentences.append(sentence)
    return sentences
