"""The cross-validated adaptation: folds, training pairs, the out-of-fold run."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from typer.testing import CliRunner

from cli import build_app
from evaluation.adapted import (
    AdaptationParams,
    AdaptedRanker,
    CrossValidatedAdaptation,
    credential_folds,
    training_pairs,
)
from evaluation.datasets import ItemText, RetrievalTask
from recognition_engine.models import HashingEmbedder


def item(id_: str, title: str, text: str) -> ItemText:
    return ItemText(id=id_, title=title, text=f"{title} {text}", outcomes=(text,))


def toy_task() -> RetrievalTask:
    topics = [
        "accounting ledgers",
        "calculus limits",
        "python loops",
        "chemistry bonds",
        "essay writing",
        "market demand",
        "cell biology",
        "world history",
    ]
    modules = tuple(item(f"m{i}", t.split()[0], t) for i, t in enumerate(topics))
    credentials = tuple(item(f"c{i}", t.split()[0], t) for i, t in enumerate(topics))
    credentials += (item("c-none", "Pottery", "glazes and kilns"),)
    gold = {f"c{i}": {f"m{i}": 1} for i in range(len(topics))}
    gold["c0"]["m1"] = 1  # two accepted modules for one credential
    return RetrievalTask(name="toy", modules=modules, credentials=credentials, gold=gold)


def test_folds_are_disjoint_and_cover_every_credential() -> None:
    ids = [f"c{i}" for i in range(11)]
    folds = credential_folds(ids, 5)
    assert len(folds) == 5
    assert sorted(c for fold in folds for c in fold) == sorted(ids)
    assert credential_folds(ids, 5) == folds  # seeded


def test_training_pairs_are_only_those_of_the_given_credentials() -> None:
    task = toy_task()
    pairs = training_pairs(task, ["c0", "c-none"])
    assert pairs == [
        ("accounting accounting ledgers", "accounting accounting ledgers"),
        ("accounting accounting ledgers", "calculus calculus limits"),
    ]


def test_no_test_credential_is_trained_on_and_every_row_is_out_of_fold() -> None:
    task = toy_task()
    text_of = {c.text: c.id for c in task.credentials}
    trained: list[set[str]] = []

    def record(pairs: Sequence[tuple[str, ...]], base: Path, out: Path) -> Path:
        trained.append({text_of[pair[0]] for pair in pairs})
        return out

    adaptation = CrossValidatedAdaptation(
        Path("unused"),
        AdaptationParams(folds=3),
        adapt=record,
        embedder_from=lambda path: HashingEmbedder(),
    )
    run = AdaptedRanker(adaptation, with_title=True).rank(task, depth=3)
    folds = credential_folds([c.id for c in task.credentials], 3)
    assert len(trained) == 3
    for fold, test_ids in enumerate(folds):
        assert not trained[fold] & set(test_ids)
        expected = {c for c in task.gold if c not in test_ids}
        assert trained[fold] == expected
    assert set(run) == {c.id for c in task.credentials}
    assert next(iter(run["c2"])) == "m2"  # the hashing fake finds the identical text
    whole_text = AdaptedRanker(adaptation, with_title=False)
    assert whole_text.name == "dense-adapted-cv"
    whole_text.rank(task)
    assert len(trained) == 3  # the two views share one cross-validation


def test_each_pair_is_trained_against_modules_not_accepted_for_its_credential() -> None:
    task = toy_task()
    text_of = {c.text: c.id for c in task.credentials}
    module_of = {m.text: m.id for m in task.modules}
    examples: list[tuple[str, ...]] = []

    def record(pairs: Sequence[tuple[str, ...]], base: Path, out: Path) -> Path:
        examples.extend(pairs)
        return out

    adaptation = CrossValidatedAdaptation(
        Path("unused"),
        AdaptationParams(folds=3, hard_negatives=2),
        adapt=record,
        embedder_from=lambda path: HashingEmbedder(),
    )
    adaptation.matrices(task)
    assert examples and all(len(example) == 3 for example in examples)
    for credential, module, negative in examples:
        accepted = task.gold[text_of[credential]]
        assert module_of[module] in accepted and module_of[negative] not in accepted
    # two hard negatives per accepted pair, in each of the two folds that train on it
    assert len(examples) == 2 * 2 * sum(len(modules) for modules in task.gold.values())


def test_evaluate_offers_the_adapted_rankers_only_on_request() -> None:
    result = CliRunner().invoke(build_app(), ["evaluate", "--help"])
    assert result.exit_code == 0
    assert "--adapt" in result.output
