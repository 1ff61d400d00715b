"""Outcome boundaries: a published outcome text → its fragments, one outcome candidate each.

Hard boundaries come first (bullets, list markers in outline order, semicolons, headings glued
to a list, run-together words), then sentences from spaCy's rule-based sentencizer (no model
needed), guarded against lower-case continuations.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from spacy.language import Language

from recognition_engine.ingestion.outcome_words import (
    ARMENIAN,
    ARMENIAN_ALPHABET,
    FUNCTION_WORDS,
    GEORGIAN,
    GEORGIAN_ALPHABET,
    GLUED_VERB_ALT,
    LETTERS,
    OUTCOME_VERBS,
    ROMANS,
    VERB_ALT,
)

_HARD = "\x1e"  # boundary that no later rule may undo (list markers, bullets, semicolons)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200d\u2028\u2029\ufeff]")
SPACES = re.compile(r"[^\S\n]+")
_INLINE_BULLET = re.compile(r"\s*[•●▪◦‣∙·■□➢►✓✔➤]\s*")
_LINE_BULLET = re.compile(r"(?m)^\s*(?:[-*–—>]|o(?=\s+[A-Za-z]))\s+")
_NUMBER_MARKER = re.compile(
    r"(?=[(\d])(?<![\d/\\])(?<!\d[.,:-])(?P<open>\()?(?P<num>\d{1,2}(?:\.\d{1,2})*)(?P<close>[.):])?(?!\d)"
    rf"(?=(?P<gap>\s*)[{LETTERS}\"'(“‘„«])"
)
_LETTER_MARKER = re.compile(
    rf"(?<![\w.])\(?(?P<tag>[a-z]|[ivx]{{1,4}}|[{GEORGIAN_ALPHABET}{ARMENIAN_ALPHABET}])\)"
    rf"(?=\s*[{LETTERS}\"'(“‘„«])"
)
_GLUED_PERIOD = re.compile(r"(?<=[a-z]{2})\.(?=[A-Z][a-z])")
_SEAM = re.compile(r"[a-z)][A-Z]|[a-z]\.[A-Za-z]")  # cheap test before the glue patterns
_GLUED_PERIOD_VERB = re.compile(rf"(?<=[a-z]{{2}})\.(?=(?:{VERB_ALT})\s)", re.IGNORECASE)
# Also after an acronym ("...sources and MAX-IVYou will learn").
_GLUED_VERB = re.compile(
    rf"(?<=[a-z]{{2}}|[A-Z]{{2}})(?=[A-Z])(?=(?:{GLUED_VERB_ALT}|How to|You will)\s)"
)
# Any capitalised word glued to a word before is a lost boundary too ("distressEmpathic
# approaches", "(EAM)Clinical", "NFTsMechanics"), but names and code glue words on purpose
# ("iPhone", "JavaScript", "TensorFlow", "DevOps"): their first part is short or capitalised,
# rarely a capitalised word of eight letters or more ("Time Series ForecastingHierarchical").
_GLUED_WORD = re.compile(
    r"(?P<word>(?<![A-Za-z-])[a-z]{3,}|(?<=[a-z ])[A-Z][a-z]{7,}|(?<=[A-Z]{2})s|\))"
    r"(?=[A-Z][a-z])"
)
# After a lower-case word, these open a new outcome ("finish The importance of ...").
_SPACED_VERB = re.compile(rf"\b(?P<word>[a-z][a-z'’-]*) (?=(?:{VERB_ALT}|How to|The|You will) )")
# Headings of a published list, often glued to its first item by scraping ("What you'll
# learnWrite Python scripts", "Learning OutcomesDescribe ..."): boundaries, never outcomes.
_LIST_HEADING = re.compile(
    r"(?m)(?:^|(?<=\x1e))[^\S\n]*(?:"
    r"(?i:what\s+you(?:'|’|\s+wi)ll\s+learn|(?:intended\s+)?learning\s+outcomes?"
    r"|course\s+objectives|skills\s+you(?:'|’|\s+wi)ll\s+gain|skills\s+gained)"
    r"(?:\s*:\s*|[^\S\n]*(?=[A-Z\x1e]|$))"
    r"|(?i:objectives|skills)\s*:\s*)"
)
# Sentence ends in Georgian and Armenian, which spaCy's tokenizer does not split after their
# letters: "." after a word (not after "მაგ." e.g., "ა.შ." etc., "օր." e.g., "այլն." etc.), the
# Armenian full stop, and either glued to the next sentence ("...დაპროექტება.ქსელის").
_NATIONAL_STOP = re.compile(
    rf"(?<=[{GEORGIAN}{ARMENIAN}]{{2}})(?<!მაგ)(?<!ანუ)(?<!օր)(?<!այլն)(?<!տես)(?<!էջ)\."
    rf"(?=\s|[{GEORGIAN}{ARMENIAN}])|։"
)


def split_fragments(text: str) -> list[str]:
    """Return the sentences of every piece of a normalised text, uncleaned."""
    return [sentence for piece in _pieces(text) for sentence in _sentences(piece)]


def _pieces(text: str) -> list[str]:
    """Return the fragments of a normalised text between hard boundaries (lists, bullets, ';')."""
    text = _INLINE_BULLET.sub(_HARD, text)
    text = _LINE_BULLET.sub(_HARD, text)
    text = _LIST_HEADING.sub(_HARD, text)
    text = _mark_numbered(text)
    text = _mark_lettered(text)
    text = re.sub(r"\n(?=\s*[a-z])", " ", text)  # a wrapped line continues its sentence
    text = text.replace("\n", _HARD).replace(";", _HARD)
    text = _NATIONAL_STOP.sub(lambda stop: stop[0] + _HARD, text)
    if _SEAM.search(text):
        text = _GLUED_PERIOD.sub("." + _HARD, text)
        text = _GLUED_PERIOD_VERB.sub("." + _HARD, text)
        text = _GLUED_VERB.sub(_HARD, text)
        text = _GLUED_WORD.sub(_split_after_word, text)
    text = _SPACED_VERB.sub(_split_before_verb, text)
    pieces = [piece.strip() for piece in text.split(_HARD) if piece.strip()]
    return [part for piece in pieces for part in _split_repeated_opener(piece)]


def normalise(text: str) -> str:
    """Return text in NFKC form without control characters, with single spaces, lines kept."""
    # NFKC would spell the Armenian letter "և" as "եւ": normalise around it.
    text = "և".join(unicodedata.normalize("NFKC", part) for part in text.split("և"))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub(" ", text).replace("\t", " ")
    return "\n".join(SPACES.sub(" ", line).strip() for line in text.split("\n"))


def _mark_numbered(text: str) -> str:
    """Return text with the markers of a numbered list ("1.", "2)", "(3)", "1.1") as boundaries."""
    accepted: list[re.Match[str]] = []
    previous: tuple[int, ...] | None = None
    for match in _NUMBER_MARKER.finditer(text):
        number = tuple(int(part) for part in match["num"].split("."))
        if not _is_marker_shape(match, len(number)):
            continue
        if number in ((1,), (1, 1)) or (previous is not None and _follows(previous, number)):
            accepted.append(match)
            previous = number
    return _replace_markers(text, accepted)


def _is_marker_shape(match: re.Match[str], depth: int) -> bool:
    """Return whether a number looks like a list marker rather than content ("IPv4", "2.3 of")."""
    if match["open"]:
        return match["close"] == ")"
    if match["close"]:
        return True
    return depth > 1 and bool(match["gap"])


def _follows(previous: tuple[int, ...], number: tuple[int, ...]) -> bool:
    """Return whether number comes next in outline order after previous (1.2 → 1.3, 2, 2.1)."""
    if number == (*previous, 1):
        return True
    for depth in range(len(previous)):
        head = (*previous[:depth], previous[depth] + 1)
        if number[: len(head)] == head and all(part == 1 for part in number[len(head) :]):
            return True
    return False


def _mark_lettered(text: str) -> str:
    """Return text with the markers of an "(a) (b)" or "i) ii)" list as boundaries."""
    for sequence in ("abcdefghijklmnopqrstuvwxyz", ROMANS, GEORGIAN_ALPHABET, ARMENIAN_ALPHABET):
        accepted: list[re.Match[str]] = []
        expected = 0
        for match in _LETTER_MARKER.finditer(text):
            tag = match["tag"]
            if tag not in sequence:
                continue
            position = sequence.index(tag)
            if position == 0 or position == expected:
                accepted.append(match)
                expected = position + 1
        text = _replace_markers(text, accepted)
    return text


def _replace_markers(text: str, markers: list[re.Match[str]]) -> str:
    """Return text with each marker replaced by a hard boundary, if they make a list (≥ 2)."""
    if len(markers) < 2:
        return text
    for match in reversed(markers):
        text = text[: match.start()] + _HARD + text[match.end() :]
    return text


def _split_before_verb(match: re.Match[str]) -> str:
    """Return the matched word followed by a boundary, unless it is a function word."""
    word = match["word"]
    return f"{word} " if word in FUNCTION_WORDS else f"{word}{_HARD}"


def _split_after_word(match: re.Match[str]) -> str:
    """Return the matched word followed by a boundary, unless a space was lost after it.

    Spaces go missing after function words and opening verbs ("theObject", "AppreciateData").
    """
    word = match["word"]
    opening_verb = word[:1].isupper() and word.lower() in OUTCOME_VERBS
    return word if word in FUNCTION_WORDS or opening_verb else f"{word}{_HARD}"


def _split_repeated_opener(piece: str) -> list[str]:
    """Return a lower-case piece split where its first two words open a glued item again.

    Lists scraped without separators or capitals ("how to plan projectshow to lead teams")
    repeat their opening words. Openers of short words are left alone: "use the" would split
    "because the".
    """
    opener = piece.split()[:2]
    if not starts_lower(piece) or len(opener) < 2:
        return [piece]
    if opener != ["how", "to"] and (len(opener[0]) < 4 or opener[0] in FUNCTION_WORDS):
        return [piece]
    glued = re.compile(rf"(?<=[a-z]{{4}})(?={re.escape(' '.join(opener))}\b)")
    return [part.strip() for part in glued.split(piece) if part.strip()]


@lru_cache(maxsize=1)
def _sentencizer() -> Language:
    """Return the rule-based spaCy pipeline (blank English + sentencizer), built once."""
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def _sentences(piece: str) -> list[str]:
    """Return the sentences of a fragment; a sentence starting in lower case stays attached."""
    if not re.search(r"[.!?]\s", piece):
        return [piece]
    sentences: list[str] = []
    for span in _sentencizer()(piece).sents:
        text = span.text.strip()
        if sentences and starts_lower(text):
            sentences[-1] = f"{sentences[-1]} {text}"
        elif text:
            sentences.append(text)
    return sentences


def starts_lower(text: str) -> bool:
    """Return whether text starts with a lower-case letter of a script that has letter case.

    Georgian letters are lower case to Unicode although Georgian has no capitals.
    """
    first = text[:1]
    return first.islower() and not re.match(f"[{GEORGIAN}]", first)
