"""The sentence-transformers model run by ONNX Runtime or OpenVINO instead of torch.

The model is exported at first use (``export.py``); the pooling (mean over tokens, then L2) is
the model's own, read from its folder, and so is its prompt (e5's ``query: ``/``passage: ``).

Why not ``SentenceTransformer(path, backend="onnx")`` itself: its loader needs
``optimum-onnx``, whose only release requires transformers < 4.58 while sentence-transformers
6 requires transformers 5; its OpenVINO loader needs ``optimum-intel``, which requires
torchvision, and PyPI's torchvision does not load beside the CPU build of torch this project
pins. So the export and the two runtimes are called directly, with the same settings.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

from recognition_engine.errors import ModelUnavailable
from recognition_engine.models.encoder import LoadedEmbedder, normalise
from recognition_engine.models.export import RuntimeVariant, export_folder, exported_model
from recognition_engine.models.identity import model_fingerprint


def _check_mean_pooling(model_path: Path) -> int:
    """Return the model's max sequence length; refuse a model whose pooling is not a mean.

    Both ways sentence-transformers writes a folder are read: before version 6 a flag per
    pooling mode and the length in ``sentence_bert_config.json``; from 6 (what ``adapt`` writes)
    one ``pooling_mode`` and the length as the tokenizer's ``model_max_length``.
    """
    pooling = model_path / "1_Pooling" / "config.json"
    try:
        config = json.loads(pooling.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ModelUnavailable(f"no pooling configuration in {model_path}") from error
    if "pooling_mode" in config:
        modes = config["pooling_mode"]
        mean = modes == "mean" or modes == ["mean"]
    else:
        flags = ("pooling_mode_cls_token", "pooling_mode_max_tokens")
        mean = bool(config.get("pooling_mode_mean_tokens")) and not any(map(config.get, flags))
    if not mean:
        raise ModelUnavailable(f"{model_path}: only mean pooling runs outside torch")
    lengths = (
        (model_path / "sentence_bert_config.json", "max_seq_length"),
        (model_path / "tokenizer_config.json", "model_max_length"),
    )
    for path, key in lengths:
        try:
            length = json.loads(path.read_text(encoding="utf-8")).get(key)
        except (OSError, ValueError):
            continue
        if isinstance(length, int) and 0 < length <= 100_000:  # tokenizers say 10**30 for none
            return length
    return 256


def _prompt_text(model_path: Path, prompt: str | None) -> str:
    """Return the text of the model's prompt named ``prompt`` ("" for none)."""
    if prompt is None:
        return ""
    try:
        config = json.loads(
            (model_path / "config_sentence_transformers.json").read_text(encoding="utf-8")
        )
        return str(config["prompts"][prompt])
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ModelUnavailable(f"{model_path} has no prompt {prompt!r}") from error


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


class RuntimeEmbedder(LoadedEmbedder):
    """A sentence-transformers model folder run by ONNX Runtime (fp32 or int8) or OpenVINO."""

    def __init__(
        self,
        model_path: Path,
        variant: RuntimeVariant,
        data_dir: Path,
        batch_size: int = 64,
        *,
        hash_cache: Path | None = None,
        prompt: str | None = None,
    ) -> None:
        """Load (exporting at first use) the model in ``model_path`` for ``variant``.

        ``prompt`` names one of the model's prompts put before every text, as
        sentence-transformers' ``prompt_name`` does.
        """
        if not (model_path / "config.json").exists():
            raise ModelUnavailable(f"no sentence-transformers model in {model_path}")
        self._max_length = _check_mean_pooling(model_path)
        self._prefix = _prompt_text(model_path, prompt)
        fingerprint = model_fingerprint(model_path, hash_cache)
        try:
            self._loaded = _loaded(model_path, variant, export_folder(data_dir, fingerprint))
        except ModelUnavailable:
            raise
        except Exception as error:  # noqa: BLE001 - any export or runtime failure: no model
            raise ModelUnavailable(f"cannot run {model_path} with {variant}: {error}") from error
        self._batch_size = batch_size
        # The vectors differ (slightly) by runtime and quantisation: cached vectors and saved
        # indexes must not be shared across variants.
        self._model_id = f"st:{model_path.name}:{fingerprint[:16]}:{variant}" + (
            f":{prompt}" if prompt else ""
        )
        self._dimension = int(self.embed(["x"]).shape[1])

    def _embed(self, texts: Sequence[str], progress: bool) -> np.ndarray:
        # Tokenised once, all together, then batched by token count.
        rows, types = self._loaded.tokenise(
            [self._prefix + text for text in texts], self._max_length
        )
        result: np.ndarray | None = None
        for positions in batches_by_length([len(row) for row in rows], self._batch_size):
            feed = padded_batch(
                [rows[i] for i in positions], [types[i] for i in positions], self._loaded.pad_id
            )
            hidden = self._loaded.run(feed)
            mask = feed["attention_mask"][..., None].astype(np.float32)
            pooled = (hidden * mask).sum(axis=1) / np.clip(mask.sum(axis=1), 1e-9, None)
            if result is None:
                result = np.zeros((len(texts), pooled.shape[1]), dtype=np.float32)
            result[positions] = pooled
        assert result is not None
        return normalise(result)


class _Loaded:
    """A folder's tokenizer and its compiled model for one runtime, loaded once a process: the
    multilingual model's two roles (credentials ``query: ``, catalogues ``passage: ``) share
    them: a second tokenizer load and a second OpenVINO compilation took a screen that met one
    credential in another language from 3.6 s to 7.1 s of making its multilingual engine
    (cProfile)."""

    def __init__(self, model_path: Path, variant: RuntimeVariant, folder: Path) -> None:
        from transformers import AutoTokenizer

        self._tokenizer = AutoTokenizer.from_pretrained(str(model_path), local_files_only=True)
        # a fast tokenizer is not to be called from two threads at once (it may switch its
        # truncation in place): tokenising is short beside the model, so one call at a time
        self._lock = threading.Lock()
        self.pad_id = int(self._tokenizer.pad_token_id or 0)
        onnx_file = exported_model(model_path, folder, variant)
        self.run = _openvino_runner(onnx_file) if variant == "openvino" else _ort_runner(onnx_file)

    def tokenise(
        self, texts: list[str], max_length: int
    ) -> tuple[list[list[int]], list[list[int]]]:
        """Return the token ids and token type ids of ``texts``, cut to ``max_length``."""
        with self._lock:
            encoded = self._tokenizer(
                texts, truncation=True, max_length=max_length, return_token_type_ids=True
            )
        return encoded["input_ids"], encoded["token_type_ids"]


_LOADED: dict[tuple[Path, str, Path], _Loaded] = {}
_LOADING = threading.Lock()


def _loaded(model_path: Path, variant: RuntimeVariant, folder: Path) -> _Loaded:
    """Return the folder's tokenizer and compiled model for ``variant``, loading them once."""
    key = (model_path.resolve(), variant, folder.resolve())
    with _LOADING:
        if key not in _LOADED:
            _LOADED[key] = _Loaded(model_path, variant, folder)
        return _LOADED[key]


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
