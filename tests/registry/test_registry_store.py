"""The register in the data folder: imports replace their source in one transaction; look-ups
find a provider by any of its names and say which matched, and how."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from recognition_engine.errors import InvalidInput
from recognition_engine.registry import (
    MatchHow,
    NameKind,
    ProviderRegistry,
    read_export,
    read_national_list,
)
from recognition_engine.registry import store as store_module
from tests.registry.deqar_rows import INSTITUTION, write_institutions, write_reports

CORPORA = Path(__file__).resolve().parents[2] / "corpora"


@pytest.fixture
def registry(tmp_path: Path) -> ProviderRegistry:
    held = ProviderRegistry(tmp_path / "var")
    exports = [read_export(write_institutions(tmp_path)), read_export(write_reports(tmp_path))]
    held.import_deqar(exports, dt.date(2026, 11, 30))
    return held


def test_before_any_import_nothing_is_configured(tmp_path: Path) -> None:
    held = ProviderRegistry(tmp_path / "var")
    assert not held.configured
    assert held.status().configured is False
    assert held.lookup("anything") == []


def test_an_import_is_listed_with_its_attribution(registry: ProviderRegistry) -> None:
    status = registry.status()
    assert status.configured and status.providers == 2 and status.records == 2
    kinds = {item.kind for item in status.imports}
    assert kinds == {"deqar-institutions", "deqar-reports"}
    assert all(
        "CC BY 4.0" in item.attribution and "EQAR" in item.attribution for item in status.imports
    )
    assert all(item.captured == dt.date(2026, 11, 30) for item in status.imports)


@pytest.mark.parametrize(
    ("name", "kind", "how"),
    [
        ("Kutaisi Polytechnic Institute (invented)", NameKind.PRIMARY, MatchHow.EXACT),
        ("kpi (INVENTED)", NameKind.VERSION, MatchHow.EXACT),
        ("Kutaisis Politeknikuri Instituti", NameKind.OFFICIAL, MatchHow.TRANSLITERATED),
        ("Kutaisi Politechnic Institute (invented)", NameKind.PRIMARY, MatchHow.NEAR),
    ],
)
def test_a_provider_is_found_by_any_name(
    registry: ProviderRegistry, name: str, kind: NameKind, how: MatchHow
) -> None:
    [match] = registry.lookup(name, "GE")
    assert match.entry.key == "deqar:DEQARINST9001"
    assert (match.name_kind, match.how) == (kind, how)
    assert match.entry.records[0].id == "77001"


def test_the_country_narrows_the_look_up(registry: ProviderRegistry) -> None:
    assert registry.lookup("Kutaisi Polytechnic Institute (invented)", "AM") == []


def test_a_failed_import_leaves_the_register_as_it_was(
    registry: ProviderRegistry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = registry.status()
    renamed = {**INSTITUTION, "name_primary": "Renamed Institute"}
    export = read_export(write_institutions(tmp_path, [renamed]))

    def fail(*_: object) -> None:  # the last statement of the import fails
        raise OSError("disk full")

    monkeypatch.setattr(store_module, "_log_import", fail)
    with pytest.raises(OSError):
        registry.import_deqar([export], None)
    monkeypatch.undo()
    assert registry.status() == before
    assert registry.lookup("Renamed Institute") == []
    assert registry.lookup("Kutaisi Polytechnic Institute (invented)")


def test_a_national_list_is_imported_beside_deqar(registry: ProviderRegistry) -> None:
    national = read_national_list(CORPORA / "registries" / "am-anqa.example.yaml")
    assert national.example and national.captured is None
    registry.import_national(national, "am-anqa.example.yaml")
    [match] = registry.lookup("Երևանի կիբեռանվտանգության ինստիտուտ (պատկերազարդող)", "AM")
    assert match.entry.key == "national:AM:yerevan-cybersecurity"
    assert match.entry.example
    assert [r.programme for r in match.entry.accredited_programmes(dt.date(2025, 1, 1))] == [
        "Information Security (BSc)"
    ]
    imported = registry.status().imports[-1]
    assert imported.kind == "national" and imported.example


def test_a_national_list_with_a_mistake_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "list.yaml"
    path.write_text("register: X\ncountry: GE\nproviders:\n  - id: a\n    nam: typo\n")
    with pytest.raises(InvalidInput, match=r"providers\.0\.name"):
        read_national_list(path)


def test_a_provider_in_two_registers_is_found_in_each(
    registry: ProviderRegistry, tmp_path: Path
) -> None:
    path = tmp_path / "ge.yaml"
    path.write_text(
        "register: NCEQE (test)\ncountry: GE\nproviders:\n  - id: kpi\n"
        "    name: ქუთაისის პოლიტექნიკური ინსტიტუტი\n    programmes:\n"
        "      - name: Civil Engineering\n",
        encoding="utf-8",
    )
    registry.import_national(read_national_list(path), "ge.yaml")
    found = registry.lookup("Kutaisi Polytechnic Institute (invented)", "GE")
    assert [(m.entry.key, m.how) for m in found] == [
        ("deqar:DEQARINST9001", MatchHow.EXACT),
    ]  # the English name is not the national list's: transliteration does not translate
    both = registry.lookup("ქუთაისის პოლიტექნიკური ინსტიტუტი", "GE")
    assert {m.entry.key for m in both} == {"deqar:DEQARINST9001", "national:GE:kpi"}
