"""The identity of a model folder: a SHA-256 over the bytes that decide its vectors.

Cached vectors, saved indexes and the Bloom classifier are keyed by this identity, so it must
change whenever the weights do, even when a fine-tuned model is written over the old one with
the same file names and sizes. Reading 90 MB of weights on every start of the CLI and the
server would be slow; the hash of each file is kept in a small JSON file, keyed by the file's
path, size, mtime and inode, so a file is read again only when one of those changes.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import time
from pathlib import Path

logger = logging.getLogger(__name__)

# Weights, configuration and tokenizer files (vocab.txt, merges.txt, sentencepiece .model).
MODEL_SUFFIXES = frozenset({".safetensors", ".bin", ".pt", ".pth", ".json", ".txt", ".model"})
# Exports of the same weights for other runtimes: not what sentence-transformers loads on torch.
_SKIPPED_FOLDERS = frozenset({"onnx", "openvino"})
# Written beside the weights of a fine-tuned model, read for its thresholds, not its vectors
# (score_scale.py): writing it must not throw away the vectors cached for the model.
SCALE_FILE = "score_scale.json"
# File system timestamps are coarse (a few milliseconds on ext4): a file rewritten this soon
# after it was hashed could keep its size, mtime and inode, so its hash is not cached yet.
_RECENT_SECONDS = 2.0
_CACHE_VERSION = 1
_SIGNATURE = ("size", "mtime_ns", "inode", "device")


def model_files(folder: Path) -> list[Path]:
    """Return the files of a model folder that change its vectors, in a stable order."""
    found = []
    for path in folder.rglob("*"):
        parts = path.relative_to(folder).parts
        if any(part.startswith(".") for part in parts) or _SKIPPED_FOLDERS.intersection(parts):
            continue
        if path.suffix in MODEL_SUFFIXES and path.name != SCALE_FILE and path.is_file():
            found.append(path)
    return sorted(found, key=lambda p: p.relative_to(folder).as_posix())


def file_sha256(path: Path) -> str:
    """Return the hex SHA-256 of a file's bytes."""
    with path.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def model_fingerprint(folder: Path, cache_path: Path | None) -> str:
    """Return a hex SHA-256 over the relative names and contents of the folder's model files.

    ``cache_path`` is the JSON file that keeps the per-file hashes between runs (``None``: hash
    every file). The folder's location is not part of the fingerprint: a copied model is the
    same model.
    """
    cache = _read_cache(cache_path) if cache_path is not None else {}
    changed = False
    now = time.time()
    digest = hashlib.sha256()
    for path in model_files(folder):
        key = str(path.resolve())
        stat = path.stat()
        signature = {
            "size": stat.st_size,
            "mtime_ns": stat.st_mtime_ns,
            "inode": stat.st_ino,
            "device": stat.st_dev,
        }
        entry = cache.get(key)
        if entry is not None and all(entry.get(name) == signature[name] for name in _SIGNATURE):
            sha256 = str(entry["sha256"])
        else:
            sha256 = file_sha256(path)
            if now - stat.st_mtime_ns / 1e9 > _RECENT_SECONDS:
                cache[key] = {**signature, "sha256": sha256}
                changed = True
            elif cache.pop(key, None) is not None:
                changed = True
        digest.update(f"{path.relative_to(folder).as_posix()}\x00{sha256}\n".encode())
    if cache_path is not None and changed:
        _write_cache(cache_path, cache)
    return digest.hexdigest()


def _read_cache(path: Path) -> dict[str, dict[str, object]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # none yet, or unreadable: it only costs one hashing pass
    if not isinstance(data, dict) or data.get("version") != _CACHE_VERSION:
        return {}
    files = data.get("files")
    if not isinstance(files, dict):
        return {}
    return {key: entry for key, entry in files.items() if isinstance(entry, dict)}


def _write_cache(path: Path, cache: dict[str, dict[str, object]]) -> None:
    # Entries of files that are gone (an old model folder) would only grow the file.
    kept = {key: entry for key, entry in cache.items() if os.path.exists(key)}
    payload = json.dumps({"version": _CACHE_VERSION, "files": kept}, indent=1, sort_keys=True)
    # Written aside and renamed: a reader sees the old file or the new one, never half of one.
    # Two processes writing at once lose one's new entries, which are hashed again next time.
    temporary: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(payload)
        os.replace(temporary, path)
    except OSError as error:  # a read-only data folder: the model still loads
        logger.warning("cannot keep the model file hashes in %s: %s", path, error)
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
