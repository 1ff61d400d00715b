"""Recognition proposals: findings, coded messages, proposed and considered modules, tiers."""

from __future__ import annotations

from enum import StrEnum
from typing import Self

from pydantic import BaseModel, Field, model_validator

from recognition_engine.domain.credentials import (
    EUElement,
    Provenance,
)
from recognition_engine.domain.levels import (
    LevelEstimate,
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


class SourceKind(StrEnum):
    """What decided a finding, beyond the engine's own reading of the credential."""

    REGISTRY = "registry"  # a register of quality-assured providers (DEQAR, a national list)
    NATIONAL_POLICY = "national_policy"  # a rule of a national recognition policy profile
    EQUIVALENCY_RULE = "equivalency_rule"  # a standing equivalency the institution recorded


class FindingSource(BaseModel):
    """Where the rule or register that decided a finding comes from, to cite it."""

    kind: SourceKind
    id: str = Field(description="The entry, rule or profile that decided (stable within its kind).")
    citation: str = Field(description="What to cite: the register, the policy item, the decision.")
    url: str | None = Field(None, description="Where the source can be read, if published.")
    date: str | None = Field(
        None, description="ISO date the source was captured or the rule took effect, if known."
    )


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
    source: FindingSource | None = Field(
        None,
        description="The register, national policy rule or standing equivalency rule that "
        "decided, when one did; None when the engine judged from the credential alone.",
    )

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


class SkillRef(BaseModel):
    """An ESCO skill, by its URI (None: a declared label ESCO does not have) and label."""

    uri: str | None
    label: str


class ModuleSkills(BaseModel):
    """The module's skills the credential evidences, and those it needs that the credential
    lacks (a missing skill is a ready-made evidence request)."""

    shared: list[SkillRef] = Field(default_factory=list)
    missing: list[SkillRef] = Field(default_factory=list)


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
    rule_id: str | None = Field(
        None,
        description="The standing equivalency rule that proposed this module, if one applied.",
    )
    skills: ModuleSkills | None = Field(
        None, description="ESCO skills shared with the credential and missing from it."
    )

    @model_validator(mode="before")
    @classmethod
    def _texts_before_codes(cls, data: object) -> object:
        return _coded(
            data, ("reasons", "reason_codes"), ("evidence_requests", "evidence_request_codes")
        )


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
