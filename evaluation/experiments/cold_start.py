"""Fit the cold-start has-an-equivalent model and tiers on public decision sets; say what they
reach on a set they were not fitted on.

For each equivalence set, every credential's cold candidates (the engine's own matching) give
one row of ``COLD_FEATURES``; the label is whether it has a gold module, and whether the
engine's first candidate is one. A set without credentials that lack an equivalent (VT) adds a
synthetic hold-out: for 30% of its credentials the gold modules are removed from the catalogue,
and those credentials are rows without an equivalent (labelled synthetic). Figures:

- leave one set out: fitted on the others, measured on it (the transfer to a new institution);
- 5-fold over all rows pooled: the out-of-fold confidences the shipped tiers are chosen on.

    python -m evaluation.experiments.cold_start ../shared/data/equivalence-vccs-vt \\
        ../shared/data/equivalence-vccs-wm-a [--write]

``--write`` saves the fitted numbers to ``recognition_engine/data/cold_start.json`` for the
configured embedding model (only numbers: two logistic models and the tier thresholds).
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from evaluation.datasets import RetrievalTask, holdout_task, load_retrieval_task
from evaluation.protocols import CandidatePool
from evaluation.reading import reading
from evaluation.selective import expected_calibration_error
from recognition_engine.config import Settings
from recognition_engine.learning.card import auroc
from recognition_engine.learning.cold_start import (
    COLD_START_FILE,
    RIGHT_FEATURES,
    ColdStart,
    fit_cold_start,
    load_cold_start,
    save_cold_start,
    weights_fingerprint,
)
from recognition_engine.learning.equivalence import COLD_FEATURES, LogisticModel, cold_row, columns

FOLDS = 5


@dataclass
class Rows:
    """One set's rows: features, labels, and which set (and whether synthetic) each came from."""

    x: np.ndarray
    has: np.ndarray
    correct: np.ndarray
    synthetic: np.ndarray


def set_rows(task: RetrievalTask, settings: Settings) -> tuple[Rows, str]:
    """Return the rows of a set's credentials, and the embedding model's id."""
    read = reading(task, settings)
    pool = CandidatePool(task, read.embedder, read.settings, catalogue=read.catalogue)
    x, has, correct = [], [], []
    for credential in task.credentials:
        matches = pool.cold[credential.id]
        tfidf = pool.lexical.similarity(credential.text, [m.key for m in matches])
        gold = {m for m, rel in task.gold.get(credential.id, {}).items() if rel > 0}
        best = matches[0] if matches else None  # the engine's first, as a proposal's
        x.append(cold_row(matches, tfidf))
        has.append(bool(gold))
        correct.append(best is not None and best.key in gold)
    flag = np.full(len(x), task.synthetic)
    return Rows(np.array(x), np.array(has), np.array(correct), flag), read.embedder.model_id


def all_rows(folders: list[Path], settings: Settings) -> tuple[dict[str, Rows], str]:
    """Return each set's rows (with its synthetic hold-out where it has no negatives)."""
    rows: dict[str, Rows] = {}
    model_id = ""
    for folder in folders:
        task = load_retrieval_task(folder)
        real, model_id = set_rows(task, settings)
        if not task.credentials_without_match:
            held = holdout_task(task)
            synthetic, _ = set_rows(held, settings)
            keep = ~synthetic.has  # only the credentials whose gold was removed
            real = Rows(*(np.concatenate([getattr(real, f), getattr(synthetic, f)[keep]])
                          for f in ("x", "has", "correct", "synthetic")))
        rows[folder.name] = real
    return rows, model_id


def confidence(model: ColdStart | tuple[LogisticModel, LogisticModel], x: np.ndarray) -> tuple:
    equivalence, right = (model.equivalence, model.right) if isinstance(model, ColdStart) else model
    has = equivalence(x)
    return has, has * right(x[:, columns(RIGHT_FEATURES, COLD_FEATURES)])


def fit_pair(x: np.ndarray, has: np.ndarray, correct: np.ndarray) -> tuple:
    equivalence = LogisticModel.fit(COLD_FEATURES, x, has)
    right = LogisticModel.fit(RIGHT_FEATURES, x[has][:, columns(RIGHT_FEATURES, COLD_FEATURES)],
                              correct[has])
    return equivalence, right


def figures(rows: Rows, p_has: np.ndarray, conf: np.ndarray) -> str:
    real = ~rows.synthetic
    order = np.argsort(-conf)
    right = rows.correct[order]
    precision = np.cumsum(right) / np.arange(1, len(right) + 1)
    good = np.where(precision >= 0.9)[0]
    coverage = (good.max() + 1) / len(right) if len(good) else 0.0
    return (
        f"AUROC has-an-equivalent {auroc(rows.has, p_has) or float('nan'):.3f} "
        f"(real credentials only: {auroc(rows.has[real], p_has[real]) or float('nan'):.3f}); "
        f"ECE {expected_calibration_error(conf, rows.correct.astype(float)):.3f}; "
        f"coverage at precision 0.9 {coverage:.3f}; "
        f"top right {rows.correct.mean():.3f} of {len(rows.has)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="+", type=Path)
    parser.add_argument("--write", action="store_true", help=f"save to {COLD_START_FILE}")
    args = parser.parse_args()
    start = time.perf_counter()
    rows, model_id = all_rows(args.sets, Settings())
    names = list(rows)
    for name in names:  # leave one set out
        train = [rows[n] for n in names if n != name]
        if not train:
            continue
        x = np.vstack([r.x for r in train])
        pair = fit_pair(x, np.concatenate([r.has for r in train]),
                        np.concatenate([r.correct for r in train]))
        p_has, conf = confidence(pair, rows[name].x)
        print(f"{name}, fitted on the other sets: {figures(rows[name], p_has, conf)}")
    pooled = Rows(*(np.concatenate([getattr(rows[n], f) for n in names])
                    for f in ("x", "has", "correct", "synthetic")))
    out_of_fold = np.zeros(len(pooled.has))
    has_oof = np.zeros(len(pooled.has))
    index = np.random.default_rng(7).permutation(len(pooled.has))
    for fold in range(FOLDS):
        held = index[fold::FOLDS]
        rest = np.setdiff1d(index, held)
        pair = fit_pair(pooled.x[rest], pooled.has[rest], pooled.correct[rest])
        has_oof[held], out_of_fold[held] = confidence(pair, pooled.x[held])
    print(f"all sets pooled, {FOLDS}-fold: {figures(pooled, has_oof, out_of_fold)}")
    model = fit_cold_start(weights_fingerprint(model_id), pooled.x, pooled.has, pooled.correct,
                           out_of_fold, source=", ".join(names))
    for band in model.tiers.bands:
        print(f"  {band.tier.value:<14} from {band.threshold:.3f}: precision {band.precision} "
              f"on {band.support}")
    print("coefficients (standardised):", dict(zip(model.equivalence.names,
                                                    np.round(model.equivalence.coef, 3),
                                                    strict=True)))
    if args.write:
        others = []
        if COLD_START_FILE.is_file():
            import json

            others = [ColdStart.from_json(m) for m in json.loads(COLD_START_FILE.read_text())
                      ["models"] if m["model"] != model.model]
        save_cold_start([*others, model])
        assert load_cold_start(model_id) == model
        print(f"written: {COLD_START_FILE}")
    print(f"{time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
