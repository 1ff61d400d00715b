"""What every page route uses: the signed-in user, rendering in the session's language, and
the answers to a missing sign-in, a role not allowed and a refused CSRF token."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, FastAPI, Request
from fastapi.responses import RedirectResponse, Response

from api.body_limit import BodyTooLarge
from api.security import Caller, Role
from api.services import Services
from api.web.csrf import CsrfRefused
from api.web.i18n import TemplateSet, pick_language
from api.web.session import SessionStore, WebSession, current_caller
from recognition_engine.errors import NotFound


@dataclass
class Workbench:
    templates: TemplateSet
    sessions: SessionStore


class SignInRequired(Exception):
    def __init__(self, next_url: str) -> None:
        self.next_url = next_url


class PageNotFound(Exception):
    """An id in a page's address that names nothing: answered 404 with ``not_found.html``."""


class RoleRefused(Exception):
    def __init__(self, roles: frozenset[Role]) -> None:
        self.roles = roles


@dataclass(frozen=True)
class User:
    """The signed-in key, with what its role may do on the page."""

    caller: Caller

    @property
    def role(self) -> Role:
        return self.caller.role

    def may(self, *roles: Role) -> bool:
        return self.role is Role.ADMIN or self.role in roles

    @property
    def decides(self) -> bool:
        return self.may(Role.EVALUATOR)

    @property
    def submits(self) -> bool:
        return self.may(Role.SCREENING)

    @property
    def manages(self) -> bool:
        return self.may()


def workbench(request: Request) -> Workbench:
    return request.app.state.workbench


def services(request: Request) -> Services:
    return request.app.state.services


def web_session(request: Request) -> WebSession:
    return workbench(request).sessions.read(request)


def language(request: Request) -> str:
    session = web_session(request)
    return pick_language(session.lang, request.headers.get("accept-language"))


def signed_in_user(request: Request) -> User | None:
    session = web_session(request)
    if session.key_id is None:
        return None
    caller = current_caller(services(request).database, session.key_id)
    if caller is None:  # revoked or expired since sign-in
        session.sign_out()
        return None
    return User(caller)


def signed_in(request: Request) -> User:
    """A dependency: the signed-in user, or a redirect to the sign-in page."""
    user = signed_in_user(request)
    if user is None:
        raise SignInRequired(request.url.path)
    return user


def role(*roles: Role) -> Any:
    """A dependency that admits a signed-in user with one of ``roles`` (admin always)."""

    def dependency(user: Annotated[User, Depends(signed_in)]) -> User:
        if not user.may(*roles):
            raise RoleRefused(frozenset({Role.ADMIN, *roles}))
        return user

    return dependency


UserDep = Annotated[User, Depends(signed_in)]
Submitter = Annotated[User, Depends(role(Role.SCREENING))]
Evaluator = Annotated[User, Depends(role(Role.EVALUATOR))]
Admin = Annotated[User, Depends(role())]


@contextmanager
def page_of_known_id() -> Iterator[None]:
    """Turn the store's 'no such id' into the page's 404 (the API's stays a problem document)."""
    try:
        yield
    except NotFound as error:
        raise PageNotFound() from error


def is_fragment(request: Request) -> bool:
    """Whether htmx asks for a part of the page (a history restore asks for the whole)."""
    headers = request.headers
    return headers.get("HX-Request") == "true" and "HX-History-Restore-Request" not in headers


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
    user: User | None = None,
) -> Response:
    """Render a template (a page, or a partial for htmx) in the session's language."""
    session = web_session(request)
    session.keep()  # the page carries its CSRF token
    full = {
        "user": user,
        "csrf_token": session.csrf,
        **(context or {}),
    }
    response = (
        workbench(request)
        .templates[language(request)]
        .TemplateResponse(request, template, full, status_code=status_code)
    )
    workbench(request).sessions.write(request, response)
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def redirect(request: Request, url: str, *, status_code: int = 303) -> Response:
    """Redirect after a post (or to sign in); an htmx request is told to change page."""
    response: Response
    if request.headers.get("HX-Request") == "true":
        response = Response(status_code=204, headers={"HX-Redirect": url})
    else:
        response = RedirectResponse(url, status_code=status_code)
    workbench(request).sessions.write(request, response)
    return response


def install_page_handlers(app: FastAPI) -> None:
    # Plain functions: Starlette runs them in its thread pool, off the event loop, since they
    # read and write the session table.
    @app.exception_handler(SignInRequired)
    def _sign_in(request: Request, error: SignInRequired) -> Response:
        return redirect(request, f"/login?next={quote(error.next_url)}")

    @app.exception_handler(RoleRefused)
    def _role(request: Request, error: RoleRefused) -> Response:
        roles = sorted(role.value for role in error.roles)
        return render(
            request,
            "forbidden.html",
            {"roles": roles},
            status_code=403,
            user=signed_in_user(request),
        )

    @app.exception_handler(PageNotFound)
    def _not_found(request: Request, error: PageNotFound) -> Response:
        return render(request, "not_found.html", status_code=404, user=signed_in_user(request))

    @app.exception_handler(BodyTooLarge)
    def _too_large(request: Request, error: BodyTooLarge) -> Response:
        # raised as the form arrives (api/body_limit.py): the rest of it is never read
        response = render(
            request,
            "too_large.html",
            {"max_bytes": error.max_bytes},
            status_code=413,
            user=signed_in_user(request),
        )
        response.headers["Connection"] = "close"
        return response

    @app.exception_handler(CsrfRefused)
    def _csrf(request: Request, error: CsrfRefused) -> Response:
        return render(request, "csrf_error.html", status_code=403, user=signed_in_user(request))
