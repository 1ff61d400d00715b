"""``recognition-engine registry``: import provider registers, show what is held, look a name up."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated

import typer

from cli.common import add_group, console, handles_errors, load_settings, say
from recognition_engine.errors import InvalidInput


def register(app: typer.Typer) -> None:
    group = add_group(
        app,
        "registry",
        "Provider registers: DEQAR and national lists.",
        {"status": status, "lookup": lookup},
    )
    add_group(
        group,
        "import",
        "Import a register into the data folder.",
        {"deqar": import_deqar, "national": import_national},
    )


@handles_errors
def import_deqar(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="DEQAR daily CSV exports: institutions, reports or both, told apart by header."
        ),
    ],
    captured: Annotated[
        str | None,
        typer.Option(
            help="The date the exports were downloaded (YYYY-MM-DD), cited with every finding."
        ),
    ] = None,
) -> None:
    """Import DEQAR's exports (CC BY 4.0, EQAR), replacing the DEQAR data held: one transaction."""
    from recognition_engine.registry import ProviderRegistry, read_export

    day = _date(captured)
    exports = [read_export(path) for path in files]  # every file read before anything is stored
    held = ProviderRegistry(load_settings().data_dir).import_deqar(exports, day)
    for export in exports:
        console.print(
            f"{export.path.name}: {export.kind.value}, {export.rows} rows", highlight=False
        )
    console.print(
        f"register: {held.providers} providers, {held.records} QA records. "
        "Source: DEQAR, by EQAR (https://www.deqar.eu), CC BY 4.0.",
        highlight=False,
    )


@handles_errors
def import_national(
    file: Annotated[Path, typer.Argument(help="A national list in the documented YAML format.")],
) -> None:
    """Import a national list of providers and programmes, replacing its country's list."""
    from recognition_engine.registry import ProviderRegistry, read_national_list

    national = read_national_list(file)
    held = ProviderRegistry(load_settings().data_dir).import_national(national, file.name)
    note = " (an example of the format, not the register)" if national.example else ""
    say(
        f"{file.name}: {national.register_name}, {national.country}, "
        f"{len(national.providers)} providers{note}; register: {held.providers} providers, "
        f"{held.records} QA records.",
    )


@handles_errors
def status(
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Show what the register holds and every import, with its attribution."""
    from recognition_engine.registry import ProviderRegistry

    held = ProviderRegistry(load_settings().data_dir).status()
    if as_json:
        typer.echo(held.model_dump_json(indent=2))
        return
    if not held.configured:
        console.print(
            "No register imported: findings say qa.registry.not_configured. "
            "Import one with `recognition-engine registry import deqar|national`."
        )
        return
    console.print(f"{held.providers} providers, {held.records} QA records", highlight=False)
    for item in held.imports:
        captured = item.captured.isoformat() if item.captured else "capture date not given"
        example = ", example" if item.example else ""
        say(
            f"- {item.register_name} ({item.kind}{example}): {', '.join(item.files)}, "
            f"{item.rows} rows, captured {captured}, imported {item.imported_at:%Y-%m-%d %H:%M}"
            f" UTC; {item.attribution}",
        )


@handles_errors
def lookup(
    name: Annotated[str, typer.Argument(help="The provider's name, in any script.")],
    country: Annotated[
        str | None, typer.Option(help="ISO 3166 alpha-2 code of the provider's country.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Find a provider in the registers, and show which name matched, and how."""
    from recognition_engine.registry import ProviderRegistry

    found = ProviderRegistry(load_settings().data_dir).lookup(name, country)
    if as_json:
        typer.echo(
            json.dumps([m.model_dump(mode="json") for m in found], indent=2, ensure_ascii=False)
        )
        return
    if not found:
        console.print(
            f"{name!r}: in no imported register" + (f" for {country.upper()}" if country else ""),
            highlight=False,
        )
        raise typer.Exit(1)
    for match in found:
        entry = match.entry
        say(
            f"{entry.name} ({entry.country or '?'}) in {entry.register_name} [{entry.key}]: "
            f"matched {match.matched_name!r}, {match.name_kind.value} name, {match.how.value}"
            + (f" (score {match.score:g})" if match.how.value == "near" else ""),
        )
        for record in entry.records:
            say(
                f"  {record.kind} {record.id}: {record.decision or '?'}, valid "
                f"{record.valid_from or '?'} to {record.valid_until or 'open'}"
                + (f", programme {record.programme!r}" if record.programme else ""),
            )


def _date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"--captured {value!r} is not a date (YYYY-MM-DD)") from None
