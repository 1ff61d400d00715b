"""Skills over many proposals: counted once a proposal, and proposals kept by skill and role."""

from __future__ import annotations

from recognition_engine.domain import ModuleSkills, RecognitionProposal, SkillRef
from recognition_engine.skills.counting import count_skills, involves_skill

SQL = SkillRef(uri="esco:sql", label="SQL")
CSS = SkillRef(uri="esco:css", label="CSS")


def proposal(*modules: ModuleSkills | None) -> RecognitionProposal:
    return RecognitionProposal.model_construct(
        modules=[
            type("Module", (), {"skills": skills})()  # only the skills are read
            for skills in modules
        ]
    )


def test_a_proposal_counts_once_a_skill_and_role_most_shared_first() -> None:
    counted = count_skills(
        [
            proposal(ModuleSkills(shared=[SQL], missing=[CSS]), ModuleSkills(shared=[SQL])),
            proposal(ModuleSkills(missing=[SQL]), None),
            proposal(),
        ]
    )
    assert [(c.uri, c.shared, c.missing) for c in counted] == [
        ("esco:sql", 1, 1),
        ("esco:css", 0, 1),
    ]


def test_a_proposal_involves_a_skill_as_shared_missing_or_either() -> None:
    found = proposal(ModuleSkills(shared=[SQL], missing=[CSS]))
    assert involves_skill(found, "esco:sql", "shared")
    assert not involves_skill(found, "esco:sql", "missing")
    assert involves_skill(found, "esco:css", "missing") and involves_skill(found, "esco:css")
    assert not involves_skill(found, "esco:none") and not involves_skill(proposal(None), "esco:sql")
