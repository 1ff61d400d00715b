"""``recognition-engine serve`` and ``recognition-engine keys``: the service's commands."""

from __future__ import annotations

import typer

from cli.common import console, handles_errors, load_settings


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    keys = typer.Typer(help="API keys of the HTTP service.", no_args_is_help=True)
    keys.command("create")(create_key_command)
    keys.command("list")(list_keys_command)
    app.add_typer(keys, name="keys")


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
    console.print(
        f"Workbench: http://{shown}:{port}/  (sign in with a key from "
        "`recognition-engine keys create --role evaluator`); API docs: "
        f"http://{shown}:{port}/docs", highlight=False, soft_wrap=True,
    )
    uvicorn.run(app, host=host, port=port, log_level=log_level, timeout_graceful_shutdown=30)


@handles_errors
def create_key_command(
    role: str = typer.Option(..., help="admin, evaluator or screening."),
    name: str | None = typer.Option(None, help="Who the key is for (shown in the audit trail)."),
) -> None:
    """Create an API key and print it once: only its hash is stored."""
    from api.database import Database
    from api.security import Role, create_key

    try:
        chosen = Role(role)
    except ValueError as error:
        roles = ", ".join(r.value for r in Role)
        raise typer.BadParameter(f"role must be one of {roles}", param_hint="--role") from error
    database = Database(load_settings().resolved_database_url)
    database.migrate()
    key, caller = create_key(database, chosen, name)
    database.dispose()
    console.print(f"created key {caller.key_id} ({caller.name}, role {caller.role.value}); "
                  "it is shown once:", highlight=False, soft_wrap=True)
    print(key)


@handles_errors
def list_keys_command() -> None:
    """List the API keys (ids, names and roles; never the keys themselves)."""
    from api.database import Database
    from api.security import list_keys

    database = Database(load_settings().resolved_database_url)
    database.migrate()
    for caller in list_keys(database):
        print(f"{caller.key_id}\t{caller.role.value}\t{caller.name}")
    database.dispose()
