"""How should the level signals be weighed? The cold and warm rules, cross-validated.

Cold (no labelled item used): the generic score is ``anchor + w * (Bloom EQF - anchor) + depth
shift``; for each Bloom weight ``w`` it prints the stage AUROC and, given a CS2013 folder, the
Spearman correlation with mastery (the Bloom profile is what orders single outcomes there).
``--cues FILE`` adds the stage AUROC with another depth-cue file in place of the packaged one.

Warm (the catalogue scale of ``recognition_engine.levels.catalogue``): 5-fold over items; in each
fold a catalogue of N items is drawn from the other folds (N = 40, 100, 300 and all of them: a
programme has tens of modules, a university catalogue thousands), the scale is fitted on it and
the held-out fold is read. It prints the out-of-fold AUROC of each weighting
``model + b * generic + g * neighbours`` on a small grid, and, for the shipped weights, how often
the estimates at confidence 0.8 or more were right.

    python -m evaluation.experiments.level_rule_cv ../shared/data/levels-vt \\
        [--mastery ../shared/data/cs2013] [--cues OLD.yaml]
"""

from __future__ import annotations

import argparse
import itertools
from pathlib import Path

import numpy as np

from evaluation.levels import MASTERY_RANK, _auroc, _item_context, _item_outcomes, _records
from evaluation.stage_protocols import StageItem, _place, _scores, places_text, reliability
from recognition_engine.config import Settings
from recognition_engine.levels import catalogue
from recognition_engine.levels.depth import load_depth_cues, study_depth
from recognition_engine.levels.eqf import _BLOOM_ANCHOR, LevelEstimator
from recognition_engine.models import Embedder, create_embedder

BLOOM_WEIGHTS = (1.0, 0.5, 0.25, 0.1, 0.0)
SIZES = (40, 100, 300, None)
GENERIC_WEIGHTS = (0.0, 0.5, 1.0)
NEIGHBOUR_WEIGHTS = (0.0, 0.25, 0.5)
FOLDS = 5


def cold(
    rows: list[dict], estimator: LevelEstimator, mastery_dir: Path | None, cues: Path | None
) -> None:
    """Print the stage AUROC (and mastery Spearman) of the generic score per Bloom weight."""
    from scipy.stats import spearmanr

    contexts = [_item_context(row) for row in rows]
    upper = np.array([row["stage"] == "upper" for row in rows])
    parts = estimator.level_components([_item_outcomes(row) for row in rows], contexts)
    other_depth = (
        np.array([study_depth(text, load_depth_cues(cues)).shift for text in contexts])
        if cues
        else None
    )
    mastery, single = None, None
    if mastery_dir is not None:
        outcomes = [
            row
            for row in _records(mastery_dir / "outcomes.jsonl")
            if row.get("text") and str(row.get("mastery", "")).lower() in MASTERY_RANK
        ]
        mastery = np.array([MASTERY_RANK[str(row["mastery"]).lower()] for row in outcomes])
        single = estimator.level_components([[row["text"]] for row in outcomes])
    print("cold: Bloom weight | stage AUROC | with --cues | CS2013 Spearman")
    for weight in BLOOM_WEIGHTS:

        def score(bloom: np.ndarray, depth: np.ndarray, w: float = weight) -> np.ndarray:
            return _BLOOM_ANCHOR + w * (bloom - _BLOOM_ANCHOR) + depth

        stage = _auroc(upper, score(parts["bloom"], parts["depth"]))
        other = None if other_depth is None else _auroc(upper, score(parts["bloom"], other_depth))
        rho = None
        if single is not None and mastery is not None:
            values = score(single["bloom"], single["depth"])
            rho = round(float(spearmanr(values, mastery).statistic), 4) if np.ptp(values) else None
        print(f"  {weight:<5g} | {stage} | {other} | {rho}")
    print(f"  depth alone: {_auroc(upper, parts['depth'])}")


def warm(rows: list[dict], estimator: LevelEstimator, embedder: Embedder, seed: int = 0) -> None:
    """Print the out-of-fold AUROC of each weighting, per catalogue size, and the reliability."""
    from sklearn.model_selection import StratifiedKFold

    items = [
        StageItem(str(row["id"]), str(row.get("title") or ""), row.get("description") or "",
                  row["stage"] == "upper")
        for row in rows
    ]  # fmt: skip
    upper = np.array([item.upper for item in items])
    generic = estimator.level_components(
        [_item_outcomes(row) for row in rows], [_item_context(row) for row in rows]
    )["score"]
    texts = embedder.embed([places_text(item) for item in items], progress=True)
    titles = embedder.embed([item.title for item in items], progress=True)
    grid = list(itertools.product(GENERIC_WEIGHTS, NEIGHBOUR_WEIGHTS))
    rng = np.random.default_rng(seed)
    print("warm: catalogue size | AUROC per (generic, neighbours) weight | shipped rule")
    for size in SIZES:
        parts = {name: np.zeros(len(items)) for name in ("model", "generic", "neighbours")}
        probability = np.zeros(len(items))
        splitter = StratifiedKFold(FOLDS, shuffle=True, random_state=seed)
        for fit_rows, held_rows in splitter.split(np.zeros(len(items)), upper):
            if size is not None:
                fit_rows = _stratified_sample(fit_rows, upper, size, rng)
            scale = catalogue.fit_catalogue_levels(
                [_place(items[i]) for i in fit_rows],
                generic[fit_rows],
                _scores(texts, titles, fit_rows, fit_rows),
            )
            scores = _scores(texts, titles, held_rows, fit_rows)
            held_texts = [places_text(items[i]) for i in held_rows]
            for name, values in scale.signals(held_texts, generic[held_rows], scores).items():
                parts[name][held_rows] = values[:, 1] - values[:, 0]
            probability[held_rows] = scale.probabilities(held_texts, generic[held_rows], scores)[
                :, 1
            ]
        figures = {
            f"({b:g}, {g:g})": _auroc(
                upper, parts["model"] + b * parts["generic"] + g * parts["neighbours"]
            )
            for b, g in grid
        }
        confidence = np.maximum(probability, 1 - probability)
        table = reliability(confidence, (probability >= 0.5) == upper)
        print(
            f"  {size or 'all'}: {figures} | shipped ({catalogue.GENERIC_WEIGHT:g}, "
            f"{catalogue.NEIGHBOUR_WEIGHT:g}): AUROC {_auroc(upper, probability)}, "
            f"confidence >= 0.8 for {table['confident_share']:.0%}, right "
            f"{table['right_when_confident']}, ECE {table['expected_calibration_error']}"
        )


def _stratified_sample(
    rows: np.ndarray, upper: np.ndarray, size: int, rng: np.random.Generator
) -> np.ndarray:
    """``size`` rows drawn from ``rows``, each stage in its share (at least 5 of each)."""
    share = upper[rows].mean()
    n_upper = int(np.clip(round(size * share), 5, size - 5))
    upper_rows, lower_rows = rows[upper[rows]], rows[~upper[rows]]
    return np.concatenate(
        [
            rng.choice(upper_rows, min(n_upper, len(upper_rows)), replace=False),
            rng.choice(lower_rows, min(size - n_upper, len(lower_rows)), replace=False),
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stage_dir", type=Path)
    parser.add_argument("--mastery", type=Path, default=None)
    parser.add_argument("--cues", type=Path, default=None)
    parser.add_argument("--classifier", type=Path, default=None, help="a trained Bloom classifier")
    parser.add_argument("--skip-warm", action="store_true")
    args = parser.parse_args()
    rows = [
        row
        for row in _records(args.stage_dir / "items.jsonl")
        if row.get("stage") in ("lower", "upper")
    ]
    embedder = create_embedder(Settings())
    estimator = LevelEstimator(embedder, args.classifier)
    print(f"{args.stage_dir.name}: {len(rows)} items, Bloom {estimator.method}")
    cold(rows, estimator, args.mastery, args.cues)
    if not args.skip_warm:
        warm(rows, estimator, embedder)


if __name__ == "__main__":
    main()
