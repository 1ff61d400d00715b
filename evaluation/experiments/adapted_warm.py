"""The warm protocol on a model fine-tuned in each fold, beside the same protocol on the base.

``python -m evaluation.experiments.adapted_warm ../shared/data/equivalence-vccs-wm-a
[--negatives 3] [--epochs 3] [--seed 7]``: for each of the five folds of the warm protocol
(`evaluate --protocol warm`), the model is fine-tuned on the other folds' accepted decisions,
each with hard negatives (the base model's best-ranked modules that were not accepted, those of
an accepted module's department first; ``adapted_negatives``), the catalogue and every
credential are embedded again with it, and the learned model (ranker, has-an-equivalent model,
calibration, tiers) is trained on those folds' decisions as the product trains it. The held-out
fold is ranked and decided, and the headline figures of the base and the adapted model are
printed side by side, over the same folds. Both read with sentence-transformers on torch, the
backend fine-tuning writes for.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from evaluation.adapted import with_negatives
from evaluation.datasets import RetrievalTask, load_retrieval_task
from evaluation.experiments.adapted_negatives import fine_tuning_parser
from evaluation.metrics import ranking_metrics
from evaluation.protocols import CandidatePool, WarmResult, warm_protocol
from evaluation.repeats import HEADLINE
from evaluation.selective import decide_all, selective_figures
from recognition_engine.config import Settings
from recognition_engine.learning.features import FEATURE_GROUPS
from recognition_engine.models.adaptation import adapt_model
from recognition_engine.models.torch_backend import bundled_model_path, load_on_best_device

FOLDS = 5


def headline(
    task: RetrievalTask, pool: CandidatePool, warm: WarmResult, settings: Settings
) -> dict[str, float | None]:
    decisions = decide_all(
        task.credentials, warm.ranked, pool.modules, task.gold, settings, warm.tiers, {}
    )
    figures = {
        **ranking_metrics(warm.runs["default"], task.gold),
        **selective_figures(list(decisions.values())),
    }
    return {name: figures.get(name) for name in HEADLINE}


def main() -> None:
    parser = fine_tuning_parser(__doc__)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    task = load_retrieval_task(args.dataset)
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    variants = {"default": tuple(FEATURE_GROUPS)}
    base_path = bundled_model_path()
    started = time.perf_counter()
    base = CandidatePool(task, load_on_best_device(base_path), settings)
    warm = warm_protocol(base, FOLDS, variants, seed=args.seed)
    rows = {"base": headline(task, base, warm, settings)}
    print(f"base: {time.perf_counter() - started:.0f} s", flush=True)
    ranked = {cid: [m.key for m in matches] for cid, matches in base.cold.items()}
    with_match = set(task.credentials_with_match)

    with tempfile.TemporaryDirectory(prefix="adapted-warm-") as scratch:

        def adapted_pool(fold: int, train_ids: Sequence[str]) -> CandidatePool:
            trained = [cid for cid in train_ids if cid in with_match]
            examples = with_negatives(task, ranked, trained, args.negatives)
            model = adapt_model(
                examples, base_path, Path(scratch) / f"fold-{fold}", epochs=args.epochs
            )
            return CandidatePool(task, load_on_best_device(model), settings)

        started = time.perf_counter()
        warm = warm_protocol(base, FOLDS, variants, seed=args.seed, pool_for_fold=adapted_pool)
        rows["adapted"] = headline(task, base, warm, settings)
        print(f"adapted: {time.perf_counter() - started:.0f} s", flush=True)
    setup = f"{args.negatives} hard negatives, {args.epochs} epochs"
    print(f"{task.name}, warm, split {args.seed}, {setup}")
    print(" " * 10 + "".join(f"{name:>28}" for name in HEADLINE))
    for name, figures in rows.items():
        cells = "".join(
            f"{'—' if value is None else f'{value:.3f}':>28}" for value in figures.values()
        )
        print(f"{name:>10}{cells}")


if __name__ == "__main__":
    main()
