"""Exports of a sentence-transformers model folder for ONNX Runtime and OpenVINO.

The model folder's weights are exported to ONNX once, at first use, into the data folder (never
into the model's own folder, which may be site-packages): ``model.onnx`` (fp32) and, for
``onnx-int8``, ``model_qint8.onnx`` (dynamic int8 quantisation of the weights, per channel:
what sentence-transformers' ``export_dynamic_quantized_onnx_model`` asks of ONNX Runtime).
OpenVINO compiles the same fp32 ``model.onnx``. Nothing is downloaded.
"""

from __future__ import annotations

import os
import tempfile
import warnings
from pathlib import Path
from typing import Literal

from filelock import FileLock

RuntimeVariant = Literal["onnx", "onnx-int8", "openvino"]
INPUTS = ("input_ids", "attention_mask", "token_type_ids")
_FP32 = "model.onnx"
_QINT8 = "model_qint8.onnx"


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
    axes = {name: {0: "batch", 1: "tokens"} for name in (*INPUTS, "last_hidden_state")}
    # The tracer warns about Python conditions in the attention code and advanced indexing: the
    # traced graph is checked against torch at every length it meets
    # (tests/models/test_onnx_embedding.py), and the user can do nothing about the warnings.
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore", torch.jit.TracerWarning)
        warnings.filterwarnings("ignore", message="Exporting aten::index operator")
        torch.onnx.export(
            LastHidden(model),
            tuple(sample[name] for name in INPUTS),
            str(target),
            input_names=list(INPUTS),
            output_names=["last_hidden_state"],
            dynamic_axes=axes,
            opset_version=17,
            dynamo=False,
        )


def _quantise(fp32: Path, target: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(fp32), str(target), weight_type=QuantType.QInt8, per_channel=True)
