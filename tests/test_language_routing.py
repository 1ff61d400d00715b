"""Outcomes in a language the engine's model does not read are not matched as if English."""

from __future__ import annotations

from pathlib import Path

import pytest

from recognition_engine.errors import InvalidInput
from recognition_engine.messages import codes
from recognition_engine.models import HashingEmbedder
from recognition_engine.models.profiles import english_profile, multilingual_profile
from recognition_engine.multilingual import (
    reading_profile,
    recognition_languages,
    split_by_reading,
)
from recognition_engine.service import RecognitionEngine
from tests.conftest import fake_settings, make_credential, make_programme

ENGLISH = [
    "Configure routers and switches in a small office local area network",
    "Troubleshoot network connectivity with diagnostic tools such as ping",
]
GEORGIAN = [
    "როუტერებისა და კომუტატორების კონფიგურირება მცირე ოფისის ლოკალურ ქსელში",
    "ოფისისთვის IP მისამართებისა და ქვექსელების სქემის დაპროექტება",
]


def test_the_english_model_reads_english_and_unknown_only(tmp_path: Path) -> None:
    settings = fake_settings(tmp_path, multilingual="off")
    mixed = make_credential(learning_outcomes=[*ENGLISH, GEORGIAN[0]])
    read, unread = split_by_reading(mixed.learning_outcomes, mixed, english_profile(settings))
    assert read == ENGLISH and unread == ["ka"]
    everything = make_credential(learning_outcomes=[*ENGLISH, *GEORGIAN])
    assert split_by_reading(
        everything.learning_outcomes, everything, multilingual_profile(settings)
    ) == (everything.learning_outcomes, [])


def test_an_english_outcome_is_read_in_the_credentials_language() -> None:
    # on its own, lingua may take a short English line for another Latin-script language
    credential = make_credential(learning_outcomes=[*ENGLISH, "Deploy Docker containers"])
    assert set(recognition_languages([credential])) == {"en"}


def test_a_mixed_outcome_list_is_routed_by_each_outcome() -> None:
    mixed = make_credential(learning_outcomes=[*ENGLISH, GEORGIAN[0]])
    assert "ka" in recognition_languages([mixed])
    assert set(recognition_languages([make_credential(learning_outcomes=ENGLISH)])) == {"en"}


def test_unread_outcomes_are_left_out_with_a_finding(tmp_path: Path) -> None:
    credential = make_credential(learning_outcomes=[*ENGLISH, *GEORGIAN])
    proposal = RecognitionEngine(fake_settings(tmp_path, multilingual="off")).recognise(
        [credential], make_programme()
    )
    [note] = [f for f in proposal.findings if f.code == codes.OUTCOMES_LANGUAGE_NOT_READ]
    assert note.params == {"count": 2, "languages": ["ka"]}
    matched = {pair.credential_outcome for m in proposal.modules for pair in m.evidence}
    assert matched and matched <= set(ENGLISH)


def test_a_credential_wholly_unread_is_refused(tmp_path: Path) -> None:
    credential = make_credential(title="ქსელის ადმინისტრირება", learning_outcomes=GEORGIAN)
    engine = RecognitionEngine(fake_settings(tmp_path, multilingual="off"))
    with pytest.raises(InvalidInput, match="ka"):
        engine.recognise([credential], make_programme())


def test_english_is_matched_as_before(tmp_path: Path) -> None:
    proposal = RecognitionEngine(fake_settings(tmp_path, multilingual="off")).recognise(
        [make_credential()], make_programme()
    )
    assert not [f for f in proposal.findings if f.code == codes.OUTCOMES_LANGUAGE_NOT_READ]


def test_only_a_deployment_without_the_multilingual_model_checks_what_it_reads(
    tmp_path: Path,
) -> None:
    off = fake_settings(tmp_path, multilingual="off")
    assert reading_profile(HashingEmbedder(), off) == english_profile(off)
    # routing has already sent every other language to the multilingual model
    routed = fake_settings(tmp_path, multilingual="non-english")
    assert reading_profile(HashingEmbedder(), routed) is None
