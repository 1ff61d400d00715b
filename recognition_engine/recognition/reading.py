"""What the model reads of the credentials: their outcomes in its languages, and the texts
matching compares (the whole text, the title)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from recognition_engine.decision import CredentialOutcomes
from recognition_engine.domain import Finding, MicroCredential
from recognition_engine.errors import InvalidInput
from recognition_engine.ingestion.outcomes import outcomes_of
from recognition_engine.matching import credential_text
from recognition_engine.models.profiles import ModelProfile
from recognition_engine.multilingual import not_read_finding, split_by_reading


@dataclass(frozen=True)
class Reading:
    """The outcomes the model reads, per credential, and what it left out."""

    extracted: list[CredentialOutcomes]
    unread_languages: list[str]
    unread_count: int

    @property
    def pooled(self) -> list[str]:
        """Every outcome read, the credentials' in turn."""
        return [text for item in self.extracted for text in item.outcomes]

    @property
    def owners(self) -> list[str | None]:
        """The id of the credential each pooled outcome comes from."""
        return [item.credential.id for item in self.extracted for _ in item.outcomes]

    @property
    def whole_text(self) -> str:
        return whole_text(self.extracted)

    def not_read(self) -> Finding | None:
        """The finding that outcomes were left out, None when every one was read."""
        if not self.unread_languages:
            return None
        return not_read_finding(self.unread_count, self.unread_languages)


def read_outcomes(credentials: Sequence[MicroCredential], profile: ModelProfile | None) -> Reading:
    """Return the outcomes the model of ``profile`` reads (None: all); InvalidInput for none.

    Outcomes in a language the model does not read are not matched as if they were English:
    they are left out, and a finding says so.
    """
    extracted, unread_languages, unread_count = [], [], 0
    for credential in credentials:
        outcomes = outcomes_of(credential)
        read, languages = split_by_reading(outcomes, credential, profile)
        extracted.append(CredentialOutcomes(credential, read))
        unread_count += len(outcomes) - len(read)
        unread_languages += [code for code in languages if code not in unread_languages]
    reading = Reading(extracted, unread_languages, unread_count)
    if not reading.pooled and unread_languages:
        raise InvalidInput(
            f"the learning outcomes are in {', '.join(unread_languages)}, which the model of "
            "this deployment does not read: set multilingual to non-english or all"
        )
    if not reading.pooled:
        raise InvalidInput("the credential has no learning outcomes to match")
    return reading


def whole_text(extracted: Sequence[CredentialOutcomes]) -> str:
    """The credentials' titles and outcomes as one text, as matching compares it."""
    return " ".join(credential_text(item.credential.title, item.outcomes) for item in extracted)


def texts_to_embed(credentials: Sequence[MicroCredential]) -> list[str]:
    """Every text recognising these credentials will embed: outcomes, whole text, title."""
    texts: list[str] = []
    for credential in credentials:
        extracted = CredentialOutcomes(credential, outcomes_of(credential))
        texts.extend(extracted.outcomes)
        texts.extend([whole_text([extracted]), credential.title])
    return texts
