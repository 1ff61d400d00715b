"""CSV that a spreadsheet opens as data: no cell of it runs as a formula (CSV injection).

Every CSV the service writes goes through ``csv_writer``. As OWASP recommends, a text cell
that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (or their full-width
forms, which some spreadsheets also read as formula signs) is prefixed with a single quote:
the spreadsheet shows the rest as text, and the value is otherwise kept intact. The csv module
quotes what needs quoting (commas, quotes, line breaks).

Numbers stay numbers: a cell written from an ``int`` or a ``float``, and a text cell that is a
plain decimal number and nothing else (``-12``, ``-0.5``, ``+3``), cannot hold a formula, so
a negative number is not turned into the text ``'-12``. Anything more (``-1+2``, ``-A1``,
``1e3``) is not plain, and is neutralised.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import IO, Any

FORMULA_SIGNS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?", re.ASCII)


def spreadsheet_cell(value: Any) -> Any:
    """Return ``value`` as a CSV cell that a spreadsheet reads as data, never as a formula."""
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    text = str(value)
    if text.startswith(FORMULA_SIGNS) and PLAIN_NUMBER.fullmatch(text) is None:
        return "'" + text
    return text


class SpreadsheetWriter:
    """``csv.writer`` whose every cell goes through ``spreadsheet_cell``."""

    def __init__(self, out: IO[str]) -> None:
        self._writer = csv.writer(out)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([spreadsheet_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(out: IO[str]) -> SpreadsheetWriter:
    """Return the one CSV writer of the service, writing safe cells to ``out``."""
    return SpreadsheetWriter(out)
