"""A credential's skills: those it declares, resolved to ESCO, and those its outcomes show.

Declared skills (an EDC's ``relatedESCOSkill``, an Open Badges alignment) come first and are
never replaced: a declared label is resolved to its ESCO URI where ESCO has it, a declared URI
is kept as it is, and one that is not ESCO's is kept and flagged. Inferred skills come from the
outcomes in English; an outcome in another language is not tagged, and the answer says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field

from recognition_engine.domain import Skill
from recognition_engine.ingestion.language import outcome_languages
from recognition_engine.skills.tagger import SkillTagger
from recognition_engine.skills.taxonomy import EscoTaxonomy

# The language of ESCO's labels here and of the model that re-ranks them.
TAGGED_LANGUAGE = "en"


class SkillFlag(StrEnum):
    URI_NOT_ESCO = "uri_not_esco"  # a declared URI that is not an ESCO skill's: kept as declared
    LABEL_NOT_ESCO = "label_not_esco"  # a declared label ESCO does not have: kept, uri null


class CredentialSkill(BaseModel):
    uri: str | None = Field(description="The ESCO skill's URI; null: a declared label ESCO lacks.")
    label: str
    score: float | None = Field(
        None, description="The tagger's score (declared skills: null, they are not scored)."
    )
    source: Literal["declared", "inferred"]
    outcomes: list[int] = Field(
        default_factory=list, description="The outcomes (0-based) that show the skill."
    )
    flags: list[SkillFlag] = Field(default_factory=list)


class UntaggedOutcome(BaseModel):
    outcome: int
    language: str | None = Field(description="The outcome's language, as detected or declared.")
    reason: Literal["language"] = "language"


class CredentialSkills(BaseModel):
    """One line of `skills tag`: a credential's skills, declared first, then ranked."""

    credential_id: str | None
    skills: list[CredentialSkill]
    not_tagged: list[UntaggedOutcome] = Field(
        default_factory=list,
        description="Outcomes not tagged: ESCO's labels and the model here read English only.",
    )


def declared_skills(declared: Sequence[Skill], taxonomy: EscoTaxonomy) -> list[CredentialSkill]:
    """Return the skills a credential declares, resolved to ESCO where ESCO has them."""
    found: list[CredentialSkill] = []
    for skill in declared:
        flags = []
        uri = skill.uri
        if uri is not None:
            if taxonomy.by_uri(uri) is None:
                flags.append(SkillFlag.URI_NOT_ESCO)
        else:
            known = taxonomy.by_label(skill.label)
            if known is not None:
                uri = known.uri
            else:
                flags.append(SkillFlag.LABEL_NOT_ESCO)
        found.append(CredentialSkill(uri=uri, label=skill.label, source="declared", flags=flags))
    return found


def tag_outcomes(
    outcomes: Sequence[str], tagger: SkillTagger, *, declared_language: str | None = None
) -> tuple[list[CredentialSkill], list[UntaggedOutcome]]:
    """Return the skills the English outcomes show, ranked, and the outcomes left untagged."""
    languages = outcome_languages(outcomes, declared_language) if outcomes else []
    readable = [i for i, code in enumerate(languages) if code in (TAGGED_LANGUAGE, None)]
    untagged = [
        UntaggedOutcome(outcome=i, language=code)
        for i, code in enumerate(languages)
        if i not in set(readable)
    ]
    ranked = tagger.tag([outcomes[i] for i in readable])
    skills = [
        CredentialSkill(
            uri=tagger.taxonomy.skills[tagged.position].uri,
            label=tagger.taxonomy.skills[tagged.position].label,
            score=round(tagged.score, 4),
            source="inferred",
            outcomes=[readable[i] for i in tagged.outcomes],
        )
        for tagged in ranked
    ]
    return skills, untagged


def credential_skills(
    credential_id: str | None,
    outcomes: Sequence[str],
    declared: Sequence[Skill],
    tagger: SkillTagger,
    *,
    top: int,
    language: str | None = None,
) -> CredentialSkills:
    """Return a credential's declared skills and its ``top`` inferred ones, a URI once.

    ``outcomes``: the credential's outcomes as the engine splits them (``outcomes_of``);
    ``language``: the one it declares, if any.
    """
    resolved = declared_skills(declared, tagger.taxonomy)
    inferred, untagged = tag_outcomes(outcomes, tagger, declared_language=language)
    seen = {skill.uri for skill in resolved if skill.uri}
    inferred = [skill for skill in inferred if skill.uri not in seen][:top]
    return CredentialSkills(
        credential_id=credential_id, skills=resolved + inferred, not_tagged=untagged
    )
