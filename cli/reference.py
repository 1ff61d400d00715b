"""The click command behind the CLI, for the documentation's command reference (mkdocs-click)."""

from __future__ import annotations

import typer

from cli import build_app

command = typer.main.get_command(build_app())
