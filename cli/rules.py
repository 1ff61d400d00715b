"""``recognition-engine rules``: the standing equivalency rules kept in the service's database."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated

import typer

from cli.common import add_group, handles_errors, load_settings, say
from recognition_engine.config import Settings
from recognition_engine.domain import MicroCredential, Programme, RecognitionProposal
from recognition_engine.errors import InvalidInput


def register(app: typer.Typer) -> None:
    add_group(
        app,
        "rules",
        "Standing equivalency rules (made from decisions in the workbench or the API).",
        {"list": list_rules, "end": end_rule},
    )


def apply_standing_rules(
    proposal: RecognitionProposal,
    credentials: list[MicroCredential],
    programme: Programme,
    settings: Settings,
) -> RecognitionProposal:
    """Return ``proposal`` with the programme's standing rules from the service's database
    applied, as the API and the workbench apply them (``recognise --standing-rules``)."""
    from api.database import Database
    from api.equivalency_rules import EquivalencyRules

    database = Database(settings.resolved_database_url)
    database.migrate()
    try:
        return EquivalencyRules(database).apply(proposal, credentials, programme)
    finally:
        database.dispose()


def _day(text: str | None, option: str) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise InvalidInput(f"{option} {text!r} is not an ISO date (YYYY-MM-DD)") from error


@handles_errors
def list_rules(
    active_on: Annotated[
        str | None,
        typer.Option("--active-on", help="Only the rules that cover credentials issued that day."),
    ] = None,
    programme: Annotated[
        str | None, typer.Option("--programme", help="Only the rules of this programme.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the rules as JSON.")] = False,
) -> None:
    """List the standing equivalency rules, oldest first, with what each covers now."""
    from api.database import Database
    from api.equivalency_rules import EquivalencyRules

    day = _day(active_on, "--active-on")
    database = Database(load_settings().resolved_database_url)
    database.migrate()
    try:
        store, items, after = EquivalencyRules(database), [], None
        while True:
            page = store.page(after, 200, day, programme)
            items += page.items
            if page.next_after is None:
                break
            after = page.next_after
    finally:
        database.dispose()
    if as_json:
        print(json.dumps([item.model_dump(mode="json") for item in items], ensure_ascii=False))
        return
    print("id\tprogramme\tawarding body\ttitle\tmodules\tvalid from\tvalid until\tdecision")
    for item in items:
        modules = ", ".join(f"{m.module_code} ({m.ects:g})" for m in item.modules)
        until = item.valid_until.isoformat() if item.valid_until else "-"
        print(
            f"{item.id}\t{item.programme_id}\t{item.awarding_body}\t{item.title}\t{modules}\t"
            f"{item.valid_from.isoformat()}\t{until}\t{item.decision_id}"
        )


@handles_errors
def end_rule(
    rule_id: Annotated[str, typer.Argument(help="The rule's id, as `rules list` shows it.")],
    on: Annotated[
        str | None,
        typer.Option("--on", help="The last issue date the rule covers (default: today, UTC)."),
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="Why the rule ends.")] = None,
    by: Annotated[
        str, typer.Option("--by", help="Who ends it, for the rule's history.")
    ] = "command line",
) -> None:
    """End a standing equivalency rule: later credentials are no longer covered (its history
    keeps the end, and the rule as it was made)."""
    from api.database import Database
    from api.equivalency_rules import EquivalencyRules
    from api.equivalency_schemas import RuleEndRequest
    from api.security import Caller, Role

    request = RuleEndRequest(ends_on=_day(on, "--on"), note=note)
    database = Database(load_settings().resolved_database_url)
    database.migrate()
    try:
        caller = Caller(key_id="cli", name=by, role=Role.EVALUATOR)
        rule = EquivalencyRules(database).end(rule_id, request, caller)
    finally:
        database.dispose()
    say(
        f"rule {rule.id} ({rule.title}, {rule.awarding_body}) now covers credentials issued "
        f"from {rule.valid_from} until {rule.valid_until}",
    )
