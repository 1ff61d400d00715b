"""What the routers need, built once per app and reached through ``request.app.state``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request

from api.database import Database
from api.screening import ScreeningRunner
from api.security import RateLimiter
from api.store import Store
from recognition_engine.config import Settings


@dataclass
class Services:
    settings: Settings
    database: Database
    store: Store
    engine: Any  # recognition_engine.service.RecognitionEngine (or a test double)
    screenings: ScreeningRunner
    rate_limiter: RateLimiter
    level_estimator: Any  # recognition_engine.levels.LevelEstimator


def services(request: Request) -> Services:
    return request.app.state.services


ServicesDep = Annotated[Services, Depends(services)]
