"""DEQAR's daily CSV exports, institutions and reports, read by column name.

The exports have no fixed column order, so every column is read by its header; a file is told
apart by its header alone. DEQAR data is published by EQAR under CC BY 4.0: every entry read
here keeps ``DEQAR_CITATION`` as its register, so that a finding citing it attributes it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from babel import Locale

from recognition_engine.errors import InvalidInput
from recognition_engine.registry.models import DEQAR_CITATION, NameKind, QARecord

INSTITUTION_COLUMNS = (
    "deqar_id",
    "deqar_url",
    "eter_id",
    "name_primary",
    "name_official",
    "name_versions",
    "country",
    "city",
    "website_link",
    "founding_date",
    "closure_date",
    "parent_institution",
    "historic_relationships",
    "identifiers_all",
    "report_count",
    "report_last",
)
REPORT_COLUMNS = (
    "report_id",
    "report_agency",
    "report_type",
    "report_esg_activity_short",
    "report_esg_activity_long",
    "report_local_identifier",
    "report_status",
    "report_decision",
    "report_valid_from",
    "report_valid_to",
    "report_url",
    "report_files",
    "hei_deqar_id",
    "hei_name",
    "parent_hei_deqar_id",
    "country",
    "programme_name",
    "programme_qualification",
    "programme_qf_ehea_level",
)
# What an entry cannot be read without; the other columns are used when present.
INSTITUTION_NEEDS = ("deqar_id", "name_primary", "country")
REPORT_NEEDS = ("report_id", "report_type", "report_valid_from", "hei_deqar_id", "hei_name")

# Several values in one cell (name_versions): DEQAR separates them with one of these.
_MULTI = re.compile(r"\s*(?:\||;|\n)\s*")


class ExportKind(StrEnum):
    INSTITUTIONS = "deqar-institutions"
    REPORTS = "deqar-reports"


@dataclass
class Institution:
    deqar_id: str
    name: str
    country: str | None
    url: str | None
    names: list[tuple[str, NameKind]]
    report_last: dt.date | None


@dataclass
class Report:
    hei_deqar_id: str
    hei_name: str
    country: str | None
    record: QARecord


@dataclass
class Export:
    """One file, read: its kind and its rows."""

    path: Path
    kind: ExportKind
    institutions: list[Institution] = field(default_factory=list)
    reports: list[Report] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return len(self.institutions) + len(self.reports)


def read_export(path: Path) -> Export:
    """Return a DEQAR export read by its header; InvalidInput if it is neither export."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidInput(f"{path}: cannot be read as UTF-8 CSV ({error})") from None
    rows = _rows(text)
    header = next(rows, None)
    columns = [name.strip().casefold() for name in header or []]
    kind = _kind(path, columns)
    export = Export(path, kind)
    for line, values in enumerate(rows, start=2):
        if not any(value.strip() for value in values):
            continue
        row = {name: value.strip() for name, value in zip(columns, values, strict=False)}
        try:
            if kind is ExportKind.INSTITUTIONS:
                export.institutions.append(_institution(row))
            else:
                export.reports.append(_report(row))
        except ValueError as error:
            raise InvalidInput(f"{path}, line {line}: {error}") from None
    return export


def _rows(text: str) -> Iterator[list[str]]:
    first = text.split("\n", 1)[0]
    # the exports are comma-separated; a spreadsheet's re-save may use ';' or a tab
    delimiter = max((",", ";", "\t"), key=first.count)
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _kind(path: Path, columns: list[str]) -> ExportKind:
    if all(name in columns for name in INSTITUTION_NEEDS):
        return ExportKind.INSTITUTIONS
    if all(name in columns for name in REPORT_NEEDS):
        return ExportKind.REPORTS
    raise InvalidInput(
        f"{path} is neither DEQAR export: an institutions export has the columns "
        f"{', '.join(INSTITUTION_COLUMNS)}; a reports export has {', '.join(REPORT_COLUMNS)} "
        f"(read by name, in any order; at least {', '.join(INSTITUTION_NEEDS)} or "
        f"{', '.join(REPORT_NEEDS)})"
    )


def _institution(row: dict[str, str]) -> Institution:
    deqar_id = _required(row, "deqar_id")
    name = _required(row, "name_primary")
    names = [(name, NameKind.PRIMARY)]
    if row.get("name_official"):
        names.append((row["name_official"], NameKind.OFFICIAL))
    names += [(version, NameKind.VERSION) for version in _many(row.get("name_versions"))]
    return Institution(
        deqar_id=deqar_id,
        name=name,
        country=country_code(row.get("country")),
        url=row.get("deqar_url") or None,
        names=names,
        report_last=_date(row.get("report_last"), "report_last"),
    )


def _report(row: dict[str, str]) -> Report:
    record = QARecord(
        id=_required(row, "report_id"),
        kind=_required(row, "report_type"),
        agency=row.get("report_agency") or None,
        decision=row.get("report_decision") or None,
        programme=row.get("programme_name") or None,
        valid_from=_date(row.get("report_valid_from"), "report_valid_from"),
        valid_until=_date(row.get("report_valid_to"), "report_valid_to"),
        url=row.get("report_url") or None,
    )
    return Report(
        hei_deqar_id=_required(row, "hei_deqar_id"),
        hei_name=_required(row, "hei_name"),
        country=country_code(row.get("country")),
        record=record,
    )


def _required(row: dict[str, str], name: str) -> str:
    value = row.get(name, "")
    if not value:
        raise ValueError(f"{name} is empty")
    return value


def _many(cell: str | None) -> list[str]:
    return [part for part in _MULTI.split(cell or "") if part]


def _date(value: str | None, name: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        raise ValueError(f"{name} {value!r} is not an ISO date (YYYY-MM-DD)") from None


_CODES = {
    name.casefold(): code
    for code, name in Locale("en").territories.items()
    if len(code) == 2 and code.isalpha()
}


def country_code(value: str | None) -> str | None:
    """Return the ISO 3166 alpha-2 code of a country given as a code or an English name."""
    if not value:
        return None
    value = value.strip()
    if len(value) == 2 and value.isalpha():
        return value.upper()
    return _CODES.get(value.casefold(), value)


__all__ = ["DEQAR_CITATION", "Export", "ExportKind", "read_export"]
