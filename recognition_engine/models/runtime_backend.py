"""The sentence-transformers model run by ONNX Runtime or OpenVINO instead of torch.

The model folder's weights are exported to ONNX once, at first use, into the data folder (never
into the model's own folder, which may be site-packages): ``model.onnx`` (fp32) and, for
``onnx-int8``, ``model_qint8.onnx`` (dynamic int8 quantisation of the weights, per channel:
what sentence-transformers' ``export_dynamic_quantized_onnx_model`` asks of ONNX Runtime).
OpenVINO compiles the same fp32 ``model.onnx``. Nothing is downloaded.

Why not ``SentenceTransformer(path, backend="onnx")`` itself: its loader needs
``optimum-onnx``, whose only release requires transformers < 4.58 while sentence-transformers
6 requires transformers 5; its OpenVINO loader needs ``optimum-intel``, which requires
torchvision, and PyPI's torchvision does not load beside the CPU build of torch this project
pins. So the export and the two runtimes are called directly, with the same settings; the
pooling (mean over tokens, then L2) is the model's own, read from its folder.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Literal

import numpy as np
from filelock import FileLock

from recognition_engine.errors import ModelUnavailable
from recognition_engine.model_identity import model_fingerprint

RuntimeVariant = Literal["onnx", "onnx-int8", "openvino"]
_INPUTS = ("input_ids", "attention_mask", "token_type_ids")
_FP32 = "model.onnx"
_QINT8 = "model_qint8.onnx"


def _check_mean_pooling(model_path: Path) -> int:
    """Return the model's max sequence length; refuse a model whose pooling is not a mean."""
    pooling = model_path / "1_Pooling" / "config.json"
    try:
        config = json.loads(pooling.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ModelUnavailable(f"no pooling configuration in {model_path}") from error
    if not config.get("pooling_mode_mean_tokens") or any(
        config.get(name) for name in ("pooling_mode_cls_token", "pooling_mode_max_tokens")
    ):
        raise ModelUnavailable(f"{model_path}: only mean pooling runs outside torch")
    try:
        bert = json.loads((model_path / "sentence_bert_config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        bert = {}
    return int(bert.get("max_seq_length", 256))


def export_folder(data_dir: Path, fingerprint: str) -> Path:
    """Return where the ONNX exports of the model with this fingerprint are kept."""
    return data_dir / "models" / fingerprint[:16]


def exported_model(model_path: Path, folder: Path, variant: RuntimeVariant) -> Path:
    """Return the ONNX file the variant runs, exporting it first if it is not there yet.

    Exports are written aside and renamed, under a lock: two processes starting at once export
    once, and a reader never sees half a file.
    """
    folder.mkdir(parents=True, exist_ok=True)
    fp32, qint8 = folder / _FP32, folder / _QINT8
    wanted = qint8 if variant == "onnx-int8" else fp32
    if wanted.is_file():
        return wanted
    with FileLock(folder / ".export.lock", timeout=600):
        if not fp32.is_file():
            _write_atomically(fp32, lambda target: _export_fp32(model_path, target))
        if variant == "onnx-int8" and not qint8.is_file():
            _write_atomically(qint8, lambda target: _quantise(fp32, target))
    return wanted


def _write_atomically(path: Path, write) -> None:  # noqa: ANN001 - a callable(Path)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".onnx")
    os.close(handle)
    try:
        write(Path(temporary))
        os.replace(temporary, path)
    finally:
        Path(temporary).unlink(missing_ok=True)


def _export_fp32(model_path: Path, target: Path) -> None:
    import torch
    from transformers import AutoModel, AutoTokenizer

    class LastHidden(torch.nn.Module):
        def __init__(self, model: torch.nn.Module) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask, token_type_ids):  # noqa: ANN001, ANN201
            return self.model(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    model = AutoModel.from_pretrained(str(model_path), local_files_only=True).eval()
    tokenizer = AutoTokenizer.from_pretrained(str(model_path), local_files_only=True)
    sample = tokenizer(
        ["an example", "a second, longer example"], padding=True, return_tensors="pt"
    )
    axes = {name: {0: "batch", 1: "tokens"} for name in (*_INPUTS, "last_hidden_state")}
    # The tracer warns about Python conditions in the attention code and advanced indexing: the
    # traced graph is checked against torch at every length it meets (tests/test_onnx_embedding.py),
    # and the user can do nothing about the warnings, so they are not shown.
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore", torch.jit.TracerWarning)
        warnings.filterwarnings("ignore", message="Exporting aten::index operator")
        torch.onnx.export(
            LastHidden(model),
            tuple(sample[name] for name in _INPUTS),
            str(target),
            input_names=list(_INPUTS),
            output_names=["last_hidden_state"],
            dynamic_axes=axes,
            opset_version=17,
            dynamo=False,
        )


def _quantise(fp32: Path, target: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(fp32), str(target), weight_type=QuantType.QInt8, per_channel=True)


def batches_by_length(lengths: Sequence[int], size: int) -> Iterator[list[int]]:
    """Yield positions in batches of ``size`` by length in tokens, longest first.

    Sorting by tokens, not characters: a batch is padded to its longest text, and character
    counts order texts badly enough that batches of 64 of a screening ran 67% more (padded)
    tokens than the texts hold; sorted by tokens, 26%.
    """
    order = sorted(range(len(lengths)), key=lambda i: lengths[i], reverse=True)
    for start in range(0, len(order), size):
        yield order[start : start + size]


def padded_batch(
    rows: Sequence[Sequence[int]], types: Sequence[Sequence[int]], pad: int
) -> dict[str, np.ndarray]:
    """Return the model's inputs for these token rows, right-padded to the longest."""
    width = max(len(row) for row in rows)
    feed = {
        "input_ids": np.full((len(rows), width), pad, dtype=np.int64),
        "attention_mask": np.zeros((len(rows), width), dtype=np.int64),
        "token_type_ids": np.zeros((len(rows), width), dtype=np.int64),
    }
    for line, (row, type_row) in enumerate(zip(rows, types, strict=True)):
        feed["input_ids"][line, : len(row)] = row
        feed["attention_mask"][line, : len(row)] = 1
        feed["token_type_ids"][line, : len(row)] = type_row
    return feed


class RuntimeEmbedder:
    """A sentence-transformers model folder run by ONNX Runtime (fp32 or int8) or OpenVINO."""

    def __init__(
        self,
        model_path: Path,
        variant: RuntimeVariant,
        data_dir: Path,
        batch_size: int = 64,
        *,
        hash_cache: Path | None = None,
    ) -> None:
        """Load (exporting at first use) the model in ``model_path`` for ``variant``."""
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        if not (model_path / "config.json").exists():
            raise ModelUnavailable(f"no sentence-transformers model in {model_path}")
        self._max_length = _check_mean_pooling(model_path)
        fingerprint = model_fingerprint(model_path, hash_cache)
        try:
            from transformers import AutoTokenizer

            self._tokenizer = AutoTokenizer.from_pretrained(str(model_path), local_files_only=True)
            self._pad_id = int(self._tokenizer.pad_token_id or 0)
            onnx_file = exported_model(model_path, export_folder(data_dir, fingerprint), variant)
            self._run = (
                _openvino_runner(onnx_file) if variant == "openvino" else _ort_runner(onnx_file)
            )
        except ModelUnavailable:
            raise
        except Exception as error:  # noqa: BLE001 - any export or runtime failure: no model
            raise ModelUnavailable(f"cannot run {model_path} with {variant}: {error}") from error
        self._batch_size = batch_size
        # The vectors differ (slightly) by runtime and quantisation: cached vectors and saved
        # indexes must not be shared across variants.
        self._model_id = f"st:{model_path.name}:{fingerprint[:16]}:{variant}"
        self._dimension = int(self.embed(["x"]).shape[1])

    @property
    def model_id(self) -> str:
        return self._model_id

    @property
    def dimension(self) -> int:
        return self._dimension

    def embed(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self._dimension), dtype=np.float32)
        # Tokenised once, all together, then batched by token count.
        encoded = self._tokenizer(
            list(texts), truncation=True, max_length=self._max_length, return_token_type_ids=True
        )
        rows, types = encoded["input_ids"], encoded["token_type_ids"]
        result: np.ndarray | None = None
        for positions in batches_by_length([len(row) for row in rows], self._batch_size):
            feed = padded_batch(
                [rows[i] for i in positions], [types[i] for i in positions], self._pad_id
            )
            hidden = self._run(feed)
            mask = feed["attention_mask"][..., None].astype(np.float32)
            pooled = (hidden * mask).sum(axis=1) / np.clip(mask.sum(axis=1), 1e-9, None)
            if result is None:
                result = np.zeros((len(texts), pooled.shape[1]), dtype=np.float32)
            result[positions] = pooled
        assert result is not None
        norms = np.linalg.norm(result, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return result / norms


def _ort_runner(onnx_file: Path):  # noqa: ANN202 - feed dict -> last hidden state
    import onnxruntime

    session = onnxruntime.InferenceSession(str(onnx_file), providers=["CPUExecutionProvider"])
    return lambda feed: session.run(None, feed)[0]  # thread-safe


def _openvino_runner(onnx_file: Path):  # noqa: ANN202 - feed dict -> last hidden state
    import openvino

    compiled = openvino.Core().compile_model(str(onnx_file), "CPU")
    local = threading.local()  # an infer request serves one call at a time: one per thread

    def run(feed: dict[str, np.ndarray]) -> np.ndarray:
        request = getattr(local, "request", None)
        if request is None:
            request = local.request = compiled.create_infer_request()
        return request.infer(feed)[0].copy()

    return run
