"""``/patterns``: every UI pattern of the workbench on one page, a visual fixture for tests."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.web.matrix import Cell, EvidenceMatrix, ModuleColumns
from api.web.pages import render, signed_in_user

router = APIRouter(include_in_schema=False)

SAMPLE_MATRIX = EvidenceMatrix(
    rows=["Create and edit layers in QGIS.", "Plan themed tourist routes."],
    modules=[ModuleColumns("CE0000", "Sample module", ["Edit spatial data.", "Analyse maps."])],
    cells=[
        [Cell(0.82, 8, True), Cell(0.41, 4, False)],
        [Cell(0.12, 1, False), Cell(0.33, 3, False)],
    ],
)


@router.get("/patterns")
def patterns_page(request: Request) -> Response:
    return render(
        request, "patterns.html", {"matrix": SAMPLE_MATRIX}, user=signed_in_user(request)
    )
