"""Small DEQAR exports of invented rows under the real headers, written by the tests."""

from __future__ import annotations

import csv
from pathlib import Path

from recognition_engine.registry.deqar import INSTITUTION_COLUMNS, REPORT_COLUMNS

INSTITUTION = {
    "deqar_id": "DEQARINST9001",
    "deqar_url": "https://www.deqar.eu/institutions/9001",
    "name_primary": "Kutaisi Polytechnic Institute (invented)",
    "name_official": "ქუთაისის პოლიტექნიკური ინსტიტუტი",
    "name_versions": "KPI (invented) | Kutaisi Polytechnic",
    "country": "Georgia",
    "city": "Kutaisi",
    "report_count": "2",
    "report_last": "2022-03-01",
}
INSTITUTIONAL_REPORT = {
    "report_id": "77001",
    "report_agency": "Invented Quality Agency",
    "report_type": "institutional",
    "report_status": "part of obligatory EQA system",
    "report_decision": "positive",
    "report_valid_from": "2022-03-01",
    "report_valid_to": "2028-02-28",
    "report_url": "https://www.deqar.eu/reports/77001",
    "hei_deqar_id": "DEQARINST9001",
    "hei_name": "Kutaisi Polytechnic Institute (invented)",
    "country": "Georgia",
}
EXPIRED_INSTITUTION = {
    "deqar_id": "DEQARINST9002",
    "name_primary": "Gyumri Academy of Crafts (invented)",
    "country": "Armenia",
}
EXPIRED_REPORT = {
    "report_id": "77002",
    "report_agency": "Invented Quality Agency",
    "report_type": "institutional",
    "report_decision": "positive",
    "report_valid_from": "2015-01-01",
    "report_valid_to": "2020-12-31",
    "hei_deqar_id": "DEQARINST9002",
    "hei_name": "Gyumri Academy of Crafts (invented)",
    "country": "Armenia",
}


def write_export(path: Path, columns: tuple[str, ...], rows: list[dict[str, str]]) -> Path:
    """Write ``rows`` under ``columns``, last column first: the exports' order is not fixed."""
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, fieldnames=list(reversed(columns)))
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_institutions(folder: Path, rows: list[dict[str, str]] | None = None) -> Path:
    rows = [INSTITUTION, EXPIRED_INSTITUTION] if rows is None else rows
    return write_export(folder / "institutions.csv", INSTITUTION_COLUMNS, rows)


def write_reports(folder: Path, rows: list[dict[str, str]] | None = None) -> Path:
    rows = [INSTITUTIONAL_REPORT, EXPIRED_REPORT] if rows is None else rows
    return write_export(folder / "reports.csv", REPORT_COLUMNS, rows)
