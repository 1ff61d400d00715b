"""The `recognition-engine` command line: the top layer, over the engine, the API and the harness.

Each command group lives in its own module with a ``register(app)`` function. The modules import
their heavy dependencies (torch, the API, the harness) inside the commands, so that ``--help``
stays fast. Nothing below this package imports it.
"""

from __future__ import annotations

import typer

from cli import (
    adapt,
    evaluate,
    learn,
    level,
    recognise,
    registry,
    rules,
    screen,
    service,
    skills,
)


def build_app() -> typer.Typer:
    """Return the CLI with every command group registered."""
    app = typer.Typer(
        name="recognition-engine",
        help="Decision support for the recognition of micro-credentials.",
        no_args_is_help=True,
        pretty_exceptions_enable=False,
    )
    for module in (
        recognise, level, adapt, learn, service, evaluate, screen, registry, rules, skills
    ):
        module.register(app)
    return app


def main() -> None:
    build_app()()
