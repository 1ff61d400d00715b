"""Metrics: pure typed functions over runs and gold, ranx for the ranking metrics.

Ranking metrics are computed over the credentials with a gold match only; abstention (saying
"no match" for a credential that has none) is measured separately, from each ranker's
confidence, the score of its top module.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from evaluation.datasets import Qrels, Run

# report name -> ranx metric name
RANKING_METRICS: dict[str, str] = {
    "P@1": "precision@1",
    "P@3": "precision@3",
    "R@5": "recall@5",
    "R@10": "recall@10",
    "MRR@10": "mrr@10",
    "nDCG@10": "ndcg@10",
}


def ranking_metrics(run: Run, gold: Qrels) -> dict[str, float]:
    """Return the mean of each ranking metric over the credentials of ``gold`` (ranx)."""
    means, _ = _ranx(run, gold)
    return means


def per_credential_metrics(run: Run, gold: Qrels) -> dict[str, dict[str, float]]:
    """Return ``{credential_id: {metric: value}}`` for the credentials of ``gold``."""
    _, per_query = _ranx(run, gold)
    return per_query


def _ranx(run: Run, gold: Qrels) -> tuple[dict[str, float], dict[str, dict[str, float]]]:
    from ranx import Qrels as RanxQrels
    from ranx import Run as RanxRun
    from ranx import evaluate

    gold = {q: dict(d) for q, d in gold.items() if d}
    if not gold:
        return {name: float("nan") for name in RANKING_METRICS}, {}
    # ranx wants every gold query in the run; an empty ranking scores zero
    complete = {q: (dict(run.get(q, {})) or {"\x00none": 0.0}) for q in gold}
    ranx_qrels = RanxQrels(gold)
    ranx_run = RanxRun(complete)
    scores = evaluate(ranx_qrels, ranx_run, list(RANKING_METRICS.values()), make_comparable=True)
    means = {name: float(scores[metric]) for name, metric in RANKING_METRICS.items()}
    per_query: dict[str, dict[str, float]] = {q: {} for q in gold}
    for name, metric in RANKING_METRICS.items():
        for q, value in ranx_run.scores[metric].items():
            per_query[q][name] = float(value)
    return means, per_query


def reciprocal_rank(ranking: Sequence[str], relevant: Mapping[str, int], k: int = 10) -> float:
    """Return 1/rank of the first relevant item in the top k, 0 if none (reference for tests)."""
    for position, item in enumerate(ranking[:k], start=1):
        if relevant.get(item, 0) > 0:
            return 1.0 / position
    return 0.0


def gold_rank(run: Run, gold: Qrels, credential_id: str) -> int | None:
    """Return the 1-based rank of the first gold module in the run, None if absent."""
    relevant = gold.get(credential_id, {})
    ranking = sorted(run.get(credential_id, {}).items(), key=lambda kv: kv[1], reverse=True)
    for position, (module_id, _) in enumerate(ranking, start=1):
        if relevant.get(module_id, 0) > 0:
            return position
    return None


def top_score(run: Run, credential_id: str) -> float:
    """Return the ranker's confidence for a credential: the score of its top module."""
    scores = run.get(credential_id, {})
    return max(scores.values()) if scores else float("-inf")


def auroc(positive: Sequence[float], negative: Sequence[float]) -> float | None:
    """Return the probability that a positive scores above a negative (ties count half).

    The Mann-Whitney form of the area under the ROC curve; None when a class is empty.
    """
    if not positive or not negative:
        return None
    pos = np.asarray(positive, dtype=np.float64)[:, None]
    neg = np.asarray(negative, dtype=np.float64)[None, :]
    return float(((pos > neg).sum() + 0.5 * (pos == neg).sum()) / (pos.size * neg.size))


def auroc_no_match(run: Run, gold: Qrels, credential_ids: Sequence[str]) -> float | None:
    """Return how well the top score separates credentials with a match from those without."""
    with_match = [top_score(run, c) for c in credential_ids if gold.get(c)]
    without = [top_score(run, c) for c in credential_ids if not gold.get(c)]
    return auroc(with_match, without)


def abstention_decisions(
    proposed: Mapping[str, bool], gold: Qrels, credential_ids: Sequence[str]
) -> dict[str, float | int | None]:
    """Return precision and recall of a "propose / no proposal" decision per credential.

    A proposal is right when the credential has a gold match (whether the *module* is right is
    what P@1 measures). Precision: share of proposals made for credentials with a match; recall:
    share of credentials with a match that got a proposal; abstention precision/recall the same
    for "no proposal". Values are None where their denominator is zero.
    """
    tp = sum(1 for c in credential_ids if proposed.get(c) and gold.get(c))
    fp = sum(1 for c in credential_ids if proposed.get(c) and not gold.get(c))
    fn = sum(1 for c in credential_ids if not proposed.get(c) and gold.get(c))
    tn = sum(1 for c in credential_ids if not proposed.get(c) and not gold.get(c))
    return {
        "proposals": tp + fp,
        "abstentions": tn + fn,
        "propose_precision": _ratio(tp, tp + fp),
        "propose_recall": _ratio(tp, tp + fn),
        "abstain_precision": _ratio(tn, tn + fn),
        "abstain_recall": _ratio(tn, tn + fp),
    }


def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None
