"""Adapting the model: the training pairs, the batches, a short real fine-tuning, the CLI."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from cli import adapt as adapt_command
from cli import build_app
from recognition_engine.errors import InvalidInput
from recognition_engine.ingestion.equivalence import ItemRecord, load_equivalence_set
from recognition_engine.models.adaptation import (
    accepted_pairs,
    adapt_model,
    in_batch_negative_batches,
    prompted,
    whole_text,
)

PAIRS = [
    ("Introduction to accounting: journals, ledgers", "Principles of Accounting I"),
    ("Calculus: limits, derivatives and integrals", "Calculus I"),
    ("Programming in Python: variables, loops", "Introduction to Programming"),
    ("General chemistry: atoms, bonds, reactions", "Chemistry I"),
    ("English composition: essays and argument", "Academic Writing"),
    ("Microeconomics: supply, demand, markets", "Principles of Microeconomics"),
]


def test_a_model_with_prompts_is_trained_on_the_texts_it_reads() -> None:
    e5 = {"query": "query: ", "document": "", "passage": "passage: "}
    assert prompted(PAIRS[:1], e5) == [(f"query: {PAIRS[0][0]}", f"passage: {PAIRS[0][1]}")]
    assert prompted(PAIRS, {"query": "", "document": ""}) == PAIRS


def write_set(folder: Path, qrels: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "modules.jsonl").write_text(
        '{"id": "m1", "title": "Calculus I", "description": "Limits and derivatives."}\n'
        '{"id": "m2", "title": "Chemistry I", "learning_outcomes": ["Balance reactions"]}\n'
    )
    (folder / "credentials.jsonl").write_text(
        '{"id": "c1", "title": "Calculus", "description": "Limits, derivatives."}\n'
        '{"id": "c2", "title": "Chemistry", "description": "Atoms and reactions."}\n'
    )
    (folder / "qrels.tsv").write_text(qrels)
    return folder


def test_whole_text_joins_title_description_and_outcomes() -> None:
    record = ItemRecord(
        id="x", title="Chemistry  I", description="Atoms\nand bonds.", learning_outcomes=["Mix"]
    )
    assert whole_text(record) == "Chemistry I Atoms and bonds. Mix"


def test_accepted_pairs_follow_the_qrels(tmp_path: Path) -> None:
    header = "credential_id\tmodule_id\trelevance\n"
    dataset = load_equivalence_set(write_set(tmp_path / "set", header + "c1\tm1\t1\nc2\tm2\t1\n"))
    pairs = accepted_pairs(dataset)
    assert pairs == [
        ("Calculus Limits, derivatives.", "Calculus I Limits and derivatives."),
        ("Chemistry Atoms and reactions.", "Chemistry I Balance reactions"),
    ]


def test_batches_never_repeat_a_text() -> None:
    pairs = [("a", "m"), ("b", "m"), ("c", "n"), ("d", "o"), ("a", "p")]
    batches = in_batch_negative_batches(pairs, 4, random.Random(1))
    assert sorted(p for batch in batches for p in batch) == sorted(pairs)
    for batch in batches:
        texts = [t for pair in batch for t in pair]
        assert len(texts) == len(set(texts))
        assert len(batch) <= 4


def test_a_hard_negative_is_read_as_a_module_and_kept_apart_in_batches() -> None:
    e5 = {"query": "query: ", "passage": "passage: "}
    assert prompted([("c", "m", "n")], e5) == [("query: c", "passage: m", "passage: n")]
    # b's hard negative is a's accepted module: in one batch, it would be a's answer and a
    # negative at once
    triplets = [("a", "m", "x"), ("b", "n", "m"), ("c", "o", "y")]
    batches = in_batch_negative_batches(triplets, 3, random.Random(1))
    assert sorted(p for batch in batches for p in batch) == sorted(triplets)
    for batch in batches:
        texts = [t for pair in batch for t in pair]
        assert len(texts) == len(set(texts))


def test_adapt_model_refuses_examples_of_different_lengths(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="as many hard negatives"):
        adapt_model([("a", "m"), ("b", "n", "x")], tmp_path / "base", tmp_path / "out")


def test_adapt_model_needs_two_pairs(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput):
        adapt_model(PAIRS[:1], tmp_path / "base", tmp_path / "out")


@pytest.mark.real_model
def test_adapt_model_saves_a_loadable_model_that_moved(tmp_path: Path) -> None:
    from recognition_engine.models import SentenceTransformerEmbedder, bundled_model_path

    out = adapt_model(
        PAIRS, bundled_model_path(), tmp_path / "adapted", batch_size=3, max_steps=1, device="cpu"
    )
    before = SentenceTransformerEmbedder(bundled_model_path()).embed([PAIRS[0][0]])
    after = SentenceTransformerEmbedder(out).embed([PAIRS[0][0]])
    assert after.shape == before.shape
    assert np.isfinite(after).all()
    assert not np.allclose(after, before)  # the weights were trained
    again = adapt_model(
        PAIRS, bundled_model_path(), tmp_path / "again", batch_size=3, max_steps=1, device="cpu"
    )
    np.testing.assert_allclose(SentenceTransformerEmbedder(again).embed([PAIRS[0][0]]), after)


@pytest.mark.real_model
def test_hard_negatives_train_the_model_too(tmp_path: Path) -> None:
    from recognition_engine.models import SentenceTransformerEmbedder, bundled_model_path

    triplets = [(c, m, PAIRS[(i + 1) % len(PAIRS)][1]) for i, (c, m) in enumerate(PAIRS)]
    # each example's negative is the next pair's module: the batches keep the two apart
    out = adapt_model(
        triplets,
        bundled_model_path(),
        tmp_path / "adapted",
        batch_size=2,
        max_steps=1,
        device="cpu",
    )
    before = SentenceTransformerEmbedder(bundled_model_path()).embed([PAIRS[0][0]])
    after = SentenceTransformerEmbedder(out).embed([PAIRS[0][0]])
    assert not np.allclose(after, before)


def _token_table(folder: Path) -> np.ndarray:
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(folder), device="cpu", local_files_only=True)
    return model[0].auto_model.get_input_embeddings().weight.detach().numpy().copy()


@pytest.mark.real_model
def test_frozen_embeddings_keep_the_token_table_and_train_the_layers(tmp_path: Path) -> None:
    from recognition_engine.models import SentenceTransformerEmbedder, bundled_model_path

    base = bundled_model_path()
    frozen = adapt_model(
        PAIRS, base, tmp_path / "frozen", batch_size=3, max_steps=1, freeze_embeddings=True
    )
    np.testing.assert_array_equal(_token_table(frozen), _token_table(base))
    before = SentenceTransformerEmbedder(base).embed([PAIRS[0][0]])
    assert not np.allclose(SentenceTransformerEmbedder(frozen).embed([PAIRS[0][0]]), before)
    trained = adapt_model(PAIRS, base, tmp_path / "trained", batch_size=3, max_steps=1)
    assert not np.array_equal(_token_table(trained), _token_table(base))


@pytest.mark.real_model
def test_checkpointed_activations_train_the_same_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from transformers import PreTrainedModel

    from recognition_engine.models import SentenceTransformerEmbedder, bundled_model_path

    enable = PreTrainedModel.activation_checkpointing_enable
    enabled: list[object] = []

    def spy(model: PreTrainedModel, *args: object, **kwargs: object) -> None:
        enabled.append(model)
        enable(model, *args, **kwargs)
        assert model.is_activation_checkpointing

    monkeypatch.setattr(PreTrainedModel, "activation_checkpointing_enable", spy)

    def adapted(name: str, checkpoint: bool) -> np.ndarray:
        out = adapt_model(
            PAIRS,
            bundled_model_path(),
            tmp_path / name,
            batch_size=3,
            max_steps=2,
            device="cpu",
            checkpoint_activations=checkpoint,
        )
        return SentenceTransformerEmbedder(out).embed([pair[0] for pair in PAIRS])

    checkpointed = adapted("checkpointed", True)
    assert len(enabled) == 1
    np.testing.assert_allclose(checkpointed, adapted("kept", False), atol=1e-5)
    assert len(enabled) == 1


def test_cli_adapt_rejects_a_bad_dataset(tmp_path: Path) -> None:
    bad = write_set(tmp_path / "bad", "credential_id\tmodule_id\trelevance\nc1\tnope\t1\n")
    result = CliRunner().invoke(
        build_app(), ["adapt", "--dataset", str(bad), "--out", str(tmp_path / "model")]
    )
    assert result.exit_code == 2
    assert "unknown module" in result.output
    assert not (tmp_path / "model").exists()


@pytest.mark.parametrize(
    ("options", "frozen", "checkpointed"),
    [
        ([], False, False),
        (["--multilingual"], True, True),  # e5's long batches fill a CPU's memory otherwise
        (["--multilingual", "--full-memory", "--train-embeddings"], False, False),
        (["--low-memory", "--freeze-embeddings"], True, True),
    ],
)
def test_cli_adapt_passes_the_memory_and_embedding_choices_on(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    options: list[str],
    frozen: bool,
    checkpointed: bool,
) -> None:
    from recognition_engine.models import adaptation, factory

    dataset = write_set(tmp_path / "set", "credential_id\tmodule_id\trelevance\nc1\tm1\t1\n")
    seen: dict[str, object] = {}

    def fake_adapt(pairs: object, base: Path, out: Path, **kwargs: object) -> Path:
        seen.update(kwargs, base=base)
        return out

    monkeypatch.setattr(adaptation, "adapt_model", fake_adapt)
    monkeypatch.setattr(factory, "multilingual_folder", lambda settings: tmp_path / "e5")
    monkeypatch.setattr(
        adapt_command, "write_score_scale", lambda *args, multilingual: seen.update(scaled=True)
    )
    result = CliRunner().invoke(
        build_app(),
        ["adapt", "--dataset", str(dataset), "--out", str(tmp_path / "out")]
        + ["--hard-negatives", "0", *options],
    )
    assert result.exit_code == 0, result.output
    assert seen["freeze_embeddings"] is frozen
    assert seen["checkpoint_activations"] is checkpointed
    assert (seen["base"] == tmp_path / "e5") is ("--multilingual" in options)
    assert seen["scaled"]  # the adapted model's thresholds are carried over to its scale


def test_adapt_writes_the_tuned_models_scale_beside_it(tmp_path: Path) -> None:
    from cli.adapt import write_score_scale
    from recognition_engine.config import Settings
    from recognition_engine.models.score_scale import read_scale
    from tests.models.test_score_scale import decisions

    settings = Settings(data_dir=tmp_path / "var", embedder="fake", _env_file=None)
    out = tmp_path / "adapted"
    out.mkdir()
    assert write_score_scale(decisions(60), settings, out, multilingual=False)
    scale = read_scale(out)
    assert scale is not None
    # the fake embedder is its own base: every threshold stays where it was
    assert scale.outcome.carry(0.3) == pytest.approx(0.3, abs=1e-3)
    assert scale.module.carry(0.3) == pytest.approx(0.3, abs=1e-3)
    assert not write_score_scale(decisions(10), settings, tmp_path, multilingual=False)
