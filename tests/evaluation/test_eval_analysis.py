"""Text-mining helpers: vague verbs, bundled verbs, EU 2022 completeness of credential YAMLs."""

from __future__ import annotations

from pathlib import Path

import pytest

from evaluation.analysis import analyze_corpus, bundled_verbs, load_corpus, vague_verb


@pytest.mark.parametrize(
    ("text", "vague"),
    [
        ("Understand the principles of accounting.", "understand"),
        ("Students will be able to gain a basic understanding of networks.", "understand"),
        ("Be aware of the ethical issues of data use.", "be aware of"),
        ("Appreciate the role of design.", "appreciate"),
        ("Know the main SQL commands.", "know"),
        ("Explain the TCP/IP stack.", None),
        ("Design a relational schema.", None),
    ],
)
def test_vague_verbs(text: str, vague: str | None) -> None:
    assert vague_verb(text) == vague


def test_bundled_verbs() -> None:
    assert bundled_verbs("Analyse, design and implement databases.")[:3] == [
        "analyze",
        "design",
        "implement",
    ]
    assert len(bundled_verbs("Explain routing and apply it to small networks.")) == 2
    assert len(bundled_verbs("Describe the role of data and information.")) == 1


def test_credential_yamls_are_checked_against_eu_2022() -> None:
    folder = Path(__file__).parents[2] / "corpora" / "credentials"
    if not folder.is_dir():
        pytest.skip("no credential corpus")
    analysis = analyze_corpus(load_corpus(folder))
    assert analysis.kind.startswith("micro-credentials") and analysis.items >= 1
    assert "type of quality assurance" in analysis.completeness
    assert analysis.completeness["learning outcomes"] == 1.0
    assert sum(analysis.bloom_distribution.values()) == pytest.approx(1.0)
