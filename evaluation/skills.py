"""Skill tagging measured: recall@k of human skill tags that are ESCO labels, tags not read.

A case is one credential with at least one human tag that is an ESCO preferred or alternative
label (case-insensitive); the credential is tagged from its outcomes alone. A run is
``{credential_id: [skill uri, ...]}`` ranked, gold ``{credential_id: {skill uri}}``.
The tagger's two knobs (the model/TF-IDF blend and the threshold) are chosen by K-fold
cross-validation over the cases: each fold is scored with the knobs chosen on the others.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from pydantic import BaseModel

from evaluation.datasets import extract_outcomes
from recognition_engine.ingestion.files import read_jsonl
from recognition_engine.skills.lexical import SkillLexicon
from recognition_engine.skills.tagger import Candidates, SkillTagger, TaggingParams, rank_skills
from recognition_engine.skills.taxonomy import EscoTaxonomy

SKILLS_FILE = "credentials.jsonl"
WEIGHTS = (0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)
BONUSES = (0.0, 0.1, 0.2, 0.3, 0.5)
THRESHOLDS = tuple(round(float(t), 3) for t in np.arange(0.3, 1.21, 0.025))
K = 10


@dataclass(frozen=True)
class SkillCase:
    id: str
    outcomes: tuple[str, ...]
    gold: frozenset[str]  # ESCO URIs of the human tags


def is_skill_set(folder: Path) -> bool:
    """Whether a folder is a credentials file with human skill tags and no catalogue."""
    path = Path(folder) / SKILLS_FILE
    if not path.is_file() or (Path(folder) / "modules.jsonl").exists():
        return False
    first = next(read_jsonl(path), (0, {}))[1]
    return "skills" in first


def load_skill_cases(folder: Path, taxonomy: EscoTaxonomy) -> tuple[list[SkillCase], int]:
    """Return the cases of a folder, and how many credentials carry human tags at all.

    A credential whose tags are withheld (``skills: null``) is no case: its tags are scored
    elsewhere. Outcomes are split as the engine splits them; the tags are never among them.
    """
    cases, tagged = [], 0
    for _, record in read_jsonl(Path(folder) / SKILLS_FILE):
        tags = record.get("skills")
        if not tags:
            continue
        tagged += 1
        gold = {skill.uri for tag in tags if (skill := taxonomy.by_label(str(tag)))}
        texts, description = record.get("learning_outcomes") or [], record.get("description")
        outcomes = extract_outcomes("", texts, description) if texts or description else []
        if gold and outcomes:
            cases.append(SkillCase(str(record["id"]), tuple(outcomes), frozenset(gold)))
    return cases, tagged


# --- metrics: pure functions over runs and gold ----------------------------------------------


def recall_at_k(run: dict[str, list[str]], gold: dict[str, frozenset[str]], k: int) -> float:
    """Mean over cases of the share of a case's gold skills in its first ``k``."""
    if not gold:
        return 0.0
    return float(np.mean([len(set(run.get(c, [])[:k]) & g) / len(g) for c, g in gold.items()]))


def per_skill_recall(
    run: dict[str, list[str]], gold: dict[str, frozenset[str]], k: int
) -> dict[str, float]:
    """Return, for each gold skill, the share of the cases tagged with it that find it in ``k``."""
    found: dict[str, list[int]] = {}
    for case, skills in gold.items():
        top = set(run.get(case, [])[:k])
        for uri in skills:
            found.setdefault(uri, []).append(uri in top)
    return {uri: float(np.mean(hits)) for uri, hits in found.items()}


def f1_at_threshold(
    scores: dict[str, list[dict[int, float]]],
    gold: dict[str, frozenset[int]],
    threshold: float,
) -> float:
    """F1 of the skills that reach ``threshold`` in some outcome, against the gold positions."""
    tp = fp = fn = 0
    for case, outcome_scores in scores.items():
        kept = {p for s in outcome_scores for p, v in s.items() if v >= threshold}
        tp += len(kept & gold[case])
        fp += len(kept - gold[case])
        fn += len(gold[case] - kept)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


# --- the runs -------------------------------------------------------------------------------


class SkillReport(BaseModel):
    """Skill tagging against human tags: the tagger in cross-validation beside TF-IDF."""

    cases: int
    tagged_credentials: int
    gold_skills: int
    k: int
    recall: float
    recall_tfidf: float
    ratio: float
    per_skill_recall: float  # macro mean over gold skills
    per_skill_recall_tfidf: float
    skills_worse_than_tfidf: int
    skills_better_than_tfidf: int
    folds: list[dict[str, int | float]]
    chosen: dict[str, float]  # the knobs chosen on all the cases, for the engine's defaults


class CaseScores:
    """Each case's candidates with what each stage says of them, computed once: the knobs are
    then chosen without embedding anything again."""

    def __init__(self, cases: Sequence[SkillCase], tagger: SkillTagger) -> None:
        outcomes = [text for case in cases for text in case.outcomes]
        every = tagger.candidates(outcomes)
        self.candidates: dict[str, Candidates] = {}
        start = 0
        for case in cases:
            end = start + len(case.outcomes)
            self.candidates[case.id] = Candidates(
                every.positions[start:end],
                every.lexical[start:end],
                every.dense[start:end],
                every.mentioned[start:end],
            )
            start = end

    def outcome_scores(self, case: str, params: TaggingParams) -> list[dict[int, float]]:
        return self.candidates[case].scores(params)

    def run(
        self, cases: Sequence[str], params: TaggingParams, uris: Sequence[str]
    ) -> dict[str, list[str]]:
        return {
            case: [uris[s.position] for s in rank_skills(self.outcome_scores(case, params), 9.0)]
            for case in cases
        }


def tfidf_run(
    cases: Sequence[SkillCase], lexicon: SkillLexicon, uris: Sequence[str], k: int
) -> dict[str, list[str]]:
    """The baseline: TF-IDF cosine of a case's whole outcome text with every skill."""
    similarity = lexicon.similarity([" ".join(case.outcomes) for case in cases])
    top = np.argsort(-similarity, axis=1, kind="stable")[:, :k]
    return {case.id: [uris[p] for p in row] for case, row in zip(cases, top, strict=True)}


def evaluate_skill_tagging(
    cases: Sequence[SkillCase],
    tagged: int,
    tagger: SkillTagger,
    *,
    folds: int = 5,
    k: int = K,
    seed: int = 13,
) -> SkillReport:
    """Return recall@k of the tagger, its knobs chosen in K-fold CV, beside TF-IDF."""
    taxonomy = tagger.taxonomy
    uris = [skill.uri for skill in taxonomy.skills]
    scores = CaseScores(cases, tagger)
    gold = {case.id: case.gold for case in cases}
    ids = np.array([case.id for case in cases])
    fold_of = np.random.default_rng(seed).permutation(len(ids)) % folds
    run: dict[str, list[str]] = {}
    fold_figures = []
    for fold in range(folds):
        train, test = list(ids[fold_of != fold]), list(ids[fold_of == fold])
        params = choose(scores, train, gold, uris, taxonomy, k, tagger.params)
        held_out = scores.run(test, params, uris)
        run.update(held_out)
        fold_figures.append(
            {
                "fold": fold,
                "dense_weight": params.dense_weight,
                "mention_bonus": params.mention_bonus,
                "threshold": params.threshold,
                "recall": round(recall_at_k(held_out, {c: gold[c] for c in test}, k), 4),
            }
        )
    chosen = choose(scores, list(ids), gold, uris, taxonomy, k, tagger.params)
    # the baseline's own TF-IDF, on words and word pairs: the stronger of the two plain ones
    baseline = tfidf_run(cases, SkillLexicon(taxonomy, longest_ngram=2), uris, k)
    ours, theirs = per_skill_recall(run, gold, k), per_skill_recall(baseline, gold, k)
    recall, recall_tfidf = recall_at_k(run, gold, k), recall_at_k(baseline, gold, k)
    return SkillReport(
        cases=len(cases),
        tagged_credentials=tagged,
        gold_skills=len(ours),
        k=k,
        recall=round(recall, 4),
        recall_tfidf=round(recall_tfidf, 4),
        ratio=round(recall / recall_tfidf, 3) if recall_tfidf else 0.0,
        per_skill_recall=round(float(np.mean(list(ours.values()))), 4),
        per_skill_recall_tfidf=round(float(np.mean(list(theirs.values()))), 4),
        skills_worse_than_tfidf=sum(ours[u] < theirs[u] for u in ours),
        skills_better_than_tfidf=sum(ours[u] > theirs[u] for u in ours),
        folds=fold_figures,
        chosen={
            "dense_weight": chosen.dense_weight,
            "mention_bonus": chosen.mention_bonus,
            "threshold": chosen.threshold,
        },
    )


def choose(
    scores: CaseScores,
    train: Sequence[str],
    gold: dict[str, frozenset[str]],
    uris: Sequence[str],
    taxonomy: EscoTaxonomy,
    k: int,
    base: TaggingParams,
) -> TaggingParams:
    """Return the blend and bonus with the best recall@k on ``train``, then the threshold with
    the best F1 there of the skills it keeps."""
    train_gold = {c: gold[c] for c in train}
    grid = [replace(base, dense_weight=w, mention_bonus=b) for w in WEIGHTS for b in BONUSES]
    best = max(grid, key=lambda p: recall_at_k(scores.run(train, p, uris), train_gold, k))
    by_case = {c: scores.outcome_scores(c, best) for c in train}
    positions = {c: frozenset(taxonomy.position[u] for u in gold[c]) for c in train}
    threshold = max(THRESHOLDS, key=lambda t: f1_at_threshold(by_case, positions, t))
    return replace(best, threshold=threshold)
