"""Outcomes per item as ``outcomes_of`` extracts them, and a seeded sample to check by hand.

    python benchmarks/outcome_splitting.py ../shared/data/coursera-mooc/credentials.jsonl \
        ../shared/data/modules-glasgow-deakin/modules.jsonl --sample-file /tmp/splits.md

For each file (one JSON item a line: ``title``, ``learning_outcomes``, ``description``) it
prints the number of items and the mean and median number of outcomes per item, and the share
of items with at most one outcome: an item left with one outcome is usually one whose list was
not split. ``--sample-file`` receives ``--sample`` items drawn with a fixed seed, spread evenly
over the files, each with its published texts and the outcomes extracted from them, for a
person to judge: no outcome lost, no heading kept, no outcome cut in two. The sample holds the
data's own text: write it outside the repository.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
from dataclasses import dataclass
from pathlib import Path

import checkout  # noqa: F401 - this checkout's code, ahead of an installed copy

from recognition_engine.domain import DescribedItem
from recognition_engine.ingestion.outcomes import outcomes_of

SEED = 20260101


@dataclass(frozen=True)
class Split:
    """One item's published texts and the outcomes extracted from them."""

    item_id: str
    item: DescribedItem
    outcomes: list[str]


def read_splits(path: Path) -> list[Split]:
    """Return every item of a JSON-lines file with the outcomes the engine extracts from it."""
    splits: list[Split] = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if not line.strip():
                continue
            record = json.loads(line)
            item = DescribedItem(
                title=record["title"],
                learning_outcomes=record.get("learning_outcomes") or [],
                description=record.get("description"),
            )
            splits.append(Split(record["id"], item, outcomes_of(item)))
    return splits


def summary(name: str, splits: list[Split]) -> str:
    """Return one line of figures: items, mean and median outcomes per item, share with ≤ 1."""
    counts = [len(split.outcomes) for split in splits]
    at_most_one = sum(count <= 1 for count in counts) / len(counts)
    return (
        f"{name}: {len(counts)} items, outcomes per item mean {statistics.mean(counts):.2f}, "
        f"median {statistics.median(counts):g}, items with <=1 outcome {at_most_one:.1%}"
    )


def sample(datasets: dict[str, list[Split]], size: int) -> list[Split]:
    """Return ``size`` splits drawn with a fixed seed, as evenly as possible from each file.

    An id drawn twice would be checked twice (the module file repeats some rows), so each id
    is drawn once.
    """
    rng = random.Random(SEED)
    drawn: list[Split] = []
    for position, splits in enumerate(datasets.values()):
        share = size // len(datasets) + (position < size % len(datasets))
        distinct = list({split.item_id: split for split in reversed(splits)}.values())[::-1]
        drawn += rng.sample(distinct, min(share, len(distinct)))
    return drawn


def sample_markdown(splits: list[Split]) -> str:
    """Return the sample as Markdown: the published texts, then the extracted outcomes."""
    parts: list[str] = []
    for number, split in enumerate(splits, 1):
        parts.append(f"## {number}. {split.item_id}: {split.item.title}\n")
        published = split.item.learning_outcomes or [f"(description) {split.item.description}"]
        parts += [f"> {json.dumps(text, ensure_ascii=False)}\n>" for text in published]
        parts.append("")
        parts += [f"{index}. {outcome}" for index, outcome in enumerate(split.outcomes, 1)]
        parts.append("")
    return "\n".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="+", type=Path, help="JSON-lines files of items")
    parser.add_argument("--sample", type=int, default=50, help="items to draw for checking")
    parser.add_argument("--sample-file", type=Path, help="where to write the sample (Markdown)")
    args = parser.parse_args()

    datasets = {path.parent.name or path.stem: read_splits(path) for path in args.files}
    for name, splits in datasets.items():
        print(summary(name, splits))
    if args.sample_file:
        args.sample_file.write_text(sample_markdown(sample(datasets, args.sample)), "utf-8")
        print(f"sample of {args.sample} written to {args.sample_file}")


if __name__ == "__main__":
    main()
