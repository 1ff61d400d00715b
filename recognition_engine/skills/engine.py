"""The engine's skills: one tagger per process on the engine's own model, module skills at
indexing, and each proposed module's shared and missing skills at recognition."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING

from recognition_engine.domain import MicroCredential, RecognitionProposal
from recognition_engine.ingestion.language import outcome_languages
from recognition_engine.skills.credentials import TAGGED_LANGUAGE
from recognition_engine.skills.lexical import SkillLexicon
from recognition_engine.skills.modules import (
    evidenced_skills,
    module_skill_uris,
    shared_and_missing,
)
from recognition_engine.skills.tagger import SkillTagger, TaggingParams
from recognition_engine.skills.taxonomy import ESCO_VERSION, bundled_taxonomy

if TYPE_CHECKING:
    from recognition_engine.config import Settings
    from recognition_engine.index import CatalogueIndex
    from recognition_engine.models import Embedder


NOT_TAGGED_LANGUAGE = (
    "not tagged: read on the multilingual model, and ESCO's labels here are English"
)


@cache
def bundled_lexicon() -> SkillLexicon:
    """Return the lexical stage over the shipped ESCO skills (fitted once a process)."""
    return SkillLexicon(bundled_taxonomy())


class EngineSkills:
    """Skills for one recognition engine. Off when the settings say so, and on a multilingual
    engine: the tagger's threshold is on the English model's scale, ESCO's labels English."""

    def __init__(self, settings: Settings, embedder: Embedder, *, multilingual: bool) -> None:
        self.enabled = settings.skills and not multilingual
        self.multilingual = multilingual
        self.per_module = settings.skills_per_module
        self._embedder = embedder
        self.params = TaggingParams()  # read when the tagger is first made
        self._tagger: SkillTagger | None = None
        self._lock = threading.Lock()

    @property
    def tagger(self) -> SkillTagger:
        with self._lock:
            if self._tagger is None:
                self._tagger = SkillTagger(
                    bundled_taxonomy(), bundled_lexicon(), self._embedder, self.params
                )
            return self._tagger

    @property
    def version(self) -> str:
        """What made a module's skills: the taxonomy's release and the tagger's knobs."""
        return f"ESCO {ESCO_VERSION}; {self.params}; {self.per_module} a module"

    def wanted(self, index: CatalogueIndex) -> bool:
        """Whether ``index`` lacks the module skills this engine would store with it (none, or
        made with another taxonomy or other knobs)."""
        return self.enabled and (
            index.module_skills is None or index.module_skills_version != self.version
        )

    def prepare(self) -> int:
        """Embed every ESCO label into the embedding cache, as a deployment's set-up (``index``)
        does, so that recognitions never wait for a label; return how many (0: skills off)."""
        return self.tagger.embed_all_labels() if self.enabled else 0

    def tag_modules(self, index: CatalogueIndex) -> None:
        """Tag every module of a freshly built index, to be saved with it."""
        if self.enabled:
            modules = [list(entry.outcomes) for entry in index.entries]
            index.module_skills = module_skill_uris(self.tagger, modules, self.per_module)
            index.module_skills_version = self.version

    def attach(
        self,
        proposal: RecognitionProposal,
        credentials: Sequence[MicroCredential],
        outcomes: Sequence[str],
        index: CatalogueIndex,
    ) -> None:
        """Give each proposed module the skills the credentials share with it and those they
        lack. ``outcomes``: the credentials' outcomes pooled; those not in English are not read
        (the proposal's skills then rest on the English ones and the declared skills)."""
        if not self.enabled or index.module_skills is None:
            if self.multilingual:  # said, never left to look like "no skill in common"
                proposal.engine["skills"] = NOT_TAGGED_LANGUAGE
            return
        declared = {s.uri for c in credentials for s in c.skills if s.uri}
        declared |= {
            known.uri
            for c in credentials
            for s in c.skills
            if s.uri is None and (known := self.tagger.taxonomy.by_label(s.label))
        }
        english = self._english(outcomes, proposal.engine.get("credential_languages"))
        proposal.engine["skills"] = f"ESCO {ESCO_VERSION}"
        if len(english) < len(outcomes):
            proposal.engine["skills_untagged_outcomes"] = len(outcomes) - len(english)
        evidenced = evidenced_skills(self.tagger, english, declared, self.per_module)
        for module in proposal.modules:
            position = index.position.get(module.module_code)
            if position is not None:
                module.skills = shared_and_missing(
                    index.module_skills[position], evidenced, self.tagger.taxonomy
                )

    @staticmethod
    def _english(outcomes: Sequence[str], languages: object) -> list[str]:
        """Return the outcomes in English. Credentials the engine already read as English alone
        are not detected again, outcome by outcome."""
        if languages == TAGGED_LANGUAGE or not outcomes:
            return list(outcomes)
        found = outcome_languages(outcomes)
        return [
            o for o, code in zip(outcomes, found, strict=True) if code in (TAGGED_LANGUAGE, None)
        ]
