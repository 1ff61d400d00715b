"""Reports: a Markdown file with matplotlib plots (PNG) beside it, and a compact rich table.

The report keeps every credential's result so that failures can be read, not only averaged.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from evaluation.datasets import RetrievalTask, Run
from evaluation.figures import pyplot, save, save_line_chart
from evaluation.harness import EvaluationResult
from evaluation.metrics import RANKING_METRICS
from evaluation.selective import CredentialDecisions, curves


def write_json(result: EvaluationResult, path: Path) -> None:
    """Write the result as JSON (``rankers`` holds the metric table)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result.model_dump(mode="json"), indent=2, ensure_ascii=False))


def plot_metrics(result: EvaluationResult, path: Path) -> None:
    """Bar chart of every ranking metric for every ranker."""
    plt = pyplot()
    names = list(result.rankers)
    metrics = list(RANKING_METRICS)
    width = 0.8 / max(len(names), 1)
    figure, axes = plt.subplots(figsize=(10, 4.5))
    x = np.arange(len(metrics))
    for i, name in enumerate(names):
        values = [result.rankers[name].get(m) or 0.0 for m in metrics]
        label = f"{name} (default)" if name == result.default_ranker else name
        axes.bar(x + i * width - 0.4 + width / 2, values, width, label=label)
    axes.set_xticks(x, metrics)
    axes.set_ylim(0, 1)
    axes.set_ylabel("score")
    axes.set_title(
        f"{result.dataset}: ranking metrics over {result.credentials_with_match} credentials"
    )
    axes.legend(fontsize=8, ncol=3)
    axes.grid(axis="y", alpha=0.3)
    save(figure, path, dpi=120)


def plot_score_distributions(task: RetrievalTask, runs: dict[str, Run], path: Path) -> None:
    """Per ranker: scores of gold modules vs the best non-gold module, and top scores of
    credentials without a match when there are any."""
    plt = pyplot()
    names = list(runs)
    columns = min(3, len(names))
    rows = (len(names) + columns - 1) // columns
    figure, grid = plt.subplots(rows, columns, figsize=(4.2 * columns, 3.2 * rows), squeeze=False)
    for axes, name in zip(grid.flat, names, strict=False):
        run = runs[name]
        gold_scores, best_other, no_match = [], [], []
        for credential in task.credentials:
            scores = run.get(credential.id, {})
            gold = task.gold.get(credential.id, {})
            if not gold:
                if scores:
                    no_match.append(max(scores.values()))
                continue
            gold_scores.extend(s for m, s in scores.items() if m in gold)
            others = [s for m, s in scores.items() if m not in gold]
            if others:
                best_other.append(max(others))
        values = gold_scores + best_other + no_match
        bins = np.linspace(min(values), max(values), 30) if values else 10
        axes.hist(best_other, bins=bins, alpha=0.55, label="best non-match")
        axes.hist(gold_scores, bins=bins, alpha=0.55, label="gold match")
        if no_match:
            axes.hist(no_match, bins=bins, alpha=0.55, label="top, no-match credential")
        axes.set_title(name, fontsize=10)
        axes.legend(fontsize=7)
    for axes in list(grid.flat)[len(names) :]:
        axes.axis("off")
    figure.suptitle("score distributions: matches vs non-matches", fontsize=11)
    save(figure, path)


def plot_gold_ranks(result: EvaluationResult, path: Path) -> None:
    """Cumulative share of credentials whose gold module is within rank k, per ranker."""
    plt = pyplot()
    figure, axes = plt.subplots(figsize=(6, 4))
    ks = np.arange(1, result.depth + 1)
    matched = [c for c in result.per_credential if c.gold]
    for name in result.rankers:
        ranks = np.array([c.gold_rank.get(name) or 10**9 for c in matched])
        axes.plot(ks, [(ranks <= k).mean() if len(ranks) else 0 for k in ks], label=name)
    axes.set_xscale("log")
    save_line_chart(figure, axes, path, xlabel="rank k", ylabel="share with gold in top k")


def _fmt(value: float | int | None) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return "nan" if value != value else f"{value:.3f}"
    return str(value)


def markdown_report(result: EvaluationResult, titles: dict[str, str]) -> str:
    """Return the Markdown text of the report (the plots are referenced by file name)."""
    metrics = list(RANKING_METRICS)
    lines = [
        f"# Equivalence evaluation: {result.dataset}",
        "",
        f"{result.credentials} credentials ({result.credentials_with_match} with a human-judged "
        f"match, {result.credentials_without_match} without), {result.modules} modules. "
        f"Ranking metrics over the credentials with a match (ranx); runs kept to depth "
        f"{result.depth}. Default ranker (what the product uses): **{result.default_ranker}**. "
        f"Took {result.seconds:.0f} s.",
        "",
    ]
    lines += [f"> {note}" for note in result.notes] + ([""] if result.notes else [])
    lines += ["## Rankers", ""]
    header = ["ranker", *metrics, "AUROC no-match"]
    synthetic = any("AUROC_no_match_synthetic" in row for row in result.rankers.values())
    if synthetic:
        header.append("AUROC no-match (synthetic)")
    lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for name, row in result.rankers.items():
        label = f"**{name}** (default)" if name == result.default_ranker else name
        cells = [label, *(_fmt(row.get(m)) for m in metrics), _fmt(row.get("AUROC_no_match"))]
        if synthetic:
            cells.append(_fmt(row.get("AUROC_no_match_synthetic")))
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", "| ranker | what it looks at | seconds |", "|---|---|---|"]
    for name, detail in result.details.items():
        lines.append(f"| {name} | {detail.description} | {detail.seconds:.1f} |")
    lines += ["", "![metrics](metrics.png)", "", "![gold ranks](gold_ranks.png)", ""]
    lines += ["![score distributions](score_distributions.png)", ""]

    lines += ["## Abstention", ""]
    for ab in result.abstention:
        kind = "synthetic check" if ab.synthetic else "as given"
        lines.append(
            f"**{ab.ranker}, {kind}**: {ab.credentials_with_match} with a match, "
            f"{ab.credentials_without_match} without. AUROC of the top score: "
            f"{_fmt(ab.auroc_no_match)}. {ab.note}"
        )
        lines.append("")
        for label, figures in (
            (f"fixed threshold {_fmt(ab.fixed_threshold)}", ab.fixed),
            (f"{result.folds}-fold CV threshold (out of fold)", ab.cross_validated),
        ):
            if figures is None:
                lines.append(f"- {label}: not measurable (null)")
            else:
                parts = ", ".join(f"{k} {_fmt(v)}" for k, v in figures.items())
                lines.append(f"- {label}: {parts}")
        if ab.cv_thresholds:
            lines.append(f"- thresholds chosen per fold: {', '.join(map(str, ab.cv_thresholds))}")
        lines.append("")

    lines += ["## Per credential", ""]
    names = list(result.rankers)
    lines.append(
        "Rank of the gold module for each ranker (– : not in the top "
        f"{result.depth}); the default's top module when it is wrong. The default's failures first."
    )
    lines += ["", "| credential | gold | " + " | ".join(names) + " | default's top 1 |"]
    lines.append("|" + "---|" * (len(names) + 3))

    def order(c):  # noqa: ANN001, ANN202
        rank = c.gold_rank.get(result.default_ranker)
        return (0 if c.gold and rank != 1 else 1, -(rank or 10**6) if c.gold else 0)

    for c in sorted(result.per_credential, key=order):
        gold = ", ".join(f"{g} {titles.get(g, '')}".strip() for g in c.gold) or "*(none)*"
        ranks = [_fmt(c.gold_rank.get(n)) for n in names]
        top = c.top.get(result.default_ranker, [])
        wrong = top and (not c.gold or top[0] not in c.gold)
        top1 = f"{top[0]} {titles.get(top[0], '')}" if wrong else ""
        cells = [f"{c.id} {c.title}", gold, *ranks, top1]
        lines.append("| " + " | ".join(cell.replace("|", "/") for cell in cells) + " |")
    lines.append("")
    return "\n".join(lines)


def plot_selective(decisions: Sequence[CredentialDecisions], label: str, path: Path) -> None:
    """Precision against coverage of the engine's decision, as its threshold moves."""
    plt = pyplot()
    coverage, precision = curves(decisions)
    figure, axes = plt.subplots(figsize=(5.5, 4))
    axes.plot(coverage, precision, marker=".", markersize=3, label=label)
    axes.axhline(0.9, color="grey", linestyle="--", linewidth=0.8, label="precision 0.9")
    save_line_chart(
        figure,
        axes,
        path,
        xlabel="coverage (share of all credentials with a proposal)",
        ylabel="precision (first proposed module is gold)",
        xlim=(0, 1),
        ylim=(0, 1.02),
    )


def plot_reliability(
    decisions: Sequence[CredentialDecisions], label: str, path: Path, bins: int = 10
) -> None:
    """Reliability diagram: observed top-1 accuracy against stated confidence, per bin."""
    plt = pyplot()
    confidence = np.array([d.confidence for d in decisions])
    correct = np.array([d.top_correct for d in decisions], dtype=np.float64)
    edges = np.linspace(0, 1, bins + 1)
    which = np.clip(np.digitize(confidence, edges[1:-1]), 0, bins - 1)
    centres, accuracy, counts = [], [], []
    for b in range(bins):
        mask = which == b
        if mask.any():
            centres.append(confidence[mask].mean())
            accuracy.append(correct[mask].mean())
            counts.append(int(mask.sum()))
    figure, axes = plt.subplots(figsize=(5, 4.5))
    axes.plot([0, 1], [0, 1], color="grey", linestyle="--", linewidth=0.8, label="perfect")
    axes.plot(centres, accuracy, marker="o", label=label)
    for x, y, n in zip(centres, accuracy, counts, strict=True):
        axes.annotate(str(n), (x, y), textcoords="offset points", xytext=(4, -10), fontsize=7)
    save_line_chart(
        figure,
        axes,
        path,
        xlabel="confidence that the top module is right",
        ylabel="share right",
        xlim=(0, 1),
    )


def selective_markdown(result: EvaluationResult) -> list[str]:
    """Return the report's section on the engine's propose/abstain decision."""
    selective = result.rankers.get(result.default_ranker, {}).get("selective")
    if not selective:
        return []
    intervals = selective.get("intervals", {})
    lines = [
        f"## The engine's decision ({result.protocol})",
        "",
        "From `propose_recognition` itself, its threshold moved (the score without a learned "
        "model, the calibrated confidence with one); coverage over all credentials; bootstrap "
        "95% intervals over credentials.",
        "",
        "| figure | value | 95% interval |",
        "|---|---|---|",
    ]
    for name, value in selective.items():
        if name in ("intervals", "tiers"):
            continue
        interval = intervals.get(name)
        shown = f"[{interval[0]:.3f}, {interval[1]:.3f}]" if interval else "–"
        lines.append(f"| {name} | {_fmt(value)} | {shown} |")
    tiers = selective.get("tiers")
    if tiers:
        lines += [
            "",
            "The tiers the product gave, out of fold (precision: the top module is gold; "
            "for no_equivalent, the credential has no gold module):",
            "",
            "| tier | credentials | share of all | precision |",
            "|---|---|---|---|",
        ]
        lines += [
            f"| {name} | {row['count']} | {_fmt(row['share'])} | {_fmt(row['precision'])} |"
            for name, row in tiers.items()
        ]
    lines += [
        "",
        "![precision-coverage](precision_coverage.png)",
        "",
        "![reliability](reliability.png)",
        "",
    ]
    return lines


def write_report(
    result: EvaluationResult,
    task: RetrievalTask,
    runs: dict[str, Run],
    folder: Path,
    *,
    decisions: Sequence[CredentialDecisions] | None = None,
) -> Path:
    """Write report.md, its plots and result.json into ``folder``; return the report's path."""
    folder.mkdir(parents=True, exist_ok=True)
    plot_metrics(result, folder / "metrics.png")
    plot_gold_ranks(result, folder / "gold_ranks.png")
    plot_score_distributions(task, runs, folder / "score_distributions.png")
    text = markdown_report(result, {m.id: m.title for m in task.modules})
    if decisions:
        label = f"{result.default_ranker} ({result.protocol})"
        plot_selective(decisions, label, folder / "precision_coverage.png")
        plot_reliability(decisions, label, folder / "reliability.png")
        text += "\n" + "\n".join(selective_markdown(result))
    path = folder / "report.md"
    path.write_text(text, encoding="utf-8")
    write_json(result, folder / "result.json")
    return path


def rich_table(result: EvaluationResult):  # noqa: ANN201 - a rich Table
    """Return a compact table of the metrics for the terminal."""
    from rich.table import Table

    table = Table(
        title=f"{result.dataset} ({result.credentials_with_match} credentials with a match)"
    )
    table.add_column("ranker", no_wrap=True)
    for metric in [*RANKING_METRICS, "AUROC∅"]:
        table.add_column(metric, justify="right")
    synthetic = any("AUROC_no_match_synthetic" in row for row in result.rankers.values())
    if synthetic:
        table.add_column("AUROC∅ synth.", justify="right")
    for name, row in result.rankers.items():
        label = f"[bold]{name}[/bold] *" if name == result.default_ranker else name
        cells = [_fmt(row.get(m)) for m in RANKING_METRICS] + [_fmt(row.get("AUROC_no_match"))]
        if synthetic:
            cells.append(_fmt(row.get("AUROC_no_match_synthetic")))
        table.add_row(label, *cells)
    table.caption = "* the product's default; AUROC∅: top score separating match / no match"
    return table
