"""What every command shares: settings, console output and the mapping of errors to exit codes."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

import typer
from pydantic import ValidationError
from rich.console import Console

from recognition_engine.config import Settings
from recognition_engine.errors import (
    IndexUnavailable,
    InvalidInput,
    ModelUnavailable,
    NotFound,
    RecognitionError,
    StackingRefused,
)

console = Console()
errors = Console(stderr=True)

# One exit code per kind of failure, so that scripts can tell them apart.
EXIT_CODES: dict[type[RecognitionError], int] = {
    InvalidInput: 2,
    NotFound: 3,
    StackingRefused: 4,
    IndexUnavailable: 5,
    ModelUnavailable: 6,
}

P = ParamSpec("P")
R = TypeVar("R")


def exit_code(error: RecognitionError) -> int:
    """The exit code of an error's kind: its own, or its nearest base class's (a malformed
    document is invalid input), else 1."""
    kind = next((base for base in type(error).__mro__ if base in EXIT_CODES), None)
    return EXIT_CODES[kind] if kind is not None else 1


def say(text: str) -> None:
    """Print ``text`` as written: no highlighting guessed from its numbers or paths, and no
    line breaks inserted, so that a long path, URI or key stays one line that can be copied."""
    console.print(text, highlight=False, soft_wrap=True)


def load_settings() -> Settings:
    """Return the settings from the environment, or exit with a clear message."""
    try:
        return Settings()
    except ValidationError as error:
        errors.print(f"[red]error:[/red] invalid settings: {error}")
        raise typer.Exit(2) from error


def handles_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn the engine's typed errors into a one-line message and a distinct exit code."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
        try:
            return command(*args, **kwargs)
        except RecognitionError as error:
            errors.print(f"[red]error:[/red] {error}", highlight=False)
            raise typer.Exit(exit_code(error)) from error

    return wrapper


def add_group(
    parent: typer.Typer, name: str, summary: str, commands: dict[str, Callable[..., Any]]
) -> typer.Typer:
    """Return the command group ``name``, added to ``parent`` with ``commands`` by their names."""
    group = typer.Typer(help=summary, no_args_is_help=True)
    for command_name, command in commands.items():
        group.command(command_name)(command)
    parent.add_typer(group, name=name)
    return group
