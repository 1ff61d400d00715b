"""Confidence tiers that mean something: each one's threshold chosen for a stated precision.

The thresholds are read off out-of-fold predictions (each credential scored by a model that
never saw its decision), from the top down: ``confirmed`` is the lowest confidence above which
the first module was right at least 90% of the time; ``possible`` the lowest from which it was
right at least 70% of the time up to ``confirmed``; ``review`` 30% likewise; below that the
engine says ``no_equivalent``. Each tier's own band reaches its precision, so a confident
credential never lends its record to an unsure one. "At least" is a one-sided Clopper-Pearson
bound at 90%: on a few hundred decisions the plain rate above the lowest qualifying threshold
is the luckiest of many thresholds tried. Each tier keeps the precision it reached out of fold
and how many credentials that rests on, so an evaluator sees what the word is worth at this
institution; the harness measures what each tier reached on the folds that did not choose it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from recognition_engine.domain import ConfidenceTier as Tier
from recognition_engine.domain import TierRecord

TARGETS: dict[Tier, float] = {Tier.CONFIRMED: 0.90, Tier.POSSIBLE: 0.70, Tier.REVIEW: 0.30}
"""The precision each tier is chosen for (of the credentials at or above its threshold)."""
CONFIDENCE_LEVEL = 0.9
"""How sure the bound on each tier's precision is."""


@dataclass(frozen=True)
class TierBand:
    """One tier: from ``threshold`` up to the next tier's, with its out-of-fold record."""

    tier: Tier
    threshold: float  # inf: no confidence reached the tier's precision (it is never given)
    precision: float | None  # out of fold, of the credentials in the band (None: none in it)
    support: int  # how many out-of-fold credentials fell in the band


@dataclass(frozen=True)
class Tiers:
    """The tiers of one learned model, highest first, and the decisions they rest on."""

    bands: tuple[TierBand, ...]
    decisions: int

    @classmethod
    def fit(
        cls, confidence: Sequence[float], correct: Sequence[bool], has: Sequence[bool]
    ) -> Tiers:
        """Return the tiers chosen on out-of-fold ``confidence``, whether the top module was
        right (``correct``) and whether the credential had an equivalent (``has``)."""
        c = np.asarray(confidence, dtype=np.float64)
        ok = np.asarray(correct, dtype=bool)
        had = np.asarray(has, dtype=bool)
        thresholds: list[float] = []
        ceiling = np.inf
        for target in TARGETS.values():
            below = c < ceiling
            threshold = min(_lowest_threshold(c[below], ok[below], target), ceiling)
            thresholds.append(threshold)
            ceiling = threshold
        bands = []
        upper = np.inf
        for (tier, _), threshold in zip(TARGETS.items(), thresholds, strict=True):
            inside = (c >= threshold) & (c < upper)
            bands.append(TierBand(tier, threshold, _share(ok[inside]), int(inside.sum())))
            upper = min(upper, threshold)
        rest = c < upper
        # "no equivalent" is right where the credential had none
        bands.append(TierBand(Tier.NO_EQUIVALENT, 0.0, _share(~had[rest]), int(rest.sum())))
        return cls(tuple(bands), len(c))

    def of(self, confidence: float) -> TierBand:
        """Return the band a confidence falls in."""
        for band in self.bands:
            if confidence >= band.threshold:
                return band
        return self.bands[-1]

    def record(self, confidence: float, basis: str) -> TierRecord:
        """Return the tier of ``confidence`` as a proposal shows it."""
        band = self.of(confidence)
        return TierRecord(
            tier=band.tier,
            threshold=None if band.threshold == np.inf else round(band.threshold, 4),
            precision=None if band.precision is None else round(band.precision, 3),
            support=band.support,
            decisions=self.decisions,
            basis=basis,
        )

    def to_json(self) -> dict[str, object]:
        return {
            "decisions": self.decisions,
            "bands": [
                {"tier": b.tier.value, "threshold": None if b.threshold == np.inf else b.threshold,
                 "precision": b.precision, "support": b.support}
                for b in self.bands
            ],
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Tiers:
        bands = tuple(
            TierBand(
                Tier(b["tier"]),
                np.inf if b["threshold"] is None else float(b["threshold"]),
                None if b["precision"] is None else float(b["precision"]),
                int(b["support"]),
            )
            for b in data["bands"]  # type: ignore[attr-defined]
        )
        return cls(bands, int(data["decisions"]))  # type: ignore[call-overload]


def _lowest_threshold(c: np.ndarray, ok: np.ndarray, target: float) -> float:
    """Return the lowest confidence t with the precision of {c >= t} at least ``target``
    (its lower Clopper-Pearson bound); inf if there is none."""
    from scipy.stats import beta

    order = np.argsort(-c, kind="stable")
    hits = np.cumsum(ok[order])
    count = np.arange(1, len(c) + 1)
    with np.errstate(invalid="ignore"):
        bound = np.where(hits > 0, beta.ppf(1 - CONFIDENCE_LEVEL, hits, count - hits + 1), 0.0)
    best = np.inf
    for i in range(len(c)):
        # a threshold sits at a distinct value: all tied credentials are in or out together
        if i + 1 < len(c) and c[order[i + 1]] == c[order[i]]:
            continue
        if bound[i] >= target:
            best = float(c[order[i]])
    return best


def _share(values: np.ndarray) -> float | None:
    return float(values.mean()) if len(values) else None
