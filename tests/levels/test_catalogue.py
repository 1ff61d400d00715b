"""The catalogue's own level scale: places, the fitted scale, the combination rule, the cache."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from recognition_engine.domain import Programme
from recognition_engine.levels import LevelEstimator
from recognition_engine.levels.catalogue import (
    CataloguePlace,
    CatalogueSignal,
    catalogue_places,
    fit_catalogue_levels,
)
from recognition_engine.matching import module_score
from recognition_engine.models import HashingEmbedder

TOPICS = [
    "algebra",
    "circuits",
    "databases",
    "networks",
    "statistics",
    "mechanics",
    "programming",
    "signals",
]
# Year-1 and year-3 modules of a toy catalogue differ the way real ones do: the first introduce
# basic notions, the later ones ask for design and evaluation on prior study.
YEAR_1 = "Introduction to basic {t}: recall the elementary terms of {t} and describe simple {t}."
YEAR_3 = (
    "Advanced {t} seminar: critically evaluate research on {t} and design original {t} systems "
    "building on prior coursework."
)


def programme(**overrides: object) -> Programme:
    modules = [
        {
            "code": f"Y{year}{i}",
            "title": f"{'Advanced' if year == 3 else 'Basic'} {topic}",
            "ects": 6,
            "semester": 2 * year - 1,
            "learning_outcomes": [(YEAR_3 if year == 3 else YEAR_1).format(t=topic)],
        }
        for year in (1, 3)
        for i, topic in enumerate(TOPICS)
    ]
    data: dict[str, object] = {
        "id": "toy",
        "institution": "Toy University",
        "country": "GE",
        "title": "Toy BSc",
        "cycle": "first",
        "nqf_level": 6,
        "eqf_level": 6,
        "total_ects": 240,
        "modules": modules,
    }
    data.update(overrides)
    return Programme.model_validate(data)


def fitted(places: list[CataloguePlace], generic: np.ndarray | None = None):  # noqa: ANN201
    embedder = HashingEmbedder()
    vectors = embedder.embed([place.text for place in places])
    titles = embedder.embed([place.title for place in places])
    similarity = module_score(vectors @ vectors.T, titles @ titles.T)
    generic = np.zeros(len(places)) if generic is None else generic
    return fit_catalogue_levels(places, generic, similarity)


# --- places ---------------------------------------------------------------------------------


def test_a_first_cycle_catalogue_of_one_level_is_scaled_by_year() -> None:
    places = catalogue_places(programme())
    levels = {place.code: place.eqf_level for place in places}
    assert {levels[f"Y1{i}"] for i in range(len(TOPICS))} == {5}
    assert {levels[f"Y3{i}"] for i in range(len(TOPICS))} == {6}
    assert all(place.from_year for place in places)
    assert places[-1].describe() == f"year-3 module Y3{len(TOPICS) - 1} (EQF 6)"


def test_a_module_without_a_semester_has_no_place_on_a_scale_of_years() -> None:
    base = programme()
    modules = [m.model_dump() for m in base.modules]
    modules[0]["semester"] = None
    places = catalogue_places(programme(modules=modules))
    assert modules[0]["code"] not in {place.code for place in places}
    assert len(places) == len(modules) - 1


def test_declared_module_levels_are_the_scale_and_are_converted_to_the_eqf() -> None:
    modules = [m.model_dump() for m in programme().modules]
    for module in modules:
        # Irish NFQ: level 6 (higher certificate) is EQF 5, level 8 (honours bachelor) EQF 6.
        module["nqf_level"] = 8 if module["code"].startswith("Y3") else 6
        module["framework"] = "IE-NFQ"
    places = catalogue_places(programme(modules=modules))
    assert {p.eqf_level for p in places if p.code.startswith("Y1")} == {5}
    assert {p.eqf_level for p in places if p.code.startswith("Y3")} == {6}
    assert not any(place.from_year for place in places)
    assert "level 8, EQF 6" in places[-1].describe()


def test_a_second_cycle_catalogue_is_not_split_by_year() -> None:
    places = catalogue_places(programme(cycle="second", nqf_level=7, eqf_level=7))
    assert {place.eqf_level for place in places} == {7}


# --- the fitted scale -------------------------------------------------------------------------


def test_a_credential_like_the_year_3_modules_reads_at_their_level() -> None:
    scale = fitted(catalogue_places(programme()))
    assert scale.learned and scale.levels == (5, 6)
    advanced = YEAR_3.format(t="thermodynamics")
    introductory = YEAR_1.format(t="thermodynamics")
    high = scale.read(advanced, 0.0, [("Y31", 0.8), ("Y32", 0.7), ("Y11", 0.2)])
    low = scale.read(introductory, 0.0, [("Y11", 0.8), ("Y12", 0.7), ("Y31", 0.2)])
    assert high.eqf_level == 6 and low.eqf_level == 5
    assert high.probabilities is not None and high.probabilities.sum() == pytest.approx(1.0)
    assert 0.5 <= (high.confidence or 0) <= 1
    assert "year-3 module Y31 (EQF 6) (match 0.80)" in high.evidence[0]
    assert "short cycle" in high.evidence[1] and "out of fold" in high.evidence[1]


def test_the_generic_score_and_the_neighbours_move_the_reading() -> None:
    scale = fitted(catalogue_places(programme()))
    text = "Work with thermodynamics."
    # No matches: the neighbour signal is the catalogue's own mix of levels.
    unmatched = np.zeros((1, len(scale.places)))
    upper = [scale.probabilities([text], np.array([g]), unmatched)[0, 1] for g in (-1, 0, 1)]
    assert upper[0] < upper[1] < upper[2]
    near_year_3 = scale.read(text, 0.0, [("Y31", 0.9), ("Y32", 0.9)]).probabilities
    near_year_1 = scale.read(text, 0.0, [("Y11", 0.9), ("Y12", 0.9)]).probabilities
    assert near_year_3 is not None and near_year_1 is not None
    assert near_year_3[1] > upper[1] > near_year_1[1]


def test_the_combination_adds_the_signals_with_their_weights() -> None:
    from recognition_engine.levels import catalogue

    scale = fitted(catalogue_places(programme()))
    texts = [YEAR_3.format(t="optics"), "Describe optics."]
    generic, scores = np.array([0.5, -0.5]), np.zeros((2, len(scale.places)))
    parts = scale.signals(texts, generic, scores)
    assert set(parts) == {"model", "generic", "neighbours"}
    combined = (
        parts["model"]
        + catalogue.GENERIC_WEIGHT * parts["generic"]
        + catalogue.NEIGHBOUR_WEIGHT * parts["neighbours"]
    )
    # Platt scaling is monotone: the calibrated order is the combined order.
    odds = combined[:, 1] - combined[:, 0]
    probabilities = scale.probabilities(texts, generic, scores)[:, 1]
    assert np.argsort(odds).tolist() == np.argsort(probabilities).tolist()


def test_a_catalogue_of_one_level_has_no_scale_to_learn() -> None:
    places = catalogue_places(programme(cycle="second", nqf_level=7, eqf_level=7))
    scale = fitted(places)
    assert not scale.learned
    reading = scale.read("Anything.", 0.0, [("Y31", 0.7)])
    assert reading.probabilities is None and reading.eqf_level is None
    assert "too few levels" in reading.evidence[-1]
    assert "year-3 module Y31 (EQF 7)" in reading.evidence[0]


# --- the estimator ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def estimator() -> LevelEstimator:
    return LevelEstimator(HashingEmbedder(), None)


def _scale(estimator: LevelEstimator, places: list[CataloguePlace], key: str = "toy"):  # noqa: ANN202
    embedder = HashingEmbedder()
    return estimator.catalogue_levels(
        key,
        places,
        embedder.embed([place.text for place in places]),
        embedder.embed([place.title for place in places]),
    )


def test_the_estimate_reads_the_catalogue_when_it_has_a_scale(estimator: LevelEstimator) -> None:
    scale = _scale(estimator, catalogue_places(programme()))
    outcomes = [YEAR_3.format(t="optics")]
    signal = CatalogueSignal(scale, outcomes[0], [("Y31", 0.8), ("Y35", 0.7)])
    estimate = estimator.estimate(outcomes, declared_eqf_level=6, catalogue=signal)
    assert estimate.basis == "catalogue"
    assert estimate.eqf_level == 6
    assert set(estimate.level_probabilities) == {"5", "6"}
    assert estimate.confidence == pytest.approx(max(estimate.level_probabilities.values()), 0.01)
    assert any("resemble year-3 module Y31" in line for line in estimate.evidence)
    assert any(line.startswith("Generic level score") for line in estimate.evidence)
    assert any("from the catalogue reading" in line for line in estimate.evidence)


def test_without_a_scale_the_estimate_stays_generic(estimator: LevelEstimator) -> None:
    places = catalogue_places(programme(cycle="second", nqf_level=7, eqf_level=7))
    signal = CatalogueSignal(_scale(estimator, places), "optics", [("Y31", 0.8)])
    estimate = estimator.estimate(["Describe optics"], catalogue=signal)
    assert estimate.basis == "generic" and estimate.level_probabilities == {}
    assert any("resemble year-3 module Y31" in line for line in estimate.evidence)


def test_the_scale_is_refitted_only_when_the_catalogue_changes(estimator: LevelEstimator) -> None:
    places = catalogue_places(programme())
    first = _scale(estimator, places, key="fingerprint-a")
    assert _scale(estimator, places, key="fingerprint-a") is first
    assert _scale(estimator, places, key="fingerprint-b") is not first
    # Same texts, other levels (the fingerprint covers the texts only): refitted too.
    relevelled = [replace(place, eqf_level=6) for place in places[:2]] + places[2:]
    assert _scale(estimator, relevelled, key="fingerprint-a") is not first
