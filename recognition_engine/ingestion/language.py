"""Language of a text, an outcome or a whole item: ISO 639-1 codes, detected offline.

A language the sender declared wins over detection: a credential that says ``language: ka``
is read as Georgian even where one outcome is only "SQL and NoSQL". A declaration may be a code
("ka", "ka-GE") or an English name ("Georgian"). It does not win over the script the texts are
written in: credentials state the language a course was taught in, and the English description
of a course taught in Georgian says ``language: Georgian`` in Latin letters; its texts are read
as what they are. Detection uses lingua
restricted to the languages the product meets (fewer candidates: faster, and fewer confusions
on short texts); a text in none of them is read as the closest one, or None when it has no
letters at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from lingua import IsoCode639_1, IsoCode639_3, Language, LanguageDetector, LanguageDetectorBuilder

from recognition_engine.domain import MicroCredential, Programme

# The languages of the programmes and credentials evaluators in Georgia and Armenia receive,
# and their neighbours. English first: a tie between equally likely languages goes to it.
DETECTED_LANGUAGES = ("en", "ka", "hy", "ru", "uk", "az", "tr", "de", "fr", "es", "it")
_SHORT_CHARS = 25  # below this an outcome is read in its item's language where scripts agree


@lru_cache(maxsize=1)
def _detector() -> LanguageDetector:
    """Return the lingua detector for DETECTED_LANGUAGES, built once per process."""
    languages = [
        Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper()))
        for code in DETECTED_LANGUAGES
    ]
    return LanguageDetectorBuilder.from_languages(*languages).build()


def normalise_language(code: str | None) -> str | None:
    """Return the ISO 639-1 part of a language tag ("ka-GE" → "ka"), None for none."""
    if not code or not code.strip():
        return None
    return code.strip().split("-")[0].split("_")[0].lower()


# A recognition asks the language of the same texts several times (routing to a model, the
# report's language block, the programme's on every credential): each is detected once.
@lru_cache(maxsize=4096)
def detect_language(text: str) -> str | None:
    """Return the ISO 639-1 code of the text's language, None when it has no letters."""
    if not any(char.isalpha() for char in text):
        return None
    language = _detector().detect_language_of(text)
    return language.iso_code_639_1.name.lower() if language is not None else None


def script_of(text: str) -> str | None:
    """Return the script most of the text's letters are in: Latn, Geor, Armn, Cyrl, or None."""
    counts: dict[str, int] = {}
    for char in text:
        if not char.isalpha():
            continue
        script = _script_of_letter(char)
        counts[script] = counts.get(script, 0) + 1
    return max(counts, key=counts.__getitem__) if counts else None


def _script_of_letter(char: str) -> str:
    point = ord(char)
    if 0x10A0 <= point <= 0x10FF or 0x1C90 <= point <= 0x1CBF or 0x2D00 <= point <= 0x2D2F:
        return "Geor"
    if 0x0530 <= point <= 0x058F or 0xFB13 <= point <= 0xFB17:
        return "Armn"
    if 0x0400 <= point <= 0x052F:
        return "Cyrl"
    return "Latn" if point < 0x0250 or 0x1E00 <= point <= 0x1EFF else "Other"


# The script each detected language is written in: a declaration of one of these languages on
# texts in another script is not the texts' language.
_SCRIPTS = {"ka": "Geor", "hy": "Armn", "ru": "Cyrl", "uk": "Cyrl"} | {
    code: "Latn" for code in ("en", "az", "tr", "de", "fr", "es", "it")
}


def declared_code(declared: str | None) -> str | None:
    """Return the ISO 639-1 code of a declaration: a code (639-1 or -3), a tag, an English name."""
    code = normalise_language(declared)
    if code is None or len(code) == 2:
        return code
    try:
        if len(code) == 3:
            iso = getattr(IsoCode639_3, code.upper())
            return Language.from_iso_code_639_3(iso).iso_code_639_1.name.lower()
        return Language.from_str(code).iso_code_639_1.name.lower()
    except (AttributeError, ValueError):  # a code or name lingua does not know
        return None


def language_of(texts: Sequence[str], declared: str | None = None) -> str | None:
    """Return the language of an item from all its texts.

    A declared language wins, unless it is written in another script than the texts are.
    """
    joined = "\n".join(text for text in texts if text)
    code = declared_code(declared)
    if code is not None and _SCRIPTS.get(code, script_of(joined)) == script_of(joined):
        return code
    return detect_language(joined)


def outcome_languages(outcomes: Sequence[str], declared: str | None = None) -> list[str | None]:
    """Return the language of each outcome; a declared language wins for all (script agreeing).

    Without a declaration each outcome is detected on its own, except that a short one
    ("SQL and NoSQL databases") in the same script as the item as a whole takes the item's
    language: a few words say little about a language, their script says more.
    """
    whole = language_of(outcomes, declared)
    if whole is not None and declared_code(declared) == whole:  # declared, and the script agrees
        return [whole] * len(outcomes)
    whole_script = script_of(" ".join(outcomes))
    languages: list[str | None] = []
    for outcome in outcomes:
        if len(outcome) < _SHORT_CHARS and script_of(outcome) == whole_script:
            languages.append(whole)
        else:
            languages.append(detect_language(outcome))
    return languages


def credential_language(credential: MicroCredential) -> str | None:
    """Return the language a credential's texts are in: its declared one, else detected."""
    texts = [credential.title, credential.description or "", *credential.learning_outcomes]
    return language_of(texts, declared=credential.language)


def programme_language(programme: Programme) -> str | None:
    """Return the language of a catalogue's texts: its declared one, else detected."""
    texts = [
        text
        for module in programme.modules[:20]
        for text in (module.title, *module.learning_outcomes[:3])
    ]
    return language_of(texts, declared=programme.language)
