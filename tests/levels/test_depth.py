"""Depth-of-study cues: introductory and advanced wording, prerequisites, and their shift."""

from __future__ import annotations

import pytest

from recognition_engine.levels.depth import load_depth_cues, study_depth


def test_introductory_cues_lower_and_advanced_cues_raise() -> None:
    intro = study_depth("Introduction to Thermodynamics. An overview of the first law.")
    advanced = study_depth("Senior capstone design project.")
    assert intro.introductory == ("introduction to", "overview of")
    assert intro.shift < 0 < advanced.shift
    assert set(advanced.advanced) == {"senior", "capstone", "design project"}


def test_shift_is_capped_by_the_data_file() -> None:
    cues = load_depth_cues()
    text = "Advanced senior capstone thesis: graduate special topics, independent study."
    assert study_depth(text).shift == pytest.approx(cues.step * cues.max_cues)


def test_hyphen_and_space_match_and_the_longer_cue_wins() -> None:
    assert study_depth("For first year students").introductory == ("first year",)
    assert study_depth("First-Year Experience").introductory == ("first year experience",)
    assert study_depth("Graduate standing required.").advanced == ("graduate standing",)
    assert study_depth("Undergraduate majors only").advanced == ()


def test_prerequisites_name_the_required_courses_and_none_is_no_prerequisite() -> None:
    depth = study_depth("Control of robots. Pre: MATH 2114, ECE 2704. (3H,3C)")
    assert depth.prerequisites == ("MATH 2114, ECE 2704",)
    assert depth.shift == pytest.approx(load_depth_cues().prerequisite_shift)
    assert study_depth("Prerequisites: none. Basics of cooking.").prerequisites == ()
    assert study_depth("Prerequisite: junior standing").prerequisites == ("junior standing",)


def test_describe_names_the_cues_found() -> None:
    line = study_depth("Introduction to law. Prerequisite: LAW 1001").describe()
    assert "'introduction to'" in line and "LAW 1001" in line and "shift" in line
    assert "no introductory" in study_depth("Apply the method").describe()
