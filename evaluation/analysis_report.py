"""The corpus analysis as people read it: a table in the terminal, a Markdown report with charts."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from evaluation.analysis import BLOOM_ORDER, CorpusAnalysis
from evaluation.figures import pyplot, save


def print_summary(analyses: list[CorpusAnalysis], console) -> None:  # noqa: ANN001 - rich Console
    """Print the corpora side by side."""
    from rich.table import Table

    table = Table(title="learning-outcome corpora")
    table.add_column("")
    for a in analyses:
        table.add_column(a.name, justify="right")
    rows: list[tuple[str, list[str]]] = [
        ("kind", [a.kind for a in analyses]),
        ("items", [str(a.items) for a in analyses]),
        ("outcomes", [str(a.outcomes) for a in analyses]),
        ("items with outcomes given", [f"{a.items_with_given_outcomes:.0%}" for a in analyses]),
        ("outcomes per item (median)", [f"{a.outcomes_per_item['median']:g}" for a in analyses]),
        ("words per outcome (median)", [f"{a.words_per_outcome['median']:g}" for a in analyses]),
        ("top verbs", [", ".join(v for v, _ in a.top_verbs[:5]) for a in analyses]),
        ("vague verbs", [f"{a.vague_share:.0%}" for a in analyses]),
        ("several verbs", [f"{a.bundled_share:.0%}" for a in analyses]),
        ("no leading verb", [f"{a.no_leading_verb:.0%}" for a in analyses]),
    ]
    rows += [
        (f"Bloom: {level}", [f"{a.bloom_distribution[level]:.0%}" for a in analyses])
        for level in BLOOM_ORDER
    ]
    rows.append(
        (
            "records with every element",
            [f"{a.complete_items:.0%}" if a.completeness else "–" for a in analyses],
        )
    )
    for label, cells in rows:
        table.add_row(label, *cells)
    console.print(table)


def write_analysis(analyses: list[CorpusAnalysis], folder: Path) -> Path:
    """Write analysis.md with its charts into ``folder``; return the report's path."""
    plt = pyplot()
    folder.mkdir(parents=True, exist_ok=True)
    names = [a.name for a in analyses]

    figure, axes = plt.subplots(figsize=(7, 3.8))
    x = np.arange(len(BLOOM_ORDER))
    width = 0.8 / len(analyses)
    for i, a in enumerate(analyses):
        axes.bar(
            x + i * width - 0.4 + width / 2,
            [a.bloom_distribution[b] for b in BLOOM_ORDER],
            width,
            label=a.name,
        )
    axes.set_xticks(x, BLOOM_ORDER)
    axes.set_ylabel("share of outcomes")
    axes.set_title("Bloom level (verb lexicon)")
    axes.legend(fontsize=8)
    save(figure, folder / "bloom.png")

    figure, grid = plt.subplots(1, 2, figsize=(10, 3.6))
    histograms = (
        ("words per outcome", "words_per_outcome_values", np.arange(0, 61, 2)),
        ("outcomes per item", "outcomes_per_item_values", np.arange(0, 31, 1)),
    )
    for axes, (title, values, bins) in zip(grid, histograms, strict=True):
        for a in analyses:
            axes.hist(getattr(a, values), bins=bins, alpha=0.55, density=True, label=a.name)
        axes.set_title(title)
        axes.legend(fontsize=8)
    save(figure, folder / "lengths.png")

    figure, grid = plt.subplots(1, len(analyses), figsize=(5 * len(analyses), 4.5), squeeze=False)
    for axes, a in zip(grid[0], analyses, strict=True):
        verbs = a.top_verbs[:15][::-1]
        axes.barh([v for v, _ in verbs], [c / max(a.outcomes, 1) for _, c in verbs])
        axes.set_title(f"leading verbs: {a.name}", fontsize=10)
        axes.set_xlabel("share of outcomes")
    save(figure, folder / "verbs.png")

    figure, axes = plt.subplots(figsize=(7, 3.5))
    labels = ["vague verb", "several verbs", "no leading verb"]
    for i, a in enumerate(analyses):
        values = [a.vague_share, a.bundled_share, a.no_leading_verb]
        axes.bar(np.arange(3) + i * width - 0.4 + width / 2, values, width, label=a.name)
    axes.set_xticks(np.arange(3), labels)
    axes.set_ylabel("share of outcomes")
    axes.set_title("outcome quality flags")
    axes.legend(fontsize=8)
    save(figure, folder / "quality.png")

    lines = [f"# Learning-outcome corpora: {' vs '.join(names)}", ""]
    lines += [
        "Outcomes are extracted as the engine extracts them (an item with a description only "
        "contributes its sentences); verbs and Bloom levels come from the engine's verb lexicon "
        "(`recognition_engine.levels`), an outcome with several levels counting a share to each.",
        "",
        "| | " + " | ".join(names) + " |",
        "|---|" + "---|" * len(names),
    ]

    def row(label: str, cells: list[str]) -> None:
        lines.append(f"| {label} | " + " | ".join(cells) + " |")

    row("kind", [a.kind for a in analyses])
    row("items", [str(a.items) for a in analyses])
    row("outcomes", [str(a.outcomes) for a in analyses])
    row(
        "items with outcomes given (not a description)",
        [f"{a.items_with_given_outcomes:.0%}" for a in analyses],
    )
    for key in ("mean", "median", "p90"):
        row(f"outcomes per item ({key})", [f"{a.outcomes_per_item[key]:g}" for a in analyses])
    for key in ("mean", "median", "p90"):
        row(f"words per outcome ({key})", [f"{a.words_per_outcome[key]:g}" for a in analyses])
    row("distinct leading verbs", [str(a.distinct_verbs) for a in analyses])
    row(
        "top 10 leading verbs",
        [", ".join(f"{v} ({c})" for v, c in a.top_verbs[:10]) for a in analyses],
    )
    row("outcomes with a vague verb", [f"{a.vague_share:.1%}" for a in analyses])
    row("… which", [", ".join(f"{k} {v}" for k, v in a.vague.items()) or "–" for a in analyses])
    row("outcomes bundling several verbs", [f"{a.bundled_share:.1%}" for a in analyses])
    row("outcomes without a leading verb", [f"{a.no_leading_verb:.1%}" for a in analyses])
    for level in BLOOM_ORDER:
        row(f"Bloom: {level}", [f"{a.bloom_distribution[level]:.1%}" for a in analyses])
    lines += [
        "",
        "![Bloom levels](bloom.png)",
        "",
        "![verbs](verbs.png)",
        "",
        "![lengths](lengths.png)",
        "",
    ]
    lines += ["![quality flags](quality.png)", ""]

    lines += ["## Completeness", ""]
    for a in analyses:
        if not a.completeness:
            lines += [f"**{a.name}**: one outcome a record, no record-level elements.", ""]
            continue
        title = (
            "EU 2022 mandatory elements" if "EU 2022" in a.kind else "fields of the shared format"
        )
        lines += [f"**{a.name}** ({title}); records with every element: {a.complete_items:.0%}", ""]
        lines += ["| element | share of records |", "|---|---|"]
        lines += [f"| {element} | {share:.0%} |" for element, share in a.completeness.items()]
        lines.append("")

    lines += ["## Examples", ""]
    for a in analyses:
        lines.append(f"**{a.name}**")
        for key, texts in a.examples.items():
            for text in texts[:3]:
                lines.append(f"- *{key}*: {text}")
        lines += [f"- *note*: {note}" for note in a.notes]
        lines.append("")
    path = folder / "analysis.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
