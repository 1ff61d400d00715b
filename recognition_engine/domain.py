"""Typed domain models: micro-credentials, programmes, modules and recognition proposals.

The micro-credential follows the mandatory and optional elements of the EU Council
Recommendation of 16 June 2022 on a European approach to micro-credentials (Annex I).
No I/O, no numpy, no framework here: these are validated at every boundary.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from enum import StrEnum
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

# The pattern says in the JSON Schema what the strip says here: not only whitespace.
NonEmptyStr = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, pattern=r"\S")
]
CountryCode = Annotated[
    str, StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^[A-Za-z]{2}$")
]
EQFLevel = Annotated[int, Field(ge=1, le=8)]

MAX_OUTCOMES_PER_ITEM = 200
MAX_TEXT_CHARS = 20_000


class Strict(BaseModel):
    """Base for input models: unknown fields are refused, strings are stripped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


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
    EDC = "edc"  # Europass digital credential, European Learning Model (JSON-LD)
    OB3_JSON = "ob3-json"  # Open Badges 3.0 verifiable credential
    OB3_JWT = "ob3-jwt"  # the same as a compact JWT (vc+jwt)


OWN_FORMATS = frozenset({CredentialFormat.YAML, CredentialFormat.JSON})


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


# --- programmes ---------------------------------------------------------------------------


class Cycle(StrEnum):
    SHORT = "short"
    FIRST = "first"
    SECOND = "second"
    THIRD = "third"


class Module(DescribedItem):
    code: NonEmptyStr = Field(max_length=100)
    ects: float = Field(gt=0, le=120)
    nqf_level: int | None = Field(
        None, ge=1, le=12, description="In the module's framework (default: the programme's)."
    )
    framework: FrameworkId | None = Field(
        None, description="Framework of nqf_level when it differs from the programme's."
    )
    semester: int | None = Field(None, ge=1, le=16)
    compulsory: bool = True


class RecognitionPolicy(Strict):
    """How much of the programme the institution lets micro-credentials cover."""

    max_microcredential_ects: float | None = Field(None, ge=0)
    max_microcredential_share: float | None = Field(None, ge=0, le=1)
    min_eqf_level: EQFLevel | None = Field(
        None,
        description="Credentials below this EQF level are not recognised toward the programme.",
    )

    def cap_ects(self, total_ects: float) -> float:
        """The most ECTS that micro-credentials may earn in a programme of total_ects."""
        caps = [total_ects]
        if self.max_microcredential_ects is not None:
            caps.append(self.max_microcredential_ects)
        if self.max_microcredential_share is not None:
            caps.append(self.max_microcredential_share * total_ects)
        return min(caps)


class Programme(Strict):
    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9._-]{0,99}$")]
    institution: NonEmptyStr
    country: CountryCode
    title: NonEmptyStr
    cycle: Cycle
    framework: FrameworkId | None = Field(
        None,
        description="Framework of nqf_level, e.g. GE-NQF, AM-NQF, IE-NFQ, EQF "
        "(default: the NQF of the programme's country).",
    )
    nqf_level: int = Field(ge=1, le=12)
    eqf_level: EQFLevel
    total_ects: float = Field(gt=0, le=600)
    recognition_policy: RecognitionPolicy = Field(default_factory=RecognitionPolicy)
    language: str | None = Field(
        None, description="ISO 639-1 language of the catalogue's texts; detected when absent."
    )
    modules: list[Module] = Field(min_length=1, max_length=2000)

    @model_validator(mode="after")
    def _unique_codes(self) -> Self:
        seen: set[str] = set()
        for module in self.modules:
            if module.code in seen:
                raise ValueError(f"module code {module.code!r} appears twice")
            seen.add(module.code)
        return self

    def module(self, code: str) -> Module:
        for module in self.modules:
            if module.code == code:
                return module
        raise KeyError(code)


# --- levels -------------------------------------------------------------------------------


class BloomLevel(StrEnum):
    """Bloom's revised taxonomy, cognitive process dimension (Anderson & Krathwohl, 2001)."""

    REMEMBER = "Remember"
    UNDERSTAND = "Understand"
    APPLY = "Apply"
    ANALYZE = "Analyze"
    EVALUATE = "Evaluate"
    CREATE = "Create"


class OutcomeLevel(BaseModel):
    """The action verbs and Bloom level(s) of one learning outcome."""

    text: str
    verbs: list[str]
    bloom: list[BloomLevel]
    confidence: float
    method: str = Field(description="'classifier' or 'lexicon'.")


class LevelEstimate(BaseModel):
    """A proposed EQF level with its correspondences and the evidence behind it."""

    eqf_level: int
    georgian_nqf_level: int
    armenian_nqf_level: int
    qf_ehea_cycle: str | None
    confidence: float
    declared_eqf_level: int | None
    bloom_profile: dict[str, float]
    descriptor_similarity: dict[str, float]
    evidence: list[str]
    outcomes: list[OutcomeLevel]
    basis: str = Field(
        "generic",
        description="'catalogue' when read on the programme's own level scale, else 'generic'.",
    )
    level_probabilities: dict[str, float] = Field(
        default_factory=dict,
        description="Calibrated probability of each EQF level of the catalogue's scale.",
    )


# --- proposals ----------------------------------------------------------------------------


class Verdict(StrEnum):
    PASS = "pass"
    WARNING = "warning"
    SUBSTANTIAL_DIFFERENCE = "substantial_difference"


class Element(StrEnum):
    """The five elements an evaluator weighs under the Lisbon Recognition Convention."""

    LEVEL = "level"
    WORKLOAD = "workload"
    QUALITY_ASSURANCE = "quality_assurance"
    PROFILE = "profile"
    LEARNING_OUTCOMES = "learning_outcomes"


class Scope(StrEnum):
    PROGRAMME = "programme"  # the credential(s) as a whole, toward the programme
    MODULE = "module"  # one candidate module


MessageParam = str | int | float | bool | list[str] | None


class Message(BaseModel):
    """A sentence for people, as a stable code with its parameters (``recognition_engine.messages``
    renders it; ``message`` holds it rendered, in English unless localised for a reader)."""

    code: str = Field(
        description="Stable dotted code (e.g. 'level.below_module'): what a client reads. "
        "'text' marks a sentence stored before codes existed: its text is in params.text."
    )
    params: dict[str, MessageParam] = Field(
        default_factory=dict,
        description="The code's parameters, typed: numbers, EQF levels, module codes, titles as "
        "given. Shares are fractions (0.75), ECTS and confidences plain numbers.",
    )
    message: str = Field(
        "",
        description="The code rendered for people, in the language of the request's "
        "Accept-Language (English by default; see the response's Content-Language).",
    )

    @model_validator(mode="before")
    @classmethod
    def _text_before_codes(cls, data: object) -> object:
        # Proposals stored before codes existed hold only the English sentence.
        if isinstance(data, dict) and "code" not in data:
            text = data.get("message") or data.get("reason") or ""
            data = {**data, "code": "text", "params": {"text": text}, "message": text}
        return data


def legacy_messages(texts: list[str]) -> list[dict[str, object]]:
    """Sentences stored before codes existed, as coded messages that render to themselves."""
    return [{"code": "text", "params": {"text": text}, "message": text} for text in texts]


class Finding(Message):
    """One check of one element, for the programme as a whole or for one module.

    A blocking finding means no recognition for its scope (the programme: nothing is proposed;
    a module: that module is not proposed). A substantial difference that does not block puts
    the proposal under review: the evaluator must look at it before accepting.
    """

    element: Element
    scope: Scope = Scope.PROGRAMME
    module_code: str | None = None
    verdict: Verdict
    blocking: bool = Field(False, description="No recognition for this scope.")
    reason: str = Field(
        "", description="The same text as `message`, kept for clients that read it."
    )
    evidence: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _reason_is_the_message(self) -> Self:
        if not self.reason:
            self.reason = self.message
        return self


class OutcomePair(BaseModel):
    """Evidence: one credential outcome matched to one module outcome."""

    credential_outcome: str
    module_outcome: str
    similarity: float
    credential_id: str | None = None


class RecognitionKind(StrEnum):
    FULL = "full"
    PARTIAL = "partial"
    REVIEW = "review"  # below the coverage rules: the closest module, for an evaluator to review


class ModuleProposal(BaseModel):
    module_code: str
    module_title: str
    module_ects: float
    recognition: RecognitionKind
    proposed_ects: float
    coverage: float = Field(description="Share of the module's outcomes covered by the credential.")
    strength: float = Field(description="Mean best similarity over the module's outcomes.")
    score: float
    confidence: float | None = Field(
        None, description="Calibrated probability that this is the right module (learned model)."
    )
    evidence: list[OutcomePair]
    uncovered_outcomes: list[str]
    elements: list[Finding]
    reasons: list[str] = Field(description="`reason_codes` rendered, in the same order.")
    reason_codes: list[Message] = Field(
        default_factory=list, description="The reasons as codes with parameters."
    )
    evidence_requests: list[str] = Field(
        default_factory=list,
        description="What to ask the provider for before recognising a module under review.",
    )
    evidence_request_codes: list[Message] = Field(
        default_factory=list, description="The evidence requests as codes with parameters."
    )

    @model_validator(mode="before")
    @classmethod
    def _texts_before_codes(cls, data: object) -> object:
        return _coded(data, ("reasons", "reason_codes"),
                      ("evidence_requests", "evidence_request_codes"))


class ConsideredModule(BaseModel):
    """A candidate module that was looked at and not proposed, with why."""

    module_code: str
    module_title: str
    coverage: float
    score: float
    reasons: list[str] = Field(description="`reason_codes` rendered, in the same order.")
    reason_codes: list[Message] = Field(
        default_factory=list, description="The reasons as codes with parameters."
    )
    findings: list[Finding] = Field(
        default_factory=list, description="The findings that kept the module out, if any."
    )

    @model_validator(mode="before")
    @classmethod
    def _texts_before_codes(cls, data: object) -> object:
        return _coded(data, ("reasons", "reason_codes"))


class ProposalStatus(StrEnum):
    """Derived from the findings alone (``decision.proposal_status``)."""

    PROPOSED = "recognition_proposed"  # modules proposed, nothing for the evaluator to review
    REVIEW = "review_required"  # modules proposed, but a substantial difference needs review
    NONE = "no_recognition_proposed"  # no module proposed


class CredentialSummary(BaseModel):
    """What a proposal keeps of each credential: enough to audit, no learner identity."""

    id: str | None
    title: str
    awarding_body: str
    country: str | None = Field(description="None when a digital credential states none.")
    ects: float | None = Field(description="None when the credential states no workload.")
    eqf_level: int | None
    outcomes: list[str]
    provenance: Provenance | None = Field(
        None, description="Format and signature check of a digital credential."
    )
    missing_elements: list[EUElement] = Field(
        default_factory=list, description="EU 2022 mandatory elements the credential lacks."
    )


class PrecedentEvidence(BaseModel):
    """An earlier decision on a similar credential: the memory a learned model votes with."""

    record_id: str | None = None
    credential_id: str
    credential_title: str
    module_code: str | None = Field(
        description="None: the credential was judged to have no equivalent in the catalogue."
    )
    accepted: bool
    decided_on: str | None = Field(None, description="ISO date of the decision, if recorded.")
    similarity: float


class ConfidenceTier(StrEnum):
    """What the confidence means, each tier chosen for a stated precision (see TierRecord)."""

    CONFIRMED = "confirmed"  # at least 90% right out of fold
    POSSIBLE = "possible"  # at least 70%
    REVIEW = "review"  # at least 30%: worth an evaluator's look
    NO_EQUIVALENT = "no_equivalent"  # below: most likely no module of the catalogue is one


class TierRecord(BaseModel):
    """A proposal's tier, with what the tier was worth where it was chosen."""

    tier: ConfidenceTier
    threshold: float | None = Field(
        description="The confidence from which the tier is given (None: never reached)."
    )
    precision: float | None = Field(
        description="Out of fold: how often the first module was right in this tier (for "
        "no_equivalent: how often there was none). None: no credential fell in it."
    )
    support: int = Field(description="Out-of-fold credentials in this tier.")
    decisions: int = Field(description="Decided credentials the tiers were chosen on.")
    basis: str = Field(
        description="'institution': chosen on this catalogue's own decisions; 'shared': the "
        "cold-start model, chosen on public decision sets of other institutions."
    )


class RecognitionProposal(BaseModel):
    programme_id: str
    programme_title: str
    status: ProposalStatus
    credentials: list[CredentialSummary]
    credential_ects: float
    ects_cap: float = Field(description="The programme's cap on micro-credential credit.")
    ects_cap_remaining: float = Field(
        description="What was left of the cap for this application before this proposal."
    )
    total_proposed_ects: float
    modules: list[ModuleProposal]
    considered: list[ConsideredModule]
    elements: list[Finding] = Field(description="The five elements for the programme as a whole.")
    findings: list[Finding] = Field(
        default_factory=list, description="Every check made, for the programme and per module."
    )
    reasons: list[str] = Field(description="`reason_codes` rendered, in the same order.")
    reason_codes: list[Message] = Field(
        default_factory=list,
        description="The reasons as codes with parameters; each `message` is rendered in the "
        "language of the request's Accept-Language.",
    )
    level_estimate: LevelEstimate | None = None
    confidence: float | None = Field(
        None,
        description="Calibrated probability that the top module is right: P(the credential has "
        "an equivalent) × P(this module is it | it has one).",
    )
    has_equivalent: float | None = Field(
        None, description="Calibrated probability that some module of the catalogue is one."
    )
    confidence_tier: ConfidenceTier | None = Field(
        None, description="'confirmed', 'possible', 'review' or 'no_equivalent'."
    )
    tier: TierRecord | None = Field(None, description="The tier with its record.")
    precedents: list[PrecedentEvidence] = Field(
        default_factory=list, description="Similar earlier decisions that voted for modules."
    )
    engine: dict[str, str | float | int] = Field(
        default_factory=dict, description="Model and thresholds used, for reproducibility."
    )

    @model_validator(mode="before")
    @classmethod
    def _remaining_defaults_to_cap(cls, data: object) -> object:
        # Proposals stored before applications existed had the whole cap left.
        if isinstance(data, dict) and "ects_cap_remaining" not in data and "ects_cap" in data:
            data = {**data, "ects_cap_remaining": data["ects_cap"]}
        return _coded(data, ("reasons", "reason_codes"))

    def add_reason(self, reason: Message) -> None:
        """Append a reason, coded and as text."""
        self.reason_codes.append(reason)
        self.reasons.append(reason.message)


def _coded(data: object, *pairs: tuple[str, str]) -> object:
    """Give stored sentences without codes their coded twins (``legacy_messages``)."""
    if not isinstance(data, dict):
        return data
    for texts, codes in pairs:
        if codes not in data and data.get(texts):
            data = {**data, codes: legacy_messages(list(data[texts]))}
    return data
