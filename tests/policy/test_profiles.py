"""Policy profiles are validated when the program starts: an unknown kind or a rule without a
source is refused, naming the line; the shipped examples load and say they are examples."""

from __future__ import annotations

from pathlib import Path

import pytest

from recognition_engine.errors import InvalidInput
from recognition_engine.policy import DegreeCreditConditions, MicrocredentialEcts, load_policy

EXAMPLES = Path(__file__).resolve().parents[2] / "corpora" / "policies" / "ge-am.example.yaml"

VALID_RULE = """\
- country: GE
  name: test profile
  rules:
    - id: ects
      kind: microcredential_ects
      max_ects: 10
      source: {citation: "roadmap item (d)"}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "policy.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_no_file_is_no_national_policy() -> None:
    assert load_policy(None) is None


def test_an_unknown_kind_is_refused_naming_its_line(tmp_path: Path) -> None:
    text = (
        VALID_RULE + "    - id: other\n      kind: ects_everywhere\n      source: {citation: x}\n"
    )
    with pytest.raises(InvalidInput) as refused:
        load_policy(write(tmp_path, text))
    assert "line 9" in str(refused.value)  # the line of `kind: ects_everywhere`
    assert "ects_everywhere" in str(refused.value)


def test_a_rule_without_a_source_is_refused_naming_its_line(tmp_path: Path) -> None:
    text = VALID_RULE + "    - id: level5\n      kind: vocational_level5\n      allowed: false\n"
    with pytest.raises(InvalidInput) as refused:
        load_policy(write(tmp_path, text))
    assert "line 8" in str(refused.value) and "source" in str(refused.value)


def test_a_field_of_another_kind_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="line 6.*caps"):
        load_policy(write(tmp_path, VALID_RULE.replace("max_ects: 10", "caps: {6: 30}")))


def test_the_shipped_profiles_mark_every_figure_as_an_example() -> None:
    policy = load_policy(EXAMPLES)
    assert policy is not None
    georgia, armenia = policy.for_country("GE"), policy.for_country("AM")
    assert georgia is not None and armenia is not None
    for profile in (georgia, armenia):
        assert profile.example and profile.captured is None
        assert all(profile.is_example(rule) for rule in profile.rules)
        assert all("Micro-GEAR D1.2" in rule.source.citation for rule in profile.rules)
    ects = next(r for r in georgia.rules if isinstance(r, MicrocredentialEcts))
    assert ects.max_ects == 10
    [conditions] = armenia.rules
    assert isinstance(conditions, DegreeCreditConditions)
    assert conditions.require == ["accredited_programme", "ects_awarded", "programme_permits"]
