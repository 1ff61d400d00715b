"""Request and public models of the HTTP API (the stored ones are in ``api/tables.py``).

Requests reuse the domain models where the domain already is the contract (a programme, a
micro-credential); public models add what the service knows (ids, versions, times, who).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Generic, Literal, Self, TypeVar

from pydantic import (
    AnyHttpUrl,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from api.problems import Conflict
from recognition_engine.domain import (
    Cycle,
    MicroCredential,
    Programme,
    RecognitionProposal,
)
from recognition_engine.errors import InvalidInput
from recognition_engine.levels.frameworks import check_programme_levels

# The pattern says in the JSON Schema what the strip says here: not only whitespace.
Item = TypeVar("Item")
Identifier = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100, pattern=r"\S")
]


class Request(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


# --- programmes ---------------------------------------------------------------------------


class ProgrammeRequest(Programme):
    """A programme as a client sends it. What the JSON Schema cannot say is checked by
    ``programme()`` and answered 409: a module code twice, levels that the qualifications
    frameworks the service holds do not convert or that contradict the EQF level."""

    @model_validator(mode="after")
    def _unique_codes(self) -> Self:  # replaces the domain's check: programme() makes it
        return self

    def programme(self, programme_id: str | None = None) -> Programme:
        """Return the domain programme; refuse (409) a module code given twice."""
        codes = [module.code for module in self.modules]
        twice = sorted({code for code in codes if codes.count(code) > 1})
        if twice:
            raise Conflict(f"module code(s) {', '.join(map(repr, twice))} appear twice")
        payload = self.model_dump()
        if programme_id is not None:
            payload["id"] = programme_id
        programme = Programme.model_validate(payload)
        try:
            check_programme_levels(programme)
        except InvalidInput as error:
            raise Conflict(str(error)) from error
        return programme


class ProgrammeReplacement(ProgrammeRequest):
    """A new version of a programme: the path names the programme, not the body."""

    id: str | None = Field(  # type: ignore[assignment]
        None,
        max_length=100,
        description="Ignored: the programme replaced is the one the path names "
        "(kept so that a programme read with GET can be sent back as it is).",
    )


class ProgrammePublic(Programme):
    """A programme with its module catalogue, as stored, with its version."""

    version: int = Field(
        description="1 when created, +1 at each replacement; every version is kept "
        "(GET /v1/programmes/{id}/versions/{version})."
    )
    created_at: dt.datetime
    updated_at: dt.datetime
    indexed_outcomes: int | None = Field(
        None, description="Outcomes in the programme's index after the last change."
    )


class ProgrammeSummary(BaseModel):
    id: str
    title: str
    institution: str
    country: str
    cycle: Cycle
    total_ects: float
    modules: int
    version: int
    updated_at: dt.datetime


# --- credentials --------------------------------------------------------------------------


class CredentialPublic(BaseModel):
    id: str = Field(description="The service's id of the stored credential.")
    created_at: dt.datetime
    credential: MicroCredential = Field(description="As submitted, without the learner identity.")


# --- keys ---------------------------------------------------------------------------------


class KeyRef(BaseModel):
    """The API key behind a request, for the audit trail."""

    key_id: str
    name: str


# --- applications -------------------------------------------------------------------------

PseudonymousReference = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$")
]


class ApplicationRequest(Request):
    programme_id: Identifier
    reference: PseudonymousReference | None = Field(
        None,
        description="Your own opaque reference for the application, unique per programme "
        "(letters, digits and . _ : -). Never a name, e-mail or national id: the service "
        "stores no learner identity.",
    )


class RecognitionState(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    MODIFIED = "modified"
    REJECTED = "rejected"


class ApplicationRecognition(BaseModel):
    recognition_id: str
    credential_ids: list[str]
    state: RecognitionState = Field(description="From the latest decision; pending if none.")
    ects: float = Field(
        description="What it holds of the cap: awarded if decided (0 if rejected), "
        "else proposed (a pending proposal reserves its ECTS)."
    )


class ApplicationPublic(BaseModel):
    id: str = Field(description="The pseudonymous id of the application.")
    programme_id: str
    reference: str | None
    created_at: dt.datetime
    ects_cap: float = Field(description="The programme's cap on micro-credential credit.")
    ects_counted: float = Field(description="What the application's recognitions hold of it.")
    ects_cap_remaining: float
    recognitions: list[ApplicationRecognition] = Field(description="Oldest first.")


# --- recognitions -------------------------------------------------------------------------


class RecognitionRequest(Request):
    programme_id: Identifier
    credential_ids: list[Identifier] = Field(
        min_length=1, max_length=50,
        description="Ids from POST /v1/credentials; several are stacked into one proposal.",
    )
    application_id: Identifier | None = Field(
        None,
        description="The application (POST /v1/applications) these credentials belong to: "
        "the programme's cap then holds across all its recognitions, and a credential "
        "counts once in it.",
    )


class RecognitionPublic(BaseModel):
    id: str
    programme_id: str
    programme_version: int = Field(description="The version of the programme proposed against.")
    programme_version_url: str = Field(
        description="That version of the programme, with the module catalogue that this "
        "proposal and its decisions are checked against (versions never change)."
    )
    application_id: str | None
    credential_ids: list[str]
    requested_by: KeyRef
    created_at: dt.datetime
    proposal: RecognitionProposal


# --- decisions ----------------------------------------------------------------------------


class DecisionAction(StrEnum):
    ACCEPT = "accept"
    MODIFY = "modify"
    REJECT = "reject"


class ModuleAward(Request):
    module_code: Identifier
    ects: float = Field(gt=0, le=120)


Reason = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000, pattern=r"\S")
]


class DecisionRequest(Request):
    """A decision as the store takes it (from the API's bodies below, or the workbench)."""

    action: DecisionAction
    reason: Reason
    modules: list[ModuleAward] | None = Field(
        None, max_length=200,
        description="Required for 'modify' (the modules and ECTS awarded instead); "
        "not allowed otherwise.",
    )

    @model_validator(mode="after")
    def _modules_only_when_modifying(self) -> Self:
        if self.action is DecisionAction.MODIFY and not self.modules:
            raise ValueError("'modify' needs the modules and ECTS awarded")
        if self.action is not DecisionAction.MODIFY and self.modules is not None:
            raise ValueError(f"{self.action.value!r} takes no modules")
        return self


class AcceptDecision(Request):
    """Accept the proposal as it is: its modules and ECTS are awarded."""

    action: Literal["accept"]
    reason: Reason

    def decision(self) -> DecisionRequest:
        return DecisionRequest(action=DecisionAction.ACCEPT, reason=self.reason)


class RejectDecision(Request):
    """Reject the proposal: nothing is awarded."""

    action: Literal["reject"]
    reason: Reason

    def decision(self) -> DecisionRequest:
        return DecisionRequest(action=DecisionAction.REJECT, reason=self.reason)


class ModifyDecision(Request):
    """Award other modules or ECTS than proposed: at least one module."""

    action: Literal["modify"]
    reason: Reason
    modules: list[ModuleAward] = Field(
        min_length=1, max_length=200,
        description="The modules and ECTS awarded instead. Each module once; the codes are "
        "checked against the programme version the proposal was made against (409 if one "
        "is not there, is awarded twice, or the ECTS exceed the module's or the cap).",
    )

    def decision(self) -> DecisionRequest:
        return DecisionRequest(
            action=DecisionAction.MODIFY, reason=self.reason, modules=self.modules
        )


DecisionBody = Annotated[
    AcceptDecision | RejectDecision | ModifyDecision, Field(discriminator="action")
]


class DecisionPublic(BaseModel):
    id: int
    recognition_id: str
    action: DecisionAction
    modules: list[ModuleAward] = Field(description="What is awarded ([] when rejected).")
    total_ects: float
    reason: str
    decided_by: KeyRef
    decided_at: dt.datetime


# --- screenings ---------------------------------------------------------------------------


class ScreeningRequest(Request):
    programme_ids: list[Identifier] = Field(min_length=1, max_length=20)
    callback_url: AnyHttpUrl | None = Field(
        None,
        description="Called with a POST of the screening's status when it completes, until it "
        "answers 2xx (redirects are not followed), signed with the `callback_secret` of the "
        "answer (see the operation). Its scheme, host, port and path must be on the "
        "administrator's `screening_callback_allowlist`, else 403.",
    )
    credentials: list[MicroCredential] = Field(
        min_length=1, max_length=1_000,
        description="Inline credentials, each screened alone against each programme. "
        "Learner identities are dropped before storage.",
    )


class ScreeningStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    COMPLETED = "completed"


class CallbackState(StrEnum):
    WAITING = "waiting"  # the screening has not completed yet
    PENDING = "pending"  # completed: being delivered, or tried again after a failure
    DELIVERED = "delivered"
    FAILED = "failed"  # given up


class CallbackDelivery(BaseModel):
    state: CallbackState
    attempts: int = Field(description="Tries made so far.")
    last_status: int | None = Field(
        None, description="HTTP status of the last try's answer; null if none came."
    )
    last_error: str | None = Field(
        None, description="Why the last try failed, e.g. `redirect not followed`, `timed out`."
    )
    delivered_at: dt.datetime | None = None


class ScreeningPublic(BaseModel):
    id: str
    status: ScreeningStatus
    programme_ids: list[str]
    total: int = Field(description="Credential × programme pairs to screen.")
    completed: int
    failed: int
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    callback: CallbackDelivery | None = Field(
        None, description="How the completion callback went; null without a callback_url."
    )


class ScreeningCreated(ScreeningPublic):
    callback_secret: str | None = Field(
        None,
        description="The secret that signs this screening's callback: shown here once, never "
        "again; null without a callback_url.",
    )


class ItemState(StrEnum):
    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"


class ScreeningItemPublic(BaseModel):
    position: int = Field(description="Index of the credential in the request.")
    programme_id: str
    credential_id: str | None
    credential_title: str
    state: ItemState
    proposal: RecognitionProposal | None
    problem: dict[str, str | int] | None = Field(
        None, description="Why this item failed (a problem document without instance)."
    )


class ScreeningResults(BaseModel):
    screening: ScreeningPublic
    offset: int
    limit: int
    items: list[ScreeningItemPublic]


# --- lists --------------------------------------------------------------------------------


class RecognitionListState(StrEnum):
    AWAITING_DECISION = "awaiting_decision"  # no decision recorded yet
    DECIDED = "decided"


class Page(BaseModel, Generic[Item]):
    """A page of a list, oldest first; ask for the next with ``after=next_after``."""

    items: list[Item]
    next_after: str | None = Field(
        description="The id to send as `after` for the next page; null on the last page."
    )


# --- levels and health --------------------------------------------------------------------


class LevelRequest(Request):
    learning_outcomes: list[
        Annotated[
            str,
            StringConstraints(
                strip_whitespace=True, min_length=1, max_length=20_000, pattern=r"\S"
            ),
        ]
    ] = Field(min_length=1, max_length=200)
    declared_eqf_level: int | None = Field(None, ge=1, le=8)
    ects: float | None = Field(None, gt=0, le=180)


class Health(BaseModel):
    status: str


class Readiness(BaseModel):
    status: str = Field(description="'ready' or 'not ready'.")
    database: bool
    programmes: int
    indexes_missing: list[str]
