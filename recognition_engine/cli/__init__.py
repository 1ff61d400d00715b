"""The `recognition-engine` command line: a thin layer over the engine.

Each command group lives in its own module with a ``register(app)`` function. The HTTP service
and the evaluation harness add their commands the same way, imported lazily here so that the
engine never depends on them.
"""

from __future__ import annotations

import importlib

import typer

COMMAND_MODULES = (
    "recognition_engine.cli.recognise",
    "recognition_engine.cli.level",
    "recognition_engine.cli.adapt",
    "api.commands",
    "evaluation.commands",
)


def build_app() -> typer.Typer:
    """Return the CLI with every available command group registered."""
    app = typer.Typer(
        name="recognition-engine",
        help="Decision support for the recognition of micro-credentials.",
        no_args_is_help=True,
        pretty_exceptions_enable=False,
    )
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:  # a real missing dependency inside the module
                raise
            continue
        module.register(app)
    return app


def main() -> None:
    build_app()()
