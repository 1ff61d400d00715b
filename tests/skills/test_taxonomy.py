"""The shipped ESCO skills: what `skills info` says of them, and looking skills up."""

from __future__ import annotations

from recognition_engine.skills.taxonomy import ESCO_SKILL_PREFIX, bundled_taxonomy

SQL = "http://data.europa.eu/esco/skill/598de5b0-5b58-4ea7-8058-a4bc4d18c742"


def test_info_names_esco_its_version_size_and_attribution() -> None:
    info = bundled_taxonomy().info()
    assert info.taxonomy == "ESCO"
    assert info.version == "1.1.1"
    assert info.skills > 10_000
    assert "2011/833/EU" in info.licence
    assert "European Union" in info.attribution and "modified" in info.attribution


def test_every_skill_has_an_esco_uri_and_a_label() -> None:
    skills = bundled_taxonomy().skills
    assert all(s.uri.startswith(ESCO_SKILL_PREFIX) and s.label for s in skills)
    assert len({s.uri for s in skills}) == len(skills)
    assert sum(1 for s in skills if s.description) > 0.9 * len(skills)


def test_a_label_resolves_whatever_its_case_and_spacing() -> None:
    taxonomy = bundled_taxonomy()
    assert taxonomy.by_label("sql").uri == SQL
    assert taxonomy.by_label("  SQL ").uri == SQL
    # an alternative label resolves to its skill
    assert taxonomy.by_label("sequel").uri == SQL
    assert taxonomy.by_label("no such skill in esco") is None
    assert taxonomy.by_uri(SQL).label == "SQL"


def test_a_text_names_a_skill_word_for_word_and_capitals_only_as_written() -> None:
    taxonomy = bundled_taxonomy()
    named = {taxonomy.skills[p].label for p in taxonomy.mentioned("Write SQL queries (in C#).")}
    assert {"SQL", "C#"} <= named
    # "it" is a pronoun, not IT (information technology), whose label is in capitals
    assert not {taxonomy.skills[p].label for p in taxonomy.mentioned("Use it daily")} & {
        "computer technology"
    }
    assert "computer technology" in {
        taxonomy.skills[p].label for p in taxonomy.mentioned("Work in IT support")
    }
