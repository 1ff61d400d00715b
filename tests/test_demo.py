"""The shipped corpus on the real bundled model: the demo says what an evaluator expects.

``corpora/credentials/expected.yaml`` holds judgements written independently of the engine.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import corpora
from recognition_engine.config import Settings
from recognition_engine.domain import ProposalStatus, RecognitionKind, RecognitionProposal
from recognition_engine.ingestion.files import load_credentials, load_programme
from recognition_engine.service import RecognitionEngine

pytestmark = pytest.mark.real_model

# Georgian and Armenian cases need the multilingual deployment: tests/test_corpora.py runs them.
CASES = [case for case in corpora.judgements() if "multilingual" not in case]


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("var")


@pytest.fixture(scope="module")
def engine(data_dir: Path) -> RecognitionEngine:
    return RecognitionEngine(Settings(data_dir=data_dir, _env_file=None))


@pytest.fixture(scope="module")
def programme():  # noqa: ANN201
    return load_programme(corpora.DEMO_PROGRAMME)


def recognise(engine: RecognitionEngine, programme, files: list[str]) -> RecognitionProposal:  # noqa: ANN001
    credentials = [c for name in files for c in load_credentials(corpora.CREDENTIALS_DIR / name)]
    return engine.recognise(credentials, programme)


@pytest.mark.parametrize("case", CASES, ids=lambda c: "+".join(c.get("files", [c.get("file")])))
def test_demo_matches_the_evaluators_judgement(engine, programme, case) -> None:  # noqa: ANN001
    files = case.get("files") or [case["file"]]
    proposal = recognise(engine, programme, files)
    assert proposal.status is ProposalStatus(case["status"]), proposal.reasons
    proposed = {m.module_code for m in proposal.modules}
    assert set(case["modules"]) <= proposed
    if case["kind"] == "partial":  # must not be overstated as full
        for module in proposal.modules:
            if module.module_code in case["modules"]:
                assert module.recognition is RecognitionKind.PARTIAL
                assert module.proposed_ects < module.module_ects
    if case["kind"] == "review":  # below the coverage rules, put up for review
        for module in proposal.modules:
            if module.module_code in case["modules"]:
                assert module.recognition is RecognitionKind.REVIEW
                assert module.evidence_requests and module.uncovered_outcomes
    for module in proposal.modules:
        assert module.evidence, "every proposed module shows its matched outcome pairs"
    assert proposal.total_proposed_ects <= min(proposal.credential_ects, proposal.ects_cap)


def test_an_unchanged_programme_is_not_embedded_again(engine, programme) -> None:  # noqa: ANN001
    report = engine.index_programme(programme)
    assert not report.rebuilt and report.embedded == 0


def test_demo_command_prints_proposals(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from cli import build_app

    monkeypatch.setenv("RECOGNITION_DATA_DIR", str(data_dir))  # the index built above
    result = CliRunner().invoke(build_app(), ["demo"])
    assert result.exit_code == 0, result.output
    assert "Recognition proposed" in result.output
    assert "No recognition proposed" in result.output
    assert "Nino" not in result.output  # the learner named in one credential never shows
