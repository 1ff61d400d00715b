"""Learning from the programme's recorded decisions (admin): precedents, ranker, confidence."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path

from api.learning import recorded_decisions
from api.problems import Conflict, problem_responses
from api.security import require
from api.services import ServicesDep
from recognition_engine.errors import InvalidInput, NotFound
from recognition_engine.service import LearnReport

router = APIRouter(prefix="/programmes", tags=["programmes"])

LEARN_DESCRIPTION = """\
Learn from the decisions evaluators recorded on this programme's proposals: the latest
decision on each recognition counts, for the modules it awarded and against the proposed
modules it did not; a decision that awards nothing teaches that such a credential has no
equivalent in the catalogue. Learning needs at least 10 decided credentials, 5 of them with a
module awarded (409 says how many there are; the earlier model, or the cold ranking, stays).
Decisions on modules no longer in the catalogue are counted in `unknown_modules` and skipped.
The answer carries the model card: the cross-validated figures on these decisions and the
confidence tiers chosen on them. The learned ranker, the precedents ("recognised for CE3202 in
3 similar earlier decisions") and the calibrated confidence are used by every later proposal
for the programme, through the API, the workbench and the CLI alike. Run it again as decisions
accumulate; without it the engine ranks as on day one.
"""


@router.post(
    "/{programme_id}/learning",
    summary="Learn from the programme's recorded decisions",
    description=LEARN_DESCRIPTION,
    responses=problem_responses(400, 401, 403, 404, 409, 422, 429),
    dependencies=[Depends(require())],
)
def learn_from_decisions(
    programme_id: Annotated[
        str, Path(pattern=r"^[a-z0-9][a-z0-9._-]{0,99}$", description="The programme's id.")
    ],
    svc: ServicesDep,
) -> LearnReport:
    programme, _ = svc.store.programme(programme_id)
    try:
        return svc.engine.learn(programme, recorded_decisions(svc.database, programme_id))
    except InvalidInput as error:  # nothing recorded to learn from: the state, not the request
        raise Conflict(str(error)) from error


@router.get(
    "/{programme_id}/learning",
    summary="The model card of the model learned for the programme",
    description="What the learned model rests on (decided credentials, with and without an "
    "equivalent, when), what it reached out of fold on the programme's own decisions (P@1, "
    "AUROC of has-an-equivalent, ECE, the tiers with their precision and support) and the "
    "library versions. 404 when no model has been learned.",
    responses=problem_responses(401, 403, 404, 409, 422, 429),
    dependencies=[Depends(require())],
)
def model_card(
    programme_id: Annotated[
        str, Path(pattern=r"^[a-z0-9][a-z0-9._-]{0,99}$", description="The programme's id.")
    ],
    svc: ServicesDep,
) -> dict[str, object]:
    svc.store.programme(programme_id)  # 404 for an unknown programme
    try:
        card = svc.engine.model_card(programme_id)
    except ValueError as error:  # a damaged model file: the state, not the request
        raise Conflict(str(error)) from error
    if card is None:
        raise NotFound(f"no model learned for programme {programme_id!r} yet")
    return card
