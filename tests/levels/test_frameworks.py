"""The EQF ↔ NQF (GE, AM) ↔ QF-EHEA table and the EQF descriptors, as shipped."""

from __future__ import annotations

from recognition_engine.levels import load_correspondence, load_eqf_descriptors
from recognition_engine.levels.frameworks import DESCRIPTOR_DOMAINS


def test_higher_education_levels_match_the_qf_ehea_cycles() -> None:
    table = load_correspondence()
    assert {level: table[level].qf_ehea for level in range(5, 9)} == {
        5: "short",
        6: "first",
        7: "second",
        8: "third",
    }
    assert all(table[level].qf_ehea is None for level in range(1, 5))


def test_georgian_and_armenian_bachelor_master_doctorate_levels() -> None:
    table = load_correspondence()
    for eqf, degree_level in ((6, 6), (7, 7), (8, 8)):
        assert table[eqf].georgia == degree_level
        assert table[eqf].armenia == degree_level


def test_descriptors_cover_three_domains_at_eight_levels() -> None:
    descriptors = load_eqf_descriptors()
    assert sorted(descriptors) == list(range(1, 9))
    for level in descriptors.values():
        assert set(level) == set(DESCRIPTOR_DOMAINS)
        assert all(len(text) > 15 for text in level.values())
    assert descriptors[1]["knowledge"] == "Basic general knowledge."
    assert "forefront" in descriptors[8]["responsibility_and_autonomy"]
