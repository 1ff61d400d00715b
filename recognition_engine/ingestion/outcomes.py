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
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache

from spacy.language import Language

from recognition_engine.domain import DescribedItem

MIN_WORDS = 3
# An outcome verb says what the learner does: after one, two words are enough ("Debug code").
MIN_WORDS_AFTER_VERB = 2
# Georgian and Armenian say in two words what English says in three ("ქსელის კონფიგურირება").
MIN_WORDS_GEORGIAN_ARMENIAN = 2
# A skill or topic is named in a few words; longer items are sentences, read as outcomes.
MAX_NAME_WORDS = 6

_GEORGIAN = "\u10d0-\u10ff\u1c90-\u1cbf"  # Mkhedruli and Mtavruli
_ARMENIAN = "\u0531-\u0556\u0561-\u0587"
_LETTERS = f"A-Za-z{_GEORGIAN}{_ARMENIAN}"
_GEORGIAN_ALPHABET = "აბგდევზთიკლმნოპჟრსტუფქღყშჩცძწჭხჯჰ"
_ARMENIAN_ALPHABET = "աբգդեզէըթժիլխծկհձղճմյնշոչպջռսվտրցւփքօֆ"


def _words(text: str) -> tuple[str, ...]:
    """Return the words of a space-separated word list."""
    return tuple(text.split())


_HARD = "\x1e"  # boundary that no later rule may undo (list markers, bullets, semicolons)

# Verbs that open learning outcomes. A capitalised one glued to, or following, a lower-case
# word marks a lost boundary ("useRead in", "portfolios Implement robust estimates").
# Product names that are also verbs (Excel, Spark, Access, Build, Go) are left out on purpose.
_VERBS = _words(
    "Acquire Analyse Analyze Apply Appraise Appreciate Argue Articulate Assess Become Calculate "
    "Carry Choose Classify Code Collaborate Communicate Compare Compute Conduct Configure "
    "Construct Contrast Create Critically Critique Debug Deduce Define Demonstrate Deploy "
    "Derive Describe Design Determine Develop Differentiate Discover Discuss Distinguish Employ "
    "Enumerate Estimate Evaluate Examine Explain Explore Fit Formulate Gain Identify Illustrate "
    "Implement Install Integrate Interpret Investigate Justify Know Learn List Maintain Manage "
    "Master Name Normalise Normalize Operate Outline Perform Plan Predict Prepare Present "
    "Produce Propose Read Recall Recognise Recognize Reflect Relate Review Select Solve "
    "Summarise Summarize Synthesise Synthesize Troubleshoot Understand Use Utilise Utilize "
    "Validate Verify Visualise Visualize Write"
)
_VERB_ALT = "|".join(_VERBS)
# Glued to a lower-case word ("outliersComplete a project") these are boundaries too, but
# after a space they are as often names ("Google Cloud Build", "Microsoft Access").
_GLUED_VERBS = _words(
    "Access Add Advance Arrange Automate Bring Build Collect Complete Connect Convert Customize "
    "Deliver Detect Draw Engage Enhance Establish Export Extend Import Improve Inspect Interact "
    "Leverage Manipulate Measure Modify Monitor Navigate Optimise Optimize Practice Put Record "
    "Set Setup Test Track Train Transform"
)
_GLUED_VERB_ALT = "|".join(_VERBS + _GLUED_VERBS)
# A fragment of two words is an outcome when it opens with one of these ("Debug code").
_OUTCOME_VERBS = frozenset(
    verb.lower() for verb in _VERBS + _GLUED_VERBS + _words("Map Model Process Query Report")
)
# Words after which a capitalised verb is an object or title, not a new outcome ("the Build").
_FUNCTION_WORDS = frozenset(
    _words(
        "a an the of in on for with to and or nor using via by from your our their its this "
        "these that those into as at than how what which who about"
    )
)
_FINAL_ABBREVIATION = re.compile(r"(?<![\w.])(?:etc|e\.g|i\.e|vs|et al|approx|U\.S|U\.K|Dept)\.\Z")
_HEADING_WORDS = frozenset(
    _words(
        "knowledge understanding skills skill attitudes values competences competencies "
        "abilities and & of key general generic subject specific subject-specific cognitive "
        "practical transferable intellectual professional personal intended learning outcomes "
        "outcome aims aim objectives objective"
    )
)
_ROMANS = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii")
_HEADING_WORDS_GEORGIAN_ARMENIAN = frozenset(
    _words(
        "სწავლის სწავლების შედეგები შედეგი ცოდნა გაცნობიერება უნარი უნარები და "
        "პასუხისმგებლობა ავტონომიურობა ღირებულებები კომპეტენციები "
        "կրթական ուսումնառության ուսման վերջնարդյունքներ արդյունքներ արդյունքները գիտելիք "
        "գիտելիքներ ըմբռնում և հմտություններ կարողություններ կոմպետենցիաներ"
    )
)

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200d\u2028\u2029\ufeff]")
_SPACES = re.compile(r"[^\S\n]+")
_INLINE_BULLET = re.compile(r"\s*[•●▪◦‣∙·■□➢►✓✔➤]\s*")
_LINE_BULLET = re.compile(r"(?m)^\s*(?:[-*–—>]|o(?=\s+[A-Za-z]))\s+")
_NUMBER_MARKER = re.compile(
    r"(?=[(\d])(?<![\d/\\])(?<!\d[.,:-])(?P<open>\()?(?P<num>\d{1,2}(?:\.\d{1,2})*)(?P<close>[.):])?(?!\d)"
    rf"(?=(?P<gap>\s*)[{_LETTERS}\"'(“‘„«])"
)
_LETTER_MARKER = re.compile(
    rf"(?<![\w.])\(?(?P<tag>[a-z]|[ivx]{{1,4}}|[{_GEORGIAN_ALPHABET}{_ARMENIAN_ALPHABET}])\)"
    rf"(?=\s*[{_LETTERS}\"'(“‘„«])"
)
_ADMIN_TAIL = re.compile(
    r"\b(?:Pre|Co|Pre-?requisites?|Co-?requisites?|Course contact to credit hour structure)"
    r"\s*:.*\Z|\(\d+H, ?\d+C\)",
    re.IGNORECASE | re.DOTALL,
)
_GLUED_PERIOD = re.compile(r"(?<=[a-z]{2})\.(?=[A-Z][a-z])")
_SEAM = re.compile(r"[a-z)][A-Z]|[a-z]\.[A-Za-z]")  # cheap test before the glue patterns
_GLUED_PERIOD_VERB = re.compile(rf"(?<=[a-z]{{2}})\.(?=(?:{_VERB_ALT})\s)", re.IGNORECASE)
# Also after an acronym ("...sources and MAX-IVYou will learn").
_GLUED_VERB = re.compile(
    rf"(?<=[a-z]{{2}}|[A-Z]{{2}})(?=[A-Z])(?=(?:{_GLUED_VERB_ALT}|How to|You will)\s)"
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
_SPACED_VERB = re.compile(rf"\b(?P<word>[a-z][a-z'’-]*) (?=(?:{_VERB_ALT}|How to|The|You will) )")
# Headings of a published list, often glued to its first item by scraping ("What you'll
# learnWrite Python scripts", "Learning OutcomesDescribe ..."): boundaries, never outcomes.
_LIST_HEADING = re.compile(
    r"(?m)(?:^|(?<=\x1e))[^\S\n]*(?:"
    r"(?i:what\s+you(?:'|’|\s+wi)ll\s+learn|(?:intended\s+)?learning\s+outcomes?"
    r"|course\s+objectives|skills\s+you(?:'|’|\s+wi)ll\s+gain|skills\s+gained)"
    r"(?:\s*:\s*|[^\S\n]*(?=[A-Z\x1e]|$))"
    r"|(?i:objectives|skills)\s*:\s*)"
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
# Sentence ends in Georgian and Armenian, which spaCy's tokenizer does not split after their
# letters: "." after a word (not after "მაგ." e.g., "ა.შ." etc., "օր." e.g., "այլն." etc.), the
# Armenian full stop, and either glued to the next sentence ("...დაპროექტება.ქსელის").
_NATIONAL_STOP = re.compile(
    rf"(?<=[{_GEORGIAN}{_ARMENIAN}]{{2}})(?<!მაგ)(?<!ანუ)(?<!օր)(?<!այլն)(?<!տես)(?<!էջ)\."
    rf"(?=\s|[{_GEORGIAN}{_ARMENIAN}])|։"
)
_LEADING_MARKER = re.compile(
    r"^(?:[-*•>–—.,;:!?]+(?=\s|$)|o(?=\s)"
    r"|\(?\d{1,2}(?:\.\d{1,2})*[.):](?!\d)"
    rf"|\(?(?:[a-z]|[ivx]{{1,4}}|[{_GEORGIAN_ALPHABET}{_ARMENIAN_ALPHABET}])\))\s*"
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
_NATIONAL_SCRIPT = re.compile(f"[{_GEORGIAN}{_ARMENIAN}]")
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
    texts_and_skills = [_skills_list(_normalise(text)) for text in _rejoin(texts)]
    cleaned = [[_clean(fragment) for fragment in _fragments(text)] for text, _ in texts_and_skills]
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
    description = _ADMIN_TAIL.sub("", _normalise(item.description or ""))
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
        if _starts_lower(text) and previous[-1:] not in ".!?;:։" and _LIST_HINT.search(previous):
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


def _fragments(text: str) -> list[str]:
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


def _normalise(text: str) -> str:
    """Return text in NFKC form without control characters, with single spaces, lines kept."""
    # NFKC would spell the Armenian letter "և" as "եւ": normalise around it.
    text = "և".join(unicodedata.normalize("NFKC", part) for part in text.split("և"))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub(" ", text).replace("\t", " ")
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))


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
    for sequence in ("abcdefghijklmnopqrstuvwxyz", _ROMANS, _GEORGIAN_ALPHABET, _ARMENIAN_ALPHABET):
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
    return f"{word} " if word in _FUNCTION_WORDS else f"{word}{_HARD}"


def _split_after_word(match: re.Match[str]) -> str:
    """Return the matched word followed by a boundary, unless a space was lost after it.

    Spaces go missing after function words and opening verbs ("theObject", "AppreciateData").
    """
    word = match["word"]
    opening_verb = word[:1].isupper() and word.lower() in _OUTCOME_VERBS
    return word if word in _FUNCTION_WORDS or opening_verb else f"{word}{_HARD}"


def _split_repeated_opener(piece: str) -> list[str]:
    """Return a lower-case piece split where its first two words open a glued item again.

    Lists scraped without separators or capitals ("how to plan projectshow to lead teams")
    repeat their opening words. Openers of short words are left alone: "use the" would split
    "because the".
    """
    opener = piece.split()[:2]
    if not _starts_lower(piece) or len(opener) < 2:
        return [piece]
    if opener != ["how", "to"] and (len(opener[0]) < 4 or opener[0] in _FUNCTION_WORDS):
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
        if sentences and _starts_lower(text):
            sentences[-1] = f"{sentences[-1]} {text}"
        elif text:
            sentences.append(text)
    return sentences


def _starts_lower(text: str) -> bool:
    """Return whether text starts with a lower-case letter of a script that has letter case.

    Georgian letters are lower case to Unicode although Georgian has no capitals.
    """
    first = text[:1]
    return first.islower() and not re.match(f"[{_GEORGIAN}]", first)


def _clean(fragment: str) -> str:
    """Return a fragment without markers, preambles, conjunctions and trailing punctuation."""
    previous = None
    text = fragment
    while text != previous:
        previous = text
        text = _SPACES.sub(" ", text.replace("\n", " ")).strip()
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
    if first.isalpha() and first.islower() and _starts_lower(first):
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
    headings = _HEADING_WORDS | _HEADING_WORDS_GEORGIAN_ARMENIAN if national else _HEADING_WORDS
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
    if len(words) < 2 or words[0].lower() not in _OUTCOME_VERBS:
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
