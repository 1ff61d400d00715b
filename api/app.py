"""``create_app(settings)``: the FastAPI app, with everything it uses injected or built here."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

from api.body_limit import BodySizeLimit
from api.callback_sender import CallbackSender
from api.database import Database
from api.idempotency import IdempotentPosts
from api.json_bodies import StrictJsonBodies
from api.key_gate import ApiKeyGate
from api.problems import UnexpectedErrors, install_problem_handlers
from api.rate_limit_headers import RateLimitHeaders
from api.routers import (
    applications,
    credentials,
    equivalency_rules,
    health,
    learning,
    levels,
    programmes,
    recognitions,
    registry,
    screenings,
)
from api.screening import ScreeningRunner
from api.security import RateLimiter
from api.services import Services
from api.store import Store
from api.web import PAGE_PREFIXES, install_workbench
from recognition_engine.config import Settings

logger = logging.getLogger(__name__)

# The POSTs that create something: each takes an Idempotency-Key.
IDEMPOTENT_POSTS = (
    r"/v1/(programmes|credentials|applications|recognitions|screenings)",
    r"/v1/recognitions/[^/]+/decisions",
    r"/v1/equivalency-rules",
    r"/v1/equivalency-rules/[^/]+/end",
)

DESCRIPTION = """\
Decision support for the recognition of micro-credentials toward degree programmes.

Every route but `/health` needs an `X-API-Key` header; keys are made with
`recognition-engine keys create --role admin|evaluator|screening [--expires-in-days N]` and
revoked with `recognition-engine keys revoke KEY_ID` (refused from the key's next request on):

* **admin** manages programmes and can do everything;
* **evaluator** reads, records decisions on proposals, and makes them standing equivalency
  rules (`/v1/equivalency-rules`);
* **screening** submits credentials and requests proposals and batch screenings.

**Personal data.** A credential may carry a `learner` identity. The service drops it before
anything is stored, never returns it and never logs it; no decision needs it.

Errors are RFC 9457 problem documents (`application/problem+json`).
Proposals are advice to a human evaluator, whose decisions are kept as an append-only audit trail.
"""


def create_app(
    settings: Settings, *, engine: Any | None = None, level_estimator: Any | None = None
) -> FastAPI:
    """Return the app; the engine is built from ``settings`` unless one is given."""
    if engine is None:
        from recognition_engine.service import RecognitionEngine

        engine = RecognitionEngine(settings)
    if level_estimator is None:
        level_estimator = engine.level_estimator
    database = Database(settings.resolved_database_url)
    store = Store(database)
    services = Services(
        settings=settings,
        database=database,
        store=store,
        engine=engine,
        screenings=ScreeningRunner(
            database, store, engine, settings.screening_workers,
            callbacks=CallbackSender.from_settings(database, settings),
            ray_workers=(
                settings.screening_ray_workers if settings.screening_executor == "ray" else None
            ),
        ),
        rate_limiter=RateLimiter(settings.api_rate_limit_per_minute),
        level_estimator=level_estimator,
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        database.migrate()
        _index_stored_programmes(services)
        services.screenings.start()
        try:
            yield
        finally:
            services.screenings.stop()
            database.dispose()

    app = FastAPI(
        title="Recognition engine",
        version="1.0.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        # operationIds are the routes' names: what OpenAPI links point at, and what a
        # generated client calls its functions.
        generate_unique_id_function=lambda route: route.name,
    )
    app.state.services = services
    install_problem_handlers(app)
    app.add_middleware(RateLimitHeaders)
    # Inside the body limit: it reads the whole body, to know a retried request by it.
    app.add_middleware(
        IdempotentPosts, database=database, paths=IDEMPOTENT_POSTS,
        ttl=dt.timedelta(hours=settings.idempotency_key_ttl_hours),
        lease=dt.timedelta(seconds=settings.idempotency_lease_seconds),
        rate_limiter=services.rate_limiter,
    )
    # Inside the size limit: a JSON body is strict JSON text before anything parses it.
    app.add_middleware(StrictJsonBodies, max_depth=settings.max_nesting_depth)
    app.add_middleware(
        BodySizeLimit, max_bytes=settings.api_max_body_bytes,
        streamed_prefixes=PAGE_PREFIXES, streamed_max_bytes=settings.workbench_max_upload_bytes,
    )
    # Added last, so it runs first: a request without a usable key is not read any further.
    app.add_middleware(
        ApiKeyGate, public_paths=_public_paths(app) | {"/"}, public_prefixes=PAGE_PREFIXES
    )
    app.include_router(health.router)
    for module in (
        programmes, learning, credentials, applications, recognitions, equivalency_rules,
        screenings, levels, registry,
    ):
        app.include_router(module.router, prefix="/v1")
    # The workbench: the web pages over the same services (api/web).
    install_workbench(app, settings, database)
    # Outermost: what nothing answered is a 500 logged without its message (api/problems.py).
    app.add_middleware(UnexpectedErrors)
    return app


def _public_paths(app: FastAPI) -> set[str]:
    """Liveness and the API's documentation: what answers without a key."""
    paths = ("/health", app.openapi_url, app.docs_url, app.redoc_url,
             app.swagger_ui_oauth2_redirect_url)
    return {path for path in paths if path}


def _index_stored_programmes(services: Services) -> None:
    """Make sure every stored programme has its index (loaded from disk or rebuilt)."""
    for programme in services.store.programmes():
        services.engine.index_programme(programme)
