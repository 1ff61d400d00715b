"""An index folder on disk: files written aside, checksummed, switched over atomically.

The CLI and the server may write one data folder at once, and either may die mid-save. So a
save never touches the files a reader may be using: it writes a new generation folder,
records the SHA-256 of each file in the manifest, and publishes the manifest with one
``os.replace``. A reader sees the old index or the new one, never new vectors with old
metadata; a file damaged afterwards fails its checksum. A lock file serialises savers, and
keeps a saver from deleting the generation a reader in another process is reading::

    folder/
      catalogue.json      the manifest: metadata, current generation, checksum of each file
      .lock
      gen-<random>/       the current generation's files
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from recognition_engine.errors import IndexUnavailable

MANIFEST = "catalogue.json"
_LOCK = ".lock"
_GENERATION_PREFIX = "gen-"
_TEMPORARY_MANIFEST = f".{MANIFEST}.tmp"
# Saving or reading an index takes well under a second; a lock held this long is abandoned work
# (filelock's OS locks are released when a process dies, so this is not a crash).
_LOCK_SECONDS = 120.0
# What format 2 kept beside the manifest, removed once a new generation is published.
_UNVERSIONED_FILES = (
    "outcomes.faiss",
    "outcomes.npy",
    "outcome_vectors.npy",
    "text_vectors.npy",
    "title_vectors.npy",
    "catalogue.json.tmp",
)


@contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Hold the folder's cross-process lock; raise IndexUnavailable if it stays taken."""
    try:
        with FileLock(folder / _LOCK, timeout=_LOCK_SECONDS):
            yield
    except Timeout as error:
        raise IndexUnavailable(
            f"the index in {folder} stayed locked by another process for {_LOCK_SECONDS:.0f} s"
        ) from error


def publish(folder: Path, write_files: Callable[[Path], None], manifest: dict[str, Any]) -> None:
    """Write a new generation with ``write_files(generation_folder)`` and make it current.

    ``manifest`` is saved with the generation's name and the SHA-256 of each file added. If
    writing fails, the previous generation stays current and the new one is removed.
    """
    folder.mkdir(parents=True, exist_ok=True)
    with folder_lock(folder):
        generation = folder / f"{_GENERATION_PREFIX}{uuid.uuid4().hex}"
        generation.mkdir()
        try:
            write_files(generation)
            files = sorted(p for p in generation.iterdir() if p.is_file())
            checksums = {path.name: _synced_sha256(path) for path in files}
            _fsync(generation)
            record = {**manifest, "generation": generation.name, "files": checksums}
            temporary = folder / _TEMPORARY_MANIFEST
            temporary.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
            _fsync(temporary)
            os.replace(temporary, folder / MANIFEST)
            _fsync(folder)  # the rename itself survives a power cut
        except BaseException:
            shutil.rmtree(generation, ignore_errors=True)
            raise
        _remove_all_but(folder, generation.name)


def read_manifest(folder: Path) -> dict[str, Any]:
    """Return the folder's manifest; raise IndexUnavailable if there is none or it is corrupt."""
    path = folder / MANIFEST
    if not path.is_file():
        raise IndexUnavailable(f"no index in {folder}")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise IndexUnavailable(f"the index metadata in {folder} is corrupt") from error
    if not isinstance(manifest, dict):
        raise IndexUnavailable(f"the index metadata in {folder} is corrupt")
    return manifest


def verified_generation(folder: Path, manifest: dict[str, Any], required: set[str]) -> Path:
    """Return the manifest's generation folder once every file matches its checksum.

    ``required`` names the files the caller will read. Call under ``folder_lock``.
    """
    generation_name = manifest.get("generation")
    checksums = manifest.get("files")
    if not isinstance(generation_name, str) or not isinstance(checksums, dict):
        raise IndexUnavailable(f"the index metadata in {folder} is corrupt")
    if not required <= checksums.keys():
        missing = ", ".join(sorted(required - checksums.keys()))
        raise IndexUnavailable(f"the index in {folder} lacks {missing}: rebuild it")
    generation = folder / Path(generation_name).name  # never a path out of the folder
    for name, expected in checksums.items():
        path = generation / Path(name).name
        try:
            actual = _sha256(path)
        except OSError as error:
            raise IndexUnavailable(f"the index in {folder} lacks {name}: rebuild it") from error
        if actual != expected:
            raise IndexUnavailable(
                f"the index in {folder} is corrupt: {name} does not match its checksum; rebuild it"
            )
    return generation


def _sha256(path: Path) -> str:
    with path.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def _synced_sha256(path: Path) -> str:
    _fsync(path)
    return _sha256(path)


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _remove_all_but(folder: Path, generation: str) -> None:
    # Older generations, and those of saves that died before publishing.
    for path in folder.glob(f"{_GENERATION_PREFIX}*"):
        if path.name != generation and path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
    for name in _UNVERSIONED_FILES:
        (folder / name).unlink(missing_ok=True)
