"""Screenings: batches submitted from files, their live progress, their results as a table and
as CSV."""

from __future__ import annotations

import io

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from pydantic import ValidationError

from api.body_limit import BodyTooLarge
from api.schemas import ScreeningRequest, ScreeningResults
from api.spreadsheet_csv import csv_writer
from api.web.cases import MAX_FILES
from api.web.credential_input import credentials_from_uploads, uploads_in
from api.web.csrf import require_csrf
from api.web.pages import (
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
from api.web.queries import list_screenings
from recognition_engine.domain import ModuleProposal
from recognition_engine.errors import RecognitionError

router = APIRouter(include_in_schema=False)
RESULTS_SHOWN = 200


@router.get("/screenings")
def screenings_page(request: Request, user: UserDep) -> Response:
    return render(request, "screenings.html", _list_context(request, user), user=user)


def _list_context(request: Request, user: User, **extra: object) -> dict[str, object]:
    svc = services(request)
    return {
        "screenings": list_screenings(svc.database, user.caller),
        "programmes": svc.store.programme_summaries(0, 500),
        **extra,
    }


@router.post("/screenings", dependencies=[Depends(require_csrf)])
async def submit_screening(request: Request, user: Submitter) -> Response:
    form = await request.form()
    svc = services(request)
    uploads = uploads_in(form)
    try:
        if not uploads or len(uploads) > MAX_FILES:
            raise ValueError(f"choose between 1 and {MAX_FILES} credential files")
        credentials = await credentials_from_uploads(
            uploads,
            svc.settings,
            language(request),
            # the 413 page, as for the form
            lambda _: BodyTooLarge(svc.settings.max_file_bytes),
        )
        screening = svc.screenings.submit(
            ScreeningRequest(
                programme_ids=[str(value) for value in form.getlist("programme_ids")],
                credentials=credentials,
            ),
            user.caller,
        )
    except (RecognitionError, ValidationError, ValueError) as error:
        context = _list_context(request, user, error=str(error))
        return render(request, "screenings.html", context, status_code=422, user=user)
    return redirect(request, f"/screenings/{screening.id}")


@router.get("/screenings/{screening_id}")
def screening_page(request: Request, screening_id: str, user: UserDep) -> Response:
    with page_of_known_id():
        results = services(request).screenings.results(
            screening_id[:100], 0, RESULTS_SHOWN, user.caller
        )
    template = "_screening_progress.html" if is_fragment(request) else "screening.html"
    return render(request, template, {"results": results}, user=user)


@router.get("/screenings/{screening_id}/results.csv")
def screening_csv(request: Request, screening_id: str, user: UserDep) -> Response:
    runner = services(request).screenings
    with page_of_known_id():
        first = runner.results(screening_id[:100], 0, 1, user.caller)
    pages = [
        runner.results(screening_id[:100], offset, 200, user.caller)
        for offset in range(0, first.screening.total, 200)
    ]
    return Response(
        results_csv(pages),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="screening-{first.screening.id}.csv"'
        },
    )


def results_csv(pages: list[ScreeningResults]) -> str:
    """Return one CSV row per credential × programme: status, ECTS and modules proposed."""
    out = io.StringIO()
    writer = csv_writer(out)  # every cell a spreadsheet reads as data (api/spreadsheet_csv.py)
    writer.writerow(
        [
            "position",
            "credential_id",
            "credential_title",
            "programme_id",
            "state",
            "status",
            "proposed_ects",
            "modules",
            "problem",
        ]
    )
    for page in pages:
        for item in page.items:
            proposal = item.proposal
            writer.writerow(
                [
                    item.position,
                    item.credential_id,
                    item.credential_title,
                    item.programme_id,
                    item.state.value,
                    proposal.status.value if proposal else "",
                    proposal.total_proposed_ects if proposal else "",
                    " ".join(_module_cell(m) for m in proposal.modules) if proposal else "",
                    str(item.problem.get("detail", "")) if item.problem else "",
                ]
            )
    return out.getvalue()


def _module_cell(module: ModuleProposal) -> str:
    # a module put up for review is not a recognition: the sheet says so
    return (
        f"{module.module_code} (review)"
        if module.recognition.value == "review"
        else (module.module_code)
    )
