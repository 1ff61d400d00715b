"""An unexpected error is logged as its type, its route, a request id and its stack: never its
message, which may quote the request body (pydantic's ``input_value='...'``, a database's
parameters), and with it a learner's name. The error goes no further than the app, so the
server that runs it (uvicorn) has nothing to log with the message either."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

import pytest
from apitest_support import assert_problem, key_headers, make_client, make_settings
from fastapi.testclient import TestClient

from api.examples import CREDENTIAL, PROGRAMME
from api.screening_ledger import ScreeningLane
from api.security import Role
from recognition_engine.domain import Programme
from recognition_engine.errors import RecognitionError
from recognition_engine.screening import Job, ScreeningWorker

NAME = "Nino Beridze"
# what pydantic says of a body it refused: the stack shows the line that raises, not this
MESSAGE = '1 validation error: input_value=\'{"learner": "' + NAME + "\"}'"


@pytest.fixture(scope="module")
def failing_app(tmp_path_factory: pytest.TempPathFactory) -> Any:
    client = make_client(make_settings(tmp_path_factory.mktemp("failing")))

    def fails() -> None:
        raise ValueError(MESSAGE)

    def fails_in_the_engine() -> None:
        raise RecognitionError(f"could not read the credential of {NAME}")

    client.app.add_api_route("/v1/fails/{item}", fails, methods=["POST"])
    client.app.add_api_route("/v1/engine-fails", fails_in_the_engine, methods=["POST"])
    with client:
        yield client


def test_an_unexpected_error_is_a_500_logged_without_its_message(
    failing_app: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    headers = key_headers(failing_app, Role.ADMIN)
    with caplog.at_level(logging.DEBUG):
        response = failing_app.post(
            "/v1/fails/nino-beridze", json={"learner": {"name": NAME}}, headers=headers
        )
    body = assert_problem(response, 500, "internal-error")
    request_id = response.headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{16}", request_id) and request_id in body["detail"]
    assert NAME not in response.text
    logged = _server_log(caplog)
    assert "ValueError" in logged and request_id in logged
    assert "/v1/fails/{item}" in logged  # the route, not the path with its id
    assert "nino-beridze" not in logged
    assert NAME not in logged and "input_value" not in logged
    assert "test_problem_logging.py" in logged  # the stack: where, never what


def test_an_engine_error_answered_500_is_logged_by_its_type(
    failing_app: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    headers = key_headers(failing_app, Role.ADMIN)
    with caplog.at_level(logging.DEBUG):
        response = failing_app.post("/v1/engine-fails", headers=headers)
    assert response.status_code == 500
    assert "RecognitionError" in _server_log(caplog) and NAME not in _server_log(caplog)


def _server_log(caplog: pytest.LogCaptureFixture) -> str:
    """What the service logged (the test's own HTTP client logs its URLs)."""
    return "\n".join(
        caplog.handler.format(record)
        for record in caplog.records
        if not record.name.startswith("httpx")
    )


class _Engine:
    def recognise(self, credentials: Any, programme: Any) -> Any:
        raise KeyError(f"no outcome for {NAME}")


def test_a_screening_item_that_fails_is_logged_without_its_message(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    programme = Programme.model_validate(PROGRAMME)
    worker = ScreeningWorker.around(_Engine(), [programme])  # type: ignore[arg-type]
    programmes = {programme.id: programme}
    lane = ScreeningLane(None, "s", 0, 1, programmes, lambda *_: 0)  # type: ignore[arg-type]
    payload = CREDENTIAL | {"learner": {"name": NAME}}
    with caplog.at_level(logging.DEBUG):
        _, state, _, problem = lane._saved(worker.recognise(Job(1, payload, programme.id), None))
    assert state == "failed" and problem is not None and problem["detail"] == "KeyError"
    assert "KeyError" in caplog.text and NAME not in caplog.text


def test_a_database_error_does_not_quote_the_values(tmp_path: Path) -> None:
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    from api.database import Database

    database = Database(f"sqlite:///{tmp_path / 'x.db'}")
    with pytest.raises(DBAPIError) as raised, database.engine.begin() as connection:
        connection.execute(text("INSERT INTO nowhere VALUES (:name)"), {"name": NAME})
    assert NAME not in str(raised.value)
    database.dispose()
