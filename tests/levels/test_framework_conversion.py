"""Levels are compared in EQF after conversion from the framework they are declared in."""

from __future__ import annotations

import pytest

from recognition_engine.errors import InvalidInput, UnknownFramework
from recognition_engine.levels.frameworks import (
    check_programme_levels,
    credential_eqf_level,
    load_frameworks,
    module_eqf_level,
    programme_framework,
    to_eqf,
)
from tests.conftest import make_credential, make_programme


def test_irish_nfq_differs_from_the_eqf() -> None:
    assert [to_eqf("IE-NFQ", level) for level in range(1, 11)] == [1, 2, 3, 4, 4, 5, 6, 6, 7, 8]


def test_every_framework_cites_its_source_and_maps_into_eqf() -> None:
    for framework in load_frameworks().values():
        assert framework.source
        assert set(framework.to_eqf.values()) <= set(range(1, 9))


def test_aliases_and_case() -> None:
    assert to_eqf("ge", 6) == to_eqf("GE-NQF", 6) == 6
    assert to_eqf("NFQ", 8) == 6


def test_an_unknown_framework_is_a_clear_error() -> None:
    with pytest.raises(UnknownFramework, match="unknown qualifications framework 'XX-QF'"):
        to_eqf("XX-QF", 5)


def test_a_level_outside_the_framework_is_a_clear_error() -> None:
    with pytest.raises(InvalidInput, match="GE-NQF has no level 10"):
        to_eqf("GE-NQF", 10)


def test_the_programme_framework_defaults_to_its_country() -> None:
    assert programme_framework(make_programme()).id == "GE-NQF"
    with pytest.raises(UnknownFramework, match="country FR"):
        programme_framework(make_programme(country="FR"))
    assert programme_framework(make_programme(country="FR", framework="EQF")).id == "EQF"


def test_a_programme_whose_levels_contradict_each_other_is_refused() -> None:
    with pytest.raises(InvalidInput, match="IE-NFQ level 8 is EQF 6"):
        check_programme_levels(
            make_programme(country="IE", framework="IE-NFQ", nqf_level=8, eqf_level=8)
        )
    check_programme_levels(make_programme(country="IE", framework="IE-NFQ", nqf_level=8,
                                          eqf_level=6))


def test_module_levels_use_the_module_or_programme_framework() -> None:
    modules = make_programme().model_dump()["modules"]
    modules[0] |= {"nqf_level": 9}
    modules[1] |= {"nqf_level": 5, "framework": "EQF"}
    irish = make_programme(country="IE", framework="IE-NFQ", nqf_level=8, eqf_level=6,
                           modules=modules)
    by_code = {m.code: module_eqf_level(m, irish) for m in irish.modules}
    assert by_code == {"NET101": 7, "DB201": 5, "HIS100": 6}


def test_credential_levels_convert_from_their_framework() -> None:
    irish = make_credential(eqf_level=None, nqf_level={"framework": "IE-NFQ", "level": 8})
    assert credential_eqf_level(irish) == 6
    legacy = make_credential(eqf_level=None, nqf_level={"framework": "GE", "level": 5})
    assert credential_eqf_level(legacy) == 5
