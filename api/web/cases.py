"""Cases: the list, a new case (credentials + programme → proposal), the proposal page with its
evidence matrix, the decision with its audit trail, the decision made a standing equivalency
rule, and the printable recognition statement."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import ValidationError

from api.equivalency_rules import EquivalencyRules
from api.equivalency_schemas import RuleRequest
from api.schemas import DecisionAction, DecisionRequest, ModuleAward
from api.web.credential_input import credential_from_form, credentials_from_uploads, uploads_in
from api.web.csrf import require_csrf
from api.web.matrix import evidence_matrix
from api.web.pages import (
    Evaluator,
    Submitter,
    User,
    UserDep,
    is_fragment,
    language,
    page_of_known_id,
    redirect,
    render,
    services,
)
from api.web.queries import STATES, CaseFilter, list_cases
from recognition_engine.domain import AssessmentType, ParticipationForm, QualityAssuranceType
from recognition_engine.errors import RecognitionError

router = APIRouter(include_in_schema=False)
MAX_FILES = 20


@router.get("/cases")
def cases_page(
    request: Request,
    user: UserDep,
    programme: Annotated[str | None, Query(max_length=100)] = None,
    state: Annotated[str | None, Query(max_length=20)] = None,
    since: Annotated[str | None, Query(max_length=10)] = None,
    until: Annotated[str | None, Query(max_length=10)] = None,
) -> Response:
    where = CaseFilter(programme or None, state or None, _day(since), _day(until))
    context = {
        "cases": list_cases(services(request).database, where),
        "where": where,
        "states": STATES,
        "programmes": services(request).store.programme_summaries(0, 500),
    }
    template = "_cases_table.html" if is_fragment(request) else "cases.html"
    return render(request, template, context, user=user)


def _day(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


@router.get("/cases/new")
def new_case_page(request: Request, user: Submitter) -> Response:
    return render(request, "case_new.html", _new_case_context(request), user=user)


def _new_case_context(request: Request, **extra: object) -> dict[str, object]:
    return {
        "programmes": services(request).store.programme_summaries(0, 500),
        "assessments": list(AssessmentType),
        "participations": list(ParticipationForm),
        "qa_types": list(QualityAssuranceType),
        "form": {},
        **extra,
    }


@router.post("/cases", dependencies=[Depends(require_csrf)])
async def create_case(request: Request, user: Submitter) -> Response:
    form = await request.form()
    svc = services(request)
    uploads = uploads_in(form)
    try:
        if len(uploads) > MAX_FILES:
            raise ValueError(f"at most {MAX_FILES} files at once")
        max_bytes = svc.settings.max_file_bytes
        credentials = await credentials_from_uploads(
            uploads,
            svc.settings,
            language(request),
            # refused on the form, as an input error
            lambda upload: ValueError(f"{upload.filename}: over {max_bytes:,} bytes"),
        )
        if not credentials:
            credentials = [credential_from_form(form)]
        # Every check first (the programme, stacking, the engine's own), then one transaction
        # that stores the credentials with the proposal: a refused case leaves nothing behind.
        case = svc.store.new_case(credentials, str(form.get("programme_id", "")), user.caller)
        proposal = svc.engine.recognise(list(case.basis.credentials), case.basis.programme)
        proposal = EquivalencyRules(svc.database).apply(
            proposal, case.basis.credentials, case.basis.programme
        )
        public = svc.store.add_case(case, proposal, user.caller)
    except (RecognitionError, ValidationError, ValueError) as error:
        context = _new_case_context(request, error=str(error), form=dict(form))
        return render(request, "case_new.html", context, status_code=422, user=user)
    return redirect(request, f"/cases/{public.id}")


@router.get("/cases/{case_id}")
def proposal_page(request: Request, case_id: str, user: UserDep) -> Response:
    return render(request, "proposal.html", _case_context(request, case_id, user), user=user)


def _case_context(request: Request, case_id: str, user: User, **extra: object) -> dict:
    svc = services(request)
    with page_of_known_id():
        recognition = svc.store.recognition(case_id[:100])
    programme = svc.store.programme_version(recognition.programme_id, recognition.programme_version)
    return {
        "case": recognition,
        "proposal": recognition.proposal,
        "programme": programme,
        "matrix": evidence_matrix(recognition.proposal, programme, svc.engine.embedder),
        "decisions": svc.store.decisions(recognition.id) if user.decides else [],
        "proposed": {m.module_code: m.proposed_ects for m in recognition.proposal.modules},
        "form": {},
        "standing_rules": (
            EquivalencyRules(svc.database).made_from(recognition.id) if user.decides else []
        ),
        "today": dt.datetime.now(dt.UTC).date().isoformat(),
        "rule_form": {},
        **extra,
    }


@router.post("/cases/{case_id}/decisions", dependencies=[Depends(require_csrf)])
async def record_decision(request: Request, case_id: str, user: Evaluator) -> Response:
    form = await request.form()
    svc = services(request)
    try:
        decision = _decision_from(form)
        svc.store.add_decision(case_id[:100], decision, user.caller)
    except (ValidationError, RecognitionError, ValueError) as error:
        context = _case_context(
            request, case_id, user, decision_error=_decision_problem(error), form=dict(form)
        )
        template = "_decision.html" if is_fragment(request) else "proposal.html"
        return render(request, template, context, status_code=422, user=user)
    if is_fragment(request):
        return render(request, "_decision.html", _case_context(request, case_id, user), user=user)
    return redirect(request, f"/cases/{case_id}#decision")


def _decision_from(form: object) -> DecisionRequest:
    action = str(form.get("action", ""))  # type: ignore[attr-defined]
    modules = None
    if action == DecisionAction.MODIFY.value:
        modules = [
            ModuleAward(module_code=key.removeprefix("ects:"), ects=float(value))
            for key, value in form.items()  # type: ignore[attr-defined]
            if key.startswith("ects:") and str(value).strip() and float(value) > 0
        ]
    return DecisionRequest(action=action, reason=str(form.get("reason", "")), modules=modules)  # type: ignore[attr-defined]


def _decision_problem(error: Exception) -> str:
    """A short key for the template to translate, or the engine's own sentence."""
    if isinstance(error, ValidationError):
        fields = {str(item["loc"][0]) if item["loc"] else "" for item in error.errors()}
        if "reason" in fields:
            return "reason-required"
        if "action" in fields:
            return "action-required"
        if "modules" in fields or any("modules" in item["msg"] for item in error.errors()):
            return "modules-required"
        return "invalid"
    if isinstance(error, ValueError) and not isinstance(error, RecognitionError):
        return "invalid-number"
    return str(error)


@router.post("/cases/{case_id}/rules", dependencies=[Depends(require_csrf)])
async def make_standing_rule(request: Request, case_id: str, user: Evaluator) -> Response:
    """Make the case's decision a standing equivalency rule (``api/equivalency_rules.py``)."""
    form = await request.form()
    fields = {name: str(form.get(name, "")).strip() for name in RuleRequest.model_fields}
    try:
        rule = RuleRequest.model_validate({**fields, "valid_until": fields["valid_until"] or None})
        EquivalencyRules(services(request).database).create(rule, user.caller)
    except (ValidationError, RecognitionError) as error:
        problem = "invalid" if isinstance(error, ValidationError) else str(error)
        context = _case_context(request, case_id, user, rule_error=problem, rule_form=fields)
        return render(request, "proposal.html", context, status_code=422, user=user)
    return redirect(request, f"/cases/{case_id}#standing-rules")


@router.get("/cases/{case_id}/statement")
def statement_page(request: Request, case_id: str, user: UserDep) -> Response:
    context = _case_context(request, case_id, user)
    context["decision"] = context["decisions"][-1] if context["decisions"] else None
    return render(request, "statement.html", context, user=user)
