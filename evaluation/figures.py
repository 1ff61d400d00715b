"""Charts of the evaluation reports: matplotlib without a display, and one way to save."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def pyplot() -> Any:
    """Return matplotlib's pyplot on the Agg backend (files only, no display needed)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def save(figure: Any, path: Path, dpi: int = 110) -> None:
    """Lay ``figure`` out, write it to ``path`` and free it."""
    figure.tight_layout()
    figure.savefig(path, dpi=dpi)
    pyplot().close(figure)


def save_line_chart(
    figure: Any,
    axes: Any,
    path: Path,
    *,
    xlabel: str,
    ylabel: str,
    xlim: tuple[float, float] | None = None,
    ylim: tuple[float, float] = (0, 1),
) -> None:
    """Label a line chart's axes, grid it, show its legend, and save it (``save``)."""
    axes.set_xlabel(xlabel)
    axes.set_ylabel(ylabel)
    if xlim is not None:
        axes.set_xlim(*xlim)
    axes.set_ylim(*ylim)
    axes.grid(alpha=0.3)
    axes.legend(fontsize=8)
    save(figure, path)
