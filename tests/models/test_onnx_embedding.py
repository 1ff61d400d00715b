"""The bundled model run by ONNX Runtime and OpenVINO: same vectors as torch, exported once."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest

from recognition_engine.config import Settings
from recognition_engine.models import bundled_model_path, create_embedder
from recognition_engine.models.export import _export_fp32, export_folder
from recognition_engine.models.identity import model_fingerprint
from recognition_engine.models.runtime_backend import (
    RuntimeEmbedder,
    batches_by_length,
    padded_batch,
)

TEXTS = [
    "Design and normalise a relational database schema for a small business.",
    "x",
    "Explain how an operating system schedules processes, manages virtual memory and "
    "protects one program from another, and compare the scheduling policies in use today.",
    "Write unit tests.",
]


def test_batches_by_length_cover_every_position_once_longest_first() -> None:
    batches = list(batches_by_length([2, 1, 4, 3, 5], 2))
    assert batches == [[4, 2], [3, 0], [1]]


def test_padded_batch_pads_each_row_to_the_longest_and_masks_the_padding() -> None:
    feed = padded_batch([[101, 7, 102], [101, 102]], [[0, 0, 0], [0, 0]], pad=0)
    assert feed["input_ids"].tolist() == [[101, 7, 102], [101, 102, 0]]
    assert feed["attention_mask"].tolist() == [[1, 1, 1], [1, 1, 0]]
    assert feed["token_type_ids"].shape == (2, 3)
    assert all(array.dtype == np.int64 for array in feed.values())


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("runtime-data")


@pytest.fixture(scope="module")
def torch_vectors(data_dir: Path) -> np.ndarray:
    settings = Settings(data_dir=data_dir, embedding_backend="torch", _env_file=None)
    return create_embedder(settings, cached=False).embed(TEXTS)


@pytest.mark.real_model
@pytest.mark.parametrize(("variant", "floor"), [("openvino", 0.9999), ("onnx-int8", 0.97)])
def test_runtime_vectors_match_torch_in_the_input_order(
    variant: str, floor: float, data_dir: Path, torch_vectors: np.ndarray
) -> None:
    settings = Settings(data_dir=data_dir, embedding_backend=variant, _env_file=None)
    embedder = create_embedder(settings, cached=False)
    assert isinstance(embedder, RuntimeEmbedder)
    vectors = embedder.embed(TEXTS)
    assert vectors.shape == torch_vectors.shape
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-5)
    # row by row: batching by length must give each text its own vector back
    assert np.all(np.sum(vectors * torch_vectors, axis=1) > floor)
    # one at a time (no padding) gives the same vector as in a padded batch; int8 only nearly:
    # dynamic quantisation scales activations over the whole batch
    alone = np.vstack([embedder.embed([text]) for text in TEXTS])
    assert np.all(np.sum(alone * vectors, axis=1) > floor)


@pytest.mark.real_model
def test_exported_once_into_the_data_folder_with_an_id_per_variant(
    data_dir: Path, torch_vectors: np.ndarray
) -> None:
    model_path = bundled_model_path()
    ids = {
        variant: create_embedder(
            Settings(data_dir=data_dir, embedding_backend=variant, _env_file=None), cached=False
        ).model_id
        for variant in ("torch", "onnx", "onnx-int8", "openvino")
    }
    assert len(set(ids.values())) == 4
    folder = export_folder(data_dir, model_fingerprint(model_path, None))
    exported = {path.name: path.stat().st_mtime_ns for path in folder.glob("*.onnx")}
    assert set(exported) == {"model.onnx", "model_qint8.onnx"}
    assert not list(model_path.rglob("*.onnx"))  # nothing written beside the bundled weights
    RuntimeEmbedder(model_path, "onnx-int8", data_dir)
    again = {path.name: path.stat().st_mtime_ns for path in folder.glob("*.onnx")}
    assert again == exported  # loaded, not exported again


@pytest.mark.real_model
def test_the_export_shows_the_user_no_tracer_warnings(tmp_path: Path) -> None:
    """A first run exports the model: the tracer's warnings are nothing a user can act on."""
    with warnings.catch_warnings(record=True) as shown:
        warnings.simplefilter("always")
        _export_fp32(bundled_model_path(), tmp_path / "model.onnx")
    assert (tmp_path / "model.onnx").stat().st_size > 0
    assert [str(w.message) for w in shown if "Tracer" in w.category.__name__] == []
    assert [str(w.message) for w in shown if "aten::index" in str(w.message)] == []


@pytest.mark.real_model
def test_embedders_of_one_folder_share_its_loaded_model_and_tokenise_from_two_threads(
    data_dir: Path,
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    first = RuntimeEmbedder(bundled_model_path(), "openvino", data_dir)
    second = RuntimeEmbedder(bundled_model_path(), "openvino", data_dir)
    assert first._loaded is second._loaded  # one tokenizer load, one compilation
    alone = first.embed(TEXTS * 8)
    with ThreadPoolExecutor(2) as pool:
        together = list(pool.map(lambda e: e.embed(TEXTS * 8), [first, second, first, second]))
    for vectors in together:
        np.testing.assert_allclose(vectors, alone, atol=1e-5)


@pytest.mark.real_model
def test_a_model_adapt_wrote_runs_on_openvino_as_on_torch(tmp_path: Path) -> None:
    """sentence-transformers 6 writes its pooling as one ``pooling_mode`` and the length on
    the tokenizer only: the folder ``adapt`` writes is read as the one it was made from."""
    import json

    from recognition_engine.models.adaptation import adapt_model
    from recognition_engine.models.torch_backend import SentenceTransformerEmbedder

    pairs = [("Relational databases and SQL", "Databases"), ("Process scheduling", "Systems")]
    folder = adapt_model(pairs, bundled_model_path(), tmp_path / "adapted", max_steps=1)
    assert "pooling_mode" in json.loads((folder / "1_Pooling" / "config.json").read_text())
    runtime = RuntimeEmbedder(folder, "openvino", tmp_path / "data")
    assert runtime._max_length == SentenceTransformerEmbedder(folder).model.max_seq_length
    vectors = runtime.embed(TEXTS)
    torch_vectors = SentenceTransformerEmbedder(folder).embed(TEXTS)
    assert np.all(np.sum(vectors * torch_vectors, axis=1) > 0.9999)


@pytest.mark.parametrize(
    ("pooling", "refused"),
    [
        ({"pooling_mode": "mean"}, False),
        ({"pooling_mode": ["mean"]}, False),
        ({"pooling_mode": "cls"}, True),
        ({"pooling_mode": ["mean", "max"]}, True),
        ({"pooling_mode_mean_tokens": True}, False),
        ({"pooling_mode_mean_tokens": True, "pooling_mode_max_tokens": True}, True),
        ({"pooling_mode_cls_token": True}, True),
    ],
)
def test_only_mean_pooling_runs_outside_torch(
    tmp_path: Path, pooling: dict[str, object], refused: bool
) -> None:
    import json

    from recognition_engine.errors import ModelUnavailable
    from recognition_engine.models.runtime_backend import _check_mean_pooling

    (tmp_path / "1_Pooling").mkdir()
    (tmp_path / "1_Pooling" / "config.json").write_text(json.dumps(pooling))
    (tmp_path / "tokenizer_config.json").write_text('{"model_max_length": 512}')
    if refused:
        with pytest.raises(ModelUnavailable, match="only mean pooling"):
            _check_mean_pooling(tmp_path)
    else:
        assert _check_mean_pooling(tmp_path) == 512
        (tmp_path / "sentence_bert_config.json").write_text('{"max_seq_length": 256}')
        assert _check_mean_pooling(tmp_path) == 256  # the model's own limit comes first
