"""Matching on the deterministic fake embedder, over both index backends."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from recognition_engine.config import Settings
from recognition_engine.index import CatalogueEntry, CatalogueIndex
from recognition_engine.matching import MatchParams, match_credential, module_score
from recognition_engine.models import HashingEmbedder

PARAMS = MatchParams.from_settings(Settings(_env_file=None))

ENTRIES = [
    CatalogueEntry(
        "NET",
        "Networks",
        (
            "configure routers and switches",
            "design ip subnetting schemes",
            "troubleshoot network connectivity",
        ),
        "Networks configure routers switches subnetting troubleshoot",
    ),
    CatalogueEntry(
        "DB",
        "Databases",
        ("write sql queries with joins", "design relational schemas"),
        "Databases sql relational schemas",
    ),
]


@pytest.fixture(params=["faiss", "numpy"])
def index(request: pytest.FixtureRequest) -> CatalogueIndex:
    return CatalogueIndex.build(ENTRIES, HashingEmbedder(), request.param)


def test_best_module_first_with_evidence(index: CatalogueIndex) -> None:
    outcomes = ["configure routers and switches", "design ip subnetting schemes"]
    matches = match_credential(outcomes, index, HashingEmbedder(), PARAMS)
    assert matches[0].key == "NET"
    best = matches[0]
    assert best.coverage == pytest.approx(2 / 3)
    assert best.outcomes == ENTRIES[0].outcomes
    covered = {best.outcomes[link.module_outcome] for link in best.links if link.similarity > 0.99}
    assert covered == {"configure routers and switches", "design ip subnetting schemes"}
    linked = {link.module_outcome: link.credential_outcome for link in best.links}
    assert outcomes[linked[0]] == "configure routers and switches"


def test_full_coverage_scores_above_partial(index: CatalogueIndex) -> None:
    embedder = HashingEmbedder()
    full = match_credential(list(ENTRIES[1].outcomes), index, embedder, PARAMS)
    partial = match_credential([ENTRIES[1].outcomes[0]], index, embedder, PARAMS)
    assert full[0].key == partial[0].key == "DB"
    assert full[0].coverage == 1.0 and partial[0].coverage == 0.5
    assert full[0].score > partial[0].score


def test_no_outcomes_no_matches(index: CatalogueIndex) -> None:
    assert match_credential([], index, HashingEmbedder(), PARAMS) == []


def test_threshold_sets_coverage(index: CatalogueIndex) -> None:
    outcomes = ["configure routers"]
    strict = match_credential(
        outcomes, index, HashingEmbedder(), replace(PARAMS, outcome_match_threshold=0.99)
    )
    loose = match_credential(
        outcomes, index, HashingEmbedder(), replace(PARAMS, outcome_match_threshold=-1.0)
    )
    assert strict[0].coverage < loose[0].coverage == 1.0


def test_module_score_is_monotone_and_on_the_cosine_scale() -> None:
    assert module_score(0.8, 0.5) > module_score(0.6, 0.5)
    assert module_score(0.5, 0.8) > module_score(0.5, 0.6)
    assert module_score(1.0, 1.0) == 1.0


def test_title_counts_in_the_ranking(index: CatalogueIndex) -> None:
    outcomes = ["write queries and configure routers"]
    by_title = match_credential(outcomes, index, HashingEmbedder(), PARAMS, title="Databases")
    assert by_title[0].key == "DB"
    assert by_title[0].title_similarity == pytest.approx(1.0, abs=1e-5)


class RecordingIndex:
    """A module index that answers one fixed position and records that it was asked."""

    def __init__(self, position: int) -> None:
        self.position = position
        self.searched = 0

    @property
    def size(self) -> int:
        return len(ENTRIES)

    def add(self, vectors: np.ndarray) -> None:
        raise AssertionError("not built here")

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        self.searched += 1
        return np.ones((len(queries), 1), np.float32), np.full((len(queries), 1), self.position)

    def save(self, path: Path) -> None:
        raise AssertionError("not saved here")


def test_a_catalogue_with_module_indexes_takes_its_text_and_title_candidates_from_them() -> None:
    bread = CatalogueEntry("BREAD", "Baking", ("bake sourdough bread",), "Baking sourdough bread")
    index = CatalogueIndex.build([*ENTRIES, bread], HashingEmbedder(), "faiss")
    params = replace(PARAMS, neighbours_per_outcome=1)  # outcomes reach only their nearest module

    def keys(position: int) -> list[str]:
        by_text, by_title = RecordingIndex(position), RecordingIndex(position)
        index.modules = (by_text, by_title)
        found = match_credential(
            ["configure routers and switches"], index, HashingEmbedder(), params
        )
        assert (by_text.searched, by_title.searched) == (1, 1)
        return [match.key for match in found]

    assert "BREAD" in keys(2)  # brought in by the module indexes alone
    assert "BREAD" not in keys(0)


@pytest.mark.parametrize("numbers", [("101", "102"), ("102", "101")])
def test_a_module_at_another_place_in_a_sequence_goes_below_the_rest(numbers) -> None:  # noqa: ANN001
    outcomes = ("balance chemical equations", "name organic compounds")
    entries = [
        CatalogueEntry(f"CHEM {n}", "General Chemistry", outcomes, "General Chemistry " +
                       " ".join(outcomes))
        for n in numbers
    ]
    index = CatalogueIndex.build(entries, HashingEmbedder(), "numpy")
    for title, first in (("General Chemistry II", "CHEM 102"), ("General Chemistry I", "CHEM 101")):
        matches = match_credential(list(outcomes), index, HashingEmbedder(), PARAMS, title=title)
        assert [m.key for m in matches][0] == first
    # a title that names no place leaves the order to the scores
    matches = match_credential(list(outcomes), index, HashingEmbedder(), PARAMS,
                               title="General Chemistry")
    assert matches[0].score >= matches[1].score
