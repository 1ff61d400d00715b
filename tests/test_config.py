"""Every setting is documented (the docs' settings page is generated from it), and settings are
validated."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from pydantic import ValidationError

from recognition_engine.config import Settings

HOOK = Path(__file__).parents[1] / "docs" / "hooks" / "settings_reference.py"


def settings_reference() -> str:
    """The table the docs build puts on the settings page (``docs/hooks/settings_reference.py``)."""
    spec = importlib.util.spec_from_file_location("settings_reference", HOOK)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.settings_table()


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_setting_is_documented(name: str) -> None:
    description = Settings.model_fields[name].description
    assert description and description.strip(), f"give {name} a description in config.py"
    row = next(
        line for line in settings_reference().splitlines() if f"RECOGNITION_{name.upper()}`" in line
    )
    assert description.split()[0] in row


def test_environment_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECOGNITION_HOURS_PER_ECTS", "30")
    assert Settings(_env_file=None).hours_per_ects == 30


def test_hours_per_ects_stays_in_the_ects_range() -> None:
    with pytest.raises(ValidationError):
        Settings(hours_per_ects=40, _env_file=None)


def test_partial_cannot_exceed_full() -> None:
    with pytest.raises(ValidationError, match="partial_coverage"):
        Settings(partial_coverage=0.9, full_coverage=0.8, _env_file=None)


def test_language_pair_thresholds_are_read_from_json(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(
        "RECOGNITION_MULTILINGUAL_PAIR_THRESHOLDS",
        '{"ka-en": {"outcome_match_threshold": 0.88, "min_proposal_score": 0.84}}',
    )
    assert Settings(_env_file=None).multilingual_pair_thresholds == {
        "ka-en": {"outcome_match_threshold": 0.88, "min_proposal_score": 0.84}
    }


@pytest.mark.parametrize(
    ("pairs", "message"),
    [
        ({"ka_en": {"outcome_match_threshold": 0.88}}, "key 'ka_en'"),
        ({"georgian-en": {"outcome_match_threshold": 0.88}}, "two-letter codes"),
        ({"ka-en": {"outcome_match_threshold": 1.2}}, "less than or equal to 1"),
        ({"ka-en": {"outcome_threshold": 0.88}}, "'outcome_match_threshold' or"),
    ],
)
def test_a_wrong_language_pair_threshold_names_the_setting(
    pairs: dict[str, dict[str, float]], message: str
) -> None:
    with pytest.raises(ValidationError, match="multilingual_pair_thresholds") as error:
        Settings(multilingual_pair_thresholds=pairs, _env_file=None)
    assert message in str(error.value)


def test_default_database_is_sqlite_in_the_data_dir(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, _env_file=None)
    assert settings.resolved_database_url == f"sqlite:///{tmp_path / 'recognition.db'}"
