"""The warm protocol repeated over several fold splits: how much a figure owes to the split.

On a set of 66 credentials with a match, one credential moves P@1 by 0.015: a difference between
two versions of the engine smaller than the spread over splits is not a difference. Each repeat
shuffles the credentials into folds with its own seed and learns everything again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from statistics import mean

from evaluation.metrics import ranking_metrics
from evaluation.protocols import CandidatePool, warm_protocol
from evaluation.selective import decide_all, selective_figures
from recognition_engine.config import Settings

# the figures each repeat reports: the ranking's, then the decision's
HEADLINE = (
    "P@1",
    "MRR@10",
    "coverage_at_precision_0.9",
    "precision_at_coverage_0.2",
    "auroc_has_equivalent",
    "ece",
    "ece_sampling",
)


def repeated_warm(
    pool: CandidatePool,
    settings: Settings,
    folds: int,
    variants: Mapping[str, Sequence[str]],
    seeds: Sequence[int],
) -> list[dict[str, float | None]]:
    """Return, for each seed, the default's headline figures on a warm protocol split by it."""
    task = pool.task
    rows: list[dict[str, float | None]] = []
    for seed in seeds:
        warm = warm_protocol(pool, folds, variants, seed=seed)
        ranking = ranking_metrics(warm.runs["default"], task.gold)
        decisions = decide_all(task.credentials, warm.ranked, pool.modules, task.gold, settings,
                               warm.tiers, {})
        figures = {**ranking, **selective_figures(list(decisions.values()))}
        rows.append({"seed": float(seed), **{name: figures.get(name) for name in HEADLINE}})
    return rows


def spread(rows: Sequence[Mapping[str, float | None]]) -> dict[str, dict[str, float | None]]:
    """Return the mean, the lowest and the highest of each headline figure over the repeats."""
    out: dict[str, dict[str, float | None]] = {}
    for name in HEADLINE:
        values = [v for row in rows if (v := row.get(name)) is not None]
        out[name] = {
            "mean": round(mean(values), 4) if values else None,
            "min": round(min(values), 4) if values else None,
            "max": round(max(values), 4) if values else None,
        }
    return out
