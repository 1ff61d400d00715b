"""Sign-in with an API key, sign-out, and the language switch."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from api.problems import ApiProblem
from api.security import authenticate, is_well_formed
from api.web.csrf import require_csrf
from api.web.i18n import CODES
from api.web.pages import redirect, render, services, signed_in_user, web_session

router = APIRouter(include_in_schema=False)


def local_path(url: str | None, default: str = "/cases") -> str:
    """Return ``url`` if it is a path on this site, else ``default`` (no open redirect)."""
    if url and url.startswith("/") and not url.startswith("//") and "\\" not in url:
        return url
    return default


@router.get("/")
def home(request: Request) -> Response:
    return redirect(request, "/cases" if signed_in_user(request) else "/login", status_code=302)


@router.get("/login")
def login_page(request: Request, next: str | None = None) -> Response:  # noqa: A002
    user = signed_in_user(request)
    if user is not None:
        return redirect(request, local_path(next), status_code=302)
    return render(request, "login.html", {"next": local_path(next)})


@router.post("/login", dependencies=[Depends(require_csrf)])
def login(
    request: Request,
    key: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/cases",  # noqa: A002
) -> Response:
    key = key.strip()
    error = None
    if not is_well_formed(key):
        error = "malformed"
    else:
        try:
            caller = authenticate(services(request).database, key)
        except ApiProblem as problem:
            error = problem.slug.removesuffix("-api-key")  # unknown, revoked or expired
    if error is not None:
        return render(
            request, "login.html", {"next": local_path(next), "error": error}, status_code=401
        )
    web_session(request).sign_in(caller)
    return redirect(request, local_path(next))


@router.post("/logout", dependencies=[Depends(require_csrf)])
def logout(request: Request) -> Response:
    web_session(request).sign_out()
    return redirect(request, "/login")


@router.post("/lang", dependencies=[Depends(require_csrf)])
def switch_language(
    request: Request,
    lang: Annotated[str, Form(max_length=5)],
    next: Annotated[str, Form(max_length=2000)] = "/cases",  # noqa: A002
) -> Response:
    if lang in CODES:
        web_session(request).choose_language(lang)
    return redirect(request, local_path(next))
