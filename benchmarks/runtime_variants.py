"""Precision, int8 and batching variants of the OpenVINO runtime on screening texts, side by side.

    python benchmarks/runtime_variants.py --credentials 64 --repeats 3

The texts are those the engine embeds for ``--credentials`` unique screening credentials (each
credential's outcomes, whole text and title, as ``RecognitionEngine.prepare`` sends them, the
copies of ``benchmarks/screening.py``). Every variant embeds all of them, the variants taking
turns within each repeat; printed: median credentials/s and CPU ms per credential, and the
lowest cosine of a text's vector to OpenVINO's fp32 one. Variants:

  * ``openvino``: the engine's default (OpenVINO chooses bf16 where the CPU has it) with
    texts sorted by tokens, and the same with texts sorted by characters (the former order);
  * ``openvino-f32``: OpenVINO forced to fp32;
  * ``ort-int8``: ONNX Runtime on the dynamically quantised export (``onnx-int8``);
  * ``openvino-qdq-int8``: static int8 (ONNX Runtime ``quantize_static``, QDQ, weights per
    channel, only matrix products with constant weights), calibrated on the shipped
    programme's texts, compiled by OpenVINO;
  * ``openvino-w8`` and ``openvino-w8-dq``: weights compressed to int8 by NNCF
    (``compress_weights``), alone and with OpenVINO's dynamic quantisation of activations
    (group size 32); only when ``nncf`` is importable (not a dependency of the project).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import checkout  # noqa: F401 - this checkout's code, ahead of an installed copy
import numpy as np

import corpora
from recognition_engine.domain import MicroCredential
from recognition_engine.errors import InvalidInput
from recognition_engine.ingestion.files import load_credentials, load_programme
from recognition_engine.ingestion.outcomes import outcomes_of
from recognition_engine.matching import credential_text
from recognition_engine.models import bundled_model_path
from recognition_engine.models.export import (
    INPUTS,
    export_folder,
    exported_model,
)
from recognition_engine.models.identity import model_fingerprint
from recognition_engine.models.runtime_backend import batches_by_length, padded_batch
from recognition_engine.service import catalogue_entries

Run = Callable[[dict[str, np.ndarray]], np.ndarray]
MAX_TOKENS = 256


def unique_copies(count: int, tag: str) -> list[MicroCredential]:
    """``count`` copies of the shipped credentials whose titles and outcomes no other copy
    shares (so that no copy reads another's vectors from a cache)."""
    base: list[MicroCredential] = []
    for path in corpora.credential_paths():
        try:
            base += load_credentials(path)
        except InvalidInput:
            continue
    copies = []
    for i in range(count):
        credential, label = base[i % len(base)], f"{tag}-{i}"
        copies.append(
            credential.model_copy(
                update={
                    "id": f"bench-{label}",
                    "title": f"{credential.title} ({label})",
                    "learning_outcomes": [
                        f"{text} ({label})" for text in credential.learning_outcomes
                    ],
                }
            )
        )
    return copies


def screening_texts(count: int) -> list[str]:
    texts: list[str] = []
    for credential in unique_copies(count, "variants"):
        outcomes = outcomes_of(credential)
        texts += [*outcomes, credential_text(credential.title, outcomes), credential.title]
    return texts


def embed(run: Run, tokenizer, texts: Sequence[str], by_tokens: bool) -> np.ndarray:  # noqa: ANN001
    encoded = tokenizer(list(texts), truncation=True, max_length=MAX_TOKENS)
    rows, types = encoded["input_ids"], encoded["token_type_ids"]
    lengths = [len(row) for row in rows] if by_tokens else [len(text) for text in texts]
    result = np.zeros((len(texts), 384), dtype=np.float32)
    for positions in batches_by_length(lengths, 64):
        feed = padded_batch([rows[i] for i in positions], [types[i] for i in positions], 0)
        mask = feed["attention_mask"][..., None].astype(np.float32)
        result[positions] = (run(feed) * mask).sum(axis=1) / mask.sum(axis=1)
    return result / np.linalg.norm(result, axis=1, keepdims=True)


def openvino_runner(model: Path, **config: str) -> Run:
    import openvino

    request = openvino.Core().compile_model(str(model), "CPU", config).create_infer_request()
    return lambda feed: request.infer(feed)[0].copy()


def ort_runner(model: Path) -> Run:
    import onnxruntime

    session = onnxruntime.InferenceSession(str(model), providers=["CPUExecutionProvider"])
    return lambda feed: session.run(None, feed)[0]


def static_int8(fp32: Path, target: Path, tokenizer, calibration: list[str]) -> Path:  # noqa: ANN001
    from onnxruntime.quantization import (
        CalibrationDataReader,
        QuantFormat,
        QuantType,
        quantize_static,
    )

    class Reader(CalibrationDataReader):
        def __init__(self) -> None:
            batches = [calibration[i : i + 16] for i in range(0, len(calibration), 16)]
            self._feeds = iter(
                {
                    name: array.astype(np.int64)
                    for name, array in tokenizer(
                        batch,
                        padding=True,
                        truncation=True,
                        max_length=MAX_TOKENS,
                        return_tensors="np",
                    ).items()
                    if name in INPUTS
                }
                for batch in batches
            )

        def get_next(self):  # noqa: ANN202
            return next(self._feeds, None)

    quantize_static(
        str(fp32),
        str(target),
        Reader(),
        quant_format=QuantFormat.QDQ,
        per_channel=True,
        activation_type=QuantType.QInt8,
        weight_type=QuantType.QInt8,
        op_types_to_quantize=["MatMul"],
        extra_options={"MatMulConstBOnly": True},
    )
    return target


def nncf_int8_weights(fp32: Path, target: Path) -> Path | None:
    try:
        import nncf
    except ImportError:
        return None
    import openvino

    model = openvino.Core().read_model(str(fp32))
    openvino.save_model(
        nncf.compress_weights(model, mode=nncf.CompressWeightsMode.INT8_ASYM), target
    )
    return target


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--credentials", type=int, default=64)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    from transformers import AutoTokenizer

    model_path = bundled_model_path()
    tokenizer = AutoTokenizer.from_pretrained(str(model_path), local_files_only=True)
    texts = screening_texts(args.credentials)
    calibration = [
        text
        for entry in catalogue_entries(load_programme(corpora.DEMO_PROGRAMME))
        for text in (*entry.outcomes, entry.text, entry.title)
    ]
    print(
        f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; "
        f"{len(texts)} texts of {args.credentials} credentials",
        flush=True,
    )
    with tempfile.TemporaryDirectory() as folder:
        exports = export_folder(Path(folder), model_fingerprint(model_path, None))
        fp32 = exported_model(model_path, exports, "openvino")
        qint8 = exported_model(model_path, exports, "onnx-int8")
        variants: dict[str, tuple[Run, bool]] = {
            "openvino (tokens sorted)": (openvino_runner(fp32), True),
            "openvino (characters sorted)": (openvino_runner(fp32), False),
            "openvino-f32": (openvino_runner(fp32, INFERENCE_PRECISION_HINT="f32"), True),
            "ort-int8": (ort_runner(qint8), True),
            "openvino-qdq-int8": (
                openvino_runner(static_int8(fp32, exports / "qdq.onnx", tokenizer, calibration)),
                True,
            ),
        }
        weights = nncf_int8_weights(fp32, exports / "w8.xml")
        if weights is not None:
            variants["openvino-w8"] = (openvino_runner(weights), True)
            variants["openvino-w8-dq"] = (
                openvino_runner(weights, DYNAMIC_QUANTIZATION_GROUP_SIZE="32"),
                True,
            )
        reference = embed(variants["openvino-f32"][0], tokenizer, texts, True)
        seconds: dict[str, list[float]] = {name: [] for name in variants}
        cpu: dict[str, list[float]] = {name: [] for name in variants}
        agreement: dict[str, float] = {}
        for _ in range(args.repeats):
            for name, (run, by_tokens) in variants.items():
                started, cpu_started = time.perf_counter(), time.process_time()
                vectors = embed(run, tokenizer, texts, by_tokens)
                seconds[name].append(time.perf_counter() - started)
                cpu[name].append(time.process_time() - cpu_started)
                agreement[name] = float(np.min(np.sum(vectors * reference, axis=1)))
        for name in variants:
            print(
                f"{name}: {args.credentials / statistics.median(seconds[name]):.1f} credentials/s "
                f"({', '.join(f'{s:.1f}' for s in seconds[name])} s), "
                f"{statistics.median(cpu[name]) / args.credentials * 1000:.0f} CPU ms per "
                f"credential, lowest cosine to fp32 {agreement[name]:.5f}",
                flush=True,
            )
    print(f"load average at the end {os.getloadavg()[0]:.1f}", flush=True)


if __name__ == "__main__":
    main()
