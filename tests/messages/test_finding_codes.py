"""Every finding the engine emits has a stable, registered dotted code, and the documentation's
table of finding codes (``docs/hooks/finding_codes.py``, read from the source) lists each code
with the element, verdicts and blocking the engine gives it: checked against what it emits."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from recognition_engine.config import Settings
from recognition_engine.domain import Element, Verdict
from recognition_engine.ingestion.files import load_credentials
from recognition_engine.messages.codes import MESSAGES, TEXT
from recognition_engine.service import RecognitionEngine
from tests.conftest import make_credential, make_programme

ROOT = Path(__file__).resolve().parents[2]
HOOK = ROOT / "docs" / "hooks" / "finding_codes.py"
PAGE = ROOT / "docs" / "credential-reading.md"


@pytest.fixture(scope="module")
def hook() -> ModuleType:
    spec = importlib.util.spec_from_file_location("finding_codes", HOOK)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["finding_codes"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def table(hook: ModuleType) -> dict[str, Any]:
    return hook.code_rows()


def test_every_finding_call_is_followed_to_its_values(hook: ModuleType) -> None:
    sites = hook.finding_sites()
    assert len(sites) > 40
    assert hook.unresolved(sites) == []


def test_every_finding_code_is_registered_and_dotted(table: dict[str, Any]) -> None:
    assert TEXT not in table  # the code of sentences stored before codes existed
    for code, row in table.items():
        assert code in MESSAGES, f"{code}: register it in recognition_engine/messages/codes/"
        assert "." in code and code == code.lower(), code
        assert row.elements and row.verdicts and row.blocking, code


def test_the_table_says_what_the_checks_say(table: dict[str, Any]) -> None:
    quality_none = table["quality.none"]
    assert (quality_none.elements, quality_none.verdicts, quality_none.blocking) == (
        {"QUALITY_ASSURANCE"},
        {"SUBSTANTIAL_DIFFERENCE"},
        {True},
    )
    assert table["level.not_declared"].verdicts == {"WARNING"}
    assert table["workload.summary"].verdicts == {"PASS", "WARNING"}


def test_the_table_is_generated_into_the_page(hook: ModuleType) -> None:
    page = PAGE.read_text(encoding="utf-8")
    assert hook.MARKER in page
    built = hook.on_page_markdown(page, page=None)
    assert "| `quality.none` | quality_assurance | substantial_difference | yes |" in built


def scenarios() -> Iterator[tuple[list, Any]]:
    """Credentials and programmes that make the engine say many different things."""
    # the small programme, and English credentials only: indexing the shipped programme, or
    # reading Georgian and Armenian, costs seconds each on a busy machine and says nothing new
    programme = make_programme()
    for path in sorted((ROOT / "corpora" / "credentials").glob("*.yaml")):
        if path.name != "expected.yaml" and len(path.suffixes) == 1:
            yield load_credentials(path), programme
    yield load_credentials(ROOT / "tests" / "fixtures" / "hand-edited-credential.yaml"), programme
    variants: list[dict[str, Any]] = [
        {},
        {"eqf_level": None},
        {"eqf_level": 3},
        {"workload": None},
        {"workload": {"ects": 90}},
        {"assessment": "attendance"},
        {"assessment": "automated_test", "identity_verification": "none"},
        {"participation": None},
        {"quality_assurance": None},
        {"quality_assurance": {"type": "none"}},
        {"quality_assurance": {"type": "internal"}},
        {"quality_assurance": {"type": "external_other", "body": "Agency"}},
        {"learning_outcomes": [], "description": "Gardening and flower arrangement."},
    ]
    for change in variants:
        yield [make_credential(**change)], programme


def emitted(value: Any) -> Iterator[dict[str, Any]]:
    """Every finding in a proposal's JSON, wherever it sits."""
    if isinstance(value, dict):
        if {"code", "element", "verdict", "blocking"} <= value.keys():
            yield value
        for item in value.values():
            yield from emitted(item)
    elif isinstance(value, list):
        for item in value:
            yield from emitted(item)


def test_what_the_engine_emits_is_in_the_table(settings: Settings, table: dict[str, Any]) -> None:
    engine = RecognitionEngine(settings)
    seen = set()
    for credentials, programme in scenarios():
        proposal = engine.recognise(credentials, programme).model_dump(mode="json")
        for item in emitted(proposal):
            code = item["code"]
            assert code in table, f"{code} is emitted but not in the table"
            row = table[code]
            assert Element(item["element"]).name in row.elements, item
            assert Verdict(item["verdict"]).name in row.verdicts, item
            assert item["blocking"] in row.blocking, item
            seen.add(code)
    assert len(seen) >= 20  # the scenarios reach far enough to be a check
