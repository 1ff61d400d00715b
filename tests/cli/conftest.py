"""The CLI's tests run it on the fake embedder in a fresh data folder, against the test
programme."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.conftest import FAKE_MIN_PROPOSAL_SCORE, make_credential, make_programme


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Return a folder that holds programme.yaml, with the CLI on the fake embedder there."""
    monkeypatch.setenv("RECOGNITION_EMBEDDER", "fake")
    monkeypatch.setenv("RECOGNITION_MIN_PROPOSAL_SCORE", str(FAKE_MIN_PROPOSAL_SCORE))
    monkeypatch.setenv("RECOGNITION_DATA_DIR", str(tmp_path / "var"))
    (tmp_path / "programme.yaml").write_text(
        yaml.safe_dump(make_programme().model_dump(mode="json"))
    )
    return tmp_path


@pytest.fixture
def env(cli_env: Path) -> Path:
    """Return the ``cli_env`` folder with credential.yaml, the test credential, beside the
    programme."""
    (cli_env / "credential.yaml").write_text(
        yaml.safe_dump(make_credential().model_dump(mode="json"))
    )
    return cli_env
