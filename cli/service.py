"""``recognition-engine serve`` and ``recognition-engine keys``: the service's commands."""

from __future__ import annotations

import datetime as dt

import typer

from cli.common import add_group, handles_errors, load_settings, say


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    add_group(
        app,
        "keys",
        "API keys of the HTTP service.",
        {"create": create_key_command, "list": list_keys_command, "revoke": revoke_key_command},
    )


@handles_errors
def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
    port: int = typer.Option(8000, help="TCP port."),
    log_level: str = typer.Option("info", help="uvicorn log level."),
) -> None:
    """Start the HTTP service (migrates the database and loads the indexes first)."""
    import uvicorn

    from api.app import create_app

    app = create_app(load_settings())
    # --- the workbench's address, for people rather than API clients ---
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    say(
        f"Workbench: http://{shown}:{port}/  (sign in with a key from "
        "`recognition-engine keys create --role evaluator`); API docs: "
        f"http://{shown}:{port}/docs",
    )
    uvicorn.run(app, host=host, port=port, log_level=log_level, timeout_graceful_shutdown=30)


@handles_errors
def create_key_command(
    role: str = typer.Option(..., help="admin, evaluator or screening."),
    name: str | None = typer.Option(None, help="Who the key is for (shown in the audit trail)."),
    expires_in_days: int | None = typer.Option(
        None, min=1, help="Refuse the key this many days from now."
    ),
    expires_at: str | None = typer.Option(
        None,
        help="Refuse the key from this ISO date or date-time on (UTC unless it gives an "
        "offset; a date means 00:00 UTC that day).",
    ),
) -> None:
    """Create an API key and print it once: only its hash is stored."""
    from api.database import Database
    from api.security import Role, create_key

    try:
        chosen = Role(role)
    except ValueError as error:
        roles = ", ".join(r.value for r in Role)
        raise typer.BadParameter(f"role must be one of {roles}", param_hint="--role") from error
    expiry = _expiry(expires_in_days, expires_at)
    database = Database(load_settings().resolved_database_url)
    database.migrate()
    try:
        key, caller = create_key(database, chosen, name, expires_at=expiry)
    finally:
        database.dispose()
    until = f", expires {_when(expiry)}" if expiry else ""
    say(
        f"created key {caller.key_id} ({caller.name}, role {caller.role.value}{until}); "
        "it is shown once:",
    )
    print(key)


@handles_errors
def list_keys_command() -> None:
    """List the API keys: id, role, state, expiry, last use (to the minute) and name.

    Never the keys themselves.
    """
    from api.database import Database
    from api.security import list_keys
    from api.tables import utcnow

    database = Database(load_settings().resolved_database_url)
    database.migrate()
    try:
        keys = list_keys(database)
    finally:
        database.dispose()
    now = utcnow()
    print("id\trole\tstate\texpires\tlast used\tname")
    for key in keys:
        print(f"{key.key_id}\t{key.role.value}\t{key.state(now)}\t{_when(key.expires_at)}\t"
              f"{_when(key.last_used_at)}\t{key.name}")


@handles_errors
def revoke_key_command(
    key_id: str = typer.Argument(..., help="The key's id, as `keys list` shows it."),
) -> None:
    """Revoke an API key: a running server refuses it from its next request on."""
    from api.database import Database
    from api.security import revoke_key

    database = Database(load_settings().resolved_database_url)
    database.migrate()
    try:
        key = revoke_key(database, key_id)
    finally:
        database.dispose()
    say(
        f"revoked key {key.key_id} ({key.name}, role {key.role.value}) "
        f"at {_when(key.revoked_at)}",
    )


def _expiry(in_days: int | None, at: str | None) -> dt.datetime | None:
    if in_days is not None and at is not None:
        raise typer.BadParameter("give --expires-in-days or --expires-at, not both")
    if in_days is not None:
        return dt.datetime.now(dt.UTC) + dt.timedelta(days=in_days)
    if at is None:
        return None
    try:
        parsed = dt.datetime.fromisoformat(at)
    except ValueError as error:
        raise typer.BadParameter(
            f"{at!r} is not an ISO date or date-time", param_hint="--expires-at"
        ) from error
    return parsed.replace(tzinfo=dt.UTC) if parsed.tzinfo is None else parsed.astimezone(dt.UTC)


def _when(moment: dt.datetime | None) -> str:
    return moment.strftime("%Y-%m-%dT%H:%MZ") if moment else "-"
