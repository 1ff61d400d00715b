"""Selective figures of the engine's real propose/abstain decision: coverage, precision, ECE.

For each credential the engine's ``propose_recognition`` runs on the ranked candidates at every
threshold where its outcome can change (the distinct gate values: the score without a learned
model, the calibrated confidence with one). A credential is *proposed* when the decision
proposes a module, *correct* when its first proposed module is a gold one. Coverage counts all
credentials, with a gold match or without. Intervals: percentile bootstrap over credentials.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from sklearn.metrics import roc_auc_score

from evaluation.datasets import ItemText
from recognition_engine.config import Settings
from recognition_engine.decision import CredentialOutcomes, DecisionParams, propose_recognition
from recognition_engine.domain import (
    MAX_OUTCOMES_PER_ITEM,
    MAX_TEXT_CHARS,
    AssessmentType,
    Cycle,
    MicroCredential,
    Module,
    ParticipationForm,
    Programme,
    QualityAssurance,
    QualityAssuranceType,
    Workload,
)
from recognition_engine.learning.card import calibration_error
from recognition_engine.matching import ModuleMatch

GRID = np.round(np.linspace(0.0, 1.0, 201), 3)
"""Thresholds the curves are read at (cosine scores and probabilities both lie in [0, 1])."""
COVERAGES = (0.2, 0.4, 0.6)
TARGET_PRECISION = 0.9
BOOTSTRAP = 1000
DEFAULT_ECTS = 5.0
"""Equivalence sets seldom state ECTS: a module and a credential without them count this much,
so that the workload check neither blocks nor splits a one-to-one equivalence."""


@dataclass(frozen=True)
class CredentialDecisions:
    """One credential's decision at every grid threshold, and its top module's confidence."""

    proposed: np.ndarray  # (len(GRID),) bool
    correct: np.ndarray  # (len(GRID),) bool: proposed and the first proposed module is gold
    confidence: float  # the gate value of the top-ranked module, in [0, 1]
    top_correct: bool  # the top-ranked module is gold
    has_match: bool = False  # the credential has a gold module
    tier: str | None = None  # the learned model's tier for it (None: no learned model)


def as_credential(item: ItemText, ects: float | None = None) -> MicroCredential:
    """Return an equivalence-set credential as the decision reads it.

    The sets hold accredited, assessed courses: quality assurance and assessment are stated so
    that only matching decides; the workload is the set's, else ``DEFAULT_ECTS``.
    """
    return MicroCredential(
        id=item.id[:200],
        title=item.title[:500] or item.id,
        learning_outcomes=list(item.outcomes),
        awarding_body="institution",
        country=None,
        date_of_issue=dt.date(2024, 1, 1),
        workload=Workload(ects=ects or DEFAULT_ECTS),
        assessment=AssessmentType.SUPERVISED_EXAM,
        participation=ParticipationForm.ON_SITE,
        quality_assurance=QualityAssurance(type=QualityAssuranceType.EXTERNAL_ACCREDITED),
    )


def candidate_programme(matches: Sequence[ModuleMatch], modules: dict[str, ItemText]) -> Programme:
    """Return the candidate modules as a programme (the decision needs their ECTS and level)."""
    unique = list(dict.fromkeys(m.key for m in matches))
    return Programme(
        id="evaluation",
        institution="institution",
        country="DE",
        title="catalogue",
        cycle=Cycle.FIRST,
        nqf_level=6,
        eqf_level=6,
        total_ects=600,
        modules=[
            _module(key, modules[key])
            for key in unique
        ],
    )


def _module(key: str, item: ItemText) -> Module:
    """The module as the decision reads it: with its stated outcomes, or its description only."""
    if item.outcomes_stated:
        return Module(code=key, title=item.title[:500] or key, ects=DEFAULT_ECTS,
                      learning_outcomes=list(item.outcomes)[:MAX_OUTCOMES_PER_ITEM])
    description = item.description.strip() or " ".join(item.outcomes)
    return Module(code=key, title=item.title[:500] or key, ects=DEFAULT_ECTS,
                  description=description[:MAX_TEXT_CHARS])


def credential_decisions(
    credential: ItemText,
    matches: Sequence[ModuleMatch],
    modules: dict[str, ItemText],
    gold: set[str],
    settings: Settings,
    tier: str | None = None,
    shown_confidence: float | None = None,
) -> CredentialDecisions:
    """Return the engine's decision for one credential at every threshold of ``GRID``.

    ``shown_confidence``: the confidence the product shows for the top module where it is not
    the gate (the cold-start model's); by default, the gate value of the top module."""
    params = DecisionParams.from_settings(settings)
    learned = bool(matches) and matches[0].confidence is not None
    shown = list(matches)[: params.max_candidates * 3]
    gates = sorted({_gate(m) for m in shown})  # exact: a rounded-up gate would refuse its module
    outcomes = CredentialOutcomes(as_credential(credential), list(credential.outcomes))
    programme = candidate_programme(shown, modules)
    at_break: list[tuple[float, bool, bool]] = []
    for threshold in gates:
        changed = (replace(params, min_proposal_confidence=threshold) if learned
                   else replace(params, min_proposal_score=threshold))
        proposal = propose_recognition([outcomes], programme, shown, changed)
        first = proposal.modules[0].module_code if proposal.modules else None
        at_break.append((threshold, first is not None, first in gold))
    proposed = np.zeros(len(GRID), dtype=bool)
    correct = np.zeros(len(GRID), dtype=bool)
    # between two gate values the decision is that of the upper one
    for g, t in enumerate(GRID):
        for threshold, is_proposed, is_correct in at_break:
            if threshold >= t:
                proposed[g], correct[g] = is_proposed, is_correct
                break
    top = matches[0] if matches else None
    return CredentialDecisions(
        proposed=proposed,
        correct=correct,
        confidence=(shown_confidence if shown_confidence is not None
                    else float(np.clip(_gate(top), 0, 1)) if top else 0.0),
        top_correct=bool(top and top.key in gold),
        has_match=bool(gold),
        tier=tier,
    )


def _gate(match: ModuleMatch) -> float:
    return match.confidence if match.confidence is not None else match.score


# --- figures ------------------------------------------------------------------------------


def selective_figures(decisions: Sequence[CredentialDecisions]) -> dict[str, float | None]:
    """Return coverage at precision 0.9, precision at each coverage, Brier and ECE."""
    proposed = np.array([d.proposed for d in decisions])
    correct = np.array([d.correct for d in decisions])
    confidence = np.array([d.confidence for d in decisions])
    top_correct = np.array([d.top_correct for d in decisions], dtype=np.float64)
    figures = _figures(proposed, correct, confidence, top_correct)
    has = np.array([d.has_match for d in decisions], dtype=bool)
    figures["auroc_has_equivalent"] = (
        float(roc_auc_score(has, confidence)) if 0 < has.sum() < len(has) else None
    )
    figures["ece_sampling"] = sampling_ece(confidence)
    return figures


def sampling_ece(confidence: np.ndarray, draws: int = 200, seed: int = 3) -> float:
    """Return the ECE a perfectly calibrated confidence would show on this many credentials:
    the median over ``draws`` sets of outcomes drawn at the confidences themselves.

    A few hundred credentials in ten bins leave a few dozen per bin, whose share right wanders
    from its probability by chance alone; an ECE near this figure is the noise of the set,
    not a miscalibration.
    """
    c = np.asarray(confidence, dtype=np.float64)
    if len(c) == 0:
        return 0.0
    rng = np.random.default_rng(seed)
    return float(np.median([
        expected_calibration_error(c, (rng.random(len(c)) < c).astype(np.float64))
        for _ in range(draws)
    ]))


def tier_figures(decisions: Sequence[CredentialDecisions]) -> dict[str, dict[str, float | None]]:
    """Return, per tier the product gave, its share of all credentials and how often it was
    right: the top module gold for a proposing tier, no gold module for ``no_equivalent``."""
    tiers: dict[str, dict[str, float | None]] = {}
    for name in dict.fromkeys(d.tier for d in decisions if d.tier is not None):
        inside = [d for d in decisions if d.tier == name]
        right = [(not d.has_match) if name == "no_equivalent" else d.top_correct for d in inside]
        tiers[name] = {"share": round(len(inside) / len(decisions), 4), "count": len(inside),
                       "precision": round(float(np.mean(right)), 4)}
    return tiers


def _figures(
    proposed: np.ndarray, correct: np.ndarray, confidence: np.ndarray, top_correct: np.ndarray
) -> dict[str, float | None]:
    n = len(proposed)
    count = proposed.sum(axis=0)
    coverage = count / n
    with np.errstate(invalid="ignore", divide="ignore"):
        precision = np.where(count > 0, correct.sum(axis=0) / np.maximum(count, 1), np.nan)
    good = precision >= TARGET_PRECISION
    figures: dict[str, float | None] = {
        f"coverage_at_precision_{TARGET_PRECISION:g}": (
            float(coverage[good].max()) if good.any() else 0.0
        )
    }
    for share in COVERAGES:
        reach = np.where(coverage >= share)[0]
        # the highest threshold that still covers the share
        figures[f"precision_at_coverage_{share:g}"] = (
            float(precision[reach.max()]) if len(reach) else None
        )
    figures["brier"] = float(np.mean((confidence - top_correct) ** 2))
    figures["ece"] = expected_calibration_error(confidence, top_correct)
    return figures


def expected_calibration_error(
    confidence: np.ndarray, correct: np.ndarray, bins: int = 10
) -> float:
    """Return the ECE over ``bins`` equal-width bins, as the model card computes it."""
    return calibration_error(confidence, correct, bins) or 0.0


def bootstrap_intervals(
    decisions: Sequence[CredentialDecisions], samples: int = BOOTSTRAP, seed: int = 5
) -> dict[str, list[float] | None]:
    """Return the percentile 95% interval of each selective figure, resampling credentials."""
    proposed = np.array([d.proposed for d in decisions])
    correct = np.array([d.correct for d in decisions])
    confidence = np.array([d.confidence for d in decisions])
    top_correct = np.array([d.top_correct for d in decisions], dtype=np.float64)
    rng = np.random.default_rng(seed)
    values: dict[str, list[float]] = {}
    for _ in range(samples):
        pick = rng.integers(0, len(decisions), len(decisions))
        for name, value in _figures(
            proposed[pick], correct[pick], confidence[pick], top_correct[pick]
        ).items():
            if value is not None and value == value:
                values.setdefault(name, []).append(value)
    names = _figures(proposed[:1], correct[:1], confidence[:1], top_correct[:1]).keys()
    return {
        name: (
            [round(float(np.percentile(values[name], 2.5)), 4),
             round(float(np.percentile(values[name], 97.5)), 4)]
            if values.get(name) else None
        )
        for name in names
    }


def curves(decisions: Sequence[CredentialDecisions]) -> tuple[np.ndarray, np.ndarray]:
    """Return (coverage, precision) over the thresholds of ``GRID``, for the plot."""
    proposed = np.array([d.proposed for d in decisions])
    correct = np.array([d.correct for d in decisions])
    count = proposed.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        precision = np.where(count > 0, correct.sum(axis=0) / np.maximum(count, 1), np.nan)
    return count / len(decisions), precision


def decide_all(
    credentials: Sequence[ItemText],
    ranked: dict[str, list[ModuleMatch]],
    modules: dict[str, ItemText],
    gold: dict[str, dict[str, int]],
    settings: Settings,
    tiers: dict[str, str] | None = None,
    shown: dict[str, float] | None = None,
) -> dict[str, CredentialDecisions]:
    """Return the engine's decisions for every credential, from its ranked candidates."""
    return {
        c.id: credential_decisions(
            c, ranked.get(c.id, []), modules,
            {m for m, rel in gold.get(c.id, {}).items() if rel > 0}, settings,
            (tiers or {}).get(c.id), (shown or {}).get(c.id),
        )
        for c in credentials
    }


def selective_summary(decisions: Sequence[CredentialDecisions]) -> dict[str, object]:
    """Return the selective figures rounded, with their bootstrap intervals under "intervals"."""
    figures = selective_figures(decisions)
    summary: dict[str, object] = {
        name: None if value is None else round(value, 4) for name, value in figures.items()
    }
    summary["intervals"] = bootstrap_intervals(decisions)
    if any(d.tier is not None for d in decisions):
        summary["tiers"] = tier_figures(decisions)
    return summary
