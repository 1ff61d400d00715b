"""A module's skills, tagged once when its catalogue is indexed, and what a credential shares
of them: the module's skills its outcomes (or its declarations) evidence, and those it lacks."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from recognition_engine.domain import ModuleSkills, SkillRef
from recognition_engine.skills.tagger import SkillTagger, rank_skills
from recognition_engine.skills.taxonomy import EscoTaxonomy


def module_skill_uris(
    tagger: SkillTagger, modules: Sequence[Sequence[str]], per_module: int
) -> list[list[str]]:
    """Return each module's skills (URIs, best first, ``per_module`` at most): those that reach
    the threshold in one of its outcomes. All modules' outcomes go through the model at once."""
    outcomes = [text for module in modules for text in module]
    scores = tagger.outcome_scores(outcomes)
    found, start = [], 0
    for module in modules:
        ranked = rank_skills(scores[start : start + len(module)], tagger.params.threshold)
        start += len(module)
        kept = [skill for skill in ranked if skill.outcomes][:per_module]
        found.append([tagger.taxonomy.skills[skill.position].uri for skill in kept])
    return found


def evidenced_skills(
    tagger: SkillTagger, outcomes: Sequence[str], declared: Iterable[str], top: int
) -> set[str]:
    """Return the URIs of the skills a credential evidences: those it declares, its ``top``
    inferred ones (the cut-off recall is measured at), and any an outcome scores at the
    threshold."""
    ranked = tagger.tag(outcomes) if outcomes else []
    uris = [tagger.taxonomy.skills[skill.position].uri for skill in ranked]
    reached = {uri for uri, skill in zip(uris, ranked, strict=True) if skill.outcomes}
    return set(declared) | set(uris[:top]) | reached


def shared_and_missing(
    module_uris: Sequence[str], evidenced: set[str], taxonomy: EscoTaxonomy
) -> ModuleSkills:
    """Return the module's skills the credential evidences, and those it lacks, in the
    module's order (best first)."""
    shared: list[SkillRef] = []
    missing: list[SkillRef] = []
    for uri in module_uris:
        skill = taxonomy.by_uri(uri)
        if skill is None:  # tagged with another release of the taxonomy
            continue
        ref = SkillRef(uri=skill.uri, label=skill.label)
        (shared if uri in evidenced else missing).append(ref)
    return ModuleSkills(shared=shared, missing=missing)
