"""Which model reads a recognition, and what the proposal's engine block says about it."""

from __future__ import annotations

from pathlib import Path

from recognition_engine.domain import ProposalStatus
from recognition_engine.service import RecognitionEngine
from tests.conftest import fake_settings, make_credential, make_programme

GEORGIAN_OUTCOMES = [
    "როუტერებისა და კომუტატორების კონფიგურირება მცირე ოფისის ლოკალურ ქსელში",
    "ქსელური კავშირის პრობლემების დიაგნოსტიკა ping-ის და სხვა ხელსაწყოებით",
    "ოფისისთვის IP მისამართებისა და ქვექსელების სქემის დაპროექტება",
    "TCP/IP პროტოკოლების სტეკის დონეების ახსნა",
]


def test_off_reads_everything_on_the_english_model(tmp_path: Path) -> None:
    proposal = RecognitionEngine(fake_settings(tmp_path, multilingual="off")).recognise(
        [make_credential()], make_programme()
    )
    assert proposal.engine["multilingual"] == "off"
    assert proposal.engine["model"] == "hashing-256"


def test_non_english_keeps_an_english_pair_on_the_english_model(tmp_path: Path) -> None:
    proposal = RecognitionEngine(fake_settings(tmp_path, multilingual="non-english")).recognise(
        [make_credential()], make_programme()
    )
    assert proposal.engine["model"] == "hashing-256"
    assert proposal.engine["credential_languages"] == "en"
    assert "level_estimate_note" not in proposal.engine


def test_a_georgian_credential_is_read_by_the_multilingual_model(tmp_path: Path) -> None:
    settings = fake_settings(tmp_path, multilingual="non-english", min_proposal_score=0.55)
    engine = RecognitionEngine(settings)
    credential = make_credential(
        title="ქსელის ადმინისტრირება", learning_outcomes=GEORGIAN_OUTCOMES, language="ka"
    )
    proposal = engine.recognise([credential], make_programme())
    assert proposal.engine["model"].startswith("e5:multilingual-e5-small")
    # the thresholds on e5's own scale, not MiniLM's: the Georgian → English pair's outcome
    # threshold, and the model's single least module score, which the pair does not set
    assert proposal.engine["language_pairs"] == "ka-en"
    pair = settings.multilingual_pair_thresholds["ka-en"]
    assert proposal.engine["outcome_match_threshold"] == pair["outcome_match_threshold"]
    single = settings.multilingual_outcome_match_threshold
    assert proposal.engine["outcome_match_threshold"] > single
    assert proposal.engine["min_proposal_score"] == 0.83
    assert proposal.engine["credential_languages"] == "ka"
    assert proposal.engine["programme_language"] == "en"
    assert "level_estimate_note" in proposal.engine
    assert proposal.status is ProposalStatus.PROPOSED
    assert proposal.modules[0].module_code == "NET101"
    # evidence pairs keep each text in its own script
    pair = proposal.modules[0].evidence[0]
    assert any("\u10d0" <= char <= "\u10ff" for char in str(pair.model_dump()))
    # the multilingual index lives beside the English ones, never in their place
    assert (settings.index_dir / "multilingual" / make_programme().id).is_dir()


def test_a_pair_without_thresholds_of_its_own_takes_the_single_ones(tmp_path: Path) -> None:
    settings = fake_settings(tmp_path, multilingual="non-english", multilingual_pair_thresholds={})
    credential = make_credential(
        title="ქსელის ადმინისტრირება", learning_outcomes=GEORGIAN_OUTCOMES, language="ka"
    )
    proposal = RecognitionEngine(settings).recognise([credential], make_programme())
    assert proposal.engine["language_pairs"] == "ka-en"
    assert proposal.engine["outcome_match_threshold"] == 0.864
    assert proposal.engine["min_proposal_score"] == 0.83


def test_the_english_model_reports_no_language_pair(tmp_path: Path) -> None:
    proposal = RecognitionEngine(fake_settings(tmp_path, multilingual="non-english")).recognise(
        [make_credential()], make_programme()
    )
    assert "language_pairs" not in proposal.engine
    assert proposal.engine["outcome_match_threshold"] == 0.5


def test_an_unrelated_georgian_credential_covers_no_module(tmp_path: Path) -> None:
    # on MiniLM's 0.5, e5 read nearly every outcome pair as covered
    credential = make_credential(
        title="ღვინის ტურიზმი",
        learning_outcomes=[
            "საქართველოს ღვინის რეგიონებისა და ყურძნის ჯიშების აღწერა ტურისტებისთვის",
            "ქვევრის ღვინის დაყენების ტრადიციის ახსნა",
        ],
        language="ka",
    )
    proposal = RecognitionEngine(fake_settings(tmp_path, multilingual="non-english")).recognise(
        [credential], make_programme()
    )
    assert proposal.engine["model"].startswith("e5:multilingual-e5-small")
    assert proposal.status is ProposalStatus.NONE
    assert all(module.coverage == 0 for module in proposal.considered)
