"""Leading action verbs of a learning outcome, and their Bloom level from a verb lexicon.

No part-of-speech model is available offline, so verbs are found by position: a learning outcome
is written as "[preamble] verb [and verb] object", and the lexicon of Bloom verbs
(``data/bloom_verbs.yaml``, written from public Bloom lists) tells verbs from other words.
British spellings are normalised to American ones (analyse → analyze), which is how the lexicon
and the ``BloomLevel`` names are spelt.
"""

from __future__ import annotations

import functools
import gzip
import json
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import yaml

from recognition_engine.domain import BloomLevel

BLOOM_ORDER: tuple[BloomLevel, ...] = tuple(BloomLevel)

# Preambles before the first verb: "On completion of this unit, students will be able to:".
_PREAMBLES = (
    re.compile(
        r"^(?:(?:on|upon|by|at|after|following)\s+(?:the\s+)?(?:successful\s+)?"
        r"(?:completion|end|conclusion|finishing)\b[^,:;]{0,120}?[,:;])\s*",
        re.IGNORECASE,
    ),
    re.compile(
        r"^.{0,120}?\b(?:will|should|shall|must|can|may|are|is)\s+(?:also\s+)?(?:be\s+)?"
        r"(?:able|expected|required|prepared|equipped)\s+to\b\s*:?\s*",
        re.IGNORECASE,
    ),
    re.compile(
        r"^(?:the\s+)?(?:students?|learners?|participants?|graduates?|candidates?|you)\s+"
        r"(?:will|should|shall|must|can|may)\s+(?:be\s+able\s+to\s+)?",
        re.IGNORECASE,
    ),
    re.compile(r"^(?:be\s+able\s+to|ability\s+to|able\s+to)\s+", re.IGNORECASE),
)
# Numbering and bullets: "1.", "2)", "(a)", "iv.", "-", "•", "LO1:".
_ENUMERATION = re.compile(
    r"^\s*(?:(?:\(?\d{1,2}[.)]|\(?[a-hA-H][.)]|\(?[ivxIVX]{1,4}[.)])(?!\w)|[-–•*·▪]|"
    r"(?:LO|CLO|ILO)\s*\d+\s*[:.)-]?)\s*"
)
_PARENTHETICAL = re.compile(r"^\s*\([^)]{0,200}\)\s*")
_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)?|/|,|;|:|&|\.")
_CONNECTORS = {",", "and", "or", "/", "&", "and/or", "as", "well", "then"}
_SKIPPABLE = {"also", "to", "further", "both", "either", "then", "fully", "better", "more", "not"}
_FUNCTION_WORD_LIST = (
    "a an the this that these those of in on for with by from at as into about within their its "
    "his her your our students student learners learner you they we it i and or all some any "
    "each key basic how what why when where who which one two three through using will should "
    "can must"
)
_FUNCTION_WORDS = frozenset(_FUNCTION_WORD_LIST.split())
_NOUN_SUFFIXES = (
    "tion",
    "sion",
    "ment",
    "ness",
    "ity",
    "ance",
    "ence",
    "ism",
    "ship",
    "ics",
    "ies",
)
_OBJECT_WINDOW = 4
_LY_VERBS = ("apply", "supply", "comply", "rely", "reply", "multiply", "imply", "ply")


@dataclass(frozen=True)
class VerbLexicon:
    """Bloom level of each verb, verb+object phrases that change it, and level-less verbs."""

    level_of: dict[str, BloomLevel]
    phrases: dict[str, list[tuple[frozenset[str], BloomLevel]]]
    other_verbs: frozenset[str]

    def is_verb(self, lemma: str) -> bool:
        return lemma in self.level_of or lemma in self.other_verbs or lemma in self.phrases


@dataclass(frozen=True)
class VerbAnalysis:
    """The leading verbs of one outcome and the level the lexicon gives each."""

    verbs: list[str]
    levels: list[BloomLevel | None]
    leading: bool = field(default=True)  # False when the verb was found later in the sentence

    @property
    def bloom(self) -> list[BloomLevel]:
        """The distinct known levels, in Bloom order."""
        known = {level for level in self.levels if level is not None}
        return [level for level in BLOOM_ORDER if level in known]


def default_lexicon_path() -> Path:
    return Path(str(resources.files("recognition_engine") / "data" / "bloom_verbs.yaml"))


@functools.lru_cache(maxsize=4)
def load_lexicon(path: Path | None = None) -> VerbLexicon:
    """Return the verb lexicon in ``path`` (default: the packaged ``bloom_verbs.yaml``)."""
    raw = yaml.safe_load((path or default_lexicon_path()).read_text(encoding="utf-8"))
    level_of = {verb: BloomLevel(level) for level, verbs in raw["levels"].items() for verb in verbs}
    phrases: dict[str, list[tuple[frozenset[str], BloomLevel]]] = {}
    for phrase in raw.get("phrases", []):
        phrases.setdefault(phrase["verb"], []).append(
            (frozenset(phrase["objects"]), BloomLevel(phrase["level"]))
        )
    return VerbLexicon(level_of, phrases, frozenset(raw.get("other_verbs", [])))


@functools.lru_cache(maxsize=1)
def _lemma_table() -> dict[str, str]:
    """spaCy's English lookup-lemmatizer table (spacy-lookups-data), read without loading spaCy.

    It is the table ``nlp.add_pipe("lemmatizer", config={"mode": "lookup"})`` uses; reading it
    directly keeps a cold start under a second. Empty if the package is missing: the suffix
    rules below still cover regular verbs.
    """
    try:
        import spacy_lookups_data
    except ImportError:
        return {}
    path = Path(spacy_lookups_data.__file__).parent / "data" / "en_lemma_lookup.json.gz"
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            return dict(json.load(handle))
    except OSError:
        return {}


def americanise(word: str) -> str:
    """Return the American spelling of a verb form: analyse → analyze, organise → organize."""
    if word.endswith("yse"):
        return word[:-3] + "yze"
    if word == "practise":
        return "practice"
    if word.endswith("ise") and len(word) > 5:
        return word[:-3] + "ize"
    return word


def _candidate_lemmas(word: str) -> list[str]:
    """Possible base forms of an inflected word, most likely first."""
    candidates = [word]
    lemma = _lemma_table().get(word)
    if lemma:
        candidates.append(lemma)
    if word.endswith("ies"):
        candidates.append(word[:-3] + "y")
    if word.endswith("ied"):
        candidates.append(word[:-3] + "y")
    for suffix in ("es", "s", "ed", "ing"):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            stem = word[: -len(suffix)]
            candidates += [stem, stem + "e"]
            if len(stem) > 3 and stem[-1] == stem[-2]:  # planned → plan
                candidates.append(stem[:-1])
    return candidates


def lemmatise_verb(word: str, lexicon: VerbLexicon) -> str | None:
    """Return the lexicon form of ``word`` if it is a known verb in some inflection, else None."""
    word = word.lower()
    for candidate in _candidate_lemmas(word):
        for spelling in (candidate, americanise(candidate)):
            if lexicon.is_verb(spelling):
                return spelling
    return None


def clean_outcome(text: str) -> str:
    """Return the outcome without numbering, bullets and 'students will be able to' preambles."""
    cleaned = text.strip()
    for _ in range(3):
        before = cleaned
        cleaned = _ENUMERATION.sub("", cleaned)
        cleaned = _PARENTHETICAL.sub("", cleaned)
        for pattern in _PREAMBLES:
            cleaned = pattern.sub("", cleaned)
        cleaned = cleaned.strip(" \t\n:;-")
        if cleaned == before:
            break
    return cleaned


def tokenise(text: str) -> list[str]:
    return _TOKEN.findall(text.lower().replace("and/or", "and"))


def _looks_like_verb(token: str) -> bool:
    """An unknown first word: a verb unless it is a function word, an adverb or a noun form."""
    return (
        token.isalpha()
        and len(token) > 2
        and token not in _FUNCTION_WORDS
        and not _is_adverb(token)
        and not token.endswith(_NOUN_SUFFIXES)
    )


def _is_adverb(token: str) -> bool:
    """An -ly word that is not a verb: "critically", not "apply" or "comply"."""
    return token.endswith("ly") and len(token) > 4 and not token.endswith(_LY_VERBS)


def _skip_modifiers(tokens: list[str], start: int) -> int:
    i = start
    while i < len(tokens) and (_is_adverb(tokens[i]) or tokens[i] in _SKIPPABLE):
        i += 1
    return i


def _level_with_object(
    lemma: str, tokens: list[str], after: int, lexicon: VerbLexicon
) -> BloomLevel | None:
    for objects, level in lexicon.phrases.get(lemma, []):
        if objects.intersection(tokens[after : after + _OBJECT_WINDOW]):
            return level
    return lexicon.level_of.get(lemma)


def _coordinated(
    tokens: list[str], start: int, lexicon: VerbLexicon
) -> tuple[list[str], list[BloomLevel | None]]:
    """The verbs joined to the one ending at ``start``: "design, build and test"."""
    verbs: list[str] = []
    levels: list[BloomLevel | None] = []
    i = start
    while i < len(tokens) and tokens[i] in _CONNECTORS:
        while i < len(tokens) and tokens[i] in _CONNECTORS:
            i += 1
        i = _skip_modifiers(tokens, i)
        if i >= len(tokens):
            break
        lemma = lemmatise_verb(tokens[i], lexicon)
        if lemma is None or lemma in lexicon.other_verbs:
            break
        verbs.append(lemma)
        levels.append(_level_with_object(lemma, tokens, i + 1, lexicon))
        i += 1
        i = _skip_modifiers(tokens, i)
    return verbs, levels


def extract_verbs(text: str, lexicon: VerbLexicon | None = None) -> VerbAnalysis:
    """Return the leading action verb(s) of an outcome, coordinated ones included."""
    lexicon = lexicon or load_lexicon()
    tokens = tokenise(clean_outcome(text))
    i = _skip_modifiers(tokens, 0)
    if i < len(tokens):
        lemma = lemmatise_verb(tokens[i], lexicon)
        if lemma is None and _looks_like_verb(tokens[i]):
            lemma = tokens[i]
        if lemma is not None:
            first_level = _level_with_object(lemma, tokens, i + 1, lexicon)
            more_verbs, more_levels = _coordinated(tokens, _skip_modifiers(tokens, i + 1), lexicon)
            verbs, levels = [lemma, *more_verbs], [first_level, *more_levels]
            if any(level is not None for level in levels):
                return VerbAnalysis(_unique(verbs), levels)
            later = _later_verb(tokens, i + 1, lexicon)
            return later if later.verbs else VerbAnalysis(_unique(verbs), levels)
    return _later_verb(tokens, i, lexicon)


def _later_verb(tokens: list[str], start: int, lexicon: VerbLexicon) -> VerbAnalysis:
    """The first Bloom verb after "to" (or anywhere) when the outcome does not open with one."""
    for require_to in (True, False):
        for i in range(start, len(tokens)):
            if require_to and (i == 0 or tokens[i - 1] != "to"):
                continue
            lemma = lemmatise_verb(tokens[i], lexicon)
            if lemma is not None and lemma in lexicon.level_of:
                more_verbs, more_levels = _coordinated(
                    tokens, _skip_modifiers(tokens, i + 1), lexicon
                )
                level = _level_with_object(lemma, tokens, i + 1, lexicon)
                return VerbAnalysis(
                    _unique([lemma, *more_verbs]), [level, *more_levels], leading=False
                )
    return VerbAnalysis([], [], leading=False)


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))
