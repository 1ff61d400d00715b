"""Programmes: the catalogue with its modules and outcomes; admins upload or replace one."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from pydantic import ValidationError

from api.web.csrf import require_csrf
from api.web.pages import Admin, UserDep, page_of_known_id, redirect, render, services
from recognition_engine.domain import Programme
from recognition_engine.errors import RecognitionError
from recognition_engine.ingestion.files import describe_validation_error, parse_document
from recognition_engine.ingestion.strict_text import decode_text

router = APIRouter(include_in_schema=False)


@router.get("/programmes")
def programmes_page(request: Request, user: UserDep) -> Response:
    summaries = services(request).store.programme_summaries(0, 500)
    return render(request, "programmes.html", {"programmes": summaries}, user=user)


@router.post("/programmes", dependencies=[Depends(require_csrf)])
async def upload_programme(request: Request, user: Admin) -> Response:
    """Create the programme in the file, or store it as a new version of the existing one."""
    svc = services(request)
    upload = (await request.form()).get("programme")
    try:
        if upload is None or not getattr(upload, "filename", None):
            raise ValueError("choose a programme file")
        content = await upload.read(svc.settings.max_file_bytes + 1)
        if len(content) > svc.settings.max_file_bytes:
            raise ValueError(f"{upload.filename}: over {svc.settings.max_file_bytes:,} bytes")
        try:
            document = parse_document(
                decode_text(content, upload.filename),
                upload.filename,
                max_depth=svc.settings.max_nesting_depth,
            )
            programme = Programme.model_validate(document)
        except ValidationError as error:
            raise ValueError(f"{upload.filename}: {describe_validation_error(error)}") from error
        exists = svc.store.programme_exists(programme.id)
        svc.engine.index_programme(programme)
        if exists:
            svc.store.replace_programme(programme)
        else:
            svc.store.create_programme(programme)
    except (RecognitionError, ValueError) as error:
        context = {"programmes": svc.store.programme_summaries(0, 500), "error": str(error)}
        return render(request, "programmes.html", context, status_code=422, user=user)
    return redirect(request, f"/programmes/{programme.id}")


@router.get("/programmes/{programme_id}")
def programme_page(request: Request, programme_id: str, user: UserDep) -> Response:
    with page_of_known_id():
        public = services(request).store.programme_public(programme_id[:100])
    return render(request, "programme.html", {"programme": public}, user=user)
