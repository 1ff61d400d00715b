"""Which module score should the product use? Signals and their fusion, cross-validated.

Computes, for every (credential, module) pair of an equivalence set, the signals the engine
could use (dense whole text, module-side and credential-side outcome alignment, title
similarity, lexical TF-IDF/BM25, a course-sequence marker), z-scores each per credential over
the catalogue, and chooses fusion weights by grid search inside K-fold cross-validation over
credentials. Prints each signal alone and the out-of-fold figures of each fusion.

    python -m evaluation.experiments.fusion_cv /work/shared/data/equivalence-vccs-vt
"""

from __future__ import annotations

import itertools
import random
import re
import sys
import time
from pathlib import Path

import numpy as np

from evaluation.datasets import RetrievalTask, load_retrieval_task
from evaluation.rankers import Bm25Ranker, DenseRanker, TfidfRanker, outcome_alignment
from recognition_engine.config import Settings
from recognition_engine.models import create_embedder

FOLDS = 5

_SEQUENCE = re.compile(r"\b(i{1,3}|iv|v|[1-4])\s*$", re.I)
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "1": 1, "2": 2, "3": 3, "4": 4}


def sequence_number(title: str) -> int | None:
    """Return the course-sequence number a title ends with ("Accounting II" → 2), or None."""
    match = _SEQUENCE.search(title.strip())
    return _ROMAN[match.group(1).lower()] if match else None


def sequence_agreement(task: RetrievalTask) -> np.ndarray:
    """+1 where both titles end in the same sequence number, -1 where they differ, 0 otherwise."""
    credential = np.array([sequence_number(c.title) or 0 for c in task.credentials])[:, None]
    module = np.array([sequence_number(m.title) or 0 for m in task.modules])[None, :]
    both = (credential > 0) & (module > 0)
    return np.where(both, np.where(credential == module, 1.0, -1.0), 0.0)


def zscore_rows(matrix: np.ndarray) -> np.ndarray:
    """Standardise each credential's scores over the catalogue (scale-free across signals)."""
    mean = matrix.mean(axis=1, keepdims=True)
    std = matrix.std(axis=1, keepdims=True)
    std[std == 0] = 1.0
    return (matrix - mean) / std


def gold_ranks(scores: np.ndarray, gold_columns: list[list[int]]) -> np.ndarray:
    """Return the 1-based rank of the best gold module of each row (ties: the expected rank)."""
    ranks = np.empty(len(gold_columns))
    for row, columns in enumerate(gold_columns):
        best = scores[row, columns].max()
        # ties (cross-listed courses with the same text) get their expected rank
        ranks[row] = 1 + (scores[row] > best).sum() + ((scores[row] == best).sum() - 1) / 2
    return ranks


def figures(ranks: np.ndarray) -> dict[str, float]:
    """P@1 (a tie for first shared), R@10 and MRR@10 from expected ranks."""
    return {
        "P@1": round(float(np.clip(2 - ranks, 0, 1).mean()), 3),
        "R@10": round(float((ranks <= 10).mean()), 3),
        "MRR@10": round(float(np.where(ranks <= 10, 1 / ranks, 0).mean()), 3),
    }


def reciprocal_rank_rows(matrix: np.ndarray, k: float = 60.0) -> np.ndarray:
    """Replace each score by 1/(k + its rank in the row): the RRF contribution of a signal."""
    order = np.argsort(-matrix, axis=1, kind="stable")
    ranks = np.empty_like(order)
    rows = np.arange(matrix.shape[0])[:, None]
    ranks[rows, order] = np.arange(1, matrix.shape[1] + 1)[None, :]
    return 1.0 / (k + ranks)


def signals(task: RetrievalTask) -> dict[str, np.ndarray]:
    embedder = create_embedder(Settings(data_dir=Path("var")))
    start = time.perf_counter()
    module_side, credential_side = outcome_alignment(task, embedder)
    out = {
        "dense": DenseRanker(embedder).scores(task),
        "dense_title": DenseRanker(embedder, "title").scores(task),
        "module_side": module_side,
        "credential_side": credential_side,
        "tfidf": TfidfRanker().scores(task),
        "tfidf_title": TfidfRanker("title").scores(task),
        "bm25": Bm25Ranker().scores(task),
        "sequence": sequence_agreement(task),
    }
    print(f"signals computed in {time.perf_counter() - start:.0f} s", flush=True)
    return out


def fused(z: dict[str, np.ndarray], weights: dict[str, float]) -> np.ndarray:
    return sum(w * z[name] for name, w in weights.items() if w)


def cross_validate(
    z: dict[str, np.ndarray],
    rows: np.ndarray,
    gold: list[list[int]],
    names: list[str],
    grid: list[float],
) -> tuple[dict[str, float], list[dict[str, float]]]:
    """Grid-search weights on K-1 folds (maximising MRR@10), apply to the held-out fold."""
    order = list(range(len(rows)))
    random.Random(7).shuffle(order)
    fold_of = np.empty(len(rows), dtype=int)
    fold_of[order] = np.arange(len(rows)) % FOLDS
    out_of_fold = np.empty(len(rows))
    chosen = []
    combos = [dict(zip(names, c, strict=True)) for c in itertools.product(grid, repeat=len(names))]
    combos = [c for c in combos if any(c.values())]
    # rank every combination once on all rows, then pick per fold from the train rows
    all_ranks = np.stack([gold_ranks(fused(z, c)[rows], gold) for c in combos])
    reciprocal = np.where(all_ranks <= 10, 1 / all_ranks, 0)
    for fold in range(FOLDS):
        train = fold_of != fold
        best = int(reciprocal[:, train].mean(axis=1).argmax())
        chosen.append(combos[best])
        out_of_fold[~train] = all_ranks[best, ~train]
    return figures(out_of_fold), chosen


def main(folder: str) -> None:
    task = load_retrieval_task(Path(folder))
    column = {m.id: j for j, m in enumerate(task.modules)}
    rows = np.array([i for i, c in enumerate(task.credentials) if task.gold.get(c.id)])
    gold = [[column[m] for m in task.gold[task.credentials[i].id]] for i in rows]
    raw = signals(task)
    z = {name: (zscore_rows(m) if name != "sequence" else m) for name, m in raw.items()}
    print(f"{len(rows)} credentials with a match, {len(task.modules)} modules")
    print("\nsignals alone:")
    for name, matrix in raw.items():
        print(f"  {name:16s} {figures(gold_ranks(matrix[rows], gold))}")
    rrf = {name: reciprocal_rank_rows(m) for name, m in raw.items() if name != "sequence"}
    print("\nreciprocal-rank fusion (k=60, no fitting):")
    for combo in [
        ("dense", "tfidf"),
        ("dense", "bm25"),
        ("dense", "dense_title"),
        ("dense", "dense_title", "credential_side"),
        ("dense", "dense_title", "tfidf"),
        ("dense", "dense_title", "credential_side", "tfidf"),
        ("dense", "dense_title", "credential_side", "module_side", "tfidf", "tfidf_title"),
    ]:
        matrix = sum(rrf[name] for name in combo)
        print(f"  {' + '.join(combo):40s} {figures(gold_ranks(matrix[rows], gold))}")
    print("\nfixed, parameter-free fusions (no fitting):")
    fixed = {
        "engine now: (strength + credential + text)/3": {
            "module_side": 1,
            "credential_side": 1,
            "dense": 1,
        },
        "z: module + credential + dense": {"module_side": 1, "credential_side": 1, "dense": 1},
        "z: dense + credential + title": {"dense": 1, "credential_side": 1, "dense_title": 1},
        "z: dense + tfidf": {"dense": 1, "tfidf": 1},
        "z: dense + credential + title + tfidf": {
            "dense": 1,
            "credential_side": 1,
            "dense_title": 1,
            "tfidf": 1,
        },
    }
    for label, weights in fixed.items():
        matrix = fused(raw if label.startswith("engine") else z, weights)
        print(f"  {label:40s} {figures(gold_ranks(matrix[rows], gold))}")
    print(f"\nweights chosen by grid search inside {FOLDS}-fold CV (out-of-fold figures):")
    experiments = {
        "dense signals (engine today)": (
            ["dense", "module_side", "credential_side", "dense_title"],
            [0, 0.5, 1],
        ),
        "dense + sequence": (["dense", "credential_side", "dense_title", "sequence"], [0, 0.5, 1]),
        "dense + lexical": (
            ["dense", "credential_side", "dense_title", "tfidf", "tfidf_title"],
            [0, 0.5, 1],
        ),
        "all": (
            ["dense", "credential_side", "dense_title", "tfidf", "bm25", "sequence"],
            [0, 0.5, 1],
        ),
    }
    for label, (names, grid) in experiments.items():
        start = time.perf_counter()
        result, chosen = cross_validate(z, rows, gold, names, grid)
        print(f"  {label:30s} {result}  ({time.perf_counter() - start:.0f} s)")
        for weights in chosen:
            print(f"      fold weights {weights}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/equivalence-vccs-vt")
