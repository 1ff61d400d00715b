"""`recognition-engine keys`: create (with an expiry), list (state, expiry, last use), revoke."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner, Result

from cli.service import register


def keys(data_dir: Path, *args: str) -> Result:
    """Run `recognition-engine keys ...` (only the service's commands: the whole CLI is slow
    to import) on the database in ``data_dir``."""
    app = typer.Typer()
    register(app)
    env = {"RECOGNITION_DATA_DIR": str(data_dir), "RECOGNITION_DATABASE_URL": None}
    return CliRunner().invoke(app, ["keys", *args], env=env)


def created_key_id(result: Result) -> str:
    assert result.exit_code == 0, result.output
    return result.output.split("created key ", 1)[1].split()[0]


def listed(data_dir: Path) -> dict[str, dict[str, str]]:
    """`keys list` as {key id: {column: value}}."""
    result = keys(data_dir, "list")
    assert result.exit_code == 0, result.output
    header, *rows = [line.split("\t") for line in result.output.strip().splitlines()]
    return {row[0]: dict(zip(header, row, strict=True)) for row in rows}


def test_create_list_revoke(tmp_path: Path) -> None:
    created = keys(tmp_path, "create", "--role", "evaluator", "--name", "Dr Evaluator")
    key_id = created_key_id(created)
    key = created.output.strip().splitlines()[-1]
    row = listed(tmp_path)[key_id]
    assert row["name"] == "Dr Evaluator" and row["role"] == "evaluator"
    assert row["state"] == "active" and row["expires"] == "-" and row["last used"] == "-"
    assert key not in keys(tmp_path, "list").output

    revoked = keys(tmp_path, "revoke", key_id)
    assert revoked.exit_code == 0 and f"revoked key {key_id}" in revoked.output
    assert listed(tmp_path)[key_id]["state"] == "revoked"
    assert keys(tmp_path, "revoke", "no-such-key").exit_code == 3  # NotFound


def test_create_with_an_expiry(tmp_path: Path) -> None:
    in_days = created_key_id(keys(tmp_path, "create", "--role", "screening",
                                  "--expires-in-days", "30"))
    expected = dt.datetime.now(dt.UTC) + dt.timedelta(days=30)
    expires = dt.datetime.strptime(listed(tmp_path)[in_days]["expires"], "%Y-%m-%dT%H:%MZ")
    assert abs(expires.replace(tzinfo=dt.UTC) - expected) < dt.timedelta(minutes=2)

    next_year = dt.date.today().year + 1
    on_date = created_key_id(keys(tmp_path, "create", "--role", "screening",
                                  "--expires-at", f"{next_year}-03-01"))
    assert listed(tmp_path)[on_date]["expires"] == f"{next_year}-03-01T00:00Z"
    with_offset = created_key_id(keys(tmp_path, "create", "--role", "screening",
                                      "--expires-at", f"{next_year}-03-01T12:00+02:00"))
    assert listed(tmp_path)[with_offset]["expires"] == f"{next_year}-03-01T10:00Z"


@pytest.mark.parametrize(
    "args",
    [
        ["--role", "nobody"],
        ["--role", "admin", "--expires-in-days", "0"],
        ["--role", "admin", "--expires-at", "next week"],
        ["--role", "admin", "--expires-at", "2001-01-01"],  # in the past
        ["--role", "admin", "--expires-in-days", "3", "--expires-at", "2999-01-01"],
    ],
)
def test_create_refuses_bad_options(tmp_path: Path, args: list[str]) -> None:
    result = keys(tmp_path, "create", *args)
    assert result.exit_code != 0
    assert "created key" not in result.output
