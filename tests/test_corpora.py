"""The shipped corpus loads into the domain models and is internally consistent."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from corpora import (
    CREDENTIALS_DIR,
    DEMO_PROGRAMME,
    EXPECTED_JUDGEMENTS,
    PROGRAMMES_DIR,
    credential_paths,
    judged_programme,
    judgements,
    programme_paths,
    stacks,
)
from recognition_engine.domain import MicroCredential, Programme, ProposalStatus

# EU Council Recommendation of 16 June 2022, Annex I: the mandatory elements. The level may be
# given in the EQF, in a national framework, or both; the checks for it are separate below.
MANDATORY_ELEMENTS = (
    "title",
    "awarding_body",
    "country",
    "date_of_issue",
    "learning_outcomes",
    "workload",
    "assessment",
    "participation",
    "quality_assurance",
)
PILOT_FILES = (
    "pilot-network-administration-smes.yaml",
    "pilot-microcontroller-programming-drones.yaml",
    "pilot-gis-for-tourism.yaml",
    "pilot-python-r-data-analysis-medicine.yaml",
)
GEORGIAN_PROGRAMME = PROGRAMMES_DIR / "ge-computer-engineering-bsc.ka.yaml"


def _load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def programme() -> Programme:
    return Programme.model_validate(_load(DEMO_PROGRAMME))


@pytest.fixture(scope="module")
def expected() -> dict[str, Any]:
    return _load(EXPECTED_JUDGEMENTS)


def test_the_corpus_has_programmes_and_credentials() -> None:
    assert DEMO_PROGRAMME in programme_paths()
    assert len(credential_paths()) >= 8
    assert EXPECTED_JUDGEMENTS not in credential_paths()


@pytest.mark.parametrize("path", programme_paths(), ids=lambda p: p.name)
def test_every_programme_loads(path: Path) -> None:
    Programme.model_validate(_load(path))


@pytest.mark.parametrize("path", credential_paths(), ids=lambda p: p.name)
def test_every_credential_loads(path: Path) -> None:
    MicroCredential.model_validate(_load(path))


def test_the_demo_programme_is_a_georgian_bachelor(programme: Programme) -> None:
    assert programme.id == DEMO_PROGRAMME.stem
    assert (programme.country, programme.cycle, programme.nqf_level, programme.eqf_level) == (
        "GE",
        "first",
        6,
        6,
    )
    assert programme.total_ects == 240
    assert programme.recognition_policy.cap_ects(programme.total_ects) == 30


def test_modules_are_numerous_and_well_described(programme: Programme) -> None:
    assert 30 <= len(programme.modules) <= 40
    for module in programme.modules:
        assert 4 <= len(module.learning_outcomes) <= 8, module.code
        assert len(set(module.learning_outcomes)) == len(module.learning_outcomes), module.code
        assert module.description, module.code
        assert module.nqf_level == 6, module.code
        assert module.semester is not None and 1 <= module.semester <= 8, module.code


def test_module_credits_add_up_to_the_degree(programme: Programme) -> None:
    compulsory = sum(m.ects for m in programme.modules if m.compulsory)
    electives = sum(m.ects for m in programme.modules if not m.compulsory)
    assert compulsory + electives >= programme.total_ects
    assert compulsory < programme.total_ects, "there must be room for electives"
    assert electives >= programme.total_ects - compulsory, "too few electives to finish"
    for semester in range(1, 9):
        in_semester = sum(
            m.ects for m in programme.modules if m.compulsory and m.semester == semester
        )
        assert in_semester <= 30, f"semester {semester} has {in_semester} compulsory ECTS"


@pytest.mark.parametrize("path", credential_paths(), ids=lambda p: p.name)
def test_every_credential_has_the_mandatory_elements(path: Path) -> None:
    raw = _load(path)
    missing = [name for name in MANDATORY_ELEMENTS if not raw.get(name)]
    assert not missing, f"{path.name} lacks {missing}"
    assert raw.get("eqf_level") or raw.get("nqf_level"), f"{path.name} has no level"
    assert raw.get("id"), f"{path.name} has no id"
    credential = MicroCredential.model_validate(raw)
    assert credential.workload.ects or credential.workload.hours
    assert len(credential.learning_outcomes) >= 3


def test_credential_ids_are_unique() -> None:
    ids = [_load(path)["id"] for path in credential_paths()]
    assert len(ids) == len(set(ids))


GEORGIAN_PILOT_FILES = tuple(name.replace(".yaml", ".ka.yaml") for name in PILOT_FILES)


@pytest.mark.parametrize("name", [*PILOT_FILES, *GEORGIAN_PILOT_FILES])
def test_the_pilots_are_georgian_accredited_and_sized_as_planned(name: str) -> None:
    credential = MicroCredential.model_validate(_load(CREDENTIALS_DIR / name))
    assert credential.country == "GE"
    assert credential.eqf_level in (5, 6)
    assert credential.workload.ects is not None and 5 <= credential.workload.ects <= 10
    assert 6 <= len(credential.learning_outcomes) <= 10
    assert credential.quality_assurance.type == "external_accredited"
    assert "NCEQE" in (credential.quality_assurance.body or "")


def test_only_one_credential_names_a_learner() -> None:
    with_learner = [path.name for path in credential_paths() if "learner" in _load(path)]
    assert len(with_learner) == 1
    credential = MicroCredential.model_validate(_load(CREDENTIALS_DIR / with_learner[0]))
    assert credential.learner is not None
    assert "learner" not in credential.model_dump()


def _check_judgement(judgement: dict[str, Any], codes: set[str]) -> None:
    status = ProposalStatus(judgement["status"])
    modules = judgement["modules"]
    assert set(modules) <= codes, f"unknown module codes in {judgement}"
    if status is ProposalStatus.NONE:
        assert modules == [] and judgement["kind"] == "none", judgement
    else:
        assert modules and judgement["kind"] in ("full", "partial", "review"), judgement
        assert (judgement["kind"] == "review") == (status is ProposalStatus.REVIEW), judgement


def test_expected_judgements_cover_every_credential(expected: dict[str, Any]) -> None:
    files = {path.name for path in credential_paths()}
    judged = [judgement["file"] for judgement in expected["credentials"]]
    assert sorted(judged) == sorted(files)
    for judgement in expected["credentials"]:
        catalogue = Programme.model_validate(_load(judged_programme(judgement)))
        _check_judgement(judgement, {m.code for m in catalogue.modules})
        assert judgement.get("multilingual", "off") in ("off", "all", "non-english")


def test_the_georgian_catalogue_is_the_demo_programme_in_georgian(programme: Programme) -> None:
    georgian = Programme.model_validate(_load(GEORGIAN_PROGRAMME))
    assert georgian.language == "ka" and georgian.id != programme.id
    fields = ("country", "cycle", "nqf_level", "eqf_level", "total_ects", "recognition_policy")
    assert all(getattr(georgian, name) == getattr(programme, name) for name in fields)
    assert len(georgian.modules) == len(programme.modules)
    for english, translated in zip(programme.modules, georgian.modules, strict=True):
        same = ("code", "ects", "nqf_level", "semester", "compulsory")
        assert all(getattr(english, name) == getattr(translated, name) for name in same)
        assert len(english.learning_outcomes) == len(translated.learning_outcomes), english.code
        assert translated.title != english.title and translated.description, english.code


def test_the_armenian_catalogue_is_an_informatics_bachelor() -> None:
    armenian = Programme.model_validate(_load(PROGRAMMES_DIR / "am-informatics-bsc.yaml"))
    assert (armenian.country, armenian.language, armenian.framework) == ("AM", "hy", "AM-NQF")
    assert (armenian.cycle, armenian.nqf_level, armenian.eqf_level) == ("first", 6, 6)
    assert armenian.total_ects == 240 and len(armenian.modules) >= 30
    compulsory = sum(m.ects for m in armenian.modules if m.compulsory)
    assert compulsory < armenian.total_ects
    assert compulsory + sum(m.ects for m in armenian.modules if not m.compulsory) >= 240
    for module in armenian.modules:
        assert 4 <= len(module.learning_outcomes) <= 8, module.code
        assert all(outcome.endswith("։") for outcome in module.learning_outcomes), module.code


def test_expected_stacks_name_existing_stackable_credentials(
    expected: dict[str, Any], programme: Programme
) -> None:
    codes = {m.code for m in programme.modules}
    files = {path.name for path in credential_paths()}
    assert expected["stacks"]
    for stack in expected["stacks"]:
        assert len(stack["files"]) >= 2 and set(stack["files"]) <= files, stack
        for name in stack["files"]:
            assert _load(CREDENTIALS_DIR / name)["stackable"] is True, name
        _check_judgement(stack, codes)


def test_stacks_are_groups_of_shipped_credential_files() -> None:
    groups = stacks()
    assert groups
    for group in groups:
        assert len(group) >= 2
        assert all(path in credential_paths() for path in group)


# --- Georgian and Armenian cases, on the real models ----------------------------------------

MULTILINGUAL_CASES = [case for case in judgements() if case.get("multilingual")]


@pytest.fixture(scope="module")
def multilingual_engine(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    from recognition_engine.config import Settings
    from recognition_engine.service import RecognitionEngine

    data_dir = tmp_path_factory.mktemp("var")
    return RecognitionEngine(
        Settings(data_dir=data_dir, multilingual="non-english", _env_file=None)
    )


@pytest.mark.real_model
@pytest.mark.parametrize("case", MULTILINGUAL_CASES, ids=lambda c: c["file"])
def test_cross_lingual_judgements_hold(multilingual_engine, case: dict[str, Any]) -> None:  # noqa: ANN001
    from recognition_engine.domain import RecognitionKind
    from recognition_engine.ingestion.files import load_credentials, load_programme

    assert case["multilingual"] == multilingual_engine.settings.multilingual
    credentials = load_credentials(CREDENTIALS_DIR / case["file"])
    proposal = multilingual_engine.recognise(credentials, load_programme(judged_programme(case)))
    assert proposal.engine["model"].startswith("e5:multilingual-e5-small")
    assert proposal.status is ProposalStatus(case["status"]), proposal.reasons
    assert set(case["modules"]) <= {m.module_code for m in proposal.modules}
    for module in proposal.modules:
        assert module.evidence
        if module.module_code in case["modules"] and case["kind"] == "partial":
            assert module.recognition is RecognitionKind.PARTIAL
