"""On the bundled model: a recognition against the shipped programme gives the proposed module
the ESCO skills the credential shares with it (the SQL course and the databases module)."""

from __future__ import annotations

from pathlib import Path

import pytest

from recognition_engine.config import Settings
from recognition_engine.ingestion.files import load_credentials, load_programme
from recognition_engine.service import RecognitionEngine

CORPORA = Path(__file__).resolve().parents[2] / "corpora"


@pytest.mark.real_model
def test_the_sql_course_shares_sql_with_the_databases_module(tmp_path: Path) -> None:
    engine = RecognitionEngine(Settings(data_dir=tmp_path / "var", _env_file=None))
    programme = load_programme(CORPORA / "programmes" / "ge-computer-engineering-bsc.yaml")
    credentials = load_credentials(CORPORA / "credentials" / "mooc-sql-databases.yaml")
    proposal = engine.recognise(credentials, programme)
    shared = {s.label: s.uri for m in proposal.modules if m.skills for s in m.skills.shared}
    assert (
        shared.get("SQL") == "http://data.europa.eu/esco/skill/598de5b0-5b58-4ea7-8058-a4bc4d18c742"
    )
    assert all(uri.startswith("http://data.europa.eu/esco/skill/") for uri in shared.values())
    assert proposal.engine["skills"] == "ESCO 1.1.1"
