"""`recognise --lang ka|hy` prints the statement, its findings and reasons in Georgian or
Armenian; `--json --lang` renders each message in it and keeps the codes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import build_app
from recognition_engine.messages import render

runner = CliRunner()
SCRIPT = {"ka": re.compile("[\u10d0-\u10ff]"), "hy": re.compile("[\u0531-\u058f]")}
HEADLINE = {"ka": "შემოთავაზებულია აღიარება", "hy": "Առաջարկվում է ճանաչում"}


def recognise(env: Path, *options: str) -> str:
    result = runner.invoke(
        build_app(),
        ["recognise", str(env / "credential.yaml"), "-p", str(env / "programme.yaml"), *options],
        terminal_width=200,
    )
    assert result.exit_code == 0, result.output
    return result.output


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("language", ["ka", "hy"])
def test_recognise_prints_the_statement_in_the_language_asked(env: Path, language: str) -> None:
    proposal = json.loads(recognise(env, "--json", "--lang", language))
    report = flat(recognise(env, "--lang", language))
    assert HEADLINE[language] in report
    assert "Recognition proposed" not in report
    for finding in proposal["elements"]:
        assert finding["message"] == render(finding["code"], finding["params"], language)
        assert SCRIPT[language].search(finding["message"])
        assert flat(finding["message"]) in report
    for reason in proposal["reason_codes"]:
        assert reason["message"] == render(reason["code"], reason["params"], language)
        assert flat(reason["message"]) in report
    assert proposal["reasons"] == [r["message"] for r in proposal["reason_codes"]]


def test_the_codes_are_the_same_in_every_language(env: Path) -> None:
    def coded(language: str) -> list[tuple[str, dict]]:
        proposal = json.loads(recognise(env, "--json", "--lang", language))
        return [(f["code"], f["params"]) for f in proposal["findings"]]

    assert coded("ka") == coded("en") == coded("hy")


def test_english_is_the_default_and_an_unknown_language_is_refused(env: Path) -> None:
    assert "Recognition proposed" in recognise(env)
    result = runner.invoke(
        build_app(),
        [
            "recognise",
            str(env / "credential.yaml"),
            "-p",
            str(env / "programme.yaml"),
            "--lang",
            "de",
        ],
    )
    assert result.exit_code == 2
