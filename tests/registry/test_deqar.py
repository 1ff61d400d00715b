"""DEQAR's exports read by header: institutions and reports told apart, columns by name."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from recognition_engine.errors import InvalidInput
from recognition_engine.registry import ExportKind, NameKind, read_export
from tests.registry.deqar_rows import write_export, write_institutions, write_reports


def test_institutions_are_read_by_column_name_in_any_order(tmp_path: Path) -> None:
    export = read_export(write_institutions(tmp_path))
    assert export.kind is ExportKind.INSTITUTIONS
    first = export.institutions[0]
    assert first.deqar_id == "DEQARINST9001"
    assert first.country == "GE"  # the export's English country name, as an ISO code
    assert ("KPI (invented)", NameKind.VERSION) in first.names and (
        "Kutaisi Polytechnic",
        NameKind.VERSION,
    ) in first.names
    assert ("ქუთაისის პოლიტექნიკური ინსტიტუტი", NameKind.OFFICIAL) in first.names


def test_reports_keep_their_validity_and_institution(tmp_path: Path) -> None:
    export = read_export(write_reports(tmp_path))
    assert export.kind is ExportKind.REPORTS
    report = export.reports[0]
    assert report.hei_deqar_id == "DEQARINST9001"
    assert report.record.valid_until == dt.date(2028, 2, 28)
    assert report.record.valid_on(dt.date(2026, 6, 1))
    assert not export.reports[1].record.valid_on(dt.date(2026, 6, 1))


def test_a_csv_that_is_neither_export_is_refused_naming_the_headers(tmp_path: Path) -> None:
    path = write_export(tmp_path / "other.csv", ("name", "country"), [{"name": "x"}])
    with pytest.raises(InvalidInput) as refused:
        read_export(path)
    said = str(refused.value)
    assert "neither DEQAR export" in said
    assert "name_primary" in said and "report_valid_from" in said


def test_a_bad_date_names_its_line(tmp_path: Path) -> None:
    path = write_reports(
        tmp_path,
        [
            {
                "report_id": "1",
                "report_type": "institutional",
                "report_valid_from": "March 2020",
                "hei_deqar_id": "D1",
                "hei_name": "X",
            }
        ],
    )
    with pytest.raises(InvalidInput, match=r"line 2: report_valid_from"):
        read_export(path)
