"""Outcome extraction: published learning-outcome texts → single, clean learning outcomes.

Outcomes arrive as numbered lists without spaces ("...able to:1.Identify X;2.Describe Y"),
bullets, semicolon lists, run-together sentences ("...systemsGain an understanding of..."),
preambles ("By the end of this course students will be able to:") or as a description only.
The rules below were written against the Glasgow/Deakin, Coursera and VCCS/VT catalogues.
Sentence boundaries come from spaCy's rule-based sentencizer (no model needed), guarded
against abbreviations and lower-case continuations.

Short online courses add their page's furniture: headings glued to the first outcome ("What
you'll learnWrite Python scripts"), a "Skills you'll gain:" list whose items are kept as
written, outcomes as two-word commands ("Debug code") and lists of topics rather than
sentences ("Bayesian InferenceTime Series Forecasting"), kept however short.

Georgian and Armenian texts follow the same path with their own marks: the Armenian full stop
``։`` and comma ``՝``, Georgian „quotation marks“ and Armenian «guillemets», list markers in
their alphabets ("ა)", "բ)"), and their preambles ("კურსის დასრულების შემდეგ სტუდენტს
შეეძლება:", "Դասընթացի ավարտին ուսանողը կկարողանա՝"). Georgian has no letter case: its letters
are lower case to Unicode, so nothing is capitalised or read as a continuation because of it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from recognition_engine.domain import DescribedItem
from recognition_engine.ingestion.outcome_boundaries import (
    SPACES,
    normalise,
    split_fragments,
    starts_lower,
)
from recognition_engine.ingestion.outcome_words import (
    ARMENIAN,
    ARMENIAN_ALPHABET,
    GEORGIAN,
    GEORGIAN_ALPHABET,
    HEADING_WORDS,
    HEADING_WORDS_GEORGIAN_ARMENIAN,
    OUTCOME_VERBS,
)

MIN_WORDS = 3
# An outcome verb says what the learner does: after one, two words are enough ("Debug code").
MIN_WORDS_AFTER_VERB = 2
# Georgian and Armenian say in two words what English says in three ("ქსელის კონფიგურირება").
MIN_WORDS_GEORGIAN_ARMENIAN = 2
# A skill or topic is named in a few words; longer items are sentences, read as outcomes.
MAX_NAME_WORDS = 6

_FINAL_ABBREVIATION = re.compile(r"(?<![\w.])(?:etc|e\.g|i\.e|vs|et al|approx|U\.S|U\.K|Dept)\.\Z")
_ADMIN_TAIL = re.compile(
    r"\b(?:Pre|Co|Pre-?requisites?|Co-?requisites?|Course contact to credit hour structure)"
    r"\s*:.*\Z|\(\d+H, ?\d+C\)",
    re.IGNORECASE | re.DOTALL,
)
# A list of skills ("Skills you'll gain: Python Programming, Data Structures, Debugging") at
# the start of a text, a line or after a bullet or a sentence, or glued to the last outcome.
_SKILLS_HEADING = re.compile(
    r"(?:^|(?<=[\n.!?•●▪◦‣∙·■□➢►✓✔➤])|(?<=[a-z])(?=Skills))[^\S\n]*"
    r"(?i:skills\s+you(?:'|’|\s+wi)ll\s+gain\s*:?|skills\s+gained\s*:?|skills\s*:)"
)
_SKILL_SEPARATOR = re.compile(r"[,;\n•●▪◦‣∙·■□➢►✓✔➤]")
# Never left in an extracted outcome, so extracted outcomes are never glued back together.
_LIST_HINT = re.compile(r"[;\n•●▪◦‣∙·■□➢►✓✔➤]")
_LEADING_MARKER = re.compile(
    r"^(?:[-*•>–—.,;:!?]+(?=\s|$)|o(?=\s)"
    r"|\(?\d{1,2}(?:\.\d{1,2})*[.):](?!\d)"
    rf"|\(?(?:[a-z]|[ivx]{{1,4}}|[{GEORGIAN_ALPHABET}{ARMENIAN_ALPHABET}])\))\s*"
)
_WHO = (
    r"(?:(?:the|a|an|each|all|every|successful)\s+)*"
    r"(?:students?|learners?|you|participants?|graduates?|trainees?|candidates?)\b"
)
_MODAL = r"(?:will|should|shall|must|can|may|would)\s+(?:also\s+)?"
_WHO_MODAL = rf"(?:and\s+)?(?:[^.;:]{{0,160}}?,\s*)?{_WHO}[^.;:]{{0,80}}?\b{_MODAL}"
_ABLE = (
    r"(?:be\s+able\s+to|have\s+the\s+ability\s+to|be\s+expected\s+to|"
    r"have\s+learn(?:ed|t)\s+(?:how\s+)?to|learn\s+(?:how\s+)?to)\b"
)
_PREAMBLE = re.compile(
    rf"^(?:{_WHO_MODAL}{_ABLE}|{_WHO_MODAL}(?:be\s+able\s+to\s*)?(?=:)"
    rf"|(?:and\s+)?(?:also\s+)?be\s+able\s+to\b)\s*:?\s*",
    re.IGNORECASE,
)
# "You will identify X" → "identify X": the modal before a bare verb is preamble too.
_SUBJECT_MODAL = re.compile(
    rf"^(?:and\s+)?(?:[^.;:]{{0,160}}?,\s*)?{_WHO}[^.;:]{{0,80}}?\b(?:will|should|shall)\s+"
    r"(?:also\s+)?(?=[a-z]+\s)(?!be\s|have\s|not\s)",
    re.IGNORECASE,
)
_PREAMBLE_HINT = re.compile(
    r"\b(?:students?|learners?|you|participants?|graduates?|trainees?|candidates?|able)\b",
    re.IGNORECASE,
)
_HEADING_PREFIX = re.compile(
    r"^[^.;:]{0,60}?\b(?:to|about|that|should|will|shall|can|must|following)\s*:\s*",
    re.IGNORECASE,
)
# "After completing the course the student will be able to:" in Georgian (შეეძლება, შეძლებს,
# შეუძლია, უნდა შეძლოს …) and Armenian (կկարողանա, պետք է կարողանա, ունակ կլինի …): all
# that comes before the "be able" verb is preamble.
_GEORGIAN_PREAMBLE = re.compile(
    r"^[^.;:։]{0,160}?(?:შეეძლება|შეეძლებათ|შეძლებს|შეძლებენ|შეუძლია|შეუძლიათ|შეძლოს|შეძლონ)"
    r"(?:\s*[:՝\-–—]\s*|\s+|$)"
)
_ARMENIAN_PREAMBLE = re.compile(
    r"^[^.;:։]{0,160}?(?:կկարողանան?|պետք\s+է\s+կարողանան?|կարողանում\s+են?|"
    r"ունակ\s+կլինեն?|ի\s+վիճակի\s+կլինեն?)(?:\s*[:՝․\-–—]\s*|\s+|$)",
    re.IGNORECASE,
)
_NATIONAL_SCRIPT = re.compile(f"[{GEORGIAN}{ARMENIAN}]")
_LEADING_CONJUNCTION = re.compile(
    r"^(?:(?:and|or)\s+|(?:and|or)(?=[A-Z])|(?:და|ან|ასევე|և|կամ|ինչպես\s+նաև)\s+)"
)
_LEADING_TO = re.compile(r"^to\s+(?=[a-z])", re.IGNORECASE)
_TRAILING = re.compile(r"(?:[\s.;,:(\[։՝]|\s(?:and|or|then|და|ან|և|կամ)(?!\w))+$")
_QUOTE_PAIRS = (('"', '"'), ("„", "“"), ("«", "»"))


def split_outcomes(texts: Sequence[str]) -> list[str]:
    """Return single, cleaned learning outcomes from published outcome texts.

    Each text may hold many outcomes; the result keeps their order, without repeats. The
    items of a skills list ("Skills you'll gain: ...") follow the outcomes of their text, each
    as written, however short; so do the items of a list of topics (see ``_is_topic_list``).
    """
    texts_and_skills = [_skills_list(normalise(text)) for text in _rejoin(texts)]
    cleaned = [
        [_clean(fragment) for fragment in split_fragments(text)] for text, _ in texts_and_skills
    ]
    topics = _is_topic_list([fragment for fragments in cleaned for fragment in fragments])
    outcomes: list[str] = []
    for (_, skills), fragments in zip(texts_and_skills, cleaned, strict=True):
        outcomes += [f for f in fragments if _is_outcome(f) or (topics and _is_topic(f))]
        outcomes += skills
    return _unique(outcomes)


def outcomes_of(item: DescribedItem) -> list[str]:
    """Return the item's outcomes; an item with a description only contributes its sentences.

    Published outcomes are the evidence, so the description is read only when they yield
    nothing. If neither yields an outcome (MIN_WORDS words, fewer after an outcome verb), the
    whole cleaned text (or the title) is returned so that every item can still be matched.
    """
    outcomes = split_outcomes(item.learning_outcomes)
    if outcomes:
        return outcomes
    description = _ADMIN_TAIL.sub("", normalise(item.description or ""))
    outcomes = split_outcomes([description])
    if outcomes:
        return outcomes
    fallback = " ".join(item.learning_outcomes) if any(item.learning_outcomes) else description
    return [_clean(fallback) or item.title]


def _rejoin(texts: Sequence[str]) -> list[str]:
    """Return the texts with comma-split continuations glued back onto the list they came from.

    Some catalogues were scraped by splitting at commas, so one published list arrives as
    ["...able to:1.Explain X", "such as arrays", "and hash tables;2.Use Y"]: a text that starts
    in lower case after an unfinished multi-outcome text is the rest of that text.
    """
    joined: list[str] = []
    for text in texts:
        text = text.strip()
        previous = joined[-1] if joined else ""
        if starts_lower(text) and previous[-1:] not in ".!?;:։" and _LIST_HINT.search(previous):
            joined[-1] = f"{previous}, {text}"
        else:
            joined.append(text)
    return joined


def _skills_list(text: str) -> tuple[str, list[str]]:
    """Return a normalised text without its trailing skills list, and the skills of that list.

    A heading over items too long to be skill names leaves the text whole: its items are read
    as outcomes.
    """
    heading = _SKILLS_HEADING.search(text)
    if heading is None:
        return text, []
    skills = [_skill(item) for item in _SKILL_SEPARATOR.split(text[heading.end() :])]
    skills = [skill for skill in skills if skill]
    if not skills or any(len(skill.split()) > MAX_NAME_WORDS for skill in skills):
        return text, []
    return text[: heading.start()], skills


def _skill(item: str) -> str:
    """Return a skill name as written, without list markers, a leading "and", or end marks."""
    item = _LEADING_MARKER.sub("", item.strip())
    return _strip_trailing(_LEADING_CONJUNCTION.sub("", item))


def _clean(fragment: str) -> str:
    """Return a fragment without markers, preambles, conjunctions and trailing punctuation."""
    previous = None
    text = fragment
    while text != previous:
        previous = text
        text = SPACES.sub(" ", text.replace("\n", " ")).strip()
        text = _LEADING_MARKER.sub("", text)
        # The preamble patterns backtrack a lot: try them only where a preamble is possible.
        if _PREAMBLE_HINT.search(text, 0, 300):
            text = _PREAMBLE.sub("", text)
            text = _SUBJECT_MODAL.sub("", text)
        if _NATIONAL_SCRIPT.search(text, 0, 200):
            text = _GEORGIAN_PREAMBLE.sub("", text)
            text = _ARMENIAN_PREAMBLE.sub("", text)
        text = _HEADING_PREFIX.sub("", text)
        text = _LEADING_CONJUNCTION.sub("", text)
        text = _LEADING_TO.sub("", text)
        text = _strip_trailing(_unwrap(text))
    return _capitalise(text)


def _unwrap(text: str) -> str:
    """Return text without a leading "(" or trailing ")" left unmatched by sentence splitting."""
    if text.startswith("(") and text.count("(") > text.count(")"):
        text = text[1:].lstrip()
    if text.endswith(")") and text.count(")") > text.count("("):
        text = text[:-1].rstrip()
    for opening, closing in _QUOTE_PAIRS:
        if opening == closing:
            unmatched = text.count(opening) % 2 == 1
            if unmatched and (text.startswith(opening) or text.endswith(opening)):
                text = text[1:] if text.startswith(opening) else text[:-1]
            continue
        if text.startswith(opening) and text.count(opening) > text.count(closing):
            text = text[1:].lstrip()
        if text.endswith(closing) and text.count(closing) > text.count(opening):
            text = text[:-1].rstrip()
    return text


def _strip_trailing(text: str) -> str:
    """Return text without trailing punctuation, keeping the period of a final abbreviation."""
    if _FINAL_ABBREVIATION.search(text):
        return text
    stripped = _TRAILING.sub("", text)
    kept_period = f"{stripped}."
    if text.startswith(kept_period) and _FINAL_ABBREVIATION.search(kept_period):
        return kept_period
    return stripped


def _capitalise(text: str) -> str:
    """Return text with its first letter in upper case when the first word is all lower case."""
    first = text.split(" ", 1)[0]
    if first.isalpha() and first.islower() and starts_lower(first):
        return text[0].upper() + text[1:]
    return text


def _is_outcome(text: str) -> bool:
    """Return whether a cleaned fragment is long enough and not a pure heading."""
    words = _content_words(text)
    national = bool(_NATIONAL_SCRIPT.search(text))
    return len(words) >= _least_words(words, national) and not _is_heading(words, national)


def _is_topic_list(fragments: Sequence[str]) -> bool:
    """Return whether cleaned fragments name at least two topics and nothing longer.

    Outcomes published as topics ("Bayesian InferenceTime Series ForecastingHierarchical
    Modeling") are lost to the length rule once split; only a list of names keeps them all.
    """
    topics = {fragment.casefold() for fragment in fragments if _is_topic(fragment)}
    long_ones = (f for f in fragments if len(_content_words(f)) > MAX_NAME_WORDS)
    return len(topics) >= 2 and not any(long_ones)


def _is_topic(text: str) -> bool:
    """Return whether a cleaned fragment could name a topic: some words, not a heading."""
    words = _content_words(text)
    national = bool(_NATIONAL_SCRIPT.search(text))
    return 0 < len(words) <= MAX_NAME_WORDS and not _is_heading(words, national)


def _content_words(text: str) -> list[str]:
    """Return the words of a text that hold a letter or digit."""
    return [word for word in text.split() if any(char.isalnum() for char in word)]


def _is_heading(words: Sequence[str], national: bool) -> bool:
    """Return whether every word is a heading word ("Knowledge and understanding")."""
    headings = HEADING_WORDS | HEADING_WORDS_GEORGIAN_ARMENIAN if national else HEADING_WORDS
    return all(word.strip(",:-՝").lower() in headings for word in words)


def _least_words(words: Sequence[str], national: bool) -> int:
    """Return how many words a fragment needs to be an outcome."""
    if national:
        return MIN_WORDS_GEORGIAN_ARMENIAN
    return MIN_WORDS_AFTER_VERB if _opens_with_verb(words) else MIN_WORDS


def _opens_with_verb(words: Sequence[str]) -> bool:
    """Return whether words open with an outcome verb and its object ("Debug code", "Use APIs").

    A capitalised word after the verb makes a title or a name instead ("Test Automation",
    "Compute Engine"); cleaning has capitalised the verb, so "use Git" is lost with them.
    """
    if len(words) < 2 or words[0].lower() not in OUTCOME_VERBS:
        return False
    following = words[1]
    return not (following[:1].isupper() and following[1:].islower())


def _unique(outcomes: Iterable[str]) -> list[str]:
    """Return outcomes without repeats (ignoring case), first occurrence first."""
    seen: set[str] = set()
    unique: list[str] = []
    for outcome in outcomes:
        key = outcome.casefold()
        if key not in seen:
            seen.add(key)
            unique.append(outcome)
    return unique
