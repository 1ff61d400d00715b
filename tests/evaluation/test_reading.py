"""Which model reads an equivalence set in ``evaluate``: the one the deployment gives it."""

from __future__ import annotations

from pathlib import Path

import pytest

from evaluation.datasets import ItemText, RetrievalTask
from evaluation.reading import dominant_language, reading
from recognition_engine.config import Settings


def _item(identifier: str, text: str, language: str | None = None) -> ItemText:
    return ItemText(identifier, text, text, (text,), language=language)


ENGLISH = (
    _item("m1", "Design relational databases and write SQL queries"),
    _item("m2", "Configure routers and switches in a small office network"),
)
GEORGIAN = (
    _item("c1", "მონაცემთა ბაზების დაპროექტება და SQL მოთხოვნების წერა"),
    _item("c2", "ქსელის ადმინისტრირება მცირე ოფისისთვის"),
)


def _task(credentials: tuple[ItemText, ...]) -> RetrievalTask:
    return RetrievalTask("set", ENGLISH, credentials, {c.id: {"m1": 1} for c in credentials})


def _settings(tmp_path: Path, multilingual: str) -> Settings:
    return Settings(
        data_dir=tmp_path / "var", embedder="fake", multilingual=multilingual, _env_file=None
    )


def test_an_english_set_stays_on_the_english_model(tmp_path: Path) -> None:
    settings = _settings(tmp_path, "non-english")
    read = reading(_task(ENGLISH), settings)
    assert read.embedder.model_id == read.catalogue.model_id == "hashing-256"
    assert read.settings.outcome_match_threshold == settings.outcome_match_threshold
    assert (read.credential_language, read.catalogue_language) == ("en", "en")


def test_a_georgian_set_is_read_by_the_multilingual_model_on_its_own_scale(
    tmp_path: Path,
) -> None:
    settings = _settings(tmp_path, "non-english")
    read = reading(_task(GEORGIAN), settings)
    assert read.embedder.model_id.startswith("e5:") and read.embedder.model_id.endswith(":query")
    assert read.catalogue.model_id.endswith(":passage")
    # the Georgian → English pair's outcome threshold, as the engine applies it
    pair = settings.multilingual_pair_thresholds["ka-en"]
    assert read.settings.outcome_match_threshold == pair["outcome_match_threshold"]
    assert read.settings.min_proposal_score == settings.multilingual_min_proposal_score
    assert "credentials in ka, catalogue in en" in read.note()


def test_off_reads_a_georgian_set_on_the_english_model(tmp_path: Path) -> None:
    read = reading(_task(GEORGIAN), _settings(tmp_path, "off"))
    assert read.embedder.model_id == "hashing-256"


@pytest.mark.parametrize(
    ("declared", "expected"), [(None, "en"), ("en", "en"), ("de", "de"), ("Georgian", "en")]
)
def test_a_declared_language_counts_where_the_texts_script_agrees(
    declared: str | None, expected: str
) -> None:
    assert dominant_language([_item(m.id, m.text, declared) for m in ENGLISH]) == expected


def test_a_set_takes_the_language_of_most_of_its_items() -> None:
    assert dominant_language([*GEORGIAN, ENGLISH[0]]) == "ka"
    assert dominant_language([_item("a", "Ցանցերի կառավարում", "en")]) == "hy"
    assert dominant_language([]) is None
