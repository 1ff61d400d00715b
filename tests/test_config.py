"""Every setting is documented in the README, and settings are validated."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from recognition_engine.config import Settings

README = Path(__file__).parents[1] / "README.md"


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_setting_is_documented(name: str) -> None:
    assert f"| `{name}` |" in README.read_text(), f"document {name} in the README's settings table"


def test_environment_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECOGNITION_HOURS_PER_ECTS", "30")
    assert Settings(_env_file=None).hours_per_ects == 30


def test_hours_per_ects_stays_in_the_ects_range() -> None:
    with pytest.raises(ValidationError):
        Settings(hours_per_ects=40, _env_file=None)


def test_partial_cannot_exceed_full() -> None:
    with pytest.raises(ValidationError, match="partial_coverage"):
        Settings(partial_coverage=0.9, full_coverage=0.8, _env_file=None)


def test_default_database_is_sqlite_in_the_data_dir(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, _env_file=None)
    assert settings.resolved_database_url == f"sqlite:///{tmp_path / 'recognition.db'}"
