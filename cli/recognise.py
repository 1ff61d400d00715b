"""Commands `index`, `recognise` and `demo`."""

from __future__ import annotations

import json
import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from cli.common import console, handles_errors, load_settings, say
from cli.i18n import Reader
from cli.render import render_proposal
from recognition_engine.errors import InvalidInput
from recognition_engine.ingestion.equivalence import read_records
from recognition_engine.ingestion.files import load_credentials, load_programme
from recognition_engine.messages import localise_proposal
from recognition_engine.service import RecognitionEngine, catalogue_entry

ProgrammeOption = Annotated[
    Path, typer.Option("--programme", "-p", help="Programme catalogue (YAML or JSON).")
]
LanguageOption = Annotated[
    str | None,
    typer.Option(
        "--language",
        "-l",
        help="The evaluator's language (ISO 639-1, e.g. de): a multilingual digital credential "
        "is read in it where it has it, else in its own primary language.",
    ),
]


class ReportLanguage(StrEnum):
    EN = "en"
    KA = "ka"
    HY = "hy"


LangOption = Annotated[
    ReportLanguage,
    typer.Option(
        "--lang",
        help="The language of the report, its findings and reasons: en (English), ka "
        "(Georgian), hy (Armenian). With --json, each message is rendered in it; codes and "
        "parameters are the same in every language.",
    ),
]


def index(
    programme: Annotated[
        Path, typer.Argument(help="Programme catalogue (YAML or JSON), or a modules.jsonl.")
    ],
) -> None:
    """Build the index of a programme catalogue, or update it after the catalogue changed.

    A ``modules.jsonl`` in the equivalence format (one course a line) is indexed as a course
    catalogue under the name of its folder. As a deployment's set-up, it also embeds every ESCO
    skill's label (skills on) and readies the multilingual model (``non-english``: converted and
    exported once a data folder), so that no recognition waits for either.
    """
    settings = load_settings()
    engine = RecognitionEngine(settings)
    if programme.suffix == ".jsonl":
        records = read_records(programme)
        entries = [catalogue_entry(record.id, record) for record in records]  # type: ignore[arg-type]
        report = engine.index_entries(programme.parent.name, entries, progress=True)
    else:
        loaded = load_programme(programme, max_bytes=settings.max_file_bytes)
        report = engine.index_programme(loaded, progress=True)
    state = "rebuilt" if report.rebuilt else "already up to date"
    console.print(
        f"{report.programme_id}: {report.modules} modules, {report.outcomes} outcomes, index "
        f"{state}; {report.embedded} texts embedded, {report.reused} from the cache; "
        f"{report.seconds:.1f} s"
    )
    started = time.perf_counter()
    if labels := engine.skills.prepare():
        say(
            f"ESCO skills: {labels} labels embedded or read from the cache; "
            f"{time.perf_counter() - started:.1f} s",
        )
    if settings.multilingual == "non-english":
        started = time.perf_counter()
        multilingual = engine.multilingual_engine().embedder.model_id
        say(
            f"Multilingual model (credentials not in English): {multilingual}, ready; "
            f"{time.perf_counter() - started:.1f} s",
        )


def recognise(
    credentials: Annotated[
        list[Path],
        typer.Argument(
            help="Credential file(s): YAML/JSON, Europass EDC (JSON-LD, signed or not), Open "
            "Badges 3.0 (JSON or JWT), told apart by their content; several files are stacked."
        ),
    ],
    programme: ProgrammeOption,
    as_json: Annotated[bool, typer.Option("--json", help="Print the proposal as JSON.")] = False,
    language: LanguageOption = None,
    lang: LangOption = ReportLanguage.EN,
    standing_rules: Annotated[
        bool,
        typer.Option(
            "--standing-rules",
            help="Apply the standing equivalency rules kept in the service's database (the "
            "data folder's, or RECOGNITION_DATABASE_URL) for the programme's id, as the API "
            "and the workbench do.",
        ),
    ] = False,
) -> None:
    """Propose the recognition of micro-credential(s) toward a programme, with evidence."""
    settings = load_settings()
    loaded = load_programme(programme, max_bytes=settings.max_file_bytes)
    items = [
        c
        for path in credentials
        for c in load_credentials(path, max_bytes=settings.max_file_bytes, language=language)
    ]
    proposal = RecognitionEngine(settings).recognise(items, loaded)
    if standing_rules:
        from cli.rules import apply_standing_rules

        proposal = apply_standing_rules(proposal, items, loaded, settings)
    proposal = localise_proposal(proposal, lang)
    if as_json:
        typer.echo(json.dumps(proposal.model_dump(mode="json"), indent=2, ensure_ascii=False))
    else:
        render_proposal(proposal, console, t=Reader(lang))


def demo(
    as_json: Annotated[bool, typer.Option("--json", help="Print the proposals as JSON.")] = False,
    lang: LangOption = ReportLanguage.EN,
) -> None:
    """Recognise every shipped micro-credential against the catalogue expected.yaml names.

    Most go against the shipped Georgian programme in English. The Georgian, Armenian and
    cross-lingual cases name the multilingual deployment: they run on an engine set to it,
    whatever the settings say, so the demo shows them as an evaluator would read them.
    """
    import corpora

    settings = load_settings()
    programme = load_programme(corpora.DEMO_PROGRAMME)
    engines = {"": RecognitionEngine(settings)}
    report = engines[""].index_programme(programme, progress=not as_json)
    if not as_json:
        console.print(
            f"[bold]{programme.title}[/bold], {programme.institution}: {report.modules} modules, "
            f"{report.outcomes} outcomes indexed in {report.seconds:.1f} s\n"
        )
    programmes = {corpora.DEMO_PROGRAMME: programme}
    results = []
    for group, catalogue, deployment in demo_groups():
        if deployment not in engines:
            update = {"multilingual": deployment}
            engines[deployment] = RecognitionEngine(settings.model_copy(update=update))
        if catalogue not in programmes:
            programmes[catalogue] = load_programme(catalogue)
        credentials = [c for path in group for c in load_credentials(path)]
        proposal = localise_proposal(
            engines[deployment].recognise(credentials, programmes[catalogue]), lang
        )
        results.append(
            {
                "files": [p.name for p in group],
                "programme": programmes[catalogue].id,
                "proposal": proposal.model_dump(mode="json"),
            }
        )
        if not as_json:
            render_proposal(proposal, console, evidence=3, t=Reader(lang))
            console.print()
    if as_json:
        typer.echo(json.dumps(results, indent=2, ensure_ascii=False))


def demo_groups() -> list[tuple[list[Path], Path, str]]:
    """Each judged credential, then each stack: its files, its catalogue, the deployment it needs.

    The deployment is "" where the judgement names none: the settings' own.
    """
    import corpora

    groups = [
        (
            [corpora.CREDENTIALS_DIR / name for name in case.get("files") or [case["file"]]],
            corpora.judged_programme(case),
            case.get("multilingual", ""),
        )
        for case in corpora.judgements()
    ]
    if not groups:
        raise InvalidInput("the shipped corpus has no credentials")
    return groups


def register(app: typer.Typer) -> None:
    app.command("index")(handles_errors(index))
    app.command("recognise")(handles_errors(recognise))
    app.command("demo")(handles_errors(demo))
