"""The EQF level of a credential from its learning outcomes, with the evidence behind it.

The generic estimate needs no catalogue. Two signals make a continuous level score on the EQF
scale, and a third is reported beside them:

- the depth of study the credential announces in its own text (``depth``): introductory cues
  ("Introduction to", "Overview of", "first-year") lower the score, advanced ones ("senior",
  "capstone", "graduate standing") and required prior courses ("Pre: MATH 2114") raise it;
- the Bloom profile of the outcomes: higher cognitive processes (analyse, evaluate, create)
  are what the EQF descriptors ask of levels 6-8 ("critical understanding", "solve complex and
  unpredictable problems", "original thinking", "synthesis and evaluation"), lower ones
  (remember, understand, apply) what they ask of levels 3-5. It counts a quarter
  (``BLOOM_WEIGHT``), pulled toward the middle of its own scale: it orders CS2013 outcomes by
  mastery (Spearman 0.55) but carries no signal on course stage (AUROC 0.50 on levels-vt, 0.48
  on larger held-out sets), and at full weight it drowned the depth cues (stage AUROC 0.61
  against 0.73 at a quarter, cross-validated: see docs/evaluation.md);
- the similarity of the outcomes to the EQF level descriptors (Annex II of the 2017 Council
  Recommendation), in each of knowledge, skills, and responsibility and autonomy. It is reported
  but carries no weight: it showed no ordinal signal on either labelled set (course stage AUROC
  0.49, CS2013 mastery Spearman -0.03 with the bundled embedder).

The confidence of the generic estimate is the probability that the level is right if the score
is off by a normal error of one EQF level (``GENERIC_ERROR``), so at most 0.38: a generic estimate
is never confident enough to contradict a declared level. A catalogue with levels (``catalogue``)
gives a calibrated estimate instead, with the generic score as one of its signals.

The declared level and the workload are reported as evidence and never move the estimate: the
decision layer compares the estimate with the declared level, which would be pointless if one
were built from the other.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from recognition_engine.config import Settings
from recognition_engine.domain import BloomLevel, LevelEstimate, OutcomeLevel
from recognition_engine.errors import InvalidInput
from recognition_engine.levels.bloom import BloomClassifier, lexicon_outcome_level
from recognition_engine.levels.catalogue import (
    CatalogueLevels,
    CataloguePlace,
    CatalogueSignal,
    fit_catalogue_levels,
)
from recognition_engine.levels.depth import StudyDepth, study_depth
from recognition_engine.levels.frameworks import (
    DESCRIPTOR_DOMAINS,
    load_correspondence,
    load_eqf_descriptors,
)
from recognition_engine.levels.verbs import BLOOM_ORDER, extract_verbs, load_lexicon
from recognition_engine.matching import module_score
from recognition_engine.models import Embedder

logger = logging.getLogger(__name__)

CLASSIFIER_FILE = "bloom-classifier.joblib"
EQF_LEVELS = tuple(range(1, 9))

# Bloom rank r (Remember = 1 ... Create = 6) → EQF: 3 + 0.75 r puts Remember at 3.75,
# Understand 4.5, Apply 5.25, Analyze 6, Evaluate 6.75, Create 7.5 — the descriptors' verbs
# ("knowledge of facts" at 3, "critical understanding" and "complex problems" at 6, "original
# thinking", "synthesis and evaluation" at 7-8). The top of the profile counts as much as the
# average: a credential is at the level of what it asks at its most demanding, tempered by
# how much of it does.
_BLOOM_TO_EQF = (3.0, 0.75)
_TOP_SHARE = 1 / 3
# The Bloom level counts a quarter, around the middle of its own scale (rank 3.5 → EQF 5.625).
BLOOM_WEIGHT = 0.25
_BLOOM_ANCHOR = _BLOOM_TO_EQF[0] + _BLOOM_TO_EQF[1] * 3.5
GENERIC_ERROR = 1.0  # standard error of the generic score, in EQF levels (a priori)
# The descriptor similarity once had weight 0.25, set a priori; it carried no signal on either
# labelled set (see the module docstring), so it no longer moves the score.
_DESCRIPTOR_WEIGHT = 0.0
_DESCRIPTOR_SHARPNESS = 2.0  # softmax over z-scored similarities: scale-free across models
_SMALL_CREDENTIAL_ECTS = 3.0
_CATALOGUES_KEPT = 16  # fitted catalogue scales kept in memory, least recently used dropped


class LevelEstimator:
    """Bloom levels of outcomes and EQF/NQF levels of credentials."""

    def __init__(self, embedder: Embedder, classifier_path: Path | None = None) -> None:
        self._embedder = embedder
        self._lexicon = load_lexicon()
        self._classifier: BloomClassifier | None = None
        if classifier_path is not None:
            classifier = BloomClassifier.load(classifier_path)
            if classifier.embedder_id != embedder.model_id:
                logger.warning(
                    "the Bloom classifier in %s was trained with embedder %s, not %s: "
                    "using the verb lexicon instead",
                    classifier_path,
                    classifier.embedder_id,
                    embedder.model_id,
                )
            else:
                self._classifier = classifier
        self._descriptor_vectors: np.ndarray | None = None
        self._catalogues: OrderedDict[str, CatalogueLevels] = OrderedDict()
        self._catalogue_lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings, embedder: Embedder) -> LevelEstimator:
        """An estimator with the classifier in settings.data_dir if one was trained."""
        path = settings.data_dir / CLASSIFIER_FILE
        return cls(embedder, path if path.is_file() else None)

    @property
    def method(self) -> str:
        return "classifier" if self._classifier is not None else "lexicon"

    # --- outcomes -------------------------------------------------------------------------

    def outcome_levels(self, texts: Sequence[str]) -> list[OutcomeLevel]:
        """Return the leading verbs and Bloom level(s) of each outcome."""
        levels, _ = self._outcome_levels_and_ranks(list(texts))
        return levels

    def outcome_scores(self, texts: Sequence[str]) -> np.ndarray:
        """Return shape (len(texts),): a continuous Bloom rank per outcome, 1 (Remember) to 6."""
        _, ranks = self._outcome_levels_and_ranks(list(texts))
        return ranks

    def _outcome_levels_and_ranks(
        self, texts: list[str], embeddings: np.ndarray | None = None
    ) -> tuple[list[OutcomeLevel], np.ndarray]:
        if not texts:
            return [], np.zeros(0)
        if self._classifier is None:
            levels = [lexicon_outcome_level(text, self._lexicon) for text in texts]
            return levels, np.array([_lexicon_rank(level) for level in levels])
        analyses = [extract_verbs(text, self._lexicon) for text in texts]
        if embeddings is None:
            embeddings = self._embedder.embed(texts)
        probabilities = self._classifier.predict_proba(texts, embeddings, analyses)
        levels = self._classifier.predict(texts, embeddings, analyses)
        return levels, expected_rank(probabilities)

    # --- credentials ----------------------------------------------------------------------

    def level_score(self, outcomes: Sequence[str], context: str | None = None) -> float:
        """Return the continuous EQF-scale level score of a set of outcomes (1.0 to 8.0)."""
        return float(self.level_components([outcomes], [context])["score"][0])

    def level_components(
        self,
        outcome_lists: Sequence[Sequence[str]],
        contexts: Sequence[str | None] | None = None,
    ) -> dict[str, np.ndarray]:
        """Return, for many sets of outcomes at once, shape (n,) arrays on the EQF scale:
        ``score`` (the combined level score), ``bloom`` and ``descriptors`` (EQF levels read from
        each signal) and ``depth`` (the shift the depth-of-study cues give, in EQF levels).

        ``contexts`` holds, per set, the raw text the outcomes came from (title, description,
        prerequisites), where the depth cues are looked for beside the outcomes themselves.
        """
        if contexts is not None and len(contexts) != len(outcome_lists):
            raise InvalidInput("one context per set of outcomes, or none")
        texts_per_set = [_non_empty(outcomes) for outcomes in outcome_lists]
        depth = np.array(
            [
                _depth(texts, contexts[i] if contexts is not None else None).shift
                for i, texts in enumerate(texts_per_set)
            ]
        )
        every_text = [text for texts in texts_per_set for text in texts]
        embeddings = self._embedder.embed(every_text, progress=len(every_text) > 1000)
        _, ranks = self._outcome_levels_and_ranks(every_text, embeddings)
        similarity = self._descriptor_similarity(embeddings)
        bloom, descriptors = np.zeros(len(texts_per_set)), np.zeros(len(texts_per_set))
        start = 0
        for i, texts in enumerate(texts_per_set):
            rows = slice(start, start + len(texts))
            bloom[i], descriptors[i] = _bloom_eqf(ranks[rows]), _descriptor_eqf(similarity[rows])
            start += len(texts)
        score = np.array(
            [_combine(*signals) for signals in zip(bloom, descriptors, depth, strict=True)]
        )
        return {"score": score, "bloom": bloom, "descriptors": descriptors, "depth": depth}

    def estimate(
        self,
        outcomes: Sequence[str],
        *,
        declared_eqf_level: int | None = None,
        ects: float | None = None,
        context: str | None = None,
        catalogue: CatalogueSignal | None = None,
    ) -> LevelEstimate:
        """Return the proposed EQF level, its NQF/QF-EHEA correspondences and the evidence.

        ``context`` is the credential's raw text (title, description, prerequisites), read for
        depth-of-study cues that outcome splitting leaves out ("Pre: MATH 2114"). ``catalogue``,
        the catalogue the credential is recognised against with its best matches, places it on
        that catalogue's scale when the catalogue has one (``catalogue.py``).
        """
        texts = _non_empty(outcomes)
        depth = _depth(texts, context)
        embeddings = self._embedder.embed(texts)
        levels, ranks = self._outcome_levels_and_ranks(texts, embeddings)
        similarity = self._descriptor_similarity(embeddings)
        bloom_level, descriptor_level = _bloom_eqf(ranks), _descriptor_eqf(similarity)
        score = _combine(bloom_level, descriptor_level, depth.shift)
        generic_level = int(np.clip(np.floor(score + 0.5), 1, 8))
        eqf_level, confidence, basis = generic_level, generic_confidence(score), "generic"
        profile = bloom_profile(levels)
        evidence = _generic_evidence(
            levels, profile, similarity, bloom_level, descriptor_level, depth, self.method
        )
        evidence.append(
            f"Generic level score {score:.2f} → EQF {generic_level} (confidence {confidence:.2f})."
        )
        probabilities: dict[str, float] = {}
        if catalogue is not None:
            reading = catalogue.levels.read(catalogue.text, score, catalogue.neighbours)
            evidence.extend(reading.evidence)
            if reading.probabilities is not None and reading.eqf_level is not None:
                eqf_level, basis = reading.eqf_level, "catalogue"
                confidence = round(float(reading.confidence or 0.0), 2)
                probabilities = {
                    str(level): round(float(p), 4)
                    for level, p in zip(reading.levels, reading.probabilities, strict=True)
                }
        evidence.extend(_verdict_evidence(eqf_level, confidence, basis, declared_eqf_level, ects))
        row = load_correspondence()[eqf_level]
        return LevelEstimate(
            eqf_level=eqf_level,
            georgian_nqf_level=row.georgia,
            armenian_nqf_level=row.armenia,
            qf_ehea_cycle=row.qf_ehea,
            confidence=confidence,
            declared_eqf_level=declared_eqf_level,
            bloom_profile=profile,
            descriptor_similarity={
                str(level): round(float(value), 4)
                for level, value in zip(EQF_LEVELS, similarity.mean(axis=0), strict=True)
            },
            evidence=evidence,
            outcomes=levels,
            basis=basis,
            level_probabilities=probabilities,
        )

    def catalogue_levels(
        self,
        key: str,
        places: Sequence[CataloguePlace],
        text_vectors: np.ndarray,
        title_vectors: np.ndarray,
    ) -> CatalogueLevels:
        """Return the level scale fitted on a catalogue, refitted only when it changes.

        ``key`` identifies the catalogue's content (its index fingerprint); the places' levels
        are part of the key too. ``text_vectors`` and ``title_vectors``: shape (len(places), d),
        each place's whole-text and title embeddings, as the index holds them.
        """
        digest = hashlib.sha256(key.encode())
        for place in places:
            digest.update(f"{place.code}\t{place.eqf_level}\n".encode())
        with self._catalogue_lock:
            fitted = self._catalogues.get(digest.hexdigest())
            if fitted is not None:
                self._catalogues.move_to_end(digest.hexdigest())
                return fitted
        generic = self.level_components(
            [place.outcomes or (place.title,) for place in places],
            [f"{place.title}\n{place.context}" for place in places],
        )["score"]
        similarity = module_score(text_vectors @ text_vectors.T, title_vectors @ title_vectors.T)
        fitted = fit_catalogue_levels(places, generic, similarity)
        with self._catalogue_lock:
            self._catalogues[digest.hexdigest()] = fitted
            while len(self._catalogues) > _CATALOGUES_KEPT:
                self._catalogues.popitem(last=False)
        return fitted

    def _descriptor_similarity(self, embeddings: np.ndarray) -> np.ndarray:
        """Return shape (n, 8): each outcome's best cosine with a level's three descriptors."""
        if self._descriptor_vectors is None:
            descriptors = load_eqf_descriptors()
            texts = [
                descriptors[level][domain] for level in EQF_LEVELS for domain in DESCRIPTOR_DOMAINS
            ]
            self._descriptor_vectors = self._embedder.embed(texts).reshape(
                len(EQF_LEVELS), len(DESCRIPTOR_DOMAINS), -1
            )
        cosines = np.einsum("nd,lkd->nlk", embeddings, self._descriptor_vectors)
        return cosines.max(axis=2)


def expected_rank(probabilities: np.ndarray) -> np.ndarray:
    """Return shape (n,): the probability-weighted Bloom rank (1-6) of each outcome."""
    ranks = np.arange(1, len(BLOOM_ORDER) + 1, dtype=float)
    weights = probabilities / np.maximum(probabilities.sum(axis=1, keepdims=True), 1e-12)
    return weights @ ranks


def bloom_profile(levels: Sequence[OutcomeLevel]) -> dict[str, float]:
    """Return the share of outcomes at each Bloom level (an outcome may count at several)."""
    counts = {level.value: 0 for level in BloomLevel}
    for outcome in levels:
        for level in outcome.bloom:
            counts[level.value] += 1
    total = max(len(levels), 1)
    return {name: round(count / total, 4) for name, count in counts.items()}


def _lexicon_rank(level: OutcomeLevel) -> float:
    return float(np.mean([BLOOM_ORDER.index(b) + 1 for b in level.bloom]))


def _bloom_eqf(ranks: np.ndarray) -> float:
    ordered = np.sort(ranks)[::-1]
    top = ordered[: max(1, int(np.ceil(len(ordered) * _TOP_SHARE)))]
    rank = 0.5 * float(ordered.mean()) + 0.5 * float(top.mean())
    intercept, slope = _BLOOM_TO_EQF
    return intercept + slope * rank


def _descriptor_eqf(similarity: np.ndarray) -> float:
    mean = similarity.mean(axis=0)
    spread = float(mean.std()) or 1.0
    weights = np.exp(_DESCRIPTOR_SHARPNESS * (mean - mean.max()) / spread)
    return float(weights @ np.array(EQF_LEVELS, dtype=float) / weights.sum())


def _combine(bloom_level: float, descriptor_level: float, depth_shift: float = 0.0) -> float:
    level = (1 - _DESCRIPTOR_WEIGHT) * bloom_level + _DESCRIPTOR_WEIGHT * descriptor_level
    level = _BLOOM_ANCHOR + BLOOM_WEIGHT * (level - _BLOOM_ANCHOR)
    return float(np.clip(level + depth_shift, 1.0, 8.0))


def _depth(outcomes: Sequence[str], context: str | None) -> StudyDepth:
    return study_depth("\n".join([context or "", *outcomes]))


def generic_confidence(score: float) -> float:
    """Return the probability that the rounded score is the right level, if the score is off by
    a normal error of ``GENERIC_ERROR`` levels: 0.38 at the centre of a level, 0.34 at its edge.
    """
    from scipy.stats import norm

    level = np.clip(np.floor(score + 0.5), 1, 8)
    low = -np.inf if level == 1 else level - 0.5
    high = np.inf if level == 8 else level + 0.5
    inside = norm.cdf((high - score) / GENERIC_ERROR) - norm.cdf((low - score) / GENERIC_ERROR)
    return round(float(inside), 2)


def _generic_evidence(
    levels: Sequence[OutcomeLevel],
    profile: dict[str, float],
    similarity: np.ndarray,
    bloom_level: float,
    descriptor_level: float,
    depth: StudyDepth,
    method: str,
) -> list[str]:
    shares = ", ".join(f"{name} {share:.0%}" for name, share in profile.items() if share > 0)
    best_descriptor = int(np.argmax(similarity.mean(axis=0))) + 1
    return [
        f"Bloom profile of {len(levels)} outcome(s) ({method}): {shares}; "
        f"reads as EQF {bloom_level:.1f} (weight {BLOOM_WEIGHT:g}).",
        f"Closest EQF descriptors: level {best_descriptor}; similarity-weighted level "
        f"{descriptor_level:.1f}"
        + (" (reported, not weighted in the score)." if _DESCRIPTOR_WEIGHT == 0 else "."),
        depth.describe(),
    ]


def _verdict_evidence(
    eqf_level: int, confidence: float, basis: str, declared: int | None, ects: float | None
) -> list[str]:
    lines = [f"Estimate: EQF {eqf_level}, from the {basis} reading (confidence {confidence:.2f})."]
    if declared is not None:
        gap = eqf_level - declared
        lines.append(
            f"Declared EQF {declared}: the estimate agrees."
            if gap == 0
            else f"Declared EQF {declared}: the estimate is {abs(gap)} level(s) "
            f"{'higher' if gap > 0 else 'lower'}."
        )
    else:
        lines.append("No level declared.")
    if ects is None:
        lines.append("No workload given.")
    elif ects < _SMALL_CREDENTIAL_ECTS:
        lines.append(f"Workload {ects:g} ECTS: small, so few outcomes carry the estimate.")
    else:
        lines.append(f"Workload {ects:g} ECTS (workload does not set the level).")
    return lines


def _non_empty(outcomes: Sequence[str]) -> list[str]:
    texts = [text.strip() for text in outcomes if text and text.strip()]
    if not texts:
        raise InvalidInput("no learning outcomes to estimate a level from")
    return texts
