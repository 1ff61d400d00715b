"""``recognition-engine skills``: ESCO skills of credentials, and what the taxonomy is."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer

from cli.common import add_group, console, handles_errors, load_settings, say
from recognition_engine.errors import InvalidInput


def register(app: typer.Typer) -> None:
    add_group(
        app,
        "skills",
        "ESCO skills: tag credentials, describe the taxonomy.",
        {"tag": tag, "info": info, "count": count},
    )


@handles_errors
def tag(
    file: Annotated[
        Path,
        typer.Argument(
            help="Credential file: the engine's YAML/JSON, a Europass EDC, an Open Badges 3.0 "
            "credential, or JSON Lines (one credential a line, the engine's format or the "
            "evaluation sets' records)."
        ),
    ],
    top: Annotated[int, typer.Option("--top", min=1, max=200, help="Inferred skills kept.")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON Lines.")] = False,
) -> None:
    """Print each credential's ESCO skills: declared first, then inferred from its outcomes."""
    from recognition_engine.service import RecognitionEngine
    from recognition_engine.skills.credentials import credential_skills

    settings = load_settings()
    items = list(_items(file, settings.max_file_bytes))
    tagger = RecognitionEngine(settings).skills.tagger
    for credential_id, outcomes, declared, language in items:
        found = credential_skills(
            credential_id, outcomes, declared, tagger, top=top, language=language
        )
        if as_json:
            typer.echo(json.dumps(found.model_dump(mode="json"), ensure_ascii=False))
            continue
        console.print(f"[bold]{found.credential_id or file.name}[/bold]", highlight=False)
        for skill in found.skills:
            score = "declared" if skill.score is None else f"{skill.score:.2f}"
            flags = f"  ({', '.join(skill.flags)})" if skill.flags else ""
            say(f"  {score:>8}  {skill.label}  {skill.uri or '-'}{flags}")
        if found.not_tagged:
            console.print(
                f"  not tagged (not English): outcomes "
                f"{', '.join(str(u.outcome) for u in found.not_tagged)}",
                highlight=False,
            )


@handles_errors
def info(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Print the skills taxonomy shipped with the engine: name, version, size, terms of reuse."""
    from recognition_engine.skills.taxonomy import bundled_taxonomy

    described = bundled_taxonomy().info()
    if as_json:
        typer.echo(described.model_dump_json())
    else:
        for key, value in described.model_dump().items():
            say(f"{key}: {value}")


@handles_errors
def count(
    screening: Annotated[
        Path,
        typer.Argument(help="A screening's JSON lines, as `recognition-engine screen` writes."),
    ],
    skill: Annotated[
        str | None,
        typer.Option("--skill", help="An ESCO skill URI: print the screened pairs that have it."),
    ] = None,
    role: Annotated[
        str, typer.Option("--as", help="With --skill: 'shared', 'missing' or 'any'.")
    ] = "any",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Count a screening's skills (pairs sharing, lacking each), or keep its pairs with one."""
    from recognition_engine.domain import RecognitionProposal
    from recognition_engine.ingestion.files import read_jsonl
    from recognition_engine.skills.counting import count_skills, involves_skill

    if role not in ("shared", "missing", "any"):
        raise InvalidInput(f"--as is 'shared', 'missing' or 'any', not {role!r}")
    if not screening.is_file():
        raise InvalidInput(f"{screening}: no such file")
    records = [record for _, record in read_jsonl(screening) if record.get("proposal")]
    proposals = [RecognitionProposal.model_validate(r["proposal"]) for r in records]
    if skill is not None:
        for record, proposal in zip(records, proposals, strict=True):
            if involves_skill(proposal, skill, role):  # type: ignore[arg-type]
                typer.echo(json.dumps(record, ensure_ascii=False, sort_keys=True))
        return
    counted = count_skills(proposals)
    if as_json:
        typer.echo(json.dumps([c.model_dump() for c in counted], ensure_ascii=False))
        return
    for c in counted:
        say(f"{c.shared:>6} shared {c.missing:>6} missing  {c.label}  {c.uri}")


Item = tuple[str | None, list[str], list[Any], str | None]


def _items(path: Path, max_bytes: int) -> Iterator[Item]:
    """Yield (credential id, outcomes, declared skills, declared language) of each credential."""
    from recognition_engine.ingestion.files import load_credentials
    from recognition_engine.ingestion.outcomes import outcomes_of

    if path.suffix != ".jsonl":
        for credential in load_credentials(path, max_bytes=max_bytes):
            yield credential.id, outcomes_of(credential), credential.skills, credential.language
        return
    from recognition_engine.ingestion import Syntax, read_credentials
    from recognition_engine.ingestion.files import read_jsonl

    if not path.is_file():
        raise InvalidInput(f"{path}: no such file")
    for number, record in read_jsonl(path):
        where = f"{path}:{number}"
        if "awarding_body" in record:  # the engine's own format
            raw = json.dumps(record).encode()
            for credential in read_credentials(raw, where, syntax=Syntax.JSON, max_bytes=max_bytes):
                yield credential.id, outcomes_of(credential), credential.skills, credential.language
            continue
        yield _record_item(record, where)


def _record_item(record: dict[str, Any], where: str) -> Item:
    """An evaluation set's record (``id``, ``title``, ``learning_outcomes``, ``description``,
    ``skills`` as labels, ``language``) as the tagger reads it."""
    from pydantic import ValidationError

    from recognition_engine.domain import DescribedItem, Skill
    from recognition_engine.ingestion.outcomes import outcomes_of

    try:
        item = DescribedItem(
            title=str(record.get("title") or record.get("id") or "untitled"),
            description=record.get("description"),
            learning_outcomes=record.get("learning_outcomes") or [],
        )
        declared = [Skill(label=str(label)) for label in record.get("skills") or []]
    except ValidationError as error:
        raise InvalidInput(f"{where}: {error.errors()[0]['msg']}") from error
    language = record.get("language") if isinstance(record.get("language"), str) else None
    identifier = record.get("id")
    return (
        str(identifier) if identifier is not None else None,
        outcomes_of(item),
        declared,
        language,
    )
