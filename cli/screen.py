"""Command `screen`: every credential against every programme, in one process or on Ray."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from cli.common import console, handles_errors, load_settings
from recognition_engine.domain import MicroCredential
from recognition_engine.errors import InvalidInput
from recognition_engine.ingestion import Syntax, read_credentials
from recognition_engine.ingestion.files import load_credentials, load_programme


def read_credential_files(paths: list[Path], max_bytes: int) -> list[MicroCredential]:
    """Credentials from YAML/JSON files, or from JSONL files with one credential a line, each
    read by the engine's one reader."""
    found: list[MicroCredential] = []
    for path in paths:
        if path.suffix != ".jsonl":
            found += load_credentials(path, max_bytes=max_bytes)
            continue
        if not path.is_file():
            raise InvalidInput(f"{path}: no such file")
        with path.open("rb") as lines:
            for number, line in enumerate(lines, start=1):
                if line.strip():
                    where = f"{path}:{number}"
                    found += read_credentials(line, where, syntax=Syntax.JSON, max_bytes=max_bytes)
    return found


def screen(
    credentials: Annotated[
        list[Path], typer.Argument(help="Credential files: YAML, JSON, or JSONL (one a line).")
    ],
    programmes: Annotated[
        list[Path], typer.Option("--programmes", "-p", help="Programme catalogues (repeat).")
    ],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="JSONL results; existing pairs are skipped.")
    ] = Path("screening.jsonl"),
    engine: Annotated[
        str, typer.Option(help="'local': this process; 'ray': Ray actors (RAY_ADDRESS: a cluster).")
    ] = "local",
    workers: Annotated[int, typer.Option(help="Ray actors, each with its own model.")] = 2,
    batch_size: Annotated[int, typer.Option(help="Pairs per batch sent to a worker.")] = 64,
) -> None:
    """Pre-screen credentials × programmes into a resumable JSONL file."""
    from recognition_engine.screening import screen_locally, screen_on_ray

    if engine not in ("local", "ray"):
        raise typer.BadParameter("--engine is 'local' or 'ray'")
    chosen: Literal["local", "ray"] = engine  # type: ignore[assignment]
    settings = load_settings()
    loaded = read_credential_files(credentials, settings.max_file_bytes)
    catalogues = [load_programme(p, max_bytes=settings.max_file_bytes) for p in programmes]
    if chosen == "ray":
        written = screen_on_ray(
            settings,
            loaded,
            catalogues,
            output,
            workers=workers,
            batch_size=batch_size,
            progress=True,
        )
    else:
        written = screen_locally(
            settings, loaded, catalogues, output, batch_size=batch_size, progress=True
        )
    console.print(f"{written} pairs screened into {output}")


def register(app: typer.Typer) -> None:
    app.command("screen")(handles_errors(screen))
