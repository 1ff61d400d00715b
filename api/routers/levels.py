"""Level estimation of a set of learning outcomes (EQF, with NQF correspondences)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends

from api.examples import LEVEL_EXAMPLES
from api.problems import problem_responses
from api.schemas import LevelRequest
from api.security import ANY_ROLE
from api.services import ServicesDep
from api.strict_body import strict_json
from recognition_engine.domain import LevelEstimate

router = APIRouter(prefix="/levels", tags=["levels"])


@router.post(
    "",
    summary="Estimate the EQF level of learning outcomes",
    responses=problem_responses(400, 401, 413, 422, 429),
    dependencies=[Depends(ANY_ROLE), strict_json(LevelRequest)],
)
def estimate_level(
    request: Annotated[LevelRequest, Body(openapi_examples=LEVEL_EXAMPLES)],
    svc: ServicesDep,
) -> LevelEstimate:
    return svc.level_estimator.estimate(
        request.learning_outcomes, declared_eqf_level=request.declared_eqf_level, ects=request.ects
    )
