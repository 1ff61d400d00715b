"""The ``learn`` command: learn a catalogue's ranker and confidence from its decisions."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from cli.common import console, handles_errors, load_settings
from recognition_engine.errors import InvalidInput


def register(app: typer.Typer) -> None:
    app.command("learn")(learn)


@handles_errors
def learn(
    dataset: Annotated[
        Path | None,
        typer.Option("--dataset", help="An equivalence set: its qrels are the decisions."),
    ] = None,
    catalogue: Annotated[
        str | None,
        typer.Option(help="The catalogue (programme id) to learn for; default: the folder name."),
    ] = None,
    programme: Annotated[
        str | None,
        typer.Option(
            "--programme",
            help="Learn from the decisions recorded in the service's database on this programme.",
        ),
    ] = None,
    report: Annotated[
        bool,
        typer.Option(
            "--report",
            help="Print the model card of the model learned for --catalogue (or --programme) "
            "and learn nothing.",
        ),
    ] = False,
) -> None:
    """Learn precedents, a ranker and a calibrated confidence from decisions.

    From an equivalence set (--dataset) or from the decisions evaluators recorded through the
    API and the workbench (--programme). The model is saved beside the index
    (data_dir/learned/<catalogue>); recognise, the API and the harness use it for that catalogue
    from then on. Without it they rank as on day one.
    """
    if report:
        _print_card(catalogue or programme or (dataset.resolve().name if dataset else None))
        return
    if (dataset is None) == (programme is None):
        raise typer.BadParameter("give either --dataset or --programme", param_hint="--dataset")
    if programme is not None:
        _learn_from_database(programme)
        return
    from evaluation.datasets import load_retrieval_task
    from evaluation.protocols import CandidatePool
    from evaluation.reading import reading
    from recognition_engine.learning.model import train_model
    from recognition_engine.learning.reranking import model_folder

    start = time.perf_counter()
    settings = load_settings()
    task = load_retrieval_task(dataset)
    # every decision counts: a credential with no row in the qrels was judged to have none
    decided_ids = [c.id for c in task.credentials]
    if not task.credentials_with_match:
        raise InvalidInput(f"{dataset}: no decision awards a module: nothing to learn")
    # the model the deployment gives the set's languages, as evaluate and recognise read it
    read = reading(task, settings)
    embedder = read.embedder
    pool = CandidatePool(task, embedder, read.settings, catalogue=read.catalogue)
    decided = [pool.gold_decided(cid) for cid in decided_ids]
    model = train_model(decided, pool.courses, pool.lexical, model_id=embedder.model_id)
    folder = model_folder(settings.data_dir, catalogue or dataset.resolve().name)
    model.save(folder)
    without = sum(c.no_equivalent for c in decided)
    console.print(
        f"learned from {len(decided)} decided credentials ({without} with no equivalent; "
        f"{len(model.memory)} decisions): {folder} in {time.perf_counter() - start:.0f} s"
    )
    _print_figures(model.card)


def _learn_from_database(programme_id: str) -> None:
    from api.database import Database
    from api.learning import recorded_decisions
    from api.store import Store
    from recognition_engine.errors import NotFound
    from recognition_engine.service import RecognitionEngine

    settings = load_settings()
    database = Database(settings.resolved_database_url)
    database.migrate()
    try:
        if not Store(database).programme_exists(programme_id):
            raise NotFound(f"no programme {programme_id!r} in the service's database")
        programme, _ = Store(database).programme(programme_id)
        decisions = recorded_decisions(database, programme_id)
    finally:
        database.dispose()
    report = RecognitionEngine(settings).learn(programme, decisions)
    console.print(
        f"learned from {report.credentials} decided credentials on {programme_id} "
        f"({report.without_equivalent} with no equivalent; {report.decisions} module decisions) "
        f"in {report.seconds:.0f} s"
    )
    for code, count in sorted(report.unknown_modules.items()):
        console.print(f"skipped: {count} decision(s) on {code}, no longer in the catalogue")
    _print_figures(report.card)


def _print_card(catalogue: str | None) -> None:
    import json

    from recognition_engine.errors import NotFound
    from recognition_engine.learning.reranking import has_model, model_folder, read_card

    if catalogue is None:
        raise typer.BadParameter("name the catalogue", param_hint="--catalogue")
    folder = model_folder(load_settings().data_dir, catalogue)
    if not has_model(folder):
        raise NotFound(f"no model learned for {catalogue!r} (in {folder}): run learn first")
    try:
        card = read_card(folder)
    except ValueError as error:
        raise InvalidInput(str(error)) from error
    console.print_json(json.dumps(card))


def _print_figures(card: dict[str, object]) -> None:
    """One line of the cross-validated figures, and the tiers, of a model card."""
    figures = card.get("cross_validated")
    if not isinstance(figures, dict):
        return
    console.print(
        f"out of fold on these decisions: P@1 {figures.get('p_at_1')}, AUROC of has-an-"
        f"equivalent {figures.get('auroc_has_equivalent')}, ECE {figures.get('ece')}"
    )
    for band in figures.get("tiers", []):
        threshold = band["threshold"]
        since = "never reached" if threshold is None else f"from {threshold:.3f}"
        console.print(
            f"  {band['tier']:<14} {since:<16} precision {band['precision']} "
            f"on {band['support']} credentials"
        )
