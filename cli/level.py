"""Commands `level` (Bloom and EQF/NQF level of a credential) and `level-train`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from cli.common import console, handles_errors, load_settings
from recognition_engine.domain import LevelEstimate
from recognition_engine.errors import InvalidInput
from recognition_engine.ingestion.digital import is_digital_credential, looks_like_jwt
from recognition_engine.ingestion.files import (
    load_credentials,
    parse_document,
    read_jsonl,
    read_text,
)

_CREDENTIAL_FIELDS = {"awarding_body", "workload", "country", "date_of_issue"}


def level(
    file: Annotated[
        Path,
        typer.Argument(
            help="A micro-credential (YAML/JSON, Europass EDC, Open Badges 3.0 JSON or JWT), a "
            "JSON/YAML list of outcomes, or a text file with one outcome a line."
        ),
    ],
    declared: Annotated[
        int | None, typer.Option("--declared", min=1, max=8, help="Declared EQF level.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the estimate as JSON.")] = False,
    language: Annotated[
        str | None,
        typer.Option("--language", "-l", help="Read a multilingual credential in this language."),
    ] = None,
) -> None:
    """Estimate the Bloom level of each outcome and the EQF/NQF level of the whole."""
    from recognition_engine.levels import LevelEstimator
    from recognition_engine.models import create_embedder

    settings = load_settings()
    outcomes, declared_level, ects = read_outcomes(
        file, settings.max_file_bytes, settings.hours_per_ects, language
    )
    estimator = LevelEstimator.from_settings(settings, create_embedder(settings))
    estimate = estimator.estimate(
        outcomes, declared_eqf_level=declared or declared_level, ects=ects
    )
    if as_json:
        typer.echo(json.dumps(estimate.model_dump(mode="json"), indent=2, ensure_ascii=False))
    else:
        render_estimate(estimate)


def level_train(
    data: Annotated[
        Path,
        typer.Option("--data", help="Folder with an outcomes.jsonl of Bloom-labelled outcomes."),
    ],
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", help="Where to save the classifier; default: data_dir/bloom-classifier.joblib."
        ),
    ] = None,
    epochs: Annotated[
        float | None,
        typer.Option(
            "--epochs",
            min=0,
            max=20,
            help="Epochs of fine-tuning the embedding model (default: bloom_fine_tune_epochs); "
            "0 trains the linear classifier alone, in minutes instead of about twenty.",
        ),
    ] = None,
) -> None:
    """Train the Bloom classifier on labelled outcomes ({"text", "labels": [...]}) and save it."""
    from recognition_engine.levels import CLASSIFIER_FILE, train_classifier
    from recognition_engine.levels.bloom import label_matrix
    from recognition_engine.models import create_embedder, fine_tuning_base

    settings = load_settings()
    texts, labels = read_labelled_outcomes(data / "outcomes.jsonl" if data.is_dir() else data)
    embedder = create_embedder(settings)
    console.print(f"embedding {len(texts)} outcomes with {embedder.model_id} …")
    embeddings = embedder.embed(texts, progress=True)
    epochs = settings.bloom_fine_tune_epochs if epochs is None else epochs
    classifier = train_classifier(
        texts,
        label_matrix(labels),
        embeddings,
        embedder.model_id,
        encoder_epochs=epochs,
        encoder_base=fine_tuning_base(settings) if epochs else None,
        report=console.print,
    )
    path = out or settings.data_dir / CLASSIFIER_FILE
    classifier.save(path)
    thresholds = ", ".join(f"{t:.2f}" for t in classifier.thresholds)
    console.print(
        f"saved the Bloom classifier to {path} (per-level thresholds {thresholds}; "
        f"a second level needs {classifier.ratio:.0%} of the first's probability"
        + (f"; epochs of fine-tuning the embedding model: {epochs:g})" if epochs else ")")
    )


def read_outcomes(
    path: Path, max_bytes: int, hours_per_ects: float, language: str | None = None
) -> tuple[list[str], int | None, float | None]:
    """Return (outcomes, declared EQF level, ECTS) from a credential or a list of outcomes.

    The kind of file is told from its content: a digital credential (EDC, Open Badges 3.0) or
    one in the engine's format, a JSON/YAML list of outcomes, or plain lines of text.
    """
    from recognition_engine.ingestion.outcomes import outcomes_of, split_outcomes

    text = read_text(path, max_bytes=max_bytes)
    structured = looks_like_jwt(text) or text.lstrip()[:1] in {"{", "["}
    if path.suffix.lower() in {".txt", ".md", ""} and not structured:
        lines = [line for line in text.splitlines() if line.strip()]
        return _require(split_outcomes(lines) or lines, path), None, None
    data: Any = None if looks_like_jwt(text) else parse_document(text, path)
    if data is None or (
        isinstance(data, dict)
        and (is_digital_credential(data, str(path)) or _CREDENTIAL_FIELDS & data.keys())
    ):
        [credential] = load_credentials(path, max_bytes=max_bytes, language=language)
        from recognition_engine.decision import credential_ects
        from recognition_engine.levels.frameworks import credential_eqf_level

        ects = credential_ects(credential, hours_per_ects)
        declared = credential_eqf_level(credential)  # in EQF, whatever framework it names
        return _require(outcomes_of(credential), path), declared, ects
    if isinstance(data, dict) and isinstance(data.get("learning_outcomes"), list):
        data = data["learning_outcomes"]
    if isinstance(data, list) and all(isinstance(item, str) for item in data):
        return _require(split_outcomes(data) or data, path), None, None
    raise InvalidInput(
        f"{path}: expected a micro-credential, a list of outcome strings or "
        "a mapping with 'learning_outcomes'"
    )


def read_labelled_outcomes(path: Path) -> tuple[list[str], list[list[str]]]:
    """Return texts and Bloom label lists from a JSON-lines file of {"text", "labels"}."""
    texts: list[str] = []
    labels: list[list[str]] = []
    for number, record in read_jsonl(path):
        if not record.get("text") or not record.get("labels"):
            raise InvalidInput(f"{path}:{number}: expected 'text' and a list of 'labels'")
        texts.append(str(record["text"]))
        labels.append([str(label) for label in record["labels"]])
    if not texts:
        raise InvalidInput(f"{path}: no labelled outcomes")
    return texts, labels


def _require(outcomes: list[str], path: Path) -> list[str]:
    outcomes = [text for text in outcomes if text.strip()]
    if not outcomes:
        raise InvalidInput(f"{path}: no learning outcomes found")
    return outcomes


def render_estimate(estimate: LevelEstimate) -> None:
    """Print the per-outcome levels and the credential estimate for a person."""
    for outcome in estimate.outcomes:
        levels = ", ".join(level.value for level in outcome.bloom)
        verbs = ", ".join(outcome.verbs) or "—"
        console.print(
            f"[bold]{levels}[/bold] ({outcome.method}, {outcome.confidence:.2f}) "
            f"[dim]verbs: {verbs}[/dim]\n  {outcome.text}",
            highlight=False,
        )
    cycle = f", QF-EHEA {estimate.qf_ehea_cycle} cycle" if estimate.qf_ehea_cycle else ""
    console.print(
        f"\n[bold]EQF {estimate.eqf_level}[/bold] (Georgian NQF {estimate.georgian_nqf_level}, "
        f"Armenian NQF {estimate.armenian_nqf_level}{cycle}), confidence {estimate.confidence:.2f}",
        highlight=False,
    )
    for line in estimate.evidence:
        console.print(f"  - {line}", highlight=False)


def register(app: typer.Typer) -> None:
    app.command("level")(handles_errors(level))
    app.command("level-train")(handles_errors(level_train))
