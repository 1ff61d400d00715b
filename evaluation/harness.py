"""The equivalence evaluation: rankers side by side on one task, metrics, abstention, results.

Anything fitted (the abstention threshold) is chosen inside K-fold cross-validation over
credentials and reported out of fold, so the figures say what to expect on a set not seen.
"""

from __future__ import annotations

import random
import time
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from evaluation.datasets import Qrels, RetrievalTask, Run
from evaluation.metrics import (
    RANKING_METRICS,
    abstention_decisions,
    auroc_no_match,
    gold_rank,
    per_credential_metrics,
    ranking_metrics,
    top_score,
)
from evaluation.rankers import DEPTH, Ranker

FOLDS = 5


class Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RankerResult(Frozen):
    """The figures of one ranker on one task."""

    description: str
    metrics: dict[str, float]
    auroc_no_match: float | None
    seconds: float


class AbstentionResult(Frozen):
    """How well a ranker's "propose / no proposal" decision tells credentials with a match apart."""

    ranker: str
    synthetic: bool
    note: str
    credentials_with_match: int
    credentials_without_match: int
    auroc_no_match: float | None
    fixed_threshold: float | None = Field(description="The product's configured threshold.")
    fixed: dict[str, float | int | None] | None
    cv_thresholds: list[float] = Field(description="The threshold chosen in each training fold.")
    cross_validated: dict[str, float | int | None] | None


class CredentialResult(Frozen):
    """One credential: its gold modules and where each ranker put them."""

    id: str
    title: str
    gold: list[str]
    gold_rank: dict[str, int | None]
    top: dict[str, list[str]] = Field(description="The top 3 modules of each ranker.")
    top_score: dict[str, float]
    metrics: dict[str, dict[str, float]] = Field(description="Per ranker, per metric.")


class EvaluationResult(Frozen):
    dataset: str
    task: str = "equivalence"
    default_ranker: str
    modules: int
    credentials: int
    credentials_with_match: int
    credentials_without_match: int
    depth: int
    folds: int
    protocol: str = Field("cold", description="'cold': no decision of the set used; 'warm': "
                          "K-fold, everything learned from the other folds.")
    rankers: dict[str, dict[str, Any]] = Field(
        description="Per ranker its metrics; the default's 'selective' holds the figures of "
        "the engine's propose/abstain decision, with bootstrap intervals."
    )
    details: dict[str, RankerResult]
    abstention: list[AbstentionResult]
    per_credential: list[CredentialResult]
    seconds: float
    notes: list[str] = Field(default_factory=list)
    repeats: list[dict[str, float | None]] = Field(
        default_factory=list,
        description="The warm protocol over further fold splits: each split's headline figures.",
    )
    repeats_spread: dict[str, dict[str, float | None]] = Field(
        default_factory=dict, description="Each headline figure's mean, lowest and highest."
    )


def run_rankers(
    task: RetrievalTask, rankers: Sequence[Ranker], depth: int = DEPTH
) -> tuple[dict[str, Run], dict[str, float]]:
    """Return each ranker's run on the task and the seconds it took."""
    runs: dict[str, Run] = {}
    seconds: dict[str, float] = {}
    for ranker in rankers:
        start = time.perf_counter()
        runs[ranker.name] = ranker.rank(task, depth)
        seconds[ranker.name] = time.perf_counter() - start
    return runs, seconds


def evaluate_equivalence(
    task: RetrievalTask,
    rankers: Sequence[Ranker],
    *,
    default_ranker: str,
    fixed_threshold: float | None = None,
    synthetic_task: RetrievalTask | None = None,
    depth: int = DEPTH,
    folds: int = FOLDS,
) -> tuple[EvaluationResult, dict[str, Run]]:
    """Return the results of every ranker on the task, and their runs (for the report)."""
    start = time.perf_counter()
    runs, seconds = run_rankers(task, rankers, depth)
    ids = [c.id for c in task.credentials]
    details: dict[str, RankerResult] = {}
    table: dict[str, dict[str, Any]] = {}
    for ranker in rankers:
        metrics = ranking_metrics(runs[ranker.name], task.gold)
        area = auroc_no_match(runs[ranker.name], task.gold, ids)
        details[ranker.name] = RankerResult(
            description=ranker.description,
            metrics=metrics,
            auroc_no_match=area,
            seconds=round(seconds[ranker.name], 2),
        )
        table[ranker.name] = {**metrics, "AUROC_no_match": area}

    abstention = [
        abstention_result(task, runs[default_ranker], default_ranker, fixed_threshold, folds)
    ]
    notes = list(task.notes)
    if synthetic_task is not None:
        synthetic_runs, _ = run_rankers(synthetic_task, rankers, depth)
        synthetic_ids = [c.id for c in synthetic_task.credentials]
        for ranker in rankers:
            area = auroc_no_match(synthetic_runs[ranker.name], synthetic_task.gold, synthetic_ids)
            table[ranker.name]["AUROC_no_match_synthetic"] = area
        abstention.append(
            abstention_result(
                synthetic_task,
                synthetic_runs[default_ranker],
                default_ranker,
                fixed_threshold,
                folds,
            )
        )
        notes.extend(synthetic_task.notes)

    result = EvaluationResult(
        dataset=task.name,
        default_ranker=default_ranker,
        modules=len(task.modules),
        credentials=len(task.credentials),
        credentials_with_match=len(task.credentials_with_match),
        credentials_without_match=len(task.credentials_without_match),
        depth=depth,
        folds=folds,
        rankers=table,
        details=details,
        abstention=abstention,
        per_credential=credential_results(task, runs),
        seconds=round(time.perf_counter() - start, 1),
        notes=notes,
    )
    return result, runs


def credential_results(task: RetrievalTask, runs: dict[str, Run]) -> list[CredentialResult]:
    """Return per-credential results, the credentials with a match first, in task order."""
    per_ranker = {name: per_credential_metrics(run, task.gold) for name, run in runs.items()}
    results = []
    for credential in task.credentials:
        gold = sorted(task.gold.get(credential.id, {}))
        results.append(
            CredentialResult(
                id=credential.id,
                title=credential.title,
                gold=gold,
                gold_rank={n: gold_rank(r, task.gold, credential.id) for n, r in runs.items()},
                top={n: _top_ids(r, credential.id, 3) for n, r in runs.items()},
                top_score={n: round(top_score(r, credential.id), 4) for n, r in runs.items()},
                metrics={n: per_ranker[n].get(credential.id, {}) for n in runs},
            )
        )
    return results


def _top_ids(run: Run, credential_id: str, k: int) -> list[str]:
    ranking = sorted(run.get(credential_id, {}).items(), key=lambda kv: kv[1], reverse=True)
    return [module_id for module_id, _ in ranking[:k]]


# --- abstention ---------------------------------------------------------------------------


def abstention_result(
    task: RetrievalTask, run: Run, ranker: str, fixed_threshold: float | None, folds: int
) -> AbstentionResult:
    """Return the abstention figures of one ranker: AUROC, fixed and cross-validated thresholds."""
    ids = [c.id for c in task.credentials]
    with_match = len(task.credentials_with_match)
    without = len(task.credentials_without_match)
    has_negatives = without > 0 and with_match > 0
    fixed = None
    if has_negatives and fixed_threshold is not None:
        decisions = {c: top_score(run, c) >= fixed_threshold for c in ids}
        fixed = abstention_decisions(decisions, task.gold, ids)
    thresholds: list[float] = []
    cross_validated = None
    if has_negatives:
        decisions, thresholds = cross_validated_decisions(run, task.gold, ids, folds)
        cross_validated = abstention_decisions(decisions, task.gold, ids)
    note = (
        "synthetic: gold modules held out of the catalogue"
        if task.synthetic
        else (
            "no credential without a match in this set: decisions not measurable"
            if not without
            else ""
        )
    )
    return AbstentionResult(
        ranker=ranker,
        synthetic=task.synthetic,
        note=note,
        credentials_with_match=with_match,
        credentials_without_match=without,
        auroc_no_match=auroc_no_match(run, task.gold, ids),
        fixed_threshold=fixed_threshold,
        fixed=fixed,
        cv_thresholds=[round(t, 4) for t in thresholds],
        cross_validated=cross_validated,
    )


def best_threshold(scores: Sequence[float], has_match: Sequence[bool]) -> float:
    """Return the top-score threshold with the best accuracy of "propose iff score >= t"."""
    pairs = sorted(zip(scores, has_match, strict=True))
    candidates = (
        [pairs[0][0] - 1e-9]
        + [(a[0] + b[0]) / 2 for a, b in zip(pairs, pairs[1:], strict=False) if a[0] != b[0]]
        + [pairs[-1][0] + 1e-9]
    )
    best, best_correct = candidates[0], -1
    for threshold in candidates:
        correct = sum((s >= threshold) == m for s, m in pairs)
        if correct > best_correct:
            best, best_correct = threshold, correct
    return best


def cross_validated_decisions(
    run: Run, gold: Qrels, credential_ids: Sequence[str], folds: int, seed: int = 7
) -> tuple[dict[str, bool], list[float]]:
    """Return out-of-fold "propose" decisions: each fold's threshold is fitted on the others."""
    order = list(credential_ids)
    random.Random(seed).shuffle(order)
    fold_of = {c: i % folds for i, c in enumerate(order)}
    decisions: dict[str, bool] = {}
    thresholds = []
    for fold in range(folds):
        train = [c for c in order if fold_of[c] != fold]
        threshold = best_threshold(
            [top_score(run, c) for c in train], [bool(gold.get(c)) for c in train]
        )
        thresholds.append(threshold)
        for c in order:
            if fold_of[c] == fold:
                decisions[c] = top_score(run, c) >= threshold
    return decisions, thresholds


def metric_names() -> list[str]:
    return list(RANKING_METRICS)
