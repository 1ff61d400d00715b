"""The lexical index of a catalogue whose texts hold no word but stop words."""

from __future__ import annotations

from recognition_engine.learning.lexical import LexicalIndex


def test_a_catalogue_of_stop_words_has_no_similarity_rather_than_an_error() -> None:
    index = LexicalIndex(["CE1", "CE2"], ["0", "the and of"])
    assert index.similarity("routing and switching", ["CE2", "CE1"]).tolist() == [0.0, 0.0]
