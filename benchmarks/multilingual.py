"""English and cross-lingual ranking, the English model beside the multilingual one, in one run.

    python benchmarks/multilingual.py ../shared/data/equivalence-vccs-vt \
        tests/fixtures/equivalence-vt-translated

For each model: P@1 and MRR@10 of the product's ranking score (mean cosine of whole text and
title, the "dense text + title" ranker of the harness) on all English VT credentials, on the
translated credentials' English originals, and on each translation (credentials in Georgian
or Armenian against the English VT catalogue). Then the multilingual model's throughput on
outcome texts. Embeddings are cached under ``--data-dir`` so that a second run is quick.

``--sample N`` keeps every module some credential's gold names and fills up to N modules with
a seeded random draw from the rest: both models rank the same smaller catalogue, for machines
where embedding the 5,005 VT modules with the multilingual model takes too long.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from evaluation.datasets import ItemText, Qrels, item_text
from evaluation.metrics import ranking_metrics
from evaluation.rankers import DEPTH
from recognition_engine.config import Settings
from recognition_engine.embedding import CachedEmbedder, Embedder, create_embedder
from recognition_engine.ingestion.equivalence import load_equivalence_set, read_qrels, read_records
from recognition_engine.multilingual import E5Embedder


def _scores(
    embedder: Embedder,
    queries: Sequence[ItemText],
    modules: Sequence[ItemText],
    module_vectors: tuple[np.ndarray, np.ndarray],
) -> np.ndarray:
    texts = embedder.embed([q.text for q in queries])
    titles = embedder.embed([q.title for q in queries])
    return (texts @ module_vectors[0].T + titles @ module_vectors[1].T) / 2


def _metrics(
    scores: np.ndarray, queries: Sequence[ItemText], modules: Sequence[ItemText], gold: Qrels
) -> dict[str, float]:
    run = {}
    for row, query in enumerate(queries):
        top = np.argsort(-scores[row], kind="stable")[:DEPTH]
        run[query.id] = {modules[j].id: float(scores[row, j]) for j in top}
    means = ranking_metrics(run, {q.id: gold[q.id] for q in queries if q.id in gold})
    return {"P@1": round(means["P@1"], 3), "MRR@10": round(means["MRR@10"], 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset", type=Path, help="the English equivalence set (VT)")
    parser.add_argument("translations", type=Path, help="credentials.jsonl + qrels.tsv")
    parser.add_argument("--data-dir", type=Path, default=Path("var/benchmarks"))
    parser.add_argument("--sample", type=int, default=0, help="catalogue size (0: all)")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument(
        "--models", default="minilm,e5", help="comma-separated: minilm, e5, e5-passage"
    )
    args = parser.parse_args()

    dataset = load_equivalence_set(args.dataset)
    records = list(dataset.modules)
    if args.sample:
        import random

        wanted = {m for rels in dataset.gold().values() for m in rels}
        rest = [m for m in records if m.id not in wanted]
        random.Random(args.seed).shuffle(rest)
        keep = wanted | {m.id for m in rest[: max(0, args.sample - len(wanted))]}
        records = [m for m in records if m.id in keep]
    modules = [item_text(m) for m in records]
    print(f"{len(modules)} candidate modules", flush=True)
    english = [item_text(c) for c in dataset.credentials]
    gold: Qrels = dataset.gold()
    translated = read_records(args.translations / "credentials.jsonl")
    translated_gold: Qrels = {}
    for qrel in read_qrels(args.translations / "qrels.tsv"):
        translated_gold.setdefault(qrel.credential_id, {})[qrel.module_id] = qrel.relevance
    originals = {str(r.model_extra.get("source_id")) for r in translated if r.model_extra}
    by_language: dict[str, list[ItemText]] = {}
    for record in translated:
        by_language.setdefault(record.language or "?", []).append(item_text(record))
    english_originals = [c for c in english if c.id in originals]

    settings = Settings(data_dir=args.data_dir, embedding_backend="torch", _env_file=None)
    results: dict[str, dict] = {}
    for name in args.models.split(","):
        started = time.perf_counter()
        if name == "minilm":
            embedder: Embedder = create_embedder(settings)
            query_embedder = embedder
        else:
            embedder = CachedEmbedder(
                E5Embedder("passage" if name == "e5-passage" else "query"),
                settings.embedding_cache_path,
            )
            query_embedder = CachedEmbedder(E5Embedder("query"), settings.embedding_cache_path)
        vectors = (
            embedder.embed([m.text for m in modules], progress=True),
            embedder.embed([m.title for m in modules], progress=True),
        )
        row: dict[str, object] = {"model": embedder.model_id}
        row["en (all 270)"] = _metrics(
            _scores(query_embedder, english, modules, vectors), english, modules, gold
        )
        row[f"en ({len(english_originals)} originals)"] = _metrics(
            _scores(query_embedder, english_originals, modules, vectors),
            english_originals,
            modules,
            gold,
        )
        for language, items in sorted(by_language.items()):
            row[f"{language} ({len(items)})"] = _metrics(
                _scores(query_embedder, items, modules, vectors), items, modules, translated_gold
            )
        row["seconds"] = round(time.perf_counter() - started, 1)
        results[name] = row
        print(json.dumps({name: row}, ensure_ascii=False), flush=True)

    sample = [o for m in modules[:100] for o in m.outcomes][:200]
    e5 = E5Embedder("query")
    started = time.perf_counter()
    e5.embed(sample)
    rate = len(sample) / (time.perf_counter() - started)
    results["e5 throughput"] = {"texts": len(sample), "texts_per_second": round(rate, 1)}
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
