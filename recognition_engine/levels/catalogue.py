"""A credential's level on its catalogue's own scale and, through the framework, on the EQF.

A programme's catalogue says where its modules sit: an NQF level per module, and a semester.
``catalogue_places`` turns that into an EQF level per module; ``fit_catalogue_levels`` learns the
scale from the catalogue's own module texts; ``CatalogueLevels.read`` places a credential on it
from three signals:

- a model fitted on the catalogue: logistic regression on TF-IDF of each module's text against
  its EQF level (refitted whenever the catalogue changes: the caller keys it by the catalogue's
  fingerprint);
- the levels of the modules the credential matches best (similarity-weighted, shrunk toward the
  catalogue's mix of levels when the matches are weak);
- the generic estimate (Bloom profile and depth-of-study cues), which needs no catalogue.

They are added as log-odds, ``model + GENERIC_WEIGHT * generic + NEIGHBOUR_WEIGHT * neighbours``,
and the sum is calibrated on the catalogue itself: each module is scored by a model fitted on the
other folds, and a logistic regression on those out-of-fold scores (Platt scaling) turns the sum
into probabilities. The weights were chosen by cross-validation on course stage (lower vs upper
division), with catalogues of 40 modules to all of them (docs/evaluation.md): a model fitted on few
modules is uncertain, so its log-odds are small and the generic estimate weighs more, by itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from recognition_engine.domain import Cycle, Module, Programme
from recognition_engine.index import entry_text
from recognition_engine.ingestion.outcomes import outcomes_of
from recognition_engine.levels.frameworks import module_eqf_level

# QF-EHEA (Paris Communiqué 2018, Appendix III): the short cycle (EQF 5) is about 120 ECTS
# "within or linked to the first cycle", i.e. its first two years; the UK's FHEQ places years 1-2
# at levels 4-5 and references both to EQF 5.
SHORT_CYCLE_YEARS = 2
SEMESTERS_PER_YEAR = 2
FIRST_CYCLE_EQF = 6
# Chosen by cross-validation on course stage (docs/evaluation.md, "Levels";
# evaluation/experiments/level_rule_cv.py): of the grid generic {0, 0.5, 1} x neighbours
# {0, 0.25, 0.5}, the best mean AUROC over catalogues of 40, 100, 300 and 2,950 items. Without
# the generic estimate a 40-module catalogue reads stage at AUROC 0.63, with it 0.74.
GENERIC_WEIGHT = 0.5
NEIGHBOUR_WEIGHT = 0.25
NEIGHBOURS = 10
NEIGHBOUR_SHARPNESS = 4.0  # similarity ** 4: a near-duplicate counts far more than a loose match
NEIGHBOUR_PRIOR = 1.0  # pseudo-weight of the catalogue's own mix of levels
MIN_MODULES_PER_LEVEL = 3
CALIBRATION_FOLDS = 5
EVIDENCE_MODULES = 3


@dataclass(frozen=True)
class CataloguePlace:
    """Where one module sits on its institution's scale, and the EQF level that gives it."""

    code: str
    title: str
    eqf_level: int
    outcomes: tuple[str, ...] = ()
    context: str = ""  # the raw text (title, description), where depth cues are read
    year: int | None = None
    nqf_level: int | None = None
    from_year: bool = False  # the EQF level was read from the year (first cycle), not declared

    @property
    def text(self) -> str:
        """The whole text, as the index embeds it: what the catalogue model reads."""
        return entry_text(self.title, self.context, self.outcomes)

    def describe(self) -> str:
        """Return 'year-3 module CE3101 (EQF 6)', or 'module X (level 7, EQF 6)' as declared."""
        year = f"year-{self.year} " if self.year is not None else ""
        declared = (
            f"level {self.nqf_level}, "
            if self.nqf_level is not None
            and not self.from_year
            and self.nqf_level != self.eqf_level
            else ""
        )
        return f"{year}module {self.code} ({declared}EQF {self.eqf_level})"


@dataclass(frozen=True)
class CatalogueReading:
    """A credential's place on one catalogue's scale."""

    levels: tuple[int, ...]  # the catalogue's EQF levels, ascending
    probabilities: np.ndarray | None  # shape (len(levels),), calibrated; None: no scale to learn
    neighbours: tuple[tuple[CataloguePlace, float], ...]  # best matches and their scores
    evidence: tuple[str, ...]

    @property
    def eqf_level(self) -> int | None:
        if self.probabilities is None:
            return None
        return self.levels[int(np.argmax(self.probabilities))]

    @property
    def confidence(self) -> float | None:
        return None if self.probabilities is None else float(self.probabilities.max())

    @property
    def score(self) -> float | None:
        """The probability-weighted EQF level: a continuous position on the catalogue's scale."""
        if self.probabilities is None:
            return None
        return float(self.probabilities @ np.array(self.levels, dtype=float))


@dataclass(frozen=True)
class CatalogueSignal:
    """What the estimator needs to read a credential on a catalogue's scale."""

    levels: CatalogueLevels
    text: str  # the credential's whole text (title, description, outcomes)
    neighbours: Sequence[tuple[str, float]]  # (module code, match score) of its best matches


def module_place(
    module: Module, programme: Programme, outcomes: Sequence[str] | None = None
) -> CataloguePlace:
    """Return a module's place: its EQF level (its own framework's, else the programme's).

    ``outcomes``: the module's outcomes as already extracted (the index has them), else
    extracted here.
    """
    year = None if module.semester is None else (module.semester + 1) // SEMESTERS_PER_YEAR
    return CataloguePlace(
        code=module.code,
        title=module.title,
        eqf_level=module_eqf_level(module, programme),
        outcomes=tuple(outcomes_of(module) if outcomes is None else outcomes),
        context=module.description or "",
        year=year,
        nqf_level=module.nqf_level,
    )


def catalogue_places(
    programme: Programme, outcomes: Mapping[str, Sequence[str]] | None = None
) -> list[CataloguePlace]:
    """Return each module's place: its EQF level, or its year where the levels say nothing.

    When the modules declare different levels, those are the scale. When they all share the
    first-cycle level, the years give it: the first two at the short-cycle level (EQF 5), the
    later ones at the programme's (EQF 6), as the QF-EHEA reads the first cycle. A module without
    a semester then has no place on the scale and is left out.
    """
    outcomes = outcomes or {}
    places = [
        module_place(module, programme, outcomes.get(module.code)) for module in programme.modules
    ]
    if len({place.eqf_level for place in places}) != 1:
        return places
    if programme.cycle is not Cycle.FIRST or places[0].eqf_level != FIRST_CYCLE_EQF:
        return places
    by_year = [place for place in places if place.year is not None]
    if not by_year:
        return places
    return [
        replace(place, eqf_level=_first_cycle_level(place.year), from_year=True)
        for place in by_year
    ]


def _first_cycle_level(year: int | None) -> int:
    short_cycle = year is not None and year <= SHORT_CYCLE_YEARS
    return FIRST_CYCLE_EQF - 1 if short_cycle else FIRST_CYCLE_EQF


@dataclass
class CatalogueLevels:
    """The level scale of one catalogue, with the model and calibration fitted on it."""

    places: list[CataloguePlace]
    levels: tuple[int, ...]
    model: _TextModel | None
    calibration: object | None  # sklearn LogisticRegression over the combined log-odds
    prior: np.ndarray  # shape (len(levels),): the share of modules at each level

    @property
    def learned(self) -> bool:
        """Whether the catalogue has a scale to learn (two levels, enough modules at each)."""
        return self.model is not None

    def signals(
        self, texts: Sequence[str], generic: np.ndarray, neighbour_scores: np.ndarray
    ) -> dict[str, np.ndarray]:
        """Return each signal alone, shape (len(texts), len(levels)) log-probabilities or tilts.

        ``generic``: shape (len(texts),), the generic level score of each text;
        ``neighbour_scores``: shape (len(texts), len(places)), each text's match score with each
        module (0 where not matched).
        """
        if self.model is None:
            raise ValueError("this catalogue has no scale to learn")
        return {
            "model": self.model.log_probabilities(texts),
            "generic": _tilt(generic, self.levels),
            "neighbours": np.log(
                _neighbour_vote(neighbour_scores, self._level_index(), self.prior)
            ),
        }

    def probabilities(
        self, texts: Sequence[str], generic: np.ndarray, neighbour_scores: np.ndarray
    ) -> np.ndarray:
        """Return shape (len(texts), len(levels)): calibrated probabilities of each level."""
        if self.calibration is None:
            raise ValueError("this catalogue has no scale to learn")
        parts = self.signals(texts, generic, neighbour_scores)
        combined = _combined(parts["model"], parts["generic"], parts["neighbours"])
        return np.asarray(self.calibration.predict_proba(_calibration_input(combined)))

    def read(
        self, text: str, generic: float, neighbours: Sequence[tuple[str, float]]
    ) -> CatalogueReading:
        """Return one credential's reading: its text, generic score and best-matching modules."""
        position = {place.code: i for i, place in enumerate(self.places)}
        scores = np.zeros((1, len(self.places)))
        for code, score in neighbours:
            if code in position:
                scores[0, position[code]] = max(score, 0.0)
        best = [i for i in np.argsort(-scores[0]) if scores[0, i] > 0][:EVIDENCE_MODULES]
        shown = tuple((self.places[i], float(scores[0, i])) for i in best)
        probabilities = (
            self.probabilities([text], np.array([generic]), scores)[0] if self.learned else None
        )
        return CatalogueReading(
            self.levels, probabilities, shown, self._evidence(shown, probabilities)
        )

    def _level_index(self) -> np.ndarray:
        return np.array([self.levels.index(place.eqf_level) for place in self.places])

    def _evidence(
        self, shown: tuple[tuple[CataloguePlace, float], ...], probabilities: np.ndarray | None
    ) -> tuple[str, ...]:
        lines = []
        if shown:
            resembled = ", ".join(
                f"{place.describe()} (match {score:.2f})" for place, score in shown
            )
            lines.append(f"Catalogue: the outcomes resemble {resembled}.")
        at_level = np.bincount(self._level_index(), minlength=len(self.levels))
        counts = ", ".join(
            f"{count} at EQF {level}" for level, count in zip(self.levels, at_level, strict=True)
        )
        scale = (
            f"years 1-{SHORT_CYCLE_YEARS} of this first-cycle programme at EQF "
            f"{FIRST_CYCLE_EQF - 1} (the QF-EHEA short cycle), later years at EQF "
            f"{FIRST_CYCLE_EQF}; "
            if any(place.from_year for place in self.places)
            else ""
        )
        if probabilities is None:
            lines.append(
                f"Catalogue scale: {scale}{counts}: too few levels to learn a scale from, so "
                "the level is the generic estimate's."
            )
        else:
            read = ", ".join(
                f"EQF {level} {p:.0%}" for level, p in zip(self.levels, probabilities, strict=True)
            )
            lines.append(
                f"Catalogue scale: {scale}learned from its {len(self.places)} modules "
                f"({counts}), with the matched modules' levels and the generic estimate: {read} "
                "(calibrated on the catalogue, out of fold)."
            )
        return tuple(lines)


def fit_catalogue_levels(
    places: Sequence[CataloguePlace],
    generic: np.ndarray,
    similarity: np.ndarray,
    *,
    seed: int = 0,
) -> CatalogueLevels:
    """Fit the level scale of a catalogue from its places.

    ``generic``: shape (n,), the generic level score of each module; ``similarity``: shape
    (n, n), the match score between modules (as a credential's matches score them), used for the
    neighbour signal of the out-of-fold calibration.
    """
    places = list(places)
    levels = tuple(sorted({place.eqf_level for place in places}))
    level_of = np.array([levels.index(place.eqf_level) for place in places])
    prior = np.bincount(level_of, minlength=len(levels)) / max(len(places), 1)
    counts = np.bincount(level_of, minlength=len(levels))
    if len(levels) < 2 or counts.min() < MIN_MODULES_PER_LEVEL:
        return CatalogueLevels(places, levels, None, None, prior)
    texts = [place.text for place in places]
    combined = _out_of_fold_combined(texts, level_of, generic, similarity, levels, seed)
    calibration = _fit_calibration(combined, level_of)
    model = _TextModel.fit(texts, level_of, len(levels))
    return CatalogueLevels(places, levels, model, calibration, prior)


def _out_of_fold_combined(
    texts: list[str],
    level_of: np.ndarray,
    generic: np.ndarray,
    similarity: np.ndarray,
    levels: tuple[int, ...],
    seed: int,
) -> np.ndarray:
    """Return shape (n, len(levels)): each module's combined log-odds from the other folds."""
    from sklearn.model_selection import StratifiedKFold

    folds = min(CALIBRATION_FOLDS, int(np.bincount(level_of).min()))
    combined = np.zeros((len(texts), len(levels)))
    splitter = StratifiedKFold(folds, shuffle=True, random_state=seed)
    for fit_rows, held_rows in splitter.split(texts, level_of):
        model = _TextModel.fit([texts[i] for i in fit_rows], level_of[fit_rows], len(levels))
        prior = np.bincount(level_of[fit_rows], minlength=len(levels)) / len(fit_rows)
        vote = _neighbour_vote(similarity[np.ix_(held_rows, fit_rows)], level_of[fit_rows], prior)
        combined[held_rows] = _combined(
            model.log_probabilities([texts[i] for i in held_rows]),
            _tilt(generic[held_rows], levels),
            np.log(vote),
        )
    return combined


def _tilt(generic: np.ndarray, levels: Sequence[int]) -> np.ndarray:
    """Shape (m, levels): the generic score as log-odds, one per EQF level above the others."""
    return np.outer(generic, np.array(levels, dtype=float) - float(np.mean(levels)))


def _combined(model: np.ndarray, generic: np.ndarray, neighbours: np.ndarray) -> np.ndarray:
    """The combination rule: the signals' log-probabilities added, with their weights."""
    return model + GENERIC_WEIGHT * generic + NEIGHBOUR_WEIGHT * neighbours


def _calibration_input(combined: np.ndarray) -> np.ndarray:
    # Two levels: one log-odds column, so that the calibration is Platt scaling.
    return combined[:, 1:] - combined[:, :1] if combined.shape[1] == 2 else combined


def _fit_calibration(combined: np.ndarray, level_of: np.ndarray) -> object:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=1.0, max_iter=1000).fit(_calibration_input(combined), level_of)


def _neighbour_vote(scores: np.ndarray, level_of: np.ndarray, prior: np.ndarray) -> np.ndarray:
    """Return shape (m, levels): the levels of the best-matching modules, shrunk to the prior.

    ``scores``: shape (m, n), match scores with the n modules whose levels are ``level_of``.
    """
    k = min(NEIGHBOURS, scores.shape[1])
    best = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    weights = np.maximum(np.take_along_axis(scores, best, axis=1), 0.0) ** NEIGHBOUR_SHARPNESS
    votes = np.zeros((scores.shape[0], len(prior)))
    rows = np.repeat(np.arange(scores.shape[0]), k)
    np.add.at(votes, (rows, level_of[best].ravel()), weights.ravel())
    return (votes + NEIGHBOUR_PRIOR * prior) / (votes.sum(axis=1, keepdims=True) + NEIGHBOUR_PRIOR)


class _TextModel:
    """Logistic regression on TF-IDF of word uni- and bigrams, classes balanced."""

    def __init__(self, vectoriser: object, classifier: object, n_levels: int) -> None:
        self._vectoriser = vectoriser
        self._classifier = classifier
        self._n_levels = n_levels

    @classmethod
    def fit(cls, texts: Sequence[str], level_of: np.ndarray, n_levels: int) -> _TextModel:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        vectoriser = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
        features = vectoriser.fit_transform(list(texts))
        classifier = LogisticRegression(C=1.0, max_iter=2000, class_weight="balanced")
        return cls(vectoriser, classifier.fit(features, level_of), n_levels)

    def log_probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """Return shape (len(texts), n_levels); a level absent from the fit gets a tiny share."""
        found = self._classifier.predict_proba(self._vectoriser.transform(list(texts)))
        full = np.full((len(texts), self._n_levels), 1e-6)
        full[:, self._classifier.classes_] = found
        return np.log(full / full.sum(axis=1, keepdims=True))
