"""Does fine-tuning on decisions with same-department hard negatives rank better?

``python -m evaluation.experiments.adapted_negatives ../shared/data/equivalence-vccs-wm-a
[--negatives 3] [--epochs 3]`` fine-tunes the model inside 5-fold cross-validation over
credentials, on the other folds' accepted decisions only, twice: with in-batch negatives alone
(what ``recognition-engine adapt`` did), and with hard negatives besides. A credential's hard
negatives are the modules the base model ranks highest for it that were not accepted, those of
an accepted module's department (subject prefix) first: the near twins an evaluator tells
apart (``recognition_engine.learning.hard_negatives``, as ``recognition-engine adapt`` picks
them). Each held-out credential is then ranked against the whole catalogue by the mean of
whole-text and title cosine (the engine's cold score), and P@1 and MRR@10 are printed for the
base model and both fine-tunings, side by side, over the same folds.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from evaluation.adapted import AdaptationParams, CrossValidatedAdaptation
from evaluation.datasets import load_retrieval_task
from evaluation.metrics import ranking_metrics
from evaluation.rankers import run_from_matrix
from recognition_engine.learning.hard_negatives import HARD_NEGATIVES, text_and_title_scores
from recognition_engine.models.torch_backend import bundled_model_path, load_on_best_device


def fine_tuning_parser(doc: str) -> argparse.ArgumentParser:
    """The arguments of both fine-tuning experiments: the set, hard negatives, epochs."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("dataset", type=Path)
    parser.add_argument("--negatives", type=int, default=HARD_NEGATIVES)
    parser.add_argument("--epochs", type=int, default=3)
    return parser


def main() -> None:
    parser = fine_tuning_parser(__doc__)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument(
        "--hard-only", action="store_true", help="skip the fine-tuning with in-batch negatives"
    )
    args = parser.parse_args()
    task = load_retrieval_task(args.dataset)
    base_path = bundled_model_path()
    base = load_on_best_device(base_path)
    base_scores = text_and_title_scores(
        base,
        base,
        [(c.text, c.title) for c in task.credentials],
        [(m.text, m.title) for m in task.modules],
    )
    gold = {cid: task.gold[cid] for cid in task.credentials_with_match}
    rows = {"base": run_from_matrix(task, base_scores)}
    variants = {"in-batch negatives": 0, f"+ {args.negatives} hard negatives": args.negatives}
    for name, count in list(variants.items())[1 if args.hard_only else 0 :]:
        started = time.perf_counter()
        params = AdaptationParams(epochs=args.epochs, folds=args.folds, hard_negatives=count)
        text, title = CrossValidatedAdaptation(base_path, params).matrices(task)
        rows[name] = run_from_matrix(task, (text + title) / 2)
        print(f"{name}: {time.perf_counter() - started:.0f} s", flush=True)
    print(f"{task.name}: {len(gold)} credentials with a match, {len(task.modules)} modules")
    for name, run in rows.items():
        figures = ranking_metrics(run, gold)
        print(f"{name:>24}: P@1 {figures['P@1']:.3f}  MRR@10 {figures['MRR@10']:.3f}")


if __name__ == "__main__":
    main()
