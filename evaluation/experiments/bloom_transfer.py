"""Does a Bloom classifier trained on English outcomes read Georgian and Armenian ones?

A classifier is trained on the English human-labelled outcomes of a Bloom set, over the
multilingual model's vectors (``query: ``, as the engine reads a credential's outcomes), then
reads the same outcomes in English, Georgian and Armenian (``--parallel``: JSON lines with
``id``, ``en``, ``ka``, ``hy``; our own translations in ``tests/fixtures``). No label exists for
the translations, so transfer is measured as agreement: the levels read from a translation
against those read from its English original by the same classifier, and against the best
English reading (the full classifier: verbs, words and characters beside MiniLM's vector).

Two classifiers on the multilingual vectors:

- ``vector only``: logistic regression on the vector alone, the part that can transfer;
- ``full``: the engine's classifier (``train_classifier``) on those vectors, whose verb, word
  and character features are English and fall silent on other scripts.

    python -m evaluation.experiments.bloom_transfer ../shared/data/bloom-edm2022-dev \\
        tests/fixtures/outcomes-translated.jsonl [--folds 5]
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from evaluation.levels import _bloom_set
from recognition_engine.config import Settings
from recognition_engine.levels.bloom import decide_labels, train_classifier
from recognition_engine.levels.verbs import BLOOM_ORDER
from recognition_engine.models import create_embedder
from recognition_engine.multilingual import multilingual_embedder

LANGUAGES = ("en", "ka", "hy")


class VectorOnly:
    """One-vs-rest logistic regression on the vectors, thresholds chosen out of fold."""

    def __init__(self, vectors: np.ndarray, labels: np.ndarray) -> None:
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import cross_val_predict
        from sklearn.multiclass import OneVsRestClassifier

        from recognition_engine.levels.bloom import _best_threshold

        model = OneVsRestClassifier(LogisticRegression(C=10.0, max_iter=2000))
        out_of_fold = cross_val_predict(model, vectors, labels, cv=3, method="predict_proba")
        self.thresholds = np.array(
            [_best_threshold(out_of_fold[:, j], labels[:, j]) for j in range(labels.shape[1])]
        )
        self.model = model.fit(vectors, labels)

    def predict(self, vectors: np.ndarray) -> np.ndarray:
        return decide_labels(self.model.predict_proba(vectors), self.thresholds)


def agreement(a: np.ndarray, b: np.ndarray) -> dict[str, float]:
    """Share of rows with the same set of levels, and with the same highest level."""
    highest = [
        int(np.flatnonzero(x).max()) == int(np.flatnonzero(y).max())
        for x, y in zip(a, b, strict=True)
    ]
    return {
        "same_levels": round(float((a == b).all(axis=1).mean()), 3),
        "same_highest": round(float(np.mean(highest)), 3),
    }


def vector_only_cv(vectors: np.ndarray, labels: np.ndarray, folds: int) -> float:
    from sklearn.metrics import f1_score
    from sklearn.model_selection import KFold

    predicted = np.zeros(labels.shape, dtype=bool)
    for fit, held in KFold(folds, shuffle=True, random_state=0).split(vectors):
        predicted[held] = VectorOnly(vectors[fit], labels[fit]).predict(vectors[held])
    return round(float(f1_score(labels, predicted, average="micro")), 4)


def names(rows: np.ndarray) -> list[list[str]]:
    return [[BLOOM_ORDER[j].value for j in np.flatnonzero(row)] for row in rows]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bloom", type=Path, help="folder with a labelled outcomes.jsonl")
    parser.add_argument("parallel", type=Path, help="JSON lines with id, en, ka, hy")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--show", action="store_true", help="print each outcome's levels")
    args = parser.parse_args(argv)

    settings = Settings()
    texts, labels = _bloom_set(args.bloom)
    parallel = [json.loads(line) for line in args.parallel.read_text("utf-8").splitlines() if line]
    multilingual = multilingual_embedder(settings)
    vectors = multilingual.embed(texts, progress=True)
    read = {lang: multilingual.embed([row[lang] for row in parallel]) for lang in LANGUAGES}

    vector_only = VectorOnly(vectors, labels)
    full = train_classifier(texts, labels, vectors, multilingual.model_id)
    english = create_embedder(settings)
    best = train_classifier(texts, labels, english.embed(texts), english.model_id)
    originals = [row["en"] for row in parallel]
    reference = best.decide(best.predict_proba(originals, english.embed(originals)))

    report: dict[str, object] = {
        "training_outcomes": len(texts),
        "parallel_outcomes": len(parallel),
        "vector_only_english_cv_micro_f1": vector_only_cv(vectors, labels, args.folds),
    }
    readers = {
        "vector only": lambda lang: vector_only.predict(read[lang]),
        "full": lambda lang: full.decide(
            full.predict_proba([row[lang] for row in parallel], read[lang])
        ),
    }
    readings = {}
    for name, reader in readers.items():
        by_language = {lang: reader(lang) for lang in LANGUAGES}
        readings[name] = by_language
        report[name] = {
            f"{lang} vs its English": agreement(by_language[lang], by_language["en"])
            for lang in ("ka", "hy")
        } | {
            f"{lang} vs the English reading": agreement(by_language[lang], reference)
            for lang in LANGUAGES
        }
    print(json.dumps(report, indent=2, ensure_ascii=False))
    if args.show:
        for i, row in enumerate(parallel):
            shown = {lang: names(readings["vector only"][lang][i : i + 1])[0] for lang in LANGUAGES}
            print(row["id"], names(reference[i : i + 1])[0], shown, row["en"][:60])


if __name__ == "__main__":
    main()
