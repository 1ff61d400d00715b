"""Micro-credentials: the mandatory and optional elements of the EU Council Recommendation of
16 June 2022 on a European approach to micro-credentials (Annex I), and what a digital
credential adds (languages, skills, provenance)."""

from __future__ import annotations

import datetime as dt
import hashlib
from enum import StrEnum
from typing import Annotated, Self

from pydantic import ConfigDict, Field, StringConstraints, model_validator

from recognition_engine.domain.base import (
    MAX_OUTCOMES_PER_ITEM,
    MAX_TEXT_CHARS,
    CountryCode,
    EQFLevel,
    NonEmptyStr,
    Strict,
)

# --- micro-credentials -------------------------------------------------------------------


class AssessmentType(StrEnum):
    """How the learning outcomes were assessed (EU 2022: 'type of assessment')."""

    NONE = "none"
    ATTENDANCE = "attendance"
    SELF_ASSESSMENT = "self_assessment"
    AUTOMATED_TEST = "automated_test"
    SUPERVISED_EXAM = "supervised_exam"
    PROJECT = "project"
    PORTFOLIO = "portfolio"
    PRACTICAL = "practical"
    ORAL = "oral"
    MIXED = "mixed"


class ParticipationForm(StrEnum):
    """EU 2022: 'form of participation in the learning activity'."""

    ONLINE = "online"
    ON_SITE = "on_site"
    BLENDED = "blended"


class QualityAssuranceType(StrEnum):
    """EU 2022: 'type of quality assurance used to underpin the micro-credential'."""

    EXTERNAL_ACCREDITED = (
        "external_accredited"  # accredited provider or ENQA/EQAR-registered agency
    )
    EXTERNAL_OTHER = "external_other"  # external review outside the formal QA system
    INTERNAL = "internal"  # provider's own internal QA only
    NONE = "none"


class IdentityVerification(StrEnum):
    NONE = "none"
    ONLINE_UNSUPERVISED = "online_unsupervised"
    ONLINE_PROCTORED = "online_proctored"
    ON_SITE = "on_site"


class QualityAssurance(Strict):
    type: QualityAssuranceType
    body: str | None = Field(None, description="QA agency or accrediting body, if any.")


class Workload(Strict):
    """Notional workload: ECTS, hours, or both. At least one is required."""

    # The rule of _one_of, in the JSON Schema: clients generated from it know it too.
    model_config = ConfigDict(
        json_schema_extra={
            "anyOf": [
                {"required": ["ects"], "properties": {"ects": {"type": "number"}}},
                {"required": ["hours"], "properties": {"hours": {"type": "number"}}},
            ]
        }
    )

    ects: float | None = Field(None, gt=0, le=180)
    hours: float | None = Field(None, gt=0, le=5400)

    @model_validator(mode="after")
    def _one_of(self) -> Self:
        if self.ects is None and self.hours is None:
            raise ValueError("workload needs ECTS credits or notional hours (or both)")
        return self


FrameworkId = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, to_upper=True, pattern=r"^[A-Za-z]{2,8}(-[A-Za-z]{2,8})?$"
    ),
]


class NQFLevel(Strict):
    """A level in a qualifications framework: ``GE-NQF`` 6, ``IE-NFQ`` 8, ``EQF`` 6.

    The framework is an id of ``recognition_engine/data/frameworks.yaml``, where each one has
    its correspondence table to the EQF; a bare country code (``GE``) names that country's NQF.
    """

    framework: FrameworkId
    level: int = Field(ge=1, le=12)


class LearnerIdentity(Strict):
    """Optional; never needed for a decision, never stored by the service, never logged."""

    name: str | None = None
    identifier: str | None = None


CONTENT = r"[^\s\u001c-\u001f\u0085]"
"""A character that is not whitespace to Python's str.strip(), as a JSON Schema pattern."""


class DescribedItem(Strict):
    """Anything with learning outcomes and/or a description to be matched."""

    # The rule of _has_content, in the JSON Schema. A JSON Schema pattern's \s (ECMA-262) leaves
    # out the separators U+001C-U+001F and U+0085 that Python's str.strip() removes: they are
    # named, so that a client generated from the schema never sends what the model refuses.
    model_config = ConfigDict(
        json_schema_extra={
            "anyOf": [
                {
                    "required": ["learning_outcomes"],
                    "properties": {"learning_outcomes": {"contains": {"pattern": CONTENT}}},
                },
                {
                    "required": ["description"],
                    "properties": {"description": {"type": "string", "pattern": CONTENT}},
                },
            ]
        }
    )

    title: NonEmptyStr = Field(max_length=500)
    learning_outcomes: list[Annotated[str, StringConstraints(max_length=MAX_TEXT_CHARS)]] = Field(
        default_factory=list, max_length=MAX_OUTCOMES_PER_ITEM
    )
    description: str | None = Field(None, max_length=MAX_TEXT_CHARS)

    @model_validator(mode="after")
    def _has_content(self) -> Self:
        has_outcomes = any(text.strip() for text in self.learning_outcomes)
        if not has_outcomes and not (self.description and self.description.strip()):
            raise ValueError(
                f"{self.title!r} has no learning outcomes and no description: nothing to match"
            )
        return self


# --- digital credentials: languages, skills, provenance, EU 2022 elements ----------------

LanguageCode = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, to_lower=True, pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$"
    ),
]
LanguageMap = Annotated[
    dict[LanguageCode, Annotated[str, StringConstraints(max_length=MAX_TEXT_CHARS)]],
    # patternProperties alone would let any other key through in the JSON Schema
    Field(json_schema_extra={"additionalProperties": False}),
]


class Translations(Strict):
    """Every language a credential states its texts in; the matched texts are one of them."""

    title: LanguageMap = Field(default_factory=dict)
    description: LanguageMap = Field(default_factory=dict)
    learning_outcomes: list[LanguageMap] = Field(
        default_factory=list, max_length=MAX_OUTCOMES_PER_ITEM
    )


class Skill(Strict):
    """A skill the credential names, e.g. an ESCO skill an outcome relates to."""

    label: NonEmptyStr = Field(max_length=500)
    uri: str | None = Field(None, max_length=500)
    framework: str | None = Field(None, max_length=100, description="e.g. 'ESCO'.")


class CredentialFormat(StrEnum):
    YAML = "yaml"  # the engine's own format
    JSON = "json"  # the engine's own format
    FORM = "form"  # the engine's own format, typed into the workbench's form
    EDC = "edc"  # Europass digital credential, European Learning Model (JSON-LD)
    OB3_JSON = "ob3-json"  # Open Badges 3.0 verifiable credential
    OB3_JWT = "ob3-jwt"  # the same as a compact JWT (vc+jwt)


OWN_FORMATS = frozenset({CredentialFormat.YAML, CredentialFormat.JSON, CredentialFormat.FORM})


class SignatureStatus(StrEnum):
    VERIFIED = "verified"
    INVALID = "invalid"  # the content or the signature was changed after signing
    NOT_VERIFIABLE_OFFLINE = "not_verifiable_offline"  # signed, but no key at hand
    UNSIGNED = "unsigned"


class Provenance(Strict):
    """Where a credential came from and what could be checked of its authenticity, offline."""

    format: CredentialFormat
    signature: SignatureStatus
    signature_detail: str = Field(
        max_length=2000, description="One sentence: what was checked, and what was not."
    )
    signer: str | None = Field(
        None, max_length=500, description="The signing certificate's subject or the key id."
    )
    issuer: str | None = Field(
        None, max_length=500, description="The organisation that issued the digital credential."
    )
    valid_from: dt.datetime | None = None
    valid_until: dt.datetime | None = None
    expired: bool | None = Field(
        None, description="Whether valid_until had passed when the credential was read."
    )
    revocation: str = Field(
        "not checked", max_length=500, description="Status lists cannot be reached offline."
    )
    notes: list[Annotated[str, StringConstraints(max_length=2000)]] = Field(
        default_factory=list,
        max_length=100,
        description="What reading the credential noticed: units not stated, labels not known.",
    )


class EUElement(StrEnum):
    """The mandatory elements of a micro-credential (EU Council Recommendation 2022, Annex I)."""

    LEARNER = "learner_identification"
    TITLE = "title"
    COUNTRY = "country"
    AWARDING_BODY = "awarding_body"
    DATE_OF_ISSUE = "date_of_issue"
    LEARNING_OUTCOMES = "learning_outcomes"
    WORKLOAD = "workload"
    LEVEL = "level"
    ASSESSMENT = "assessment"
    PARTICIPATION = "participation"
    QUALITY_ASSURANCE = "quality_assurance"


class ElementReport(Strict):
    """Which EU 2022 mandatory elements a credential carries, and which it lacks."""

    found: list[EUElement] = Field(default_factory=list)
    missing: list[EUElement] = Field(default_factory=list)


class MicroCredential(DescribedItem):
    """A micro-credential with the elements of the EU 2022 Council Recommendation."""

    id: str | None = Field(None, max_length=200, description="Identifier of the credential record.")
    awarding_body: NonEmptyStr
    country: CountryCode | None = Field(
        description="ISO 3166-1 alpha-2 country of the awarding body (null: not stated)."
    )
    date_of_issue: dt.date
    workload: Workload | None = Field(
        None, description="Omitted when the credential states none: then no ECTS are proposed."
    )
    eqf_level: EQFLevel | None = None
    nqf_level: NQFLevel | None = None
    # Required, but null where a credential does not state them: never invented.
    assessment: AssessmentType | None
    participation: ParticipationForm | None
    quality_assurance: QualityAssurance | None
    # optional elements
    prerequisites: str | None = None
    grade: str | None = None
    identity_verification: IdentityVerification | None = None
    stackable: bool | None = Field(
        None, description="Whether the awarding body allows it to be combined with others."
    )
    language: str | None = None
    learner: LearnerIdentity | None = Field(
        None, exclude=True, repr=False, description="Never stored, never logged."
    )
    # digital credentials (EDC, Open Badges 3.0): what they carry besides the elements above
    translations: Translations | None = None
    skills: list[Skill] = Field(default_factory=list, max_length=500)
    provenance: Provenance | None = Field(
        None, description="Format and signature check; set by the engine, never by the sender."
    )
    eu_elements: ElementReport | None = None

    def content_fingerprint(self) -> str:
        """Return a hash of what the credential certifies, whatever record id it was given.

        Two submissions of the same credential (an id-less copy, or the same file posted twice)
        have the same fingerprint, so stacking and applications can refuse to count it twice.
        How it arrived (format, signature check, element report) is not what it certifies: a
        signed EDC and its unsigned copy are the same credential.
        """
        canonical = self.model_dump_json(
            exclude={"id", "learner", "provenance", "eu_elements"}, round_trip=True
        )
        return hashlib.sha256(canonical.encode()).hexdigest()
