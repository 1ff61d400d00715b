"""The ``evaluate`` and ``analyze`` commands over the evaluation harness."""

from __future__ import annotations

import json
import time
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer

from cli.common import console, handles_errors, load_settings
from recognition_engine.errors import InvalidInput

DEFAULT_REPORTS = Path("reports")


def register(app: typer.Typer) -> None:
    app.command("evaluate")(evaluate)
    app.command("analyze")(analyze)


@handles_errors
def evaluate(
    dataset: Annotated[Path, typer.Option("--dataset", help="A dataset folder (format detected).")],
    train: Annotated[
        Path | None, typer.Option("--train", help="Training folder, for tasks that fit a model.")
    ] = None,
    json_out: Annotated[
        Path | None, typer.Option("--json-out", help="Write the results here.")
    ] = None,
    report_dir: Annotated[
        Path | None, typer.Option("--report-dir", help="Report folder (default reports/<dataset>).")
    ] = None,
    synthetic: Annotated[
        bool,
        typer.Option(
            help="When the set has no credential without a match, also measure abstention on a "
            "synthetic hold-out (gold modules removed from the catalogue)."
        ),
    ] = True,
    rankers: Annotated[
        str | None, typer.Option(help="Comma-separated ranker names (default: all).")
    ] = None,
    adapt: Annotated[
        bool,
        typer.Option(
            "--adapt",
            help="Also rank with the model fine-tuned on accepted pairs, in 5-fold CV "
            "(dense-adapted-cv, dense+title-adapted-cv). Slow without a GPU; the synthetic "
            "hold-out repeats it (--no-synthetic skips that).",
        ),
    ] = False,
    protocol: Annotated[
        str,
        typer.Option(
            help="Equivalence sets: 'cold' (no decision of the set is used) or 'warm' (K-fold "
            "over credentials: precedents, ranker and calibration learned from the other folds). "
            "Stage sets (items.jsonl): 'cold' (the generic level estimate) or 'warm' (K-fold: "
            "the other folds' items and stages are the catalogue whose level scale is learned)."
        ),
    ] = "cold",
    folds: Annotated[int, typer.Option(min=2, help="Folds of the warm protocol.")] = 5,
    repeats: Annotated[
        int,
        typer.Option(
            min=1,
            help="Warm protocol on equivalence sets: also repeat it over this many fold splits "
            "in all and report the spread of the headline figures (the report is the first "
            "split's).",
        ),
    ] = 1,
) -> None:
    """Measure the engine against human decisions (equivalence sets) or labelled levels."""
    from evaluation.datasets import Task, detect_task

    settings = load_settings()
    task_kind = detect_task(dataset)
    report_dir = report_dir or DEFAULT_REPORTS / dataset.resolve().name
    if task_kind is Task.EQUIVALENCE:
        if protocol not in ("cold", "warm"):
            raise InvalidInput(f"unknown protocol {protocol!r}: 'cold' or 'warm'")
        if repeats > 1 and protocol != "warm":
            raise InvalidInput("--repeats splits the warm protocol's folds: add --protocol warm")
        _evaluate_equivalence(
            dataset, settings, json_out, report_dir, synthetic, rankers, adapt, protocol, folds,
            repeats,
        )
    elif task_kind is Task.SKILLS:
        _evaluate_skills(dataset, settings, json_out, folds)
    else:
        _evaluate_levels(task_kind, dataset, train, settings, json_out, protocol, folds)


def _evaluate_skills(
    dataset: Path,
    settings,  # noqa: ANN001 - Settings
    json_out: Path | None,
    folds: int,
) -> None:
    from evaluation.skills import evaluate_skill_tagging, load_skill_cases
    from recognition_engine.service import RecognitionEngine

    tagger = RecognitionEngine(settings).skills.tagger
    cases, tagged = load_skill_cases(dataset, tagger.taxonomy)
    if not cases:
        raise InvalidInput(f"{dataset}: no credential has a human skill tag that ESCO names")
    result = evaluate_skill_tagging(cases, tagged, tagger, folds=folds).model_dump(mode="json")
    console.print_json(data=result)
    if json_out:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        json_out.write_text(json.dumps(result, indent=2, ensure_ascii=False))


def _evaluate_equivalence(
    dataset: Path,
    settings,  # noqa: ANN001 - Settings
    json_out: Path | None,
    report_dir: Path,
    synthetic: bool,
    names: str | None,
    adapt: bool = False,
    protocol: str = "cold",
    folds: int = 5,
    repeats: int = 1,
) -> None:
    from evaluation.datasets import holdout_task, load_retrieval_task
    from evaluation.harness import evaluate_equivalence
    from evaluation.rankers import standard_rankers
    from evaluation.reading import reading
    from evaluation.report import rich_table, write_json, write_report

    start = time.perf_counter()
    task = load_retrieval_task(dataset)
    # --- languages: the model the deployment gives the set, its thresholds in the settings
    read = reading(task, settings)
    settings, embedder = read.settings, read.embedder
    task = replace(task, notes=(*task.notes, read.note()))
    console.print(read.note())
    # --- protocols: the default ranker and its candidates, for the engine's real decision
    from evaluation.protocols import CandidatePool, PrecomputedRanker, warm_protocol
    from evaluation.selective import decide_all, selective_summary

    pool = CandidatePool(task, embedder, settings, catalogue=read.catalogue)
    rankers, default = standard_rankers(embedder, settings, read.catalogue)
    if protocol == "warm":
        from evaluation.protocols import WARM_VARIANTS

        # only the learned variants asked for are trained (the default always: its decisions)
        asked = {n.strip() for n in names.split(",")} if names else set(WARM_VARIANTS)
        variants = {k: v for k, v in WARM_VARIANTS.items() if k in asked or k == "default"}
        warm = warm_protocol(pool, folds, variants)
        rankers = [PrecomputedRanker("cold", "the engine's cold ranking", pool.cold_run())] + [
            PrecomputedRanker(name, f"LambdaRank, {folds}-fold out of fold", run)
            for name, run in warm.runs.items()
        ]
        ranked = warm.ranked
        tiers = warm.tiers
        shown = {}
        if repeats > 1:
            from evaluation.repeats import repeated_warm

            seeds = range(8, 7 + repeats)  # the first split (seed 7) is the one just made
            more = repeated_warm(pool, settings, folds, {"default": variants["default"]}, seeds)
        synthetic = False  # the synthetic hold-out is a cold check
    else:
        engine = next(r for r in rankers if r.name == default)
        rankers = [
            PrecomputedRanker(default, engine.description, pool.cold_run(), fallback=engine)
            if r.name == default
            else r
            for r in rankers
        ]
        ranked = pool.cold
        tiers = {}
        # the cold-start confidence and tiers a proposal shows (fitted on the shared sets:
        # on them, an in-sample figure; evaluation/experiments/cold_start.py gives the transfer)
        judged = pool.cold_judgements()
        shown, tiers = judged if judged is not None else ({}, {})
    if adapt:
        from evaluation.adapted import adapted_rankers
        from recognition_engine.models import bundled_model_path

        rankers = [*rankers, *adapted_rankers(settings.model_path or bundled_model_path())]
    if names:
        wanted = {n.strip() for n in names.split(",") if n.strip()}
        unknown = wanted - {r.name for r in rankers}
        if unknown:
            raise InvalidInput(f"unknown rankers: {', '.join(sorted(unknown))}")
        rankers = [r for r in rankers if r.name in wanted]
        default = default if default in wanted else rankers[0].name
    synthetic_task = (
        holdout_task(task) if synthetic and not task.credentials_without_match else None
    )
    result, runs = evaluate_equivalence(
        task,
        rankers,
        default_ranker=default,
        fixed_threshold=settings.min_proposal_score,
        synthetic_task=synthetic_task,
    )
    decisions = decide_all(task.credentials, ranked, pool.modules, task.gold, settings, tiers,
                           shown)
    if default in result.rankers:
        result.rankers[default]["selective"] = selective_summary(list(decisions.values()))
    result.protocol = protocol
    if repeats > 1:
        from evaluation.repeats import HEADLINE, spread

        first = result.rankers[default]
        figures = {**first, **first.get("selective", {})}
        rows = [{"seed": 7.0, **{name: figures.get(name) for name in HEADLINE}}, *more]
        result.repeats = rows
        result.repeats_spread = spread(rows)
    console.print(rich_table(result))
    if default in result.rankers:
        selective = result.rankers[default]["selective"]
        console.print_json(data={k: v for k, v in selective.items() if k != "intervals"})
    if result.repeats_spread:
        console.print(f"over {repeats} fold splits (mean, lowest, highest):")
        console.print_json(data=result.repeats_spread)
    report = write_report(result, task, runs, report_dir, decisions=list(decisions.values()))
    console.print(f"report: {report}")
    if json_out:
        write_json(result, json_out)
        console.print(f"results: {json_out}")
    console.print(f"took {time.perf_counter() - start:.0f} s")


def _evaluate_levels(
    task_kind,  # noqa: ANN001 - Task
    dataset: Path,
    train: Path | None,
    settings,  # noqa: ANN001 - Settings
    json_out: Path | None,
    protocol: str = "cold",
    folds: int = 5,
) -> None:
    from evaluation.datasets import Task

    try:
        from evaluation import levels
    except ImportError as error:
        raise InvalidInput(f"{dataset}: level evaluation is not available ({error})") from error
    from recognition_engine.levels.eqf import CLASSIFIER_FILE
    from recognition_engine.models import create_embedder, fine_tuning_base

    embedder = create_embedder(settings)
    # Stage and mastery measure the product's estimate as the engine would make it: with the
    # trained Bloom classifier when one is installed (level-train), else with the lexicon.
    installed = settings.data_dir / CLASSIFIER_FILE
    classifier = installed if installed.exists() else None
    if task_kind is Task.BLOOM:
        epochs = settings.bloom_fine_tune_epochs
        result = levels.evaluate_bloom(
            dataset,
            train,
            embedder,
            encoder_epochs=epochs,
            encoder_base=fine_tuning_base(settings) if epochs else None,
            report=console.print,
        )
    elif task_kind is Task.STAGE:
        result = levels.evaluate_stage(
            dataset, embedder, classifier_path=classifier, protocol=protocol, folds=folds
        )
    else:
        result = levels.evaluate_mastery(dataset, embedder, classifier_path=classifier)
    result["bloom_method"] = "classifier" if classifier else "lexicon"
    console.print_json(data=result)
    if json_out:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        json_out.write_text(json.dumps(result, indent=2, ensure_ascii=False))


@handles_errors
def analyze(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="One or two corpora: jsonl, a programme YAML or credential YAMLs (a folder)."
        ),
    ],
    report_dir: Annotated[Path | None, typer.Option("--report-dir")] = None,
    json_out: Annotated[Path | None, typer.Option("--json-out")] = None,
) -> None:
    """Text-mine learning-outcome corpora: verbs, Bloom levels, vague verbs, completeness."""
    from evaluation.analysis import analyze_corpus, load_corpus
    from evaluation.analysis_report import print_summary, write_analysis

    if not 1 <= len(files) <= 2:
        raise InvalidInput("give one or two corpora")
    analyses = [analyze_corpus(load_corpus(path)) for path in files]
    print_summary(analyses, console)
    label = "-vs-".join(a.name.replace("/", "-") for a in analyses)
    folder = report_dir or DEFAULT_REPORTS / f"analysis-{label}"
    report = write_analysis(analyses, folder)
    console.print(f"report: {report}")
    if json_out:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        payload = [a.model_dump(mode="json") for a in analyses]
        json_out.write_text(json.dumps(payload, indent=2, ensure_ascii=False))
        console.print(f"results: {json_out}")
